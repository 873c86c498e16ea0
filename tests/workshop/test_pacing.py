"""The comparison on screen while a Run goes (issue 20): rebuilt and drawn again only
after the work on the last one has been paced out, so that drawing leaves the cores to
the runs, but the first comparison and the last (done or cancelled) at once."""

from __future__ import annotations

import threading
import time

import pytest

from adoption.config import load_scenario
from adoption.experiment.experiment_design import Design
from adoption.experiment.runner import RunTask, execute
from adoption.workshop import jobs
from adoption.workshop.jobs import REFRESH_SHARE, Job

SMALL = {"organisation.employees": 200, "horizon_days": 120}


@pytest.fixture(scope="module")
def made():
    """A job of 2 plans × 3 replications and its runs, made in this process."""
    scenario = load_scenario(None, SMALL)
    job = Job(1, scenario, Design(plans=("big-bang", "pilot-10"), replications=3))
    payload = scenario.model_dump_json()
    records = [execute(RunTask(payload, spec, regret=True)) for spec in job.specs]
    return scenario, records


def fresh_job(made) -> Job:
    scenario, _ = made
    job = Job(2, scenario, Design(plans=("big-bang", "pilot-10"), replications=3))
    job.state = "running"
    return job


def baseline_first(made) -> list:
    _, records = made
    return sorted(records, key=lambda record: record.spec.plan != "big-bang")


def test_the_first_comparison_is_built_at_once_then_paced(made):
    job, records = fresh_job(made), baseline_first(made)
    job.add(records[0])
    first, compared = job.shown()
    assert first is not None and compared == 1
    job.spent(60.0)  # as if drawing it had taken a minute
    job.add(records[1])
    assert job.shown() == (first, 1)  # kept while paced
    assert job._refresh_after - time.monotonic() > 60.0 * (1 / REFRESH_SHARE - 1) - 1


class StoppedClock:
    """A monotonic clock that moves only when told: a test of pacing must not depend on
    how long building a comparison takes on a loaded machine."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_a_paced_comparison_is_rebuilt_once_its_wait_is_over(made, monkeypatch):
    clock = StoppedClock()
    monkeypatch.setattr(jobs, "time", clock)
    job, records = fresh_job(made), baseline_first(made)
    job.add(records[0])
    first = job.comparison()
    job.spent(0.01)  # a wait of 0.01 s × (1 / REFRESH_SHARE − 1)
    job.add(records[1])
    wait = 0.01 * (1 / REFRESH_SHARE - 1)
    clock.now += wait * 0.9
    assert job.shown() == (first, 1)  # not yet
    clock.now += wait * 0.2
    second, compared = job.shown()
    assert second is not first and compared == 2


@pytest.mark.parametrize("ending", ["done", "cancelled"])
def test_the_last_comparison_shows_every_run_at_once(made, ending):
    job, records = fresh_job(made), baseline_first(made)
    job.add(records[0])
    job.comparison()
    job.spent(60.0)
    for record in records[1:]:
        job.add(record)
    assert job.shown()[1] == 1
    job.state = ending
    last, compared = job.shown()
    assert compared == len(records) == job.total
    assert set(last.runs["plan"]) == {"big-bang", "pilot-10"}


def test_no_comparison_until_the_baseline_has_a_run_and_none_is_paced(made):
    job, records = fresh_job(made), baseline_first(made)
    job.add(records[-1])  # a pilot-10 run: the baseline (big-bang) has none yet
    assert job.comparison() is None
    job.spent(60.0)
    job.add(records[0])
    assert job.comparison() is not None  # the first curves are never held back


def test_two_asking_together_get_one_comparison_built_once(made, monkeypatch):
    """As a Run ends, the page's poll and the queue's last drawing ask at once: one
    builds, the other gets the same comparison (the views are drawn for it once)."""
    job, records = fresh_job(made), baseline_first(made)
    for record in records:
        job.add(record)
    job.state = "cancelled"
    built, real = [], jobs.assemble

    def slow_assemble(*args):
        built.append(1)
        time.sleep(0.3)  # wide enough for the second asker to come while it builds
        return real(*args)

    monkeypatch.setattr(jobs, "assemble", slow_assemble)
    answers = []
    askers = [threading.Thread(target=lambda: answers.append(job.shown())) for _ in range(2)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert len(built) == 1
    assert answers[0][0] is answers[1][0] and answers[0][1] == answers[1][1] == len(records)
