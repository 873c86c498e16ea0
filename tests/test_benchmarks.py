"""The benchmark scripts of docs/performance.md run, on sizes small enough for CI.

They are timed by hand, not here (timed tests are flaky on shared machines); this only
keeps the commands the document gives from rotting.
"""

from __future__ import annotations

import json
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
        ("benchmarks/default_run.py", ["--seeds", "1", "--repeats", "1"], "| one run, CPU (s) |"),
        (
            "benchmarks/default_run.py",
            ["--seeds", "1", "--repeats", "1", "--processes", "2"],
            "in each of 2 processes: median (range)",
        ),
        ("benchmarks/first_run.py", ["--rounds", "1"], "| first run, compiling (s) |"),
        ("benchmarks/compare.py", ["--replications", "1", "--workers", "1"], "| 5 runs (s) |"),
        (
            "benchmarks/compare.py",
            ["--replications", "1", "--workers", "1", "--without-counterfactuals"],
            "| 5 runs, no counterfactuals (s) |",
        ),
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
            "benchmarks/search.py",
            ["--budget", "40", "--employees", "200", "--worlds", "2", "--workers", "1"],
            "| workers |",
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


def test_fingerprint_names_every_hash_that_moved(tmp_path):
    """The check a speed change must pass: a saved fingerprint checks clean against the
    same code, and a hash that moved is named and fails the check."""
    saved = tmp_path / "before.json"
    small = ("--employees", "300")
    run_benchmark("benchmarks/fingerprint.py", "--save", str(saved), *small)
    prints = json.loads(saved.read_text())
    assert len(prints) > 100  # every plan × 3 seeds × (metrics, columns, events, people)
    # and runs that end in a withdrawal: forced counterfactuals, and a gate's own stop
    for variant in ("first-gate-stop", "first-gate-proceed", "stopped-by-its-gate"):
        assert f"pilot-10+{variant}/2/events" in prints
    checked = run_benchmark("benchmarks/fingerprint.py", "--check", str(saved), *small)
    assert f"{len(prints)} of {len(prints)} hashes unchanged" in checked
    prints["pilot-10/1/series/active"] = "0" * 16
    saved.write_text(json.dumps(prints))
    completed = subprocess.run(
        [sys.executable, "benchmarks/fingerprint.py", "--check", str(saved), *small],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 1
    assert "moved: pilot-10/1/series/active" in completed.stdout


def test_distributions_pass_the_same_code_and_name_a_metric_that_moved(tmp_path):
    """The check a change of random stream must pass: the same code agrees with itself,
    and a metric whose mean moved by many standard errors is named and fails."""
    saved = tmp_path / "before.json"
    small = ("--employees", "200", "--seeds", "3")
    run_benchmark("benchmarks/distributions.py", "--save", str(saved), *small)
    checked = run_benchmark("benchmarks/distributions.py", "--check", str(saved), *small)
    assert "100% within one standard error" in checked
    values = json.loads(saved.read_text())
    values["big-bang"]["adoption_rate"] = [v + 0.5 for v in values["big-bang"]["adoption_rate"]]
    saved.write_text(json.dumps(values))
    completed = subprocess.run(
        [sys.executable, "benchmarks/distributions.py", "--check", str(saved), *small],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 1
    assert "big-bang adoption_rate: |z|" in completed.stdout


def test_interleave_runs_each_side_in_its_own_tree():
    """The comparison of a revision with the working tree: each side's command imports
    that side's package (here, 1 when the package imported is the tree the command runs
    in), and every numeric column is compared."""
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True).returncode:
        pytest.skip("not a git checkout: nothing to compare with")
    probe = (
        "import pathlib, adoption; "
        "root = pathlib.Path(adoption.__file__).resolve().parents[1]; "
        "own = root == pathlib.Path.cwd().resolve(); "
        "print('| own tree | runs |'); print('|---:|---:|'); print(f'| {int(own)} | 5 |')"
    )
    table = run_benchmark(
        "benchmarks/interleave.py", "HEAD", "--rounds", "1", "--", sys.executable, "-c", probe
    )
    assert "| own tree | 1 (1-1) | 1 (1-1) | +0.0% |" in table
    assert "| runs | 5 (5-5) | 5 (5-5) | +0.0% |" in table
