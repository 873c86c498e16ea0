"""The benchmark scripts of docs/performance.md run, on sizes small enough for CI.

They are timed by hand, not here (timed tests are flaky on shared machines); this only
keeps the commands the document gives from rotting.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # the benchmark scripts, end to end


def run_benchmark(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@pytest.mark.parametrize(
    ("script", "arguments", "heading"),
    [
        ("benchmarks/organisation.py", ["2000"], "| 2,000 |"),
        ("benchmarks/engine.py", ["2000"], "| 2,000 |"),
        ("benchmarks/compare.py", ["--replications", "1", "--workers", "1"], "| 5 runs (s) |"),
        (
            "benchmarks/explore.py",
            [
                "--morris",
                "1",
                "--sobol",
                "1",
                "--replications",
                "1",
                "--workers",
                "1",
                "--employees",
                "200",
                "--horizon",
                "60",
            ],
            "| design |",
        ),
        (
            "benchmarks/workshop.py",
            ["--employees", "300", "--replications", "2", "--repeats", "1"],
            "| measure |",
        ),
        (
            "benchmarks/calibrate.py",
            ["--population", "10", "--generations", "2", "--workers", "1"],
            "| workers |",
        ),
    ],
)
def test_benchmark_prints_its_table(script, arguments, heading):
    table = run_benchmark(script, *arguments)
    assert heading in table
    assert table.splitlines()[1].startswith("|---:")
