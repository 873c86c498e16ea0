"""The search on the real simulator, small organisations: the command, its files, worker
counts, resuming after a kill, and the recommendation against a brute-force grid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import yaml

from adoption.api import search
from adoption.config import load_scenario
from adoption.experiment.compare import run_design, runs_table
from adoption.experiment.design import design_runs
from adoption.experiment.executors import PoolExecutor, SerialExecutor
from adoption.experiment.sampling import sample_uncertainties
from adoption.experiment.statistics import Target
from adoption.search.objectives import Goal, upper_bounds
from adoption.search.template import Candidate, candidate_plan
from tests.conftest import assert_clean_error

SMALL = ["--set", "organisation.employees=300", "--set", "horizon_days=365"]
"""A small organisation over one year: runs of a fraction of a second."""

NARROW = {
    "pilot_kinds": ["random"],
    "pilot_share_low": 0.05,
    "pilot_share_high": 0.4,
    "gate_day_low": 30,
    "gate_day_high": 90,
    "gate_rules": ["business_case"],
    "gate_confidence_low": 0.9,
    "gate_confidence_high": 0.9,
    "max_pauses_low": 0,
    "max_pauses_high": 0,
    "pause_days_low": 30,
    "pause_days_high": 30,
    "rest_waves_low": 1,
    "rest_waves_high": 1,
    "wave_gap_days_low": 14,
    "wave_gap_days_high": 14,
    "prepare_choices": [False],
    "finalists": 2,
}
"""A template of two free choices (share, gate day), small enough to brute-force."""


def small_scenario(**extra):
    return load_scenario(
        None,
        {
            "organisation.employees": 300,
            "horizon_days": 365,
            **extra,
        },
    )


def test_the_command_writes_every_file_and_a_pasteable_plan(cli, tmp_path):
    out = tmp_path / "search"
    result = cli(
        "search", *SMALL, "--budget", "60", "--worlds", "2", "--workers", "1", "--out", out
    )
    assert result.code == 0, result.err
    assert "runs" in result.out and "recommended" in result.out
    for name in (
        "report.html",
        "leaderboard.csv",
        "best-plan.yaml",
        "trials.csv",
        "gates.csv",
        "convergence.png",
        "slices.png",
        "search.json",
    ):
        assert (out / name).is_file(), name
    assert " USD of NPV)" in (out / "report.html").read_text()  # the tolerance, in money
    pasted = yaml.safe_load((out / "best-plan.yaml").read_text())
    scenario = load_scenario({"plans": pasted["plans"]})
    assert list(scenario.plans) == ["searched-best"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--objective", "median"], "invalid choice: 'median'"),
        (["--require", "abandon<=0.1"], "--require: unknown metric 'abandon'"),
        (["--budget", "5"], "--budget: 5 runs leave 2 for the finalists"),
        (
            ["--set", "search.pilot_share_low=0.5", "--set", "search.pilot_share_high=0.2"],
            "pilot_share_low (0.5) must not exceed pilot_share_high (0.2)",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(cli, tmp_path, arguments, message):
    result = cli("search", *SMALL, *arguments, "--out", tmp_path / "s")
    assert_clean_error(result, message)
    assert not (tmp_path / "s" / "runs").exists()


@pytest.mark.slow
def test_one_and_two_workers_write_the_same_bytes(tmp_path):
    scenario = small_scenario()
    arguments = {"budget": 50, "worlds": 2, "replications": 2}
    search(scenario, **arguments, executor=SerialExecutor(), out=tmp_path / "one")
    search(scenario, **arguments, executor=PoolExecutor(2), out=tmp_path / "two")
    names = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    assert names == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    for name in names:
        if (tmp_path / "one" / name).is_file():
            one = (tmp_path / "one" / name).read_bytes()
            assert one == (tmp_path / "two" / name).read_bytes(), name


@pytest.mark.slow
def test_a_killed_search_resumes_exactly(tmp_path):
    command = [
        sys.executable,
        "-m",
        "adoption",
        "search",
        *SMALL,
        "--budget",
        "50",
        "--worlds",
        "2",
        "--workers",
        "1",
    ]
    whole = subprocess.run(
        [*command, "--out", tmp_path / "whole"], capture_output=True, text=True, timeout=600
    )
    assert whole.returncode == 0, whole.stderr
    killed = subprocess.Popen([*command, "--out", tmp_path / "killed"])
    shards = tmp_path / "killed" / "runs"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(shards.glob("*.parquet"))) < 10:
        time.sleep(0.2)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    stored = len(list(shards.glob("*.parquet")))
    assert 10 <= stored < 50
    resumed = subprocess.run(
        [*command, "--out", tmp_path / "killed"], capture_output=True, text=True, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"reused from {tmp_path / 'killed'}" in resumed.stdout
    for path in sorted((tmp_path / "whole").iterdir()):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "killed" / path.name).read_bytes(), path.name


@pytest.mark.slow
def test_the_recommendation_lies_in_the_brute_force_grids_best_set(tmp_path):
    """A search with a small budget against every plan of a grid over its template (pilot
    share × gate day), all run on the same fresh pairs."""
    scenario = load_scenario(small_scenario().model_dump(mode="json") | {"search": NARROW})
    result = search(scenario, budget=120, worlds=4, replications=2, executor=PoolExecutor(2))
    grid = {
        f"grid-{share:.2f}-{day}": candidate_plan(
            Candidate("random", share, "", day, "business_case", 0.9, 0.0, 0, 0, 1, 0),
            scenario,
        )
        for share in np.round(np.linspace(0.05, 0.4, 5), 2)
        for day in (30, 90)
    }
    plans = {**grid, "recommended": result.best_plan()}
    checked = scenario.model_copy(update={"plans": plans})
    specs = design_runs(list(plans), sample_uncertainties(scenario.uncertainties, 4, 7), 5, 7)
    records, failures, _ = run_design(checked, specs, None, PoolExecutor(2))
    assert not failures
    runs = runs_table([records[spec] for spec in specs])
    goal = Goal("mean", Target.parse("npv>=0"))
    upper = upper_bounds(runs, goal, level=1 - 0.05 / (len(plans) - 1))
    tolerance = scenario.search.tolerance_per_employee * 300
    best = runs.groupby("plan")["npv"].mean().idxmax()
    assert upper.loc["recommended", best] >= -tolerance, (
        runs.groupby("plan")["npv"].mean().sort_values()
    )
