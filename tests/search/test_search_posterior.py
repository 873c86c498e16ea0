"""A search whose worlds are a calibration's posterior draws (`--posterior DIR`)."""

from __future__ import annotations

import pandas as pd
import yaml

from tests.calibration.test_folder import FIT, calibrated  # noqa: F401 - the fixture
from tests.conftest import assert_clean_error


def test_the_worlds_are_posterior_draws(cli, calibrated, tmp_path):  # noqa: F811
    out = tmp_path / "search"
    result = cli(
        "search",
        "--posterior",
        calibrated,
        "--budget",
        "60",
        "--worlds",
        "3",
        "--workers",
        "1",
        "--set",
        "horizon_days=80",
        "--out",
        out,
    )
    assert result.code == 0, result.err
    draws = yaml.safe_load((calibrated / "calibrated.yaml").read_text())["uncertainties"]
    trials = pd.read_csv(out / "trials.csv")
    for field in FIT:
        assert set(trials[field]) <= set(draws[field]["values"])


def test_posterior_and_a_scenario_are_refused_together(cli, calibrated, tmp_path):  # noqa: F811
    result = cli("search", "x.yaml", "--posterior", calibrated, "--out", tmp_path / "s")
    assert_clean_error(result, "--posterior: give a calibration folder or a scenario, not both")
