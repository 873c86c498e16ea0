"""`compare --posterior` states the decision's value, from a real calibration folder."""

from __future__ import annotations

import pytest

from tests.calibration.test_calibrate import FIT


@pytest.mark.slow
def test_compare_posterior_prints_expected_npvs_p_best_and_the_value_of_more_weeks(
    cli, tiny_scenario, tiny_telemetry, tmp_path
):
    out = tmp_path / "cal"
    result = cli(
        "calibrate", tiny_scenario, "--telemetry", tiny_telemetry,
        "--fit", ",".join(FIT), "--population", "20", "--generations", "2", "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    result = cli(
        "compare", "--posterior", out, "--samples", "20", "--replications", "2",
        "--workers", "1", "--set", "horizon_days=150", "--more-weeks", "3",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "expected NPV over the posterior:" in result.out
    for action in ("GO", "EXTEND", "NO-GO"):
        assert f"  {action:<7} (" in result.out
    assert "is best) = " in result.out and "over 20 posterior draws" in result.out
    assert "3 more week(s) of telemetry " in result.out and "EVSI" in result.out
