"""Calibration: outputs, reproducibility, identifiability reported, the predictive check,
parameter recovery over repeated synthetic pilots, and narrowing with more data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from adoption.calibration import calibrate
from adoption.calibration.synthetic import synthetic_telemetry
from adoption.config import load_scenario
from tests.calibration.conftest import TRUTH

FIT = ["behaviour.try_per_year", "tool.production_accuracy"]
SMALL = dict(population=30, generations=3, predictive=30)


def test_calibration_writes_its_files_and_reports_what_the_data_cannot_inform(
    tiny_scenario, tiny_telemetry, tmp_path
):
    out = tmp_path / "cal"
    fit = ["behaviour.try_per_year", "economics.discount_rate_per_year"]
    calibration = calibrate(
        tiny_scenario, tiny_telemetry, fit, out, population=80, generations=3, predictive=30
    )
    for name in (
        "posterior.parquet", "summary.csv", "diagnostics.json", "predictive.csv",
        "predictive.png", "calibrated.yaml",
    ):  # fmt: skip
        assert (out / name).is_file(), name
    posterior = pd.read_parquet(out / "posterior.parquet")
    assert list(posterior.columns) == [*fit, "weight", "distance"]
    assert posterior["weight"].sum() == pytest.approx(1.0)
    summary = calibration.summary.set_index("parameter")
    # the discount rate plays no part in who uses the tool: it keeps its prior
    assert summary.loc["economics.discount_rate_per_year", "sd_ratio"] > 0.8
    assert not summary.loc["economics.discount_rate_per_year", "informed"]
    assert summary.loc["behaviour.try_per_year", "informed"]
    assert "not informed by the telemetry" in calibration.table()
    diagnostics = json.loads((out / "diagnostics.json").read_text())
    assert diagnostics["not_informed"] == ["economics.discount_rate_per_year"]
    assert [g["generation"] for g in diagnostics["generations"]] == [0, 1, 2]
    # the calibrated scenario: the posterior as equal-weight draws, the remaining plans
    calibrated = load_scenario(out / "calibrated.yaml")
    draws = calibrated.uncertainties["behaviour.try_per_year"]
    assert draws.distribution == "choice" and len(draws.values) == 200
    assert set(calibrated.plans) == {"proceed", "next-region", "extend-pilot", "stop"}
    # the posterior predictive check covers the observed series in its bands
    assert calibration.coverage >= 0.85
    assert set(calibration.predictive["measure"]) == {
        "with_access", "active", "first_time", "stopped",
    }  # fmt: skip
    assert set(calibration.predictive["group"]) == {"North", "South"}
    assert (out / "predictive.csv").stat().st_size > 0


def test_a_calibration_is_reproducible(tiny_scenario, tiny_telemetry):
    first = calibrate(tiny_scenario, tiny_telemetry, FIT, population=20, generations=2, seed=3)
    again = calibrate(tiny_scenario, tiny_telemetry, FIT, population=20, generations=2, seed=3)
    pd.testing.assert_frame_equal(first.posterior, again.posterior)


@pytest.mark.slow
def test_one_or_two_workers_write_the_same_bytes(tiny_scenario, tiny_telemetry, tmp_path):
    """The calibration runs on the experiment layer's executors (in this process, or a
    pool of two): the files it writes are byte for byte the same."""
    written = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        calibrate(
            tiny_scenario, tiny_telemetry, FIT, out, population=20, generations=2,
            predictive=10, seed=1, workers=workers,
        )  # fmt: skip
        written[workers] = {
            name: (out / name).read_bytes()
            for name in ("posterior.parquet", "summary.csv", "predictive.csv", "calibrated.yaml")
        }
    for name, content in written[1].items():
        assert content == written[2][name], name


@pytest.mark.slow
def test_credible_intervals_contain_the_truth_in_repeated_synthetic_pilots(tiny_scenario, tmp_path):
    """Simulation-based calibration, small: truths drawn from the prior, one synthetic
    pilot each; the 90% intervals must hold the truth in most of the 10 cases (about 9 is
    expected; fewer than 7 fails, which a well-calibrated posterior does about 1% of
    the time)."""
    scenario = load_scenario(tiny_scenario)
    rng = np.random.default_rng(11)
    covered, cases = 0, 0
    for dataset in range(5):
        truth = {path: float(scenario.uncertainties[path].quantile(rng.random())) for path in FIT}
        frame = synthetic_telemetry(scenario, "north-pilot", truth, weeks=6, seed=100 + dataset)
        calibration = calibrate(scenario, frame, FIT, population=40, generations=4, seed=dataset)
        for row in calibration.summary.itertuples():
            cases += 1
            covered += row.q05 <= truth[row.parameter] <= row.q95
    assert cases == 10
    assert covered >= 7, f"{covered}/10 intervals hold the truth"


@pytest.mark.slow
def test_the_posterior_narrows_as_the_pilot_lasts_longer(tiny_scenario):
    scenario = load_scenario(tiny_scenario)
    ratios = {}
    for weeks in (2, 10):
        frame = synthetic_telemetry(scenario, "north-pilot", TRUTH, weeks=weeks, seed=5)
        calibration = calibrate(scenario, frame, FIT, population=40, generations=4, seed=2)
        ratios[weeks] = calibration.summary["sd_ratio"].mean()
    assert ratios[10] < ratios[2], ratios


@pytest.mark.slow
def test_calibrate_then_forecast_from_the_command_line(
    cli, tiny_scenario, tiny_telemetry, tmp_path
):
    out = tmp_path / "cal"
    result = cli(
        "calibrate", tiny_scenario, "--telemetry", tiny_telemetry,
        "--fit", ",".join(FIT), "--population", "20", "--generations", "2", "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "behaviour.try_per_year:" in result.out and "90% CI" in result.out
    result = cli(
        "compare", "--posterior", out, "--samples", "4", "--replications", "1",
        "--workers", "1", "--set", "horizon_days=120",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "4 plans × 4 sample(s) × 1 replications" in result.out
    assert "recommendation: " in result.out and "with probability" in result.out
    bad = cli("compare", "--posterior", tmp_path)
    assert bad.code == 2 and "not a calibration folder" in bad.err
    result = cli(
        "explore", "--posterior", out, "--samples", "4", "--replications", "1",
        "--workers", "1", "--set", "horizon_days=120", "--out", tmp_path / "explore",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "4 plans × 4 worlds (lhs) × 1 replications" in result.out
    bad = cli("explore", "--posterior", out, "--method", "morris", "--out", tmp_path / "x")
    assert bad.code == 2 and "--method morris" in bad.err and "Traceback" not in bad.err


def test_a_calibration_shows_itself(tiny_scenario, tiny_telemetry):
    """`.plot.predictive()` and `.plot.posterior()` are figures that display in notebooks,
    one panel per measure and per fitted parameter; `_repr_html_` tabulates the posterior
    against the prior and states the fit."""
    calibration = calibrate(tiny_scenario, tiny_telemetry, FIT, population=20, generations=2)
    measures = calibration.predictive["measure"].nunique()
    predictive = calibration.plot.predictive()
    assert len(predictive.axes) == measures
    assert predictive._repr_png_().startswith(b"\x89PNG")
    posterior = calibration.plot.posterior()
    assert [axis.get_title().split("\n")[0] for axis in posterior.axes] == list(FIT)
    page = calibration._repr_html_()
    for parameter in FIT:
        assert parameter in page
    assert "posterior predictive 90% band covers" in page
