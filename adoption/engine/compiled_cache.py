"""numba's on-disk cache, made to notice a change anywhere in the engine.

numba keeps each compiled function under a stamp of its own source file and reuses it
while that file is unchanged. The engine's compiled functions inline one another
across modules (the fused step calls the decisions, which call the tie sums) and
freeze the module constants they read (the states, days per year), so a function
whose own file is unchanged can hold another file's old code: after an edit, a
`git pull` or an upgrade that left the old cache behind, a run would mix old and new
code and give wrong numbers without any error (numba's known limitation; it happened
here when a field of the step's record was renamed). The engine's functions are
therefore stamped with a digest of every source file of the engine, besides numba's
own stamp: any change to any of them recompiles them all, once.
"""

from __future__ import annotations

import hashlib
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from numba.core import caching, config

CACHE_IMPLEMENTATION = getattr(caching, "CacheImpl", None) or caching._CacheImpl
"""numba's class that chooses a function's cache locator (named `_CacheImpl` before 0.68)."""

ENGINE = Path(__file__).resolve().parent
"""The folder whose compiled functions share one stamp (every compiled function of
the package lives here)."""


def folder_digest(folder: Path) -> str:
    """A digest of the names and contents of the Python source files in `folder` (read
    again whenever a file's time or size moved, as numba does for one file). Hidden
    names are left out: an editor's lock file (`.#name.py`) may be a dangling link."""
    files = sorted(
        path for path in folder.glob("*.py") if not path.name.startswith(".") and path.is_file()
    )
    return _digest(tuple((path, *_time_and_size(path)) for path in files))


def _time_and_size(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=16)
def _digest(files: tuple[tuple[Path, int, int], ...]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path, _, _ in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_stamped(locator: type, folder: Path) -> type:
    """`locator` (one of numba's cache locators), restricted to functions defined in
    `folder`, stamping them with the folder's digest besides numba's own stamp (which
    alone covers code numba reads from elsewhere than the folder: a zip, a frozen
    build)."""

    class FolderStamped(locator):
        stamps = folder

        @classmethod
        def from_function(cls, py_func: Any, py_file: str) -> Any:
            if Path(py_file).resolve().parent != folder:
                return None
            return super().from_function(py_func, py_file)

        def get_source_stamp(self) -> tuple[Any, str]:
            return super().get_source_stamp(), folder_digest(folder)

    FolderStamped.__name__ = FolderStamped.__qualname__ = f"FolderStamped{locator.__name__}"
    return FolderStamped


def stamp_with_folder(folder: Path) -> None:
    """Cache the compiled functions defined in `folder` under the folder's digest:
    numba's locators, each restricted to the folder, go first (once per process).
    `NUMBA_CACHE_LOCATOR_CLASSES` replaces numba's list, these included: warned."""
    classes = CACHE_IMPLEMENTATION._locator_classes
    if any(getattr(cls, "stamps", None) == folder for cls in classes):
        return
    if getattr(config, "CACHE_LOCATOR_CLASSES", None):
        warnings.warn(
            "NUMBA_CACHE_LOCATOR_CLASSES is set: the engine's compiled functions are cached "
            "by numba's own stamp, which misses a change to another engine module (clear "
            f"the cache of {folder} after any change to it)",
            stacklevel=2,
        )
    stamped = [folder_stamped(locator, folder) for locator in classes]
    CACHE_IMPLEMENTATION._locator_classes = [*stamped, *classes]
