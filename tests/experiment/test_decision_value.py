"""The go/no-go decision's value: expected NPVs, P(best) and the EVSI of more telemetry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adoption import Scenario, SerialExecutor, compare, load_scenario
from adoption.calibration.plans import remaining_plans
from adoption.errors import InputError
from adoption.experiment.decision_value import (
    MORE_WEEKS,
    TELEMETRY,
    can_value,
    check_weeks,
    decision_value,
    pilot_days,
    value_of_decision,
)
from tests.conftest import assert_clean_error

PLANS = {"GO": "proceed", "EXTEND": "extend-pilot", "NO-GO": "stop"}
DRAWS, REPLICATIONS = 200, 4
SCALE = 1e7
"""NPV of GO per point of accuracy above the business minimum (0.6); NO-GO earns 0."""


def world(accuracy: np.ndarray, seed: int = 0, telemetry_noise: float = 0.01):
    """Runs and telemetry of a toy decision: GO earns SCALE × (accuracy − 0.6) plus run
    noise, EXTEND 90% of that, NO-GO nothing; the more weeks show the accuracy with
    `telemetry_noise`."""
    rng = np.random.default_rng(seed)
    runs, telemetry = [], []
    for sample, theta in enumerate(accuracy):
        for replication in range(REPLICATIONS):
            go = SCALE * (theta - 0.6) + rng.normal(0, 50_000)
            for plan, npv in (("proceed", go), ("extend-pilot", 0.9 * go), ("stop", 0.0)):
                runs.append(
                    {"plan": plan, "sample": sample, "replication": replication, "npv": npv}
                )
            seen = theta + rng.normal(0, telemetry_noise)
            telemetry.append(
                {
                    "sample": sample,
                    "replication": replication,
                    "new_triers": rng.normal(100, 5),
                    "active_at_end": rng.normal(50, 5),
                    "value_per_user_day": 3 * seen,
                }
            )
    return pd.DataFrame(runs), pd.DataFrame(telemetry)


def test_a_tight_posterior_far_from_the_threshold_leaves_nothing_to_learn():
    """Accuracy 0.90 ± 0.005, 30 points above the business minimum: GO is best in every
    draw, and no telemetry could make another action look better."""
    accuracy = np.random.default_rng(1).normal(0.90, 0.005, DRAWS)
    runs, telemetry = world(accuracy)
    value = value_of_decision(runs, PLANS, telemetry, MORE_WEEKS)
    assert value.chosen == "GO"
    assert value.p_best == 1.0
    assert value.evsi == 0.0 and value.p_change == 0.0
    assert value.evpi == 0.0
    assert "could not change the decision" in value.text()


def test_a_posterior_straddling_the_threshold_gives_telemetry_a_value_near_the_evpi():
    """Accuracy uniform 0.50–0.72 around the business minimum 0.60: the value of perfect
    information is SCALE × E[(0.6 − θ)+] = 1e7 × 0.1²/(2 × 0.22) ≈ 227,000; telemetry
    that shows θ to ±0.01 is worth nearly all of it (within 15%), never more than it
    (within the regression's noise, 5%)."""
    accuracy = np.random.default_rng(2).uniform(0.50, 0.72, DRAWS)
    runs, telemetry = world(accuracy)
    value = value_of_decision(runs, PLANS, telemetry, MORE_WEEKS)
    analytic = SCALE * 0.1**2 / (2 * 0.22)
    assert value.chosen == "GO"
    assert 0.4 < value.p_best < 0.7
    assert value.evpi == pytest.approx(analytic, rel=0.15)
    assert value.evsi == pytest.approx(value.evpi, rel=0.15)
    assert value.evsi <= 1.05 * value.evpi
    assert 0.3 < value.p_change < 0.6
    assert "could change the decision" in value.text()


def test_uninformative_telemetry_is_worth_little_even_when_the_decision_is_close():
    """The same straddling posterior, but the more weeks show nothing about accuracy:
    the regression finds (almost) nothing to learn, far below the EVPI."""
    accuracy = np.random.default_rng(2).uniform(0.50, 0.72, DRAWS)
    runs, telemetry = world(accuracy)
    telemetry["value_per_user_day"] = np.random.default_rng(3).normal(2, 0.1, len(telemetry))
    value = value_of_decision(runs, PLANS, telemetry, MORE_WEEKS)
    assert value.evsi < 0.1 * value.evpi


def test_expected_npvs_are_the_action_plans_means_with_intervals():
    accuracy = np.full(DRAWS, 0.7)
    runs, telemetry = world(accuracy)
    value = value_of_decision(runs, PLANS, telemetry, 4)
    table = value.expected.set_index("action")
    go = runs[runs["plan"] == "proceed"]["npv"]
    assert table.loc["GO", "npv"] == pytest.approx(go.mean())
    assert table.loc["GO", "ci_low"] < go.mean() < table.loc["GO", "ci_high"]
    assert table.loc["NO-GO", "npv"] == 0.0
    assert value.cost_of_waiting == pytest.approx(0.1 * go.mean())
    assert "4 more week(s) of telemetry" in value.text()
    assert set(TELEMETRY) <= set(telemetry.columns)


def test_too_few_runs_give_no_evsi_rather_than_a_fit_to_noise():
    accuracy = np.random.default_rng(2).uniform(0.50, 0.72, 9)
    runs, telemetry = world(accuracy)  # 9 draws x 4 seeds = 36 runs, fewer than 40
    value = value_of_decision(runs, PLANS, telemetry, MORE_WEEKS)
    assert np.isnan(value.evsi)
    assert "too few runs (9 draws) to value 8 more week(s)" in value.text()


@pytest.mark.parametrize("weeks", [0, MORE_WEEKS + 1, 2.5, True])
def test_more_weeks_outside_what_extending_shows_are_refused(weeks):
    with pytest.raises(InputError, match="--more-weeks: expected a whole number of weeks"):
        check_weeks(weeks)


def forecast_world(accuracy: list[float]) -> Scenario:
    """A 300-person organisation after an ungated 10% pilot of 8 weeks, its forecast plans
    (proceed, extend-pilot, stop) and production accuracy drawn from `accuracy`, as a
    calibration writes a posterior."""
    raw = load_scenario(overrides={"organisation.employees": 300, "horizon_days": 365}).model_dump(
        mode="json"
    )
    raw["plans"] = {"pilot": {"waves": [{"day": 0, "group": "random", "share": 0.1}]}}
    raw["uncertainties"] = {ACCURACY: {"distribution": "choice", "values": accuracy}}
    scenario = load_scenario(raw)
    plans = remaining_plans(scenario, "pilot", PILOT_DAYS)
    raw["plans"] = {name: plan.model_dump(mode="json") for name, plan in plans.items()}
    return load_scenario(raw)


ACCURACY = "tool.production_accuracy"
PILOT_DAYS = 56


@pytest.mark.slow
def test_the_real_model_values_telemetry_only_where_the_posterior_straddles():
    """Twenty posterior draws, two seeds each. Tight and far above the business minimum
    (0.90 ± 0.004 against 0.60): GO is best in every draw and EVSI is 0. Straddling it
    (0.40 to 0.85): the more weeks' telemetry could change the decision (EVSI > 0)."""
    rng = np.random.default_rng(4)
    tight = forecast_world([round(float(v), 4) for v in rng.normal(0.90, 0.004, 20)])
    straddling = forecast_world([round(float(v), 4) for v in np.linspace(0.40, 0.85, 20)])
    values = {}
    for name, scenario in (("tight", tight), ("straddling", straddling)):
        comparison = compare(scenario, replications=2, samples=20, executor=SerialExecutor())
        values[name] = decision_value(comparison, PILOT_DAYS, 4, SerialExecutor())
    assert values["tight"].chosen == "GO"
    assert values["tight"].p_best == 1.0
    assert values["tight"].evsi == 0.0
    assert values["straddling"].evsi > 0.0
    assert values["straddling"].p_best < 1.0


def test_the_value_needs_a_go_and_an_extend_plan():
    assert can_value(["proceed", "extend-pilot", "stop"])
    assert can_value(["next-region", "extend-pilot"])
    assert not can_value(["proceed", "stop"])
    assert not can_value(["extend-pilot", "stop"])


@pytest.mark.parametrize("diagnostics", [{}, {"pilot_days": "70"}, {"pilot_days": 0}])
def test_a_posterior_without_its_pilot_days_is_refused(diagnostics):
    with pytest.raises(InputError, match=r"diagnostics\.json records no pilot_days"):
        pilot_days(diagnostics, "cal")


def test_more_weeks_needs_a_posterior_and_a_number_extending_can_show(cli, tmp_path):
    assert_clean_error(cli("compare", "--more-weeks", "4"), "give --posterior DIR")
    assert_clean_error(
        cli("compare", "--posterior", tmp_path, "--more-weeks", "9"),
        "--more-weeks: expected a whole number of weeks from 1 to 8",
    )
    assert cli("compare", "--posterior", tmp_path, "--more-weeks", "0").code == 2
