"""One run: invariants, determinism, results, Mesa agents, costs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adoption import InputError, load_scenario, simulate
from adoption.engine.model import AdoptionModel
from adoption.engine.recorder import COUNTS
from adoption.engine.states import CAUSES, STATE_NAMES
from adoption.organisation import build_organisation


@pytest.fixture(scope="module")
def workshop():
    return load_scenario("experiments/scenarios/workshop.yaml")


def check_invariants(result, headcount):
    series = result.timeseries
    states = series[list(STATE_NAMES)]
    assert (states.sum(axis=1) == headcount).all(), "states must partition the headcount"
    assert (states >= 0).all().all()
    for column in ("ever_active", "ever_tried", "trained"):
        assert (series[column].diff().dropna() >= 0).all(), f"{column} decreased"
    assert (series["ever_active"] <= series["ever_tried"]).all()
    assert (series["active"] <= series["ever_active"]).all(), "active without ever_active"
    people = result.people
    assert people.loc[people["state"] == "active", "ever_active"].all()
    assert (series["successes"] <= series["served"]).all()
    assert (series["served"] <= series["uses"]).all()
    assert (series[["value", "cost", "support_wait_days", "training_queue"]] >= 0).all().all()
    assert series["day"].is_monotonic_increasing


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    employees=st.integers(60, 400),
    accuracy=st.floats(0.3, 0.99),
    resistant=st.floats(0.0, 0.6),
    capacity=st.floats(0.01, 5.0),
    trainers=st.integers(0, 4),
    agents=st.integers(0, 3),
    plan=st.sampled_from(["big-bang", "pilot-10", "regional-pilot", "phased", "champions"]),
    seed=st.integers(0, 2**32 - 1),
    step_days=st.sampled_from([0.5, 1.0, 2.0]),
)
def test_invariants_hold_on_every_day_of_random_scenarios(
    employees, accuracy, resistant, capacity, trainers, agents, plan, seed, step_days
):
    scenario = load_scenario(
        overrides={
            "organisation.employees": employees,
            "organisation.departments": ["A", "B"],
            "organisation.regions": ["North", "South"],
            "tool.region_accuracy_offset": {"North": 0.02, "South": -0.02},
            "tool.production_accuracy": accuracy,
            "organisation.resistant_team_share": resistant,
            "tool.infrastructure.capacity_requests_per_second": capacity,
            "change_management.training.trainers": trainers,
            "change_management.support.agents": agents,
            "horizon_days": 150,
            "step_days": step_days,
        }
    )
    result = simulate(scenario, plan, seed=seed)
    check_invariants(result, employees)
    assert len(result.timeseries) == round(150 / step_days)


def test_same_seed_same_result_other_seed_differs(workshop):
    first = simulate(workshop, "pilot-10", seed=11)
    again = simulate(workshop, "pilot-10", seed=11)
    other = simulate(workshop, "pilot-10", seed=12)
    pd.testing.assert_frame_equal(first.timeseries, again.timeseries)
    pd.testing.assert_frame_equal(first.events, again.events)
    pd.testing.assert_frame_equal(first.people, again.people)
    assert first.metrics == again.metrics
    assert not first.timeseries.equals(other.timeseries)


def test_result_has_the_documented_columns_and_metrics(workshop):
    result = simulate(workshop, "pilot-10", seed=1)
    required_columns = {
        "day",
        *STATE_NAMES,
        "ever_active",
        "uses",
        "successes",
        "observed_accuracy",
        "latency_ms",
        "overloaded",
        "training_queue",
        "support_wait_days",
        "value",
        "cost",
        "returned",
    }
    assert required_columns <= set(result.timeseries.columns)
    required_metrics = {
        "adoption_rate",
        "reach",
        "abandonment_rate",
        "burned",
        "time_to_25pct_days",
        "time_to_50pct_days",
        "time_to_75pct_days",
        "peak_support_wait_days",
        "overload_days",
        "net_value",
        "decision",
        *(f"abandoned_because_{cause}" for cause in CAUSES),
    }
    assert required_metrics <= set(result.metrics)
    assert list(result.events.columns) == ["day", "kind", "detail"]
    assert {"wave", "gate"} <= set(result.events["kind"])
    assert len(result.timeseries) == 730


def test_metrics_agree_with_the_time_series(workshop):
    result = simulate(workshop, "big-bang", seed=3)
    series, metrics = result.timeseries, result.metrics
    last = series.iloc[-1]
    assert metrics["adoption_rate"] == last["active"] / result.headcount
    assert metrics["reach"] == last["ever_tried"] / result.headcount
    assert metrics["abandonment_rate"] == pytest.approx(last["abandoned"] / last["ever_tried"])
    assert metrics["net_value"] == pytest.approx(series["value"].sum() - series["cost"].sum())
    assert metrics["cost"] == pytest.approx(sum(result.costs.values()))
    abandoned_total = sum(series[f"abandoned_{c}"].sum() for c in CAUSES)
    assert abandoned_total >= result.metrics["burned"] > 0
    shares = [metrics[f"abandoned_because_{c}"] for c in CAUSES]
    assert sum(shares) == pytest.approx(1.0)
    quarter = metrics["time_to_25pct_days"]
    if quarter is not None:
        before = series[series["day"] < quarter]
        assert (before["active"] < 0.25 * result.headcount).all()


def test_days_shortens_the_run(workshop):
    assert len(simulate(workshop, "big-bang", seed=0, days=30).timeseries) == 30


def test_unknown_plan_is_an_input_error(workshop):
    with pytest.raises(InputError, match="unknown plan 'nope'"):
        simulate(workshop, "nope")


def test_employees_are_mesa_agents_viewing_the_arrays(workshop):
    org = build_organisation(workshop.organisation)
    model = AdoptionModel(workshop, "big-bang", seed=0, days=40, organisation=org)
    model.run()
    assert len(model.agents) == 0  # made on first use only
    assert len(model.employees) == org.size
    assert len(model.agents) == org.size
    states = model.employees.groupby("state").count()
    assert states == dict(
        zip(
            *np.unique([STATE_NAMES[s] for s in model.people.state], return_counts=True),
            strict=True,
        )
    )
    someone = model.employee_at[10]
    assert someone.manager.position == org.manager[10]
    assert someone.department in org.department_names


def test_step_advances_one_day_at_a_time(workshop):
    org = build_organisation(workshop.organisation)
    model = AdoptionModel(workshop, "big-bang", seed=0, days=10, organisation=org)
    for expected in range(1, 4):
        model.step()
        assert model.recorder.rows == expected


def test_everyone_active_has_been_active_on_every_day():
    """A trier who lapses and recovers becomes active, so counts as ever active."""
    model = AdoptionModel(None, "big-bang", 3, 240, {"organisation.employees": 600})
    people = model.people
    broken = []

    def check(_step):
        active = people.state == STATE_NAMES.index("active")
        broken.append(int((active & ~people.ever_active).sum()))

    model.run(check)
    assert max(broken) == 0, f"active without ever_active on {sum(b > 0 for b in broken)} days"


def test_the_daily_series_counts_in_integers_and_measures_in_floats(workshop):
    """Counts are integers, whether overloaded a truth, the rest floats; the frame is a
    copy, so reading it mid-run does not change with the run."""
    model = AdoptionModel(workshop, "pilot-10", seed=1, days=60)
    for _ in range(30):
        model.step()
    series = model.recorder.frame()
    for name in series.columns:
        expected = np.int64 if name in COUNTS else bool if name == "overloaded" else np.float64
        assert series[name].dtype == expected, name
    before = series.copy()
    model.run()
    pd.testing.assert_frame_equal(series, before)
    assert len(series) == 30


def _organisation_arrays(org) -> dict[str, np.ndarray]:
    """Copies of every array an organisation holds, its network's included."""
    arrays = {
        name: np.array(value, copy=True)
        for name, value in vars(org).items()
        if isinstance(value, np.ndarray | list)
    }
    for part in ("data", "indices", "indptr"):
        arrays[f"adjacency.{part}"] = getattr(org.adjacency, part).copy()
    return arrays


def test_runs_leave_the_organisation_they_share_as_they_found_it():
    """A sweep's worker builds an organisation once and gives it to every run it makes
    (`runner._organisation`): a run that wrote into it would change the runs after it,
    and a result would depend on which worker made it. Every default plan, a gate forced
    each way, and a mandate, all on one organisation."""
    from adoption.experiment.regret import forced_first_gate

    scenario = load_scenario(
        overrides={"organisation.employees": 400, "change_management.mandate.scope": "sponsors"}
    )
    org = build_organisation(scenario.organisation)
    before = _organisation_arrays(org)
    runs = [(scenario, plan) for plan in scenario.plans]
    for plan in ("pilot-10", "regional-pilot"):
        runs += [(forced_first_gate(scenario, plan, way), plan) for way in ("stop", "proceed")]
    for seed, (chosen, plan) in enumerate(runs):
        simulate(chosen, plan, seed=seed, organisation=org)
    after = _organisation_arrays(org)
    for name, values in before.items():
        assert np.array_equal(values, after[name]), f"a run wrote into the organisation's {name}"
