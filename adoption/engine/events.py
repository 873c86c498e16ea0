"""The run's event log: waves, gate decisions, outages, retrains, fixes, scale-ups."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class EventLog:
    """Events in the order they happened, as (day, kind, detail)."""

    rows: list[tuple[float, str, str]] = field(default_factory=list)

    def add(self, day: float, kind: str, detail: str) -> None:
        self.rows.append((round(float(day), 4), kind, detail))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["day", "kind", "detail"])
