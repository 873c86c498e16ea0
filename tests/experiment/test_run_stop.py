"""A warm pool's run is abandoned at its next step once its sweep is stopped (a Cancel),
its gate counterfactuals too, so the workers are free at once; a sweep left going gives
the run's own record."""

from __future__ import annotations

import pytest

from adoption.config import load_scenario
from adoption.experiment import executors
from adoption.experiment.design import RunSpec
from adoption.experiment.executors import execute_in_sweep
from adoption.experiment.runner import RunTask, execute

SWEEP = 7
DAYS = 120


class StoppedAfter:
    """The shared sweep number as a worker reads it: this sweep's for the first `looks`
    reads, then another's (the sweep was stopped)."""

    def __init__(self, looks: int) -> None:
        self.looks = looks

    @property
    def value(self) -> int:
        self.looks -= 1
        return SWEEP if self.looks >= 0 else 0


def task(plan: str, regret: bool = False) -> RunTask:
    scenario = load_scenario(None, {"organisation.employees": 200, "horizon_days": DAYS})
    spec = RunSpec(plan=plan, sample=0, replication=0, seed=3, values=())
    return RunTask(scenario.model_dump_json(), spec, regret=regret)


@pytest.mark.parametrize("looks", [1, 40])
def test_a_stopped_sweeps_run_is_abandoned_at_its_next_step(monkeypatch, looks):
    reads = StoppedAfter(looks)
    monkeypatch.setattr(executors, "_SWEEP", reads)
    assert execute_in_sweep(task("big-bang"), SWEEP) is None
    assert reads.looks == -1  # one look after the stop, then no further step


def test_a_stop_during_the_gate_counterfactuals_abandons_them(monkeypatch):
    reads = StoppedAfter(1 + DAYS + 10)  # before the run, its days, ten counterfactual days
    monkeypatch.setattr(executors, "_SWEEP", reads)
    assert execute_in_sweep(task("pilot-10", regret=True), SWEEP) is None
    assert reads.looks == -1


def test_a_sweep_left_going_gives_the_runs_own_record(monkeypatch):
    monkeypatch.setattr(executors, "_SWEEP", StoppedAfter(10**6))
    record = execute_in_sweep(task("pilot-10", regret=True), SWEEP)
    reference = execute(task("pilot-10", regret=True))
    assert record is not None and not record.failed
    assert record.metrics == reference.metrics
    assert record.metrics["gate_regret"] is not None  # the counterfactuals ran to the end
