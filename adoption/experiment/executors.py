"""Where runs execute: in this process, a local process pool, or a Dask cluster.

Every executor maps `execute` over tasks and yields records as they finish; the
numbers never depend on the executor, because each run's seed is fixed by the design.
`map(tasks, function=...)` maps another picklable function instead (the calibration's
pilot simulations), and `ordered_map` gives its results in the items' order.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, Protocol

from adoption.arguments import whole_number
from adoption.errors import InputError
from adoption.experiment.runner import RunRecord, RunStopped, RunTask, execute, warm_up
from adoption.experiment.spawning import SPAWN


class Executor(Protocol):
    """Runs tasks and yields their records in completion order."""

    workers: int

    def map(
        self, tasks: Iterable[Any], *, function: Callable[[Any], Any] = execute
    ) -> Iterator[Any]: ...


def _numbered(function: Callable[[Any], Any], chunk: list[tuple[int, Any]]) -> list:
    return [(index, function(item)) for index, item in chunk]


def ordered_map(executor: Executor, function: Callable[[Any], Any], items: Iterable[Any]) -> list:
    """`function` over `items` on `executor`, the results in the items' order (whatever
    order the workers finish in). Items travel in chunks, about four per worker, so a
    short function is not swamped by sending it to a worker one item at a time."""
    numbered = list(enumerate(items))
    size = max(1, len(numbered) // (4 * max(1, executor.workers)))
    chunks = [numbered[start : start + size] for start in range(0, len(numbered), size)]
    results = executor.map(chunks, function=partial(_numbered, function))
    return [result for _, result in sorted(itertools.chain(*results), key=lambda pair: pair[0])]


Stop = Callable[[], bool]
"""Asked between runs (and while waiting for one): True ends a sweep early."""


class SerialExecutor:
    """In this process, one run after another (debugging, notebooks, tests)."""

    workers = 1

    def map(
        self,
        tasks: Iterable[Any],
        stop: Stop | None = None,
        *,
        function: Callable[[Any], Any] = execute,
    ) -> Iterator[Any]:
        for task in tasks:
            if stop is not None and stop():
                return
            yield function(task)


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


def _spawn_pool(workers: int, initializer: Callable = start_worker, *extra: Any):
    """A pool of `workers` spawned processes that leave Ctrl-C to the parent and exit
    when it dies."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=SPAWN,
        initializer=initializer,
        initargs=(os.getpid(), *extra),
    )


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

    Each `map` starts and ends its own processes; inside `with executor:` every `map`
    uses the same ones (a calibration's many small batches).
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = whole_number(workers, "workers", 1) if workers else os.cpu_count() or 1
        self._held: ProcessPoolExecutor | None = None

    def __enter__(self) -> PoolExecutor:
        self._held = self._held or _spawn_pool(self.workers)
        return self

    def __exit__(self, kind, value, traceback) -> None:
        pool, self._held = self._held, None
        if pool is not None:
            if kind is None:
                pool.shutdown()
            else:
                _stop(pool)

    def map(
        self, tasks: Iterable[Any], *, function: Callable[[Any], Any] = execute
    ) -> Iterator[Any]:
        if self._held is not None:
            yield from self._run(self._held, iter(tasks), function)
            return
        with _spawn_pool(self.workers) as pool:
            yield from self._run(pool, iter(tasks), function)

    def _run(
        self, pool: ProcessPoolExecutor, pending: Iterator[Any], function: Callable[[Any], Any]
    ) -> Iterator[Any]:
        try:
            running = set()
            for task in pending:
                running.add(pool.submit(function, task))
                if len(running) >= 2 * self.workers:
                    break
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                    task = next(pending, None)
                    if task is not None:
                        running.add(pool.submit(function, task))
        except BaseException:  # KeyboardInterrupt, GeneratorExit, a broken pool
            _stop(pool)
            raise


WAIT_S = 0.1
"""How often a warm pool's sweep looks at its stop flag while runs are in flight."""
_SWEEP: Any = None
"""In a warm pool's worker: the shared number of the sweep the pool now serves."""


WARM_NICENESS = 5
"""How much lower a warm pool's workers run than the server: the room's page (polls,
figures) goes first when the cores are busy, and the runs take what is left."""


def start_warm_worker(parent: int, sweep: Any) -> None:
    """Warm pool initializer: `start_worker`, the shared sweep number kept, and a lower
    priority than the server's."""
    global _SWEEP
    _SWEEP = sweep
    start_worker(parent)
    with contextlib.suppress(OSError):
        os.nice(WARM_NICENESS)


def execute_in_sweep(task: RunTask, sweep: int) -> RunRecord | None:
    """Run `task` unless its sweep was stopped while it waited, or is stopped while it
    runs (each step looks): then None, and the worker is free for the next sweep at
    once (a Cancel's partial results are drawn on a machine the runs no longer share)."""
    if _SWEEP is None:
        return execute(task)

    def look(step: int) -> None:
        if _SWEEP.value != sweep:
            raise RunStopped

    try:
        look(0)  # stopped while the task waited
        return execute(task, look)
    except RunStopped:
        return None


class WarmPool:
    """Worker processes kept across sweeps: the workshop's Runs start on warm workers.

    Started (and warmed: imports, compiled kernels, the organisation built) once;
    each `map` is a sweep on the same `workers` processes. Stopping a sweep (`stop`
    returns True) returns within `WAIT_S`: pending runs are dropped, runs queued in a
    worker are skipped when it reaches them, and runs already going are abandoned at
    their next step (`execute_in_sweep`).
    `close` stops the processes; a pool broken by a dead worker is replaced at the
    next sweep. The records are those of `PoolExecutor`: same tasks, same numbers.
    """

    def __init__(self, workers: int | None = None, warm: RunTask | None = None) -> None:
        self.workers = whole_number(workers, "workers", 1) if workers else os.cpu_count() or 1
        self._sweep = SPAWN.Value("q", 0, lock=False)
        self._sweeps = itertools.count(1)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.warm = warm
        self.start()

    def start(self) -> ProcessPoolExecutor:
        """The pool, started and sent one warm-up per worker if not already running."""
        with self._lock:
            if self._pool is None:
                self._pool = _spawn_pool(self.workers, start_warm_worker, self._sweep)
                for _ in range(self.workers):
                    self._pool.submit(warm_up, self.warm)
            return self._pool

    def map(self, tasks: Iterable[RunTask], stop: Stop | None = None) -> Iterator[RunRecord]:
        sweep = next(self._sweeps)
        self._sweep.value = sweep
        pool = self.start()
        pending = iter(tasks)
        running: set = set()

        def submit() -> None:
            task = next(pending, None)
            if task is not None:
                running.add(pool.submit(execute_in_sweep, task, sweep))

        try:
            for _ in range(2 * self.workers):
                submit()
            while running:
                done, running = wait(running, timeout=WAIT_S, return_when=FIRST_COMPLETED)
                if stop is not None and stop():
                    return
                for future in done:
                    record = future.result()
                    if record is not None:
                        yield record
                    submit()
        except BrokenProcessPool:
            self.close()  # a worker died (out of memory, killed): the next sweep starts anew
            raise
        finally:
            if self._sweep.value == sweep:
                self._sweep.value = 0  # what this sweep queued in the workers is skipped
            for future in running:
                future.cancel()

    def close(self) -> None:
        """Stop the worker processes now."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            _stop(pool)


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

    def map(
        self, tasks: Iterable[Any], *, function: Callable[[Any], Any] = execute
    ) -> Iterator[Any]:
        from distributed import as_completed

        futures = self.client.map(function, list(tasks), pure=False)
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        self.client.close()
