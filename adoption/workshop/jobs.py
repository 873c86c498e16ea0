"""Comparisons (and searches, `searches.py`) in the background: progressive, cancellable,
queued.

`compare()` returns only at the end; the workshop needs curves as runs arrive and a
Cancel that returns at once. This module builds on the same pieces compare() uses
(`design_runs`, `RunTask`, the statistics of `adoption.experiment`) and assembles a
`Comparison` from the runs finished so far. One queue per app runs one comparison at
a time on one `WarmPool` of `workers` processes, started with the app and kept warm
across Runs, so however many people have the app open, no more worker processes
start than asked, and a Run does not wait for workers to start.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from adoption.config import Scenario
from adoption.errors import InputError
from adoption.experiment.compare import build_comparison, check_plans
from adoption.experiment.comparison import DEFAULT_RANK_BY, Comparison
from adoption.experiment.design import design_runs
from adoption.experiment.executors import Stop, WarmPool
from adoption.experiment.experiment_design import TARGET, Design
from adoption.experiment.preflight import preflight
from adoption.experiment.runner import RunRecord, RunTask
from adoption.experiment.sampling import comparison_samples
from adoption.experiment.statistics import Target
from adoption.workshop.searches import SearchJob

STALE_S = 20.0
"""A job whose browser has not asked about it for this long is cancelled (tab closed)."""

REFRESH_SHARE = 0.15
"""While a Run goes, the comparison on screen is rebuilt and drawn again for at most
about this share of the server's time, so that drawing does not take the cores its
runs need. A design choice of the workshop, not a model parameter: a rebuild and its
figures take about 0.45 s at 3 plans and 5,000 people on the project's 2-core
machines, so the screen moves about every 3 s instead of at every run (drawn at every
run's arrival, some 5 a second, a Run of 3 plans × 20 took 18.3 s; paced, about 12 s,
the server taking 2.4 s of CPU; `python benchmarks/workshop.py`)."""


def assemble(
    scenario: Scenario,
    plans: list[str],
    baseline: str,
    target: Target,
    replications: int,
    samples: pd.DataFrame,
    finished: list[RunRecord],
    failures: list[RunRecord],
    rank_by: str = DEFAULT_RANK_BY,
) -> Comparison | None:
    """The comparison of the runs finished so far (as compare() builds it at the end),
    or None while the baseline has no run yet."""
    done = {record.spec.plan for record in finished}
    if baseline not in done:
        return None
    shown = [plan for plan in plans if plan in done]
    return build_comparison(
        scenario, shown, baseline, target, replications, samples, finished, failures, rank_by
    )


@dataclass
class Job:
    """One comparison asked for by one browser session."""

    id: int
    scenario: Scenario
    design: Design
    state: str = "queued"  # queued, running, done, cancelled, failed
    error: str | None = None
    done: int = 0
    total: int = 0
    finished: list[RunRecord] = field(default_factory=list)
    failures: list[RunRecord] = field(default_factory=list)
    started_s: float | None = None
    ended_s: float | None = None
    last_seen: float = field(default_factory=time.monotonic)
    cancel_event: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)  # set once it stopped
    on_end: Callable[[], None] | None = None  # called by the queue once it stopped
    _version: int = 0
    _cached: tuple[int, Comparison | None, int] | None = None  # version, comparison, runs
    _refresh_after: float = 0.0  # monotonic time before which a going Run's is kept

    def __post_init__(self) -> None:
        design = self.design
        preflight(self.scenario, design.plan_list, design.target, None, None)
        self.plans = check_plans(self.scenario, design.plan_list)
        if not 1 <= len(self.plans) <= 5:
            raise InputError("choose between 1 and 5 plans")
        uncertainties = self.scenario.uncertainties
        self.samples = comparison_samples(uncertainties, design.samples, design.seed)
        self.specs = design_runs(
            self.plans,
            self.samples,
            design.replications,
            design.seed,
            per_world=design.samples > 1,
        )
        self.total = len(self.specs)
        self.lock = threading.Lock()  # the records
        self._building = threading.Lock()  # the comparison built from them (`shown`)

    @property
    def baseline(self) -> str:
        return self.plans[0]

    def cancel(self) -> None:
        self.cancel_event.set()
        if self.state == "queued":
            self.state = "cancelled"
            self.ended.set()

    def seen(self) -> None:
        self.last_seen = time.monotonic()

    def add(self, record: RunRecord) -> None:
        with self.lock:
            (self.failures if record.failed else self.finished).append(record)
            self.done += 1
            self._version += 1

    def shown(self) -> tuple[Comparison | None, int]:
        """The comparison so far and how many runs (finished or failed) it was built
        from, read together (another thread may build the next one meanwhile). Rebuilt
        when another run has arrived, but while the Run goes not before the work on the
        last one has been paced out (`spent`); the first comparison, and the last once
        the Run has ended, are built at once. One thread builds, and one asking meanwhile
        gets what it built: two building the same comparison side by side (the page's
        poll and the queue's last drawing, as a Run ends) each drew their own."""
        with self._building:
            with self.lock:
                version = self._version
                finished, failures = list(self.finished), list(self.failures)
            cached = self._cached
            if cached is not None and (cached[0] == version or self._paced(cached[1])):
                return cached[1], cached[2]
            started = time.monotonic()
            result = assemble(
                self.scenario,
                self.plans,
                self.baseline,
                self.design.target,
                self.design.replications,
                self.samples,
                finished,
                failures,
            )
            compared = len(finished) + len(failures)
            self._cached = (version, result, compared)
            self.spent(time.monotonic() - started)
            return result, compared

    def comparison(self) -> Comparison | None:
        """The comparison so far (`shown`, without its count of runs)."""
        return self.shown()[0]

    def spent(self, seconds: float) -> None:
        """Count `seconds` of the server's work on the comparison on screen (building
        it, drawing it): a going Run's next comparison waits so that this work takes
        about `REFRESH_SHARE` of the time."""
        wait = seconds * (1.0 / REFRESH_SHARE - 1.0)
        self._refresh_after = max(self._refresh_after, time.monotonic() + wait)

    def _paced(self, shown: Comparison | None) -> bool:
        """Whether the comparison on screen is kept although runs have arrived since."""
        going = self.state == "running" and shown is not None
        return going and time.monotonic() < self._refresh_after

    def status(self) -> dict:
        elapsed = None
        if self.started_s is not None:
            elapsed = (self.ended_s or time.monotonic()) - self.started_s
        return {
            "id": self.id,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "failed": len(self.failures),
            "error": self.error,
            "elapsed_s": elapsed,
            "plans": self.plans,
        }


class Sweeper(Protocol):
    """An executor whose sweep can be stopped between runs (`WarmPool`, `SerialExecutor`)."""

    def map(self, tasks: Iterable[RunTask], stop: Stop | None = None) -> Iterator[RunRecord]: ...


class JobQueue:
    """Runs jobs one after another on one executor, made at start and kept (by default a
    `WarmPool` of `workers` processes, warmed on `warm`'s scenario); a thread feeds it."""

    def __init__(
        self,
        workers: int = 2,
        executor_factory: Callable[[], Sweeper] | None = None,
        warm: Scenario | None = None,
    ) -> None:
        self.workers = workers
        if executor_factory is None:
            task = warm_task(warm) if warm is not None else None
            self.executor: Sweeper = WarmPool(workers, task)
        else:
            self.executor = executor_factory()
        self._ids = itertools.count(1)
        self._queue: queue.Queue[Job | SearchJob | None] = queue.Queue()
        self._closed = threading.Event()
        self.current: Job | SearchJob | None = None
        self._thread = threading.Thread(target=self._loop, name="workshop-jobs", daemon=True)
        self._thread.start()

    def submit(
        self,
        scenario: Scenario,
        plans: list[str],
        replications: int,
        seed: int = 0,
        target: Target | None = None,
    ) -> Job:
        """Queue a comparison of `plans`; `target` is the room's (the CLI's default)."""
        if self._closed.is_set():
            raise InputError("the workshop is shutting down")
        design = Design(plans=plans, replications=replications, seed=seed, target=target or TARGET)
        job = Job(next(self._ids), scenario, design)
        self._queue.put(job)
        return job

    def submit_search(
        self,
        scenario: Scenario,
        budget: int,
        target: Target,
        worlds: int = 8,
        replications: int = 2,
    ) -> SearchJob:
        """Queue a search of the scenario's plan template within `budget` runs."""
        if self._closed.is_set():
            raise InputError("the workshop is shutting down")
        design = Design(samples=worlds, replications=replications, target=target)
        job = SearchJob(next(self._ids), scenario, budget, design)
        self._queue.put(job)
        return job

    def position(self, job: Job | SearchJob) -> int:
        """How many jobs wait before this one."""
        waiting = list(self._queue.queue)
        return waiting.index(job) if job in waiting else 0

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if job.cancel_event.is_set() or self._closed.is_set():
                job.state = "cancelled"
                job.ended.set()
                continue
            self.current = job
            try:
                if isinstance(job, SearchJob):
                    job.run(self.executor, self._closed)
                else:
                    self._run(job)
            finally:
                self.current = None

    def _run(self, job: Job) -> None:
        job.state, job.started_s = "running", time.monotonic()
        payload = job.scenario.model_dump_json()

        def stop() -> bool:
            stale = time.monotonic() - job.last_seen > STALE_S
            return job.cancel_event.is_set() or self._closed.is_set() or stale

        records = self.executor.map(
            (RunTask(payload, spec, regret=True) for spec in job.specs), stop
        )
        try:
            for record in records:
                job.add(record)
            if stop():
                job.state = "cancelled"
                return
            job.state = "done" if job.finished else "failed"
            if not job.finished:
                job.error = job.failures[0].error if job.failures else "no run finished"
        except Exception as exc:
            job.state, job.error = "failed", " ".join(str(exc).split()) or type(exc).__name__
        finally:
            records.close()  # drops the sweep's pending runs; the workers stay warm
            job.ended_s = time.monotonic()
            job.ended.set()
            self._after(job)

    @staticmethod
    def _after(job: Job) -> None:
        """The job's `on_end` (the app draws the final comparison before the page asks
        for it); a failure there is left to the page's next ask, which draws again and
        reports it, and never stops the queue."""
        if job.on_end is None:
            return
        with contextlib.suppress(Exception):
            job.on_end()

    def shutdown(self, timeout_s: float = 15.0) -> None:
        """Cancel everything and stop the workers."""
        self._closed.set()
        if self.current is not None:
            self.current.cancel()
        self._queue.put(None)
        self._thread.join(timeout_s)
        close = getattr(self.executor, "close", None)
        if close is not None:
            close()


def warm_task(scenario: Scenario) -> RunTask:
    """The run a warm pool rehearses: the scenario's first plan, replication 0."""
    plans = check_plans(scenario, None)
    samples = comparison_samples(scenario.uncertainties, 1, 0)
    return RunTask(scenario.model_dump_json(), design_runs(plans[:1], samples, 1, 0)[0])
