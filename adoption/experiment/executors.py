"""Where runs execute: in this process, a local process pool, or a Dask cluster.

Every executor maps `execute` over tasks and yields records as they finish; the
numbers never depend on the executor, because each run's seed is fixed by the design.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Protocol

from adoption.errors import InputError
from adoption.experiment.runner import RunRecord, RunTask, execute


class Executor(Protocol):
    """Runs tasks and yields their records in completion order."""

    workers: int

    def map(self, tasks: Iterable[RunTask]) -> Iterator[RunRecord]: ...


class SerialExecutor:
    """In this process, one run after another (debugging, notebooks, tests)."""

    workers = 1

    def map(self, tasks: Iterable[RunTask]) -> Iterator[RunRecord]:
        for task in tasks:
            yield execute(task)


class PoolExecutor:
    """A local pool of worker processes (the default: one per core).

    Workers are spawned, not forked, so they start clean whatever threads the parent
    runs (a progress bar, a notebook kernel). At most two tasks per worker are in
    flight, so an interrupted sweep has little work lost in the pipe.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1

    def map(self, tasks: Iterable[RunTask]) -> Iterator[RunRecord]:
        pending = iter(tasks)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            running = set()
            for task in pending:
                running.add(pool.submit(execute, task))
                if len(running) >= 2 * self.workers:
                    break
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                    task = next(pending, None)
                    if task is not None:
                        running.add(pool.submit(execute, task))


class DaskExecutor:
    """A Dask distributed cluster, at `address` (tcp://host:port)."""

    def __init__(self, address: str, connect_timeout_s: float = 10.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise InputError(
                "--scheduler needs dask.distributed: pip install 'adoption[cluster]'"
            ) from None
        if ":" not in address:
            raise InputError(
                f"--scheduler: '{address}' is not a scheduler address (expected tcp://host:port)"
            )
        try:
            self.client = Client(address, timeout=f"{connect_timeout_s}s")
        except (OSError, ValueError, TypeError) as exc:
            raise InputError(
                f"--scheduler: cannot reach a Dask scheduler at {address} ({exc})"
            ) from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def map(self, tasks: Iterable[RunTask]) -> Iterator[RunRecord]:
        from distributed import as_completed

        futures = self.client.map(execute, list(tasks), pure=False)
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        self.client.close()
