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


def _call(root: Path) -> int:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *sys.path])}
    environment.pop("NUMBA_CACHE_DIR", None)  # in the package's own __pycache__
    done = subprocess.run(
        [sys.executable, "-c", "from kernels.calling import caller; print(caller())"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return int(done.stdout)


def _changed_callee_gives(root: Path, stamped: bool) -> int:
    """Compile and cache the caller, change only the callee's module, call again."""
    folder = _package(root, stamped)
    assert _call(root) == 1
    assert list((folder / "__pycache__").glob("calling.caller*.nbi")), "nothing was cached"
    (folder / "constant.py").write_text(CALLEE.format(constant=2))
    return _call(root)


def test_a_change_to_a_callees_module_reaches_its_cached_caller(tmp_path):
    unstamped, stamped = tmp_path / "numba", tmp_path / "stamped"
    unstamped.mkdir()
    stamped.mkdir()
    if _changed_callee_gives(unstamped, stamped=False) == 2:
        pytest.skip("numba itself now invalidates a cache when a callee's module changes")
    # numba alone kept the old callee inside the cached caller (above); stamped, not
    assert _changed_callee_gives(stamped, stamped=True) == 2


def test_the_engines_functions_are_stamped_with_the_whole_engine():
    for function in (acceptance.decide, people_step.after_uses, people_step.close_step):
        locator = function._cache._impl.locator
        assert type(locator).__name__.startswith("FolderStamped")
        assert locator.get_source_stamp() == folder_digest(ENGINE)


def test_the_digest_moves_with_any_file_of_the_folder(tmp_path):
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("X = 1\n")
    before = folder_digest(tmp_path)
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
