"""Where runs execute: in this process, a local process pool, or a Dask cluster.

Every executor maps `execute` over tasks and yields records as they finish; the
numbers never depend on the executor, because each run's seed is fixed by the design.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Protocol

from adoption.arguments import whole_number
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


PARENT_POLL_S = 0.5
"""How often a worker checks that the process that started it is still alive."""


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:  # re-parented: the sweep is gone (SIGKILL, a crash)
            os._exit(1)
        time.sleep(PARENT_POLL_S)


def start_worker(parent: int) -> None:
    """Pool initializer: leave Ctrl-C to the parent (which stops the pool), and exit
    within a second of the parent's death, however it died."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now, running tasks included (an interrupt, an error)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()


class PoolExecutor:
    """A local pool of worker processes (the default: one per core).

    Workers are spawned, not forked, so they start clean whatever threads the parent
    runs (a progress bar, a notebook kernel). At most two tasks per worker are in
    flight, so an interrupted sweep has little work lost in the pipe. An interrupt
    (Ctrl-C, SIGTERM) or an error stops the workers at once; a worker whose parent
    died (SIGKILL) notices within a second and exits.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = whole_number(workers, "workers", 1) if workers else os.cpu_count() or 1

    def map(self, tasks: Iterable[RunTask]) -> Iterator[RunRecord]:
        pending = iter(tasks)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=start_worker,
            initargs=(os.getpid(),),
        ) as pool:
            try:
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
            except BaseException:  # KeyboardInterrupt, GeneratorExit, a broken pool
                _stop(pool)
                raise


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
