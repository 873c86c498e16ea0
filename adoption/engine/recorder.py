"""The daily time series, preallocated: one row per step, one array per column."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from adoption.engine.clock import steps_in
from adoption.engine.people import People
from adoption.engine.states import CAUSES, NO_ACCESS, STATE_NAMES

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
    "seats_held",
    "seats_paid",
    "waiting_for_seat",
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
    "seat_days",
)

SERIES = ("day", *COUNTS, *MEASURES)

COLUMN_TYPES = {
    name: np.int64 if name in COUNTS else bool if name == "overloaded" else np.float64
    for name in SERIES
}
"""Each column's type in the frame: counts as integers, whether overloaded as a truth."""


LAPSED_COLUMNS = tuple(f"lapsed_{cause}" for cause in CAUSES)
ABANDONED_COLUMNS = tuple(f"abandoned_{cause}" for cause in CAUSES)


CENSUS = (*STATE_NAMES, "with_access", "ever_tried", "ever_active", "trained")
"""What `census` counts (and, given managers, "sponsors" and "opponents")."""


def census(
    people: People,
    day: float,
    managers: np.ndarray | None = None,
    sponsor_threshold: float = 0.0,
) -> dict[str, float]:
    """The day and who is where: the part of a record every rule shares; with
    `managers`, also how many of them sponsor the tool (stance above the threshold)
    and how many oppose it (below minus the threshold)."""
    if managers is None:
        managers = np.zeros(0, dtype=np.int64)
    counts = count_people(
        people.state,
        people.ever_tried,
        people.ever_active,
        people.trained,
        people.stance,
        managers,
        # stances are single precision: compare them in it
        np.float32(sponsor_threshold),
    )
    names = (*CENSUS, "sponsors", "opponents") if managers.size else CENSUS
    row = dict(zip(names, counts.tolist(), strict=True))
    row["day"] = day
    return row


@njit(cache=True)
def count_people(state, ever_tried, ever_active, trained, stance, managers, threshold):
    """People by state, with access, ever tried, ever active, trained; then sponsors
    and opponents among `managers` (absent when there are none)."""
    counts = np.zeros(len(CENSUS) + (2 if managers.size else 0), dtype=np.int64)
    states = len(STATE_NAMES)
    # four counters per state, so that runs of one state do not wait on one counter
    by_state = np.zeros((4, states), dtype=np.int64)
    for person in range(state.size):
        by_state[person & 3, state[person]] += 1
    # added by hand: numba's `sum(axis=0)` compiles some 40 functions of its own (axis
    # checks, error messages), about 2 s of the first run after an install
    for kind in range(states):
        counts[kind] = by_state[0, kind] + by_state[1, kind] + by_state[2, kind] + by_state[3, kind]
    counts[states] = state.size - counts[NO_ACCESS]  # with access
    counts[states + 1] = np.count_nonzero(ever_tried)
    counts[states + 2] = np.count_nonzero(ever_active)
    counts[states + 3] = np.count_nonzero(trained)
    for manager in managers:
        counts[-2] += stance[manager] > threshold
        counts[-1] += stance[manager] < -threshold
    return counts


class Recorder:
    """Collects one value per column per step without growing lists: one preallocated
    array per column."""

    def __init__(self, steps: int, dt_days: float) -> None:
        self.table = np.zeros((len(SERIES), steps))  # by column, then step
        self.columns = dict(zip(SERIES, self.table, strict=True))
        self.rows = 0
        self.dt_days = dt_days

    def record(self, values: dict[str, float]) -> None:
        """Store one step; columns not given stay zero."""
        self.table[:, self.rows] = [values.get(name, 0.0) for name in SERIES]
        self.rows += 1

    @staticmethod
    def positions(names: tuple[str, ...]) -> np.ndarray:
        """The table's rows for the columns `names`, in their order."""
        return np.array([SERIES.index(name) for name in names], dtype=np.int64)

    def complete(self, positions: np.ndarray, values: tuple[float, ...]) -> None:
        """Store the step's `values` in the columns at `positions` and close its row (a
        compiled pass may have written other columns of the row, at `rows`, before);
        columns written by neither stay zero."""
        self.table[positions, self.rows] = values
        self.rows += 1

    def recent(self, name: str, days: float) -> np.ndarray:
        """One column's values over the last `days` days (whole steps, at least one)."""
        steps = steps_in(days, self.dt_days)
        return self.columns[name][max(0, self.rows - steps) : self.rows]

    def frame(self) -> pd.DataFrame:
        """The time series so far as a DataFrame, each column a copy in its type
        (`COLUMN_TYPES`): converting the columns as they go in takes a tenth of the time
        of converting the frame's count columns afterwards (0.3 against 3.2 ms a default
        run, measured)."""
        rows = self.rows
        return pd.DataFrame(
            {
                name: values[:rows].astype(COLUMN_TYPES[name])
                for name, values in self.columns.items()
            }
        )
