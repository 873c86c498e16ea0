"""`adoption compare` end to end: the table, the files, resume after SIGKILL, errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from adoption.config import load_scenario
from tests.conftest import REPO, assert_clean_error

WORKSHOP = "experiments/scenarios/workshop.yaml"


@pytest.mark.slow
def test_compare_prints_a_ranked_table_and_writes_the_report(cli, tmp_path):
    result = cli(
        "compare",
        WORKSHOP,
        "--replications",
        3,
        "--workers",
        2,
        "--set",
        "horizon_days=90",
        "--target",
        "reach>=0.6",
        "--out",
        tmp_path,
    )
    assert result.code == 0, result.err
    assert "6 plans × 1 sample(s) × 3 replications = 18 runs" in result.out
    assert "chance of missing the target (reach>=0.6)" in result.out
    assert "warning: 3 run(s) per plan are too few to tell plans apart" in result.err
    lines = result.out.splitlines()
    assert lines[1] == "ranked by npv"
    table = lines[3:9]
    assert sorted(line.split()[0] for line in table) == sorted(
        ["big-bang", "pilot-10", "regional-pilot", "phased", "champions", "build-first"]
    )
    assert lines[9].startswith(f"{table[0].split()[0]} leads {table[1].split()[0]} by ")
    assert " USD of NPV on the same seeds" in lines[9]  # money says its currency
    assert lines[2].startswith("plan") and "NPV (USD, 95% CI)" in lines[2]
    assert (tmp_path / "report.html").is_file()
    assert len(list((tmp_path / "runs").glob("*.parquet"))) == 18


@pytest.mark.slow
def test_compare_selected_plans_and_samples(cli, tmp_path):
    scenario = tmp_path / "uncertain.yaml"
    scenario.write_text(
        (REPO / WORKSHOP).read_text() + "horizon_days: 60\nuncertainties:\n"
        "  organisation.resistant_team_share: {distribution: triangular, low: 0, mode: 0.1, "
        "high: 0.4}\n"
    )
    result = cli(
        "compare",
        scenario,
        "--plans",
        "big-bang,phased",
        "--samples",
        3,
        "--replications",
        2,
        "--workers",
        1,
        "--out",
        tmp_path / "out",
    )
    assert result.code == 0, result.err
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    assert len(runs) == 2 * 3 * 2
    assert runs["organisation.resistant_team_share"].nunique() == 3


def test_compare_errors(cli, tmp_path):
    assert_clean_error(cli("compare", "--plans", "big-bang,nope"), "unknown plan(s) nope")
    assert_clean_error(cli("compare", "--replications", 0), "--replications")
    assert_clean_error(cli("compare", "--target", "adoption"), "--target")
    assert_clean_error(
        cli("compare", "--workers", 2, "--scheduler", "tcp://x:1"), "not allowed with"
    )
    assert_clean_error(cli("compare", "--set", "tool.drift=1"), "unknown key 'tool.drift'")


@pytest.mark.slow
def test_compare_unreachable_scheduler_is_a_clean_error(cli):
    assert_clean_error(
        cli("compare", "--scheduler", "tcp://127.0.0.1:9", "--replications", 1),
        "cannot reach a Dask scheduler",
    )


def test_compare_refuses_another_scenario_in_the_same_directory(cli, tmp_path):
    base = (
        "compare",
        WORKSHOP,
        "--replications",
        1,
        "--plans",
        "big-bang",
        "--workers",
        1,
        "--set",
        "horizon_days=30",
        "--out",
        tmp_path,
    )
    assert cli(*base).code == 0
    assert_clean_error(
        cli(*base, "--set", "tool.poc_accuracy=0.9"), "holds results of another comparison"
    )


@pytest.mark.slow
def test_sigkill_in_the_middle_loses_no_finished_run(tmp_path):
    out = tmp_path / "sweep"
    command = [
        sys.executable,
        "-m",
        "adoption",
        "compare",
        WORKSHOP,
        "--replications",
        "12",
        "--workers",
        "1",
        "--set",
        "horizon_days=200",
        "--out",
        str(out),
    ]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    shards = out / "runs"
    deadline = time.monotonic() + 120
    while len(list(shards.glob("*.parquet"))) < 8:
        assert process.poll() is None, "the sweep ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    before = {p.name: p.stat().st_mtime_ns for p in shards.glob("*.parquet")}
    assert not (out / "report.html").exists(), "a killed sweep must not look complete"
    # every shard that exists reads back completely
    for name in before:
        pd.read_parquet(shards / name)
    resumed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"({len(before)} reused from" in resumed.stdout
    after = {p.name: p.stat().st_mtime_ns for p in shards.glob("*.parquet")}
    assert len(after) == 12 * len(load_scenario(WORKSHOP).plans)  # every plan, 12 runs
    assert all(after[name] == stamp for name, stamp in before.items()), "a run was recomputed"
    assert not list(out.rglob("*.partial"))
    assert (out / "report.html").is_file()
