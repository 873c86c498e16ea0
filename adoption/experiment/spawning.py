"""Worker processes that start clean and never run the user's script.

A spawned process normally re-runs the parent's main script (as `__mp_main__`) so that
functions defined there can be found; a script that calls `adoption.compare(...)` at
its top level, without an ``if __name__ == "__main__":`` guard, then starts a sweep in
every worker, and the pool breaks. The package's workers need nothing from the user's
script — tasks are the package's own functions and data — so they are launched with
the main module hidden from them, as a notebook's are: scripts work with or without
the guard.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.context import SpawnContext, SpawnProcess


@contextmanager
def main_hidden() -> Iterator[None]:
    """While launching a process: `__main__` is a bare module with no file or name to
    re-run (as in an interactive session)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is None:
            del sys.modules["__main__"]
        else:
            sys.modules["__main__"] = main


class LibraryProcess(SpawnProcess):
    """A spawned process that does not re-run the parent's main script."""

    @staticmethod
    def _Popen(process_obj):
        with main_hidden():
            return SpawnProcess._Popen(process_obj)


class LibraryContext(SpawnContext):
    """The spawn start method, with workers that do not re-run the main script."""

    Process = LibraryProcess


SPAWN = LibraryContext()
"""The context every pool of the package starts its workers with."""
