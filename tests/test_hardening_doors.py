"""Issue 23: the new doors (CLI edges, telemetry, a posterior) refuse hostile input in
one `adoption: error:` line with exit 2, never a traceback or a partial result."""

from __future__ import annotations

import resource
import subprocess
import sys
import time

from tests.conftest import assert_clean_error

MEMORY_LIMIT = 1_500_000_000
"""Address space a refused file must be refused within (bytes)."""


def size_bomb() -> str:
    """A file under 1 MB: one 500 KB string aliased 99,000 times (about 50 GB expanded)."""
    values = ", ".join(["*a"] * 99_000)
    return (
        f"description: &a {'x' * 500_000}\nuncertainties:\n  tool.production_accuracy:\n"
        f"    distribution: choice\n    values: [{values}]\n"
    )


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_a_string_aliased_into_gigabytes_is_refused_at_once_in_little_memory(tmp_path):
    path = tmp_path / "size.yaml"
    path.write_text(size_bomb())
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "adoption", "scenario", "show", str(path)],
        capture_output=True,
        text=True,
        preexec_fn=_limit_memory,
        timeout=120,
    )
    assert_clean_error(result, "size.yaml", "characters of text")
    assert time.monotonic() - started < 30
