"""The daily series as Mesa's `DataCollector`, read from the run's recorder."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import pandas as pd

from adoption.engine.recorder import SERIES, Recorder

if TYPE_CHECKING:
    from adoption.engine.model import AdoptionModel


class _Columns(Mapping):
    """Each series column up to the last recorded step (views, no copies)."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def __getitem__(self, name: str) -> np.ndarray:
        return self.recorder.columns[name][: self.recorder.rows]

    def __iter__(self) -> Iterator[str]:
        return iter(self.recorder.columns)

    def __len__(self) -> int:
        return len(self.recorder.columns)


class DailySeries(mesa.DataCollector):
    """Mesa's DataCollector whose model variables are the run's daily series.

    The people update writes one row per step into the recorder's preallocated
    arrays; this collector exposes them where Mesa's tools look (`model_vars`,
    `get_model_vars_dataframe`, `mesa.batch_run`), without a reporter call per column
    per step. Row k is the state after step k + 1. Agent reporters work as in Mesa:
    pass them to collect per-person data every step.
    """

    def __init__(
        self,
        recorder: Recorder,
        agent_reporters: dict[str, Any] | None = None,
        agenttype_reporters: dict[type, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(agent_reporters=agent_reporters, agenttype_reporters=agenttype_reporters)
        self.recorder = recorder
        self.model_vars = _Columns(recorder)

    @property
    def series(self) -> tuple[str, ...]:
        """The names of the daily series."""
        return SERIES

    def collect(self, model: AdoptionModel) -> None:
        """Note a collection after a step; the model variables are already recorded."""
        if self.agent_reporters or self.agenttype_reporters:
            _ = model.employee_at  # agents are made on first use: reporters need them now
        super().collect(model)
        # Mesa 3.5's batch_run reads which model times were collected from here
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """The daily series so far, one row per step (counts as integers)."""
        return self.recorder.frame()
