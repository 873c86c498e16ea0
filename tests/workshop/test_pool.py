"""The workshop's warm pool (issue 20, issue 23 item 8): workers kept across Runs, a
Cancel that returns at once even while workers start, and compare()'s numbers."""

from __future__ import annotations

import os
import signal
import time

import pytest

from adoption.api import compare
from adoption.config import load_scenario
from adoption.experiment.executors import WARM_NICENESS, SerialExecutor, WarmPool
from adoption.workshop.jobs import JobQueue, warm_task
from tests.workshop.serving import alive

pytestmark = pytest.mark.slow

SMALL = {"organisation.employees": 200, "horizon_days": 120}
PLANS = ["big-bang", "pilot-10"]


def finished(job, timeout_s: float = 120.0) -> str:
    deadline = time.monotonic() + timeout_s
    while job.state in ("queued", "running"):
        assert time.monotonic() < deadline, f"{job.state}: {job.done}/{job.total}"
        job.seen()
        time.sleep(0.02)
    return job.state


@pytest.fixture
def scenario():
    return load_scenario(None, SMALL)


def test_cancel_while_the_workers_start_returns_within_a_second(scenario):
    queue = JobQueue(2, warm=scenario)  # the workers are still spawning and warming
    try:
        job = queue.submit(scenario, PLANS, 40)
        while job.state == "queued":
            time.sleep(0.01)
        cancelled = time.monotonic()
        job.cancel()
        assert finished(job, 5) == "cancelled"
        assert time.monotonic() - cancelled < 1.0
        assert job.done < job.total
    finally:
        queue.shutdown()


def test_the_pool_stays_warm_across_runs_and_gives_compares_numbers(scenario):
    queue = JobQueue(2, warm=scenario)
    try:
        first = queue.submit(scenario, PLANS, 3)
        assert finished(first) == "done"
        workers = set(queue.executor._pool._processes)
        second = queue.submit(scenario, PLANS, 3)
        assert finished(second) == "done"
        assert set(queue.executor._pool._processes) == workers and len(workers) == 2
        server = os.getpriority(os.PRIO_PROCESS, 0)
        for pid in workers:  # the page's polls and figures go first on busy cores
            assert os.getpriority(os.PRIO_PROCESS, pid) >= min(server + WARM_NICENESS, 19)
        reference = compare(scenario, PLANS, 3, executor=SerialExecutor())
        ours = second.comparison()
        assert (
            ours.runs.sort_values(["plan", "replication"])
            .reset_index(drop=True)
            .equals(reference.runs.sort_values(["plan", "replication"]).reset_index(drop=True))
        )
    finally:
        queue.shutdown()
    assert not alive(workers)


def test_a_cancelled_runs_queued_work_is_dropped_and_the_next_run_starts(scenario):
    queue = JobQueue(1, warm=scenario)
    try:
        long = queue.submit(scenario, PLANS, 100)
        while long.done == 0:
            long.seen()
            time.sleep(0.01)
        long.cancel()
        short = queue.submit(scenario, PLANS, 1)
        started = time.monotonic()
        assert finished(short) == "done"
        assert time.monotonic() - started < 30 and long.state == "cancelled"
    finally:
        queue.shutdown()


def test_a_dead_worker_fails_the_run_and_the_next_run_gets_a_new_pool(scenario):
    pool = WarmPool(1, warm_task(scenario))
    queue = JobQueue(1, executor_factory=lambda: pool)
    try:
        assert finished(queue.submit(scenario, PLANS, 2)) == "done"
        job = queue.submit(scenario, PLANS, 50)
        while job.done == 0:
            job.seen()
            time.sleep(0.01)
        for pid in list(pool._pool._processes):
            os.kill(pid, signal.SIGKILL)
        assert finished(job) == "failed" and job.error
        assert finished(queue.submit(scenario, PLANS, 2)) == "done"
    finally:
        queue.shutdown()
