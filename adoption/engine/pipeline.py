"""The production data pipeline: built by data engineers, fragile until it is ready."""

from __future__ import annotations

import numpy as np
import simpy

from adoption.config.tool import PipelineConfig
from adoption.engine.clock import DAYS_PER_YEAR
from adoption.engine.events import EventLog
from adoption.engine.infrastructure import HOURS_PER_DAY, Infrastructure
from adoption.engine.ledger import Ledger


class DataPipeline:
    """Building the feed of production data to the tool: the source's "80% of the work".

    Data engineers build it while the programme runs, or before launch while a plan
    prepares (`preparing`), `build_engineer_days` of work; `built` is the event of its
    being ready. Until it is ready the tool runs on the demo's fragile feed, which costs accuracy
    (`fragile_accuracy_penalty`) and breaks now and then (data incidents, during which
    uses fail, like outages). Once built, a share of the engineers keeps it running.
    """

    def __init__(
        self,
        config: PipelineConfig,
        cost_per_engineer_day: float,
        infrastructure: Infrastructure,
        env: simpy.Environment,
        rng: np.random.Generator,
        events: EventLog,
        ledger: Ledger,
    ) -> None:
        self.config = config
        self.cost_per_engineer_day = cost_per_engineer_day
        self.infrastructure = infrastructure
        self.env = env
        self.rng = rng
        self.events = events
        self.ledger = ledger
        self.work_done = 0.0
        self.ready = config.build_engineer_days <= 0
        self.built = env.event()
        if self.ready:
            self.built.succeed()
        self.running = False
        self.preparing = False
        if not self.ready and config.fragile_incidents_per_year > 0:
            env.process(self._incidents())

    @property
    def penalty(self) -> float:
        """Accuracy lost today to the fragile feed (0 once the pipeline is ready)."""
        return 0.0 if self.ready else self.config.fragile_accuracy_penalty

    def work(self, dt: float) -> None:
        """`dt` days of the data engineers' work, paid; the pipeline is ready when built."""
        if not (self.running or self.preparing) or self.config.data_engineers == 0:
            return
        engineers = self.config.data_engineers * (self.config.upkeep_share if self.ready else 1.0)
        self.ledger.charge("pipeline", engineers * dt * self.cost_per_engineer_day)
        if self.ready:
            return
        self.work_done += self.config.data_engineers * dt
        if self.work_done >= self.config.build_engineer_days - 1e-9:
            self.ready = True
            self.built.succeed()
            self.events.add(self.env.now, "pipeline", "production data pipeline ready")

    def _incidents(self):
        config = self.config
        mean_gap_days = DAYS_PER_YEAR / config.fragile_incidents_per_year
        while not self.ready:
            yield self.env.timeout(self.rng.exponential(mean_gap_days))
            if self.ready or not self.running:
                continue
            hours = self.rng.exponential(config.incident_hours)
            start = self.env.now
            self.infrastructure.add_outage(
                start,
                start + hours / HOURS_PER_DAY,
                "data incident",
                f"fragile feed down for {hours:.1f} hours",
            )
