"""`adoption run` end to end, including its error paths."""

from __future__ import annotations

import json

import pandas as pd

from tests.conftest import assert_clean_error, run_console


def test_run_prints_a_summary(cli):
    result = cli("run", "experiments/scenarios/workshop.yaml", "--plan", "pilot-10", "--seed", 3)
    assert result.code == 0, result.err
    for fragment in (
        "plan pilot-10 / seed 3",
        "adoption at horizon",
        "abandonment",
        "net value",
        "gate day 60",
    ):
        assert fragment in result.out


def test_run_writes_its_files(cli, tmp_path):
    out = tmp_path / "run"
    result = cli("run", "experiments/scenarios/workshop.yaml", "--days", 90, "--out", out)
    assert result.code == 0, result.err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["adoption.png", "events.csv", "metrics.json", "timeseries.csv"]
    metrics = json.loads((out / "metrics.json").read_text())
    series = pd.read_csv(out / "timeseries.csv")
    assert len(series) == 90
    assert metrics["adoption_rate"] == series["active"].iloc[-1] / metrics["headcount"]
    assert (out / "adoption.png").read_bytes()[:4] == b"\x89PNG"


def test_run_errors(cli, tmp_path):
    assert_clean_error(cli("run", "--plan", "nope"), "unknown plan 'nope'", "big-bang")
    assert_clean_error(cli("run", "--set", "tool.poc_accuracy=2"), "tool.poc_accuracy")
    assert_clean_error(cli("run", "--days", 0), "--days")
    assert_clean_error(cli("run", "--seed", "x"), "--seed")
    afile = tmp_path / "file"
    afile.write_text("")
    assert_clean_error(cli("run", "--out", afile), "not a directory")
    assert_clean_error(cli("run", tmp_path / "missing.yaml"), "not found")


def test_run_console_script_has_no_traceback_and_no_partial_output(tmp_path):
    out = tmp_path / "never"
    result = run_console("run", "--set", "organisation.employees=ten", "--out", out)
    assert_clean_error(result, "organisation.employees")
    assert not out.exists()
