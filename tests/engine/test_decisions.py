"""The model answers "which plan?" and "when do we stop?" for the source's reasons.

Stylised facts of docs/model.md section 9, each on paired seeds (common random
numbers) with its tolerance stated. Worlds are 2,000 people over the default two years.
"""

from __future__ import annotations

import numpy as np
import pytest

from adoption import build_organisation, load_scenario, simulate
from tests.engine.helpers import assert_paired_increase

SEEDS = range(8)
PEOPLE = {"organisation.employees": 2000}
DOOMED = {**PEOPLE, "tool.production_accuracy": 0.45, "tool.achievable_accuracy": 0.50}
READY = {
    **PEOPLE,
    "tool.production_accuracy": 0.90,
    "tool.achievable_accuracy": 0.90,
    "tool.pipeline.build_engineer_days": 0,
    "tool.infrastructure.capacity_requests_per_second": 20,
}
NO_DECISION = {"forced": "proceed"}


def metrics(overrides: dict, plan: str, seeds=SEEDS) -> list[dict]:
    scenario = load_scenario(overrides=overrides)
    org = build_organisation(scenario.organisation)
    return [simulate(scenario, plan, seed=s, organisation=org).metrics for s in seeds]


def column(runs: list[dict], name: str) -> np.ndarray:
    return np.array([run[name] for run in runs], dtype=float)


def with_plan(overrides: dict, name: str, gate: dict) -> dict:
    """The default 10% pilot's timetable under another name, with its gate changed."""
    plans = {key: plan.model_dump() for key, plan in load_scenario().plans.items()}
    plan = dict(plans["pilot-10"])
    plan["gates"] = [{**plan["gates"][0], **gate}]
    return {**overrides, "plans": {**plans, name: plan}}


@pytest.mark.slow
def test_a_doomed_project_is_stopped_and_stopping_pays():
    """Achievable accuracy (50%) well below the business minimum (60%)."""
    pilot = metrics(DOOMED, "pilot-10")
    big_bang = metrics(DOOMED, "big-bang")
    stopped = np.mean([run["decision"] == "stop" for run in pilot])
    assert stopped >= 0.75, [run["decision"] for run in pilot]
    assert column(big_bang, "npv").max() < 0
    assert_paired_increase(column(big_bang, "npv"), column(pilot, "npv"))


@pytest.mark.slow
def test_a_ready_project_should_not_wait():
    """Production accuracy meets the business minimum from day one, capacity sized."""
    big_bang = metrics(READY, "big-bang")
    pilot = metrics(READY, "pilot-10")
    assert np.mean([run["decision"] == "proceed" for run in pilot]) == 1.0
    assert_paired_increase(column(pilot, "npv"), column(big_bang, "npv"))
    assert_paired_increase(column(pilot, "npv_1y"), column(big_bang, "npv_1y"))


@pytest.mark.slow
def test_the_gate_is_worth_more_than_the_delay():
    """Over ready and doomed worlds alike, deciding beats the same timetable undecided."""
    gated, undecided = [], []
    for world in (DOOMED, READY):
        overrides = with_plan(world, "undecided", NO_DECISION)
        gated += list(column(metrics(overrides, "pilot-10"), "npv"))
        undecided += list(column(metrics(overrides, "undecided"), "npv"))
    assert_paired_increase(undecided, gated)


@pytest.mark.slow
def test_an_unrepresentative_pilot_reads_high_and_its_gate_mostly_does_not_follow():
    """One region's data are much better than the rest, which are below the minimum.

    The North pilot's own checks read North's accuracy, well above the organisation's.
    The gate speaks for the organisation (the unseen regions widen its interval to the
    prior, and a pause extends the pilot to them), so it stops in most runs, though the
    prior (±8 points) is narrower than this world's gap and a few of the other regions'
    checks can let it through now and then (1 of 10 with the extension, 2 of 10 before;
    an offline evaluation closes that: tests/engine/test_gates.py). A random 10% sees
    every region's data and stops; it never does worse than the North pilot, seed by
    seed.
    """
    world = {
        **PEOPLE,
        "tool.production_accuracy": 0.58,
        "tool.achievable_accuracy": 0.58,
        "tool.region_accuracy_offset": {
            "North": 0.14,
            "South": -0.02,
            "East": -0.04,
            "West": -0.08,
        },
    }
    seeds = range(10)
    regional = metrics(world, "regional-pilot", seeds)
    random = metrics(world, "pilot-10", seeds)
    assert np.mean([run["decision"] == "proceed" for run in regional]) <= 0.3
    assert np.mean([run["decision"] == "stop" for run in random]) >= 0.5
    own, truth = column(regional, "gate_pilot_accuracy"), column(regional, "gate_true_accuracy")
    assert (own - truth).mean() > 0.08  # the pilot saw North, not the organisation
    assert column(regional, "npv").mean() < 0
    assert (column(random, "npv") >= column(regional, "npv")).all()


def test_the_business_minimum_matters():
    """Raising the minimum lowers value (more stops, people drop a tool not good enough)
    and, past the accuracy people get, adoption."""
    base = {**PEOPLE, "horizon_days": 365}
    low = metrics({**base, "tool.minimum_useful_accuracy": 0.6}, "big-bang", range(6))
    high = metrics({**base, "tool.minimum_useful_accuracy": 0.85}, "big-bang", range(6))
    assert_paired_increase(column(high, "value"), column(low, "value"))
    assert_paired_increase(column(high, "adoption_rate"), column(low, "adoption_rate"))


def test_the_break_even_accuracy_follows_from_value_and_error_cost():
    scenario = load_scenario()
    economics = scenario.economics
    minimum = scenario.business_minimum
    net = (
        minimum * economics.value_per_successful_use
        - (1 - minimum) * economics.cost_per_wrong_use
        - economics.cost_per_use
    )
    assert net == pytest.approx(0.0, abs=1e-12)
    stakes = load_scenario(overrides={"economics.cost_per_wrong_use": 30.0})
    assert stakes.business_minimum > 0.9


@pytest.mark.parametrize(
    ("low", "high", "metric"),
    [
        (
            {"tool.achievable_accuracy": 0.75},
            {"tool.achievable_accuracy": 0.90},
            "observed_accuracy",
        ),
        ({"tool.fixes.ml_engineers": 0}, {"tool.fixes.ml_engineers": 8}, "observed_accuracy"),
        (
            {"tool.fixes.reports_to_diagnose": 2000},
            {"tool.fixes.reports_to_diagnose": 20},
            "observed_accuracy",
        ),
        (
            {"tool.pipeline.build_engineer_days": 2000},
            {"tool.pipeline.build_engineer_days": 0},
            "observed_accuracy",
        ),
        ({"economics.cost_per_wrong_use": 9.0}, {"economics.cost_per_wrong_use": 1.0}, "npv"),
        (
            {"economics.licences.price_per_seat_day": 3.0},
            {"economics.licences.price_per_seat_day": 0.0},
            "npv",
        ),
        (
            {"economics.working_days_per_year": 150},
            {"economics.working_days_per_year": 250},
            "value",
        ),
    ],
    ids=["ceiling", "engineers", "feedback", "pipeline", "error-cost", "licences", "working-days"],
)
def test_each_new_mechanism_moves_outcomes_its_way(low, high, metric):
    base = {**PEOPLE, "horizon_days": 365, "organisation.employees": 1000}
    assert_paired_increase(
        column(metrics({**base, **low}, "big-bang", range(6)), metric),
        column(metrics({**base, **high}, "big-bang", range(6)), metric),
    )


def test_learning_needs_reports_from_the_segment():
    """A pilot in one department learns about that department's data only."""
    scenario = load_scenario(
        overrides={
            **PEOPLE,
            "plans": {"sales": {"waves": [{"day": 0, "group": "department", "name": "Sales"}]}},
            "tool.retraining.interval_days": 0,
        }
    )
    from adoption.engine.model import AdoptionModel

    model = AdoptionModel(scenario, "sales", seed=0, days=200)
    model.run_model()
    tool = model.dynamics.tool
    sales = model.organisation.department_names.index("Sales")
    regions = len(model.organisation.region_names)
    improved = tool.fixed > 1e-6
    assert improved[sales * regions : (sales + 1) * regions].all()
    assert not np.delete(improved, range(sales * regions, (sales + 1) * regions)).any()
    assert (tool.base_accuracy <= tool.ceiling + 1e-12).all()


def test_stopping_saves_the_costs_not_yet_spent():
    pilot = metrics(DOOMED, "pilot-10", range(3))
    for run in pilot:
        assert run["decision"] == "stop"
        # seats are bought for a year: at most the pilot's 200, each paid for its term
        assert run["cost_licences"] <= 0.1 * 2000 * 365 * 1.0
        assert run["cost_pipeline"] < 4 * 600 * run["decision_day"] + 1
    # without a commitment, licences are paid only for the pilot and only until the stop
    monthly = metrics({**DOOMED, "economics.licences.commitment_days": 0}, "pilot-10", range(3))
    for run in monthly:
        assert run["decision"] == "stop"
        assert run["cost_licences"] < 0.1 * 2000 * run["decision_day"] * 1.0 + 1


def test_support_is_sized_to_the_people_with_access():
    """A pilot pays for the desk its pilot needs; everyone at once pays for everyone."""
    pilot = metrics({**PEOPLE, "horizon_days": 50}, "pilot-10", range(2))
    big_bang = metrics({**PEOPLE, "horizon_days": 50}, "big-bang", range(2))
    # 200 people need 0.12 of an agent, below the core sized to 2,000 employees (0.2 per
    # 1,000: 0.4 of an agent); 2,000 need ceil(2000 x 0.6 / 1000) = 2 whole agents
    assert column(pilot, "cost_support") == pytest.approx([0.4 * 300 * 50] * 2)
    assert column(big_bang, "cost_support") == pytest.approx([2 * 300 * 50] * 2)


def test_gates_read_the_projected_latency_and_the_cost_per_user():
    fixed = {
        **PEOPLE,
        "tool.infrastructure.autoscale": False,
        "tool.production_accuracy": 0.9,
        "tool.achievable_accuracy": 0.9,
    }

    def decisions(overrides, gate):
        runs = metrics(
            with_plan(overrides, "checked", {**gate, "size_capacity": False}), "checked", range(3)
        )
        return [run["decision"] for run in runs]

    # fewer users than everyone: the projection is at the share the pilot saw using it
    slow = {**fixed, "tool.infrastructure.capacity_requests_per_second": 0.15}
    ample = {**fixed, "tool.infrastructure.capacity_requests_per_second": 50}
    assert decisions(ample, {"max_projected_latency_ms": 2000}) == ["proceed"] * 3
    assert "proceed" not in decisions(slow, {"max_projected_latency_ms": 2000})
    assert "proceed" not in decisions(ample, {"max_cost_per_active_user_day": 0.01})


def test_an_unknown_region_in_the_accuracy_offsets_is_an_input_error():
    from adoption import InputError

    with pytest.raises(InputError, match="region_accuracy_offset names no region Atlantis"):
        simulate(overrides={**PEOPLE, "tool.region_accuracy_offset": {"Atlantis": 0.1}}, days=5)
