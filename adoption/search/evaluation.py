"""Running plans on pairs: every run through the result store, so a killed search resumes
without recomputing, and results are keyed by run, never by the order runs finished."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from adoption.config import Scenario
from adoption.config.plans import Plan
from adoption.experiment.compare import run_design, runs_table
from adoption.experiment.design import RunSpec
from adoption.experiment.executors import Executor
from adoption.experiment.runner import RunRecord
from adoption.experiment.store import ResultStore
from adoption.search.pairs import Pair


class Evaluator:
    """Runs named plans on pairs; counts the runs spent (a stored run counts once)."""

    def __init__(
        self,
        scenario: Scenario,
        executor: Executor,
        store: ResultStore | None,
        on_run: Callable[[int], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.executor = executor
        self.store = store
        self.on_run = on_run
        self.plans: dict[str, Plan] = dict(scenario.plans)
        self.records: dict[RunSpec, RunRecord] = {}
        self.reused = 0
        self.failures: list[RunRecord] = []

    def add(self, plans: dict[str, Plan]) -> None:
        """Make candidate plans known by name."""
        self.plans.update(plans)

    def run(self, plans: list[str], pairs: list[Pair]) -> pd.DataFrame:
        """The runs of every plan on every pair (one row each, in pair then plan order);
        a plan with a failed run is left out (its failure kept in `failures`)."""
        specs = [pair.spec(plan) for pair in pairs for plan in plans]
        missing = [spec for spec in specs if spec not in self.records]
        if missing:
            needed = list(dict.fromkeys(spec.plan for spec in missing))
            scenario = self.scenario.model_copy(
                update={"plans": {name: self.plans[name] for name in needed}}
            )
            before = len(self.records) + len(self.failures)

            def progress(done: int, total: int) -> None:
                if self.on_run is not None:
                    self.on_run(before + done)

            records, failures, reused = run_design(
                scenario, missing, self.store, self.executor, progress
            )
            # metrics only: the daily series are in the store, not needed to rank plans
            self.records.update(
                {spec: RunRecord(spec=spec, metrics=r.metrics) for spec, r in records.items()}
            )
            self.reused += reused
            self.failures.extend(failures)
        failed = {record.spec.plan for record in self.failures}
        finished = [self.records[s] for s in specs if s in self.records and s.plan not in failed]
        if not finished:
            return pd.DataFrame(columns=["plan", "sample", "replication", "seed", "npv"])
        return runs_table(finished)

    @property
    def runs_spent(self) -> int:
        """Runs asked for so far (computed now or reused from the store), failed included."""
        return len(self.records) + len(self.failures)

    def trials(self) -> pd.DataFrame:
        """Every finished run once, in a fixed order (plan, world, seed)."""
        keys = sorted(self.records, key=lambda s: (s.plan, s.sample, s.replication))
        return runs_table([self.records[key] for key in keys])
