"""A change anywhere in the engine reaches every compiled function that uses it.

numba stamps each cached function with its own source file only, so a function that
inlines another module's function (or freezes its constant) kept the old code when
only that other module changed: a run mixed old and new code and gave wrong numbers
without an error. `adoption.engine.compiled_cache` stamps the engine's functions with
a digest of the whole folder instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adoption.engine import acceptance, people_step
from adoption.engine.compiled_cache import ENGINE, folder_digest

CALLER = """
from numba import njit
from kernels.constant import value

@njit(cache=True)
def caller():
    return value()
"""
CALLEE = """
from numba import njit
CONSTANT = {constant}

@njit(cache=True)
def value():
    return CONSTANT
"""
STAMPED = """
from pathlib import Path
from adoption.engine.compiled_cache import stamp_with_folder
stamp_with_folder(Path(__file__).resolve().parent)
"""


def _package(root: Path, stamped: bool) -> Path:
    folder = root / "kernels"
    folder.mkdir()
    (folder / "__init__.py").write_text(STAMPED if stamped else "")
    (folder / "calling.py").write_text(CALLER)
    (folder / "constant.py").write_text(CALLEE.format(constant=1))
    return folder


def _call(root: Path, cache: Path | None) -> tuple[int, int]:
    """The caller's value in a fresh process, and how many of its loads came from the
    cache; `cache` is NUMBA_CACHE_DIR (None: the package's own __pycache__)."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *sys.path])}
    environment.pop("NUMBA_CACHE_DIR", None)
    if cache is not None:
        environment["NUMBA_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kernels.calling import caller; value = caller(); "
            "print(value, sum(caller.stats.cache_hits.values()))",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    value, hits = done.stdout.split()
    return int(value), int(hits)


def _changed_callee_gives(root: Path, stamped: bool, cache: Path | None = None) -> int:
    """Compile and cache the caller, load it again unchanged (from the cache), change
    only the callee's module, and call again."""
    folder = _package(root, stamped)
    assert _call(root, cache) == (1, 0)
    assert list((cache or folder).rglob("calling.caller*.nbi")), "nothing was cached"
    assert _call(root, cache) == (1, 1), "an unchanged package was not loaded from the cache"
    (folder / "constant.py").write_text(CALLEE.format(constant=2))
    return _call(root, cache)[0]


def test_a_change_to_a_callees_module_reaches_its_cached_caller(tmp_path):
    unstamped, stamped, elsewhere = tmp_path / "numba", tmp_path / "stamped", tmp_path / "user"
    for root in (unstamped, stamped, elsewhere):
        root.mkdir()
    if _changed_callee_gives(unstamped, stamped=False) == 2:
        pytest.skip("numba itself now invalidates a cache when a callee's module changes")
    # numba alone kept the old callee inside the cached caller (above); stamped, not:
    # cached beside the package, and in a folder of the user's (NUMBA_CACHE_DIR, where
    # a read-only installation's cache goes)
    assert _changed_callee_gives(stamped, stamped=True) == 2
    assert _changed_callee_gives(elsewhere, stamped=True, cache=tmp_path / "cache") == 2


def test_the_engines_functions_are_cached_under_the_whole_engines_digest():
    for function in (acceptance.decide, people_step.after_uses, people_step.close_step):
        assert type(function._cache._impl.locator).__name__.startswith("FolderStamped")
        # what numba compares with the stamp in a cached index
        _, digest = function._cache._cache_file._source_stamp
        assert digest == folder_digest(ENGINE)


def test_the_digest_moves_with_any_file_of_the_folder(tmp_path):
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("X = 1\n")
    before = folder_digest(tmp_path)
    assert folder_digest(tmp_path) == before
    (tmp_path / ".#a.py").symlink_to(tmp_path / "gone")  # an editor's lock: dangling
    assert folder_digest(tmp_path) == before
    (tmp_path / "b.py").write_text("X = 22\n")
    assert folder_digest(tmp_path) != before


def test_every_compiled_function_of_the_package_is_in_the_engine():
    """The stamp covers the engine's folder: a compiled function elsewhere (or one the
    engine's inline from elsewhere) would be cached by numba's own stamp again."""
    import importlib
    import pkgutil

    from numba.core.dispatcher import Dispatcher

    import adoption

    compiled = []
    for module in pkgutil.walk_packages(adoption.__path__, "adoption."):
        if module.name.endswith("__main__"):  # runs the command
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Dispatcher):
                compiled.append(Path(value.py_func.__code__.co_filename).resolve())
    assert compiled and all(path.parent == ENGINE for path in compiled)
