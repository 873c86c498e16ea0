"""The scripts in experiments/ run as documented (on small settings)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # the experiment scripts, end to end


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )


def test_compare_rollouts(tmp_path):
    result = run_script(
        "experiments/compare_rollouts.py",
        "--replications",
        "2",
        "--workers",
        "2",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "== large-gap" in result.stdout and "== small-gap" in result.stdout
    assert (tmp_path / "large-gap" / "report.html").is_file()
    assert (tmp_path / "small-gap" / "report.html").is_file()


def test_validate(tmp_path):
    result = run_script("experiments/validate.py", "--watts-runs", "1", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "thresholds 0..99 -> 100 riot; second raised to 2 -> 1 riots" in result.stdout
    assert "analytic window 1.02 < z < 5.77" in result.stdout
    for name in ("bass", "watts", "sir", "seeding"):
        assert (tmp_path / f"validation-{name}.png").stat().st_size > 10_000


def test_calibrate_pilot(tmp_path):
    result = run_script(
        "experiments/calibrate_pilot.py",
        "--population", "20", "--generations", "2", "--samples", "2",
        "--replications", "1", "--workers", "1", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "== posterior (truth in brackets)" in result.stdout
    assert "recommendation: " in result.stdout
    assert (tmp_path / "calibration" / "calibrated.yaml").is_file()
    assert (tmp_path / "forecast" / "report.html").is_file()


def test_pilot_telemetry_is_what_its_script_makes(tmp_path):
    committed = (REPO / "experiments" / "pilot" / "telemetry.csv").read_text()
    result = run_script("experiments/pilot/make_telemetry.py", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "telemetry.csv").read_text() == committed


def test_people_figures():
    result = run_script("experiments/people.py", "--people", "300", "--seeds", "2")
    assert result.returncode == 0, result.stderr
    for heading in ("== who tries within a year", "== why people left", "== levers"):
        assert heading in result.stdout
    assert "removing accuracy (a perfect tool): drop" in result.stdout
    assert "median first trial (day): innovators" in result.stdout
    assert "active, by the manager's stance at the year (cross-sectional)" in result.stdout
    assert "active, by the manager's stance before the rollout (causal)" in result.stdout


def test_trust_figures():
    result = run_script("experiments/trust.py", "--people", "300", "--seeds", "2")
    assert result.returncode == 0, result.stderr
    assert "== first impressions (300 people, 2 seeds" in result.stdout
    assert "exposed at its worst minus after the fixes, trust off: " in result.stdout
    assert "what trust adds to the gap: " in result.stdout


def test_what_decides_the_plan():
    """docs/validation.md's table of what decides the plan, on a small world: a row per
    value, each naming a winner, a runner-up and their paired gap with its interval."""
    result = run_script(
        "experiments/what_decides.py",
        "--replications",
        "2",
        "--employees",
        "200",
        "--workers",
        "1",
        "--only",
        "horizon",
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| horizon |")]
    assert [row.split("|")[2].strip() for row in rows] == ["1 year(s)", "2 year(s)", "3 year(s)"]
    for row in rows:
        assert " M [" in row
