"""Telemetry in: partial telemetry is used; bad telemetry is one message naming the row,
exit 2, and nothing written."""

from __future__ import annotations

import pandas as pd
import pytest

from adoption.calibration import read_telemetry
from adoption.config import load_scenario
from adoption.organisation import organisation_for
from tests.conftest import assert_clean_error

FIT = "behaviour.try_per_year"


def _write(tmp_path, text: str):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


@pytest.fixture
def organisation(tiny_scenario):
    return organisation_for(load_scenario(tiny_scenario))


def test_weekly_partial_telemetry_per_region_is_read(organisation, tmp_path):
    path = _write(tmp_path, "week,region,active\n1,North,3\n1,South,\n2,North,9\n2,South,0\n")
    telemetry = read_telemetry(path, organisation)
    assert telemetry.kind == "region"
    assert telemetry.period_days == 7
    assert telemetry.days == 14
    assert telemetry.measures == ["active"]
    assert telemetry.aggregated()["active"].tolist() == [3.0, 9.0]


def test_dated_rows_and_parquet(organisation, tmp_path):
    frame = pd.DataFrame(
        {"date": ["2026-03-08", "2026-03-15"], "with_access": [60, 60], "active": [5, 12]}
    )
    path = tmp_path / "pilot.parquet"
    frame.to_parquet(path)
    telemetry = read_telemetry(path, organisation)
    assert telemetry.kind == "organisation"
    assert telemetry.frame["day"].tolist() == [6, 13]
    dated = read_telemetry(path, organisation, start="2026-02-23")
    assert dated.frame["day"].tolist() == [13, 20]


def test_per_person_rows_are_summed(organisation, tmp_path):
    ids = [str(e) for e in organisation.employee_id[:2]]
    text = "day,employee_id,with_access,active\n"
    text += f"0,{ids[0]},1,1\n0,{ids[1]},1,0\n1,{ids[0]},1,1\n1,{ids[1]},1,1\n"
    telemetry = read_telemetry(_write(tmp_path, text), organisation)
    assert telemetry.aggregated()["active"].tolist() == [1.0, 2.0]


BAD = [
    ("week,region,active\n1,Atlantis,3\n", "row 2: unknown region 'Atlantis'"),
    ("week,region,active\n2,North,3\n1,North,4\n", "row 3: North: day 6 comes before"),
    ("week,region,active\n1,North,3\n1,North,4\n", "row 3: North: day 6 repeats"),
    ("week,region,active\n1,North,-3\n", "row 2: active is negative"),
    (
        "week,region,with_access,active\n1,North,5,9\n",
        "row 2: more active users (9) than people with access (5)",
    ),
    ("week,region,active\n1,North,3\n2,North,4\n4,North,5\n", "row 4: North: a gap before day 27"),
    ("week,region,active\n1,North,many\n", "row 2: active 'many' is not a number"),
    ("week,region,mood\n1,North,3\n", "unknown column(s) mood"),
    ("region,active\nNorth,3\n", "needs exactly one time column"),
    ("week,region\n1,North\n", "records no measure"),
    ("date,active\n2026-13-45,3\n", "row 2: date '2026-13-45' is not an ISO date"),
    ("week,accuracy\n1,1.5\n", "row 2: accuracy 1.5 is not a share"),
    ("day,active\n40000,3\n", "the pilot's telemetry covers days: expected 1 to"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_telemetry_is_one_message_exit_2_and_nothing_written(
    cli, tiny_scenario, tmp_path, text, message
):
    out = tmp_path / "out"
    result = cli(
        "calibrate", tiny_scenario, "--telemetry", _write(tmp_path, text), "--fit", FIT,
        "--out", out,
    )  # fmt: skip
    assert_clean_error(result, message)
    assert len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_fitted_field_needs_a_prior(cli, tiny_scenario, tiny_telemetry, tmp_path):
    out = tmp_path / "out"
    result = cli(
        "calibrate", tiny_scenario, "--telemetry", tiny_telemetry,
        "--fit", "behaviour.lapse_per_year", "--out", out,
    )  # fmt: skip
    assert_clean_error(result, "--fit behaviour.lapse_per_year: the scenario has no prior")
    result = cli(
        "calibrate", tiny_scenario, "--telemetry", tiny_telemetry,
        "--fit", "tool.poc_accuracy", "--out", out,
    )  # fmt: skip
    assert_clean_error(result, "a 'choice' prior cannot be fitted")
    assert not out.exists()


def test_missing_file_and_unknown_plan(cli, tiny_scenario, tiny_telemetry, tmp_path):
    out = tmp_path / "out"
    result = cli(
        "calibrate", tiny_scenario, "--telemetry", tmp_path / "none.csv", "--fit", FIT,
        "--out", out,
    )  # fmt: skip
    assert_clean_error(result, "no file")
    result = cli(
        "calibrate", tiny_scenario, "--telemetry", tiny_telemetry, "--fit", FIT,
        "--plan", "nope", "--out", out,
    )  # fmt: skip
    assert_clean_error(result, "unknown plan 'nope'")
    assert not out.exists()


@pytest.mark.parametrize("week", ["inf", "-inf", "1e300"])
def test_an_infinite_or_astronomic_week_names_its_row(cli, tiny_scenario, tmp_path, week):
    csv_path = _write(tmp_path, f"week,active\n1,3\n{week},4\n")
    parquet = tmp_path / "bad.parquet"
    pd.DataFrame({"week": [1.0, float(week)], "active": [3, 4]}).to_parquet(parquet)
    for path, row in ((csv_path, "row 3"), (parquet, "row 2")):
        result = cli(
            "calibrate", tiny_scenario, "--telemetry", path, "--fit", FIT,
            "--out", tmp_path / "out",
        )  # fmt: skip
        assert_clean_error(result, f"{path.name}, {row}: week")
        assert not (tmp_path / "out").exists()
