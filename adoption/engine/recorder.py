"""The daily time series, preallocated: one row per step, one array per column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from adoption.engine.clock import steps_in
from adoption.engine.people import People
from adoption.engine.states import CAUSES, STATE_NAMES

COUNTS = (
    *STATE_NAMES,
    "with_access",
    "ever_tried",
    "ever_active",
    "uses",
    "served",
    "successes",
    "training_queue",
    "trained",
    "sponsors",
    "opponents",
    "returned",
    *(f"lapsed_{cause}" for cause in CAUSES),
    *(f"abandoned_{cause}" for cause in CAUSES),
)
"""Columns that count people or events (integers in the frame)."""

MEASURES = (
    "observed_accuracy",
    "production_accuracy",
    "peak_requests_per_second",
    "capacity_requests_per_second",
    "utilisation",
    "latency_ms",
    "overloaded",
    "outage_share",
    "support_tickets",
    "support_backlog",
    "support_wait_days",
    "value",
    "cost",
)

SERIES = ("day", *COUNTS, *MEASURES)


def census(people: People, day: float) -> dict[str, float]:
    """The day and who is where: the part of a record every rule shares."""
    counts = people.counts()
    row = dict(zip(STATE_NAMES, counts, strict=True))
    row.update(
        day=day,
        with_access=counts[1:].sum(),
        ever_tried=people.ever_tried.sum(),
        ever_active=people.ever_active.sum(),
    )
    return row


class Recorder:
    """Collects one value per column per step without growing lists."""

    def __init__(self, steps: int, dt_days: float) -> None:
        self.columns = {name: np.zeros(steps) for name in SERIES}
        self.rows = 0
        self.dt_days = dt_days

    def record(self, values: dict[str, float | np.ndarray]) -> None:
        """Store one step; every column must be given (arrays for the cause groups)."""
        row = self.rows
        for name, value in values.items():
            self.columns[name][row] = value
        self.rows += 1

    def recent(self, name: str, days: float) -> np.ndarray:
        """One column's values over the last `days` days (whole steps, at least one)."""
        steps = steps_in(days, self.dt_days)
        return self.columns[name][max(0, self.rows - steps) : self.rows]

    def frame(self) -> pd.DataFrame:
        """The time series so far as a DataFrame with integer counts where counts are."""
        frame = pd.DataFrame({name: values[: self.rows] for name, values in self.columns.items()})
        frame[list(COUNTS)] = frame[list(COUNTS)].astype(np.int64)
        frame["overloaded"] = frame["overloaded"].astype(bool)
        return frame
