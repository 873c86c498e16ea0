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


def test_run_a_classic_model_from_a_file_with_a_relative_edge_list(cli, tmp_path):
    (tmp_path / "ties.csv").write_text("source,target\na,b\nb,c\nc,d\nd,a\na,c\n")
    scenario = tmp_path / "classic.yaml"
    scenario.write_text(
        "network: {kind: edge_list, path: ties.csv}\n"
        "behaviour: {rule: threshold, phi: 0.5}\n"
        "initial_adopters: {ids: [0]}\nhorizon_days: 10\n"
    )
    result = cli("run", scenario)
    assert result.code == 0, result.err
    assert "plan threshold" in result.out and "4 people" in result.out
    assert "adoption at horizon    100.0%" in result.out
    (tmp_path / "bad.yaml").write_text("network: {kind: edge_list, path: missing.csv}\n")
    assert_clean_error(cli("run", tmp_path / "bad.yaml"), "missing.csv", "not found")
    assert_clean_error(cli("run", "--set", "network.kind=complete"), "needs n")
