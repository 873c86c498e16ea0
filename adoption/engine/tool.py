"""The AI tool's quality: the data-quality gap by department, drift, retraining and fixes."""

from __future__ import annotations

import numpy as np
import simpy

from adoption.config.tool import ToolConfig
from adoption.engine.clock import DAYS_PER_YEAR
from adoption.engine.events import EventLog
from adoption.engine.ledger import Ledger


class Tool:
    """Production accuracy per department, decaying with drift, restored by retraining,
    and raised toward the proof of concept's by fixes that feedback makes possible.

    A fix needs reported failures from a department (its data problems must be seen
    before they can be fixed) and ML engineers, who split their time across the
    departments being fixed.
    """

    def __init__(
        self,
        config: ToolConfig,
        departments: int,
        env: simpy.Environment,
        rng: np.random.Generator,
        events: EventLog,
        ledger: Ledger,
    ) -> None:
        self.config = config
        self.env = env
        self.events = events
        self.ledger = ledger
        spread = rng.normal(0.0, config.department_accuracy_spread, departments)
        self.base_accuracy = np.clip(config.production_accuracy + spread, 0.0, 1.0)
        self.reported_failures = np.zeros(departments)
        self.last_retrain_day = 0.0
        self.fix_releases = 0
        self.running = False
        env.process(self._retraining())
        env.process(self._fixing())

    def accuracy(self) -> np.ndarray:
        """Today's production accuracy of each department, after drift."""
        years = (self.env.now - self.last_retrain_day) / DAYS_PER_YEAR
        return np.clip(self.base_accuracy - self.config.drift_per_year * years, 0.0, 1.0)

    def report_failures(self, failures_by_department: np.ndarray) -> None:
        """Failures users reported (tickets); they make a department's problems fixable."""
        self.reported_failures += failures_by_department

    def _retraining(self):
        interval = self.config.retraining.interval_days
        if interval <= 0:
            return
        while True:
            yield self.env.timeout(interval)
            if not self.running:
                continue
            self.last_retrain_day = self.env.now
            self.ledger.charge("retraining", self.config.retraining.cost)
            self.events.add(
                self.env.now, "retrain", f"accuracy restored to {self.base_accuracy.mean():.3f}"
            )

    def _fixing(self):
        fixes = self.config.fixes
        while True:
            yield self.env.timeout(fixes.release_interval_days)
            if not self.running or fixes.ml_engineers == 0:
                continue
            self.ledger.charge(
                "fixes",
                fixes.ml_engineers * fixes.cost_per_engineer_day * fixes.release_interval_days,
            )
            gap = self.config.poc_accuracy - self.base_accuracy
            fixable = np.flatnonzero(
                (self.reported_failures >= max(fixes.min_feedback_failures, 1)) & (gap > 1e-4)
            )
            if fixable.size == 0:
                continue
            engineer_months = fixes.ml_engineers * fixes.release_interval_days / 30.0
            keep = (1.0 - fixes.gap_closed_per_engineer_month) ** (engineer_months / fixable.size)
            before = self.base_accuracy[fixable].mean()
            self.base_accuracy[fixable] = self.config.poc_accuracy - gap[fixable] * keep
            self.fix_releases += 1
            self.events.add(
                self.env.now,
                "fix",
                f"release {self.fix_releases}: {fixable.size} department(s), "
                f"accuracy {before:.3f} -> {self.base_accuracy[fixable].mean():.3f}",
            )
