"""The AI tool's quality: the data-quality gap by data segment, learning, drift, retraining.

A data segment is a department in a region: its data differ from the demo's in their
own ways, so a pilot learns only about the segments it sees.
"""

from __future__ import annotations

import numpy as np
import simpy

from adoption.config.tool import ToolConfig
from adoption.engine.clock import DAYS_PER_YEAR
from adoption.engine.events import EventLog
from adoption.engine.ledger import Ledger
from adoption.engine.pipeline import DataPipeline
from adoption.errors import InputError
from adoption.organisation.model import Organisation

POINT = 0.01
"""One point of accuracy."""


class Tool:
    """Production accuracy per data segment, decaying with drift, restored by
    retraining, and raised toward what the data allow by fixes that feedback makes
    possible.

    Each segment has a launch accuracy and a ceiling (the achievable accuracy): the
    gap between them is made of failure patterns. Users' reports reveal them with
    diminishing returns (a share 1 − exp(−reports / `reports_to_diagnose`) is found);
    ML engineers fix found patterns at `engineer_days_per_point`, their capacity split
    across segments in proportion to the work found there. What lies above the
    ceiling no fix removes. While the production pipeline is not ready the tool runs on
    a fragile feed, a fixed penalty below what it would otherwise reach.
    """

    def __init__(
        self,
        config: ToolConfig,
        org: Organisation,
        pipeline: DataPipeline,
        env: simpy.Environment,
        rng: np.random.Generator,
        events: EventLog,
        ledger: Ledger,
    ) -> None:
        self.config = config
        self.pipeline = pipeline
        self.env = env
        self.events = events
        self.ledger = ledger
        regions = len(org.region_names)
        self.segment = (org.department.astype(np.int64) * regions + org.region).astype(np.int64)
        unknown = set(config.region_accuracy_offset) - set(org.region_names)
        if unknown:
            raise InputError(
                f"tool.region_accuracy_offset: no region named {', '.join(sorted(unknown))} in "
                f"this organisation (known: {', '.join(org.region_names)})"
            )
        spread = rng.normal(0.0, config.department_accuracy_spread, len(org.department_names))
        region_offset = np.array(
            [config.region_accuracy_offset.get(name, 0.0) for name in org.region_names]
        )
        offset = (spread[:, None] + region_offset[None, :]).ravel()
        self.launch_accuracy = np.clip(config.production_accuracy + offset, 0.0, 1.0)
        # the ceiling lies between the launch accuracy and the demo's
        self.ceiling = np.maximum(
            np.minimum(config.achievable_accuracy + offset, config.poc_accuracy),
            self.launch_accuracy,
        )
        self.fixed = np.zeros(self.launch_accuracy.size)  # changed by `_fixing` only
        self._fixes_changed()
        self.reported_failures = np.zeros(self.launch_accuracy.size)
        self.last_retrain_day = 0.0
        self.fix_releases = 0
        self.running = False
        env.process(self._retraining())
        env.process(self._fixing())

    @property
    def base_accuracy(self) -> np.ndarray:
        """Each segment's accuracy after the fixes so far, before drift and fragility."""
        return self._base.copy()

    def accuracy(self) -> np.ndarray:
        """Today's production accuracy of each data segment."""
        years = (self.env.now - self.last_retrain_day) / DAYS_PER_YEAR
        drift, penalty = self.config.drift_per_year * years, self.pipeline.penalty
        decayed = self._base - drift - penalty
        # rounding keeps order, so the lowest and highest segments, taken through the
        # same subtractions, bound them all: most steps need no clip (at exactly 0 the
        # clip is kept, as it makes a negative zero positive)
        lowest, highest = self._base_bounds
        if lowest - drift - penalty > 0.0 and highest - drift - penalty <= 1.0:
            return decayed
        return np.clip(decayed, 0.0, 1.0)

    def _fixes_changed(self) -> None:
        """Keep what `accuracy` reads of the fixes: each segment's accuracy before drift
        and fragility, and the lowest and highest of them."""
        self._base = self.launch_accuracy + self.fixed
        self._base_bounds = (float(self._base.min()), float(self._base.max()))

    def report_failures(self, failures_by_segment: np.ndarray) -> None:
        """Failures users reported (tickets); they reveal a segment's failure patterns."""
        self.reported_failures += failures_by_segment

    def found(self) -> np.ndarray:
        """Accuracy (by segment) that the failures reported so far show how to recover."""
        share = -np.expm1(-self.reported_failures / self.config.fixes.reports_to_diagnose)
        return (self.ceiling - self.launch_accuracy) * share

    def _retraining(self):
        interval = self.config.retraining.interval_days
        if interval <= 0:
            return
        while True:
            yield self.env.timeout(interval)
            if self.running:
                self.retrain()

    def retrain(self) -> None:
        """Retrain now (paid): the accuracy lost to drift is restored."""
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
            engineer_days = fixes.ml_engineers * fixes.release_interval_days
            self.ledger.charge("fixes", engineer_days * fixes.cost_per_engineer_day)
            todo = np.maximum(self.found() - self.fixed, 0.0)
            total = todo.sum()
            if total < 1e-6:
                continue
            capacity = engineer_days / fixes.engineer_days_per_point * POINT
            before = self.base_accuracy.mean()
            self.fixed += todo * min(1.0, capacity / total)
            self._fixes_changed()
            self.fix_releases += 1
            touched = int((todo > 1e-6).sum())
            self.events.add(
                self.env.now,
                "fix",
                f"release {self.fix_releases}: {touched} data segment(s), "
                f"mean accuracy {before:.3f} -> {self.base_accuracy.mean():.3f}",
            )
