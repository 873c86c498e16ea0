"""Gates judge the business case for the organisation, and every pause is priced.

Stylised facts of issue 19 (item 4) on paired seeds (common random numbers), each with
its sizes and tolerance in its docstring, and the gate's new fields taking effect.
"""

from __future__ import annotations

import numpy as np
import pytest

from adoption import build_organisation, load_scenario, simulate
from adoption.experiment.regret import forced_first_gate, gate_counterfactuals

DEFAULT_WORLD = {"organisation.employees": 5000}
MARGINAL = {
    "organisation.employees": 2000,
    "tool.production_accuracy": 0.60,
    "tool.achievable_accuracy": 0.64,
}
SLOW_DECIDERS = {**DEFAULT_WORLD, "behaviour.try_per_year": 3, "behaviour.reject_per_year": 3}


def runs(overrides: dict, plan: str, seeds, forced: str | None = None) -> list[dict]:
    scenario = load_scenario(overrides=overrides)
    org = build_organisation(scenario.organisation)
    if forced is not None:
        scenario = forced_first_gate(scenario, plan, forced)
    return [simulate(scenario, plan, seed=s, organisation=org).metrics for s in seeds]


def with_gate(overrides: dict, plan: str, **gate) -> dict:
    """`overrides` with `plan`'s first gate changed."""
    plans = {key: value.model_dump() for key, value in load_scenario().plans.items()}
    plans[plan]["gates"] = [{**plans[plan]["gates"][0], **gate}]
    return {**overrides, "plans": plans}


@pytest.mark.slow
@pytest.mark.parametrize("plan", ["pilot-10", "regional-pilot"])
def test_in_the_default_world_the_gate_is_not_worse_than_proceeding_at_once(plan):
    """The default world (5,000 people), 8 paired seeds: the gated pilot's NPV is not
    below the same plan proceeding at its first gate by more than 2 paired standard
    errors (its pauses and stops are not a loss the noise cannot explain)."""
    gated = np.array([run["npv"] for run in runs(DEFAULT_WORLD, plan, range(8))])
    proceed = np.array([run["npv"] for run in runs(DEFAULT_WORLD, plan, range(8), "proceed")])
    difference = gated - proceed
    error = difference.std(ddof=1) / np.sqrt(difference.size)
    assert difference.mean() >= -2 * max(error, 1.0), (difference.mean(), error, difference)


@pytest.mark.slow
@pytest.mark.parametrize("plan", ["pilot-10", "regional-pilot"])
def test_slow_deciders_are_not_stopped_when_the_tool_clears_the_minimum(plan):
    """Slow deciders (try and reject 3 a year: few active users at day 60), the default
    world at 5,000 people, 8 seeds: no gate stops a rollout whose true accuracy at the
    gate, on the production feed, clears the business minimum by 5 points. Low
    adoption is not a reason to stop a tool that pays."""
    minimum = load_scenario().business_minimum
    penalty = load_scenario().tool.pipeline.fragile_accuracy_penalty
    for run in runs(SLOW_DECIDERS, plan, range(8)):
        # the truth at the gate is on the fragile feed until the pipeline is ready (day 90)
        truth = run["gate_true_accuracy"] + (penalty if run["decision_day"] < 90 else 0.0)
        if run["decision"] == "stop":
            assert truth < minimum + 0.05, (plan, run["decision_day"], truth)


def test_in_a_marginal_world_the_north_pilot_stops_about_as_often_as_a_random_one():
    """Production 0.60, achievable 0.64 (the minimum is 0.60): 12 paired seeds at 2,000
    people. The regional pilot sees North's data (+4 points): at its first measurement
    its own checks read above the truth; the gate speaks for the organisation (the
    unseen regions widen its interval to the prior, and a pause extends the pilot to
    them), so it stops about as often as a random 10% pilot: within 3 of 12 runs of it."""
    scenario = load_scenario(overrides=MARGINAL)
    org = build_organisation(scenario.organisation)
    seeds = range(12)
    north = [simulate(scenario, "regional-pilot", seed=s, organisation=org) for s in seeds]
    random = runs(MARGINAL, "pilot-10", seeds)
    north_stops = sum(run.metrics["decision"] == "stop" for run in north)
    random_stops = sum(run["decision"] == "stop" for run in random)
    assert abs(north_stops - random_stops) <= 3, (north_stops, random_stops)
    first = [run.decisions[0].measured for run in north]
    pilot = np.array([measured.observed_accuracy for measured in first])
    truth = np.array([measured.true_accuracy for measured in first])
    assert (pilot - truth).mean() > 0.03  # the pilot itself sees North before it extends


def test_an_offline_evaluation_keeps_one_region_from_speaking_for_all():
    """One region's data far better than the rest (North +14 points, the others below the
    minimum), 2,000 people, 4 seeds. The regional pilot's own checks read North's
    accuracy, 8+ points above the truth. The prior for unseen regions (±8 points) is too
    narrow for a gap this wide, so without evidence on the other regions the gate can
    still be misled; with 200 labelled examples of each unseen segment it stops."""
    world = {
        "organisation.employees": 2000,
        "tool.production_accuracy": 0.58,
        "tool.achievable_accuracy": 0.58,
        "tool.region_accuracy_offset": {
            "North": 0.14,
            "South": -0.02,
            "East": -0.04,
            "West": -0.08,
        },
    }
    for run in runs(world, "regional-pilot", range(4)):
        assert run["gate_pilot_accuracy"] - run["gate_true_accuracy"] > 0.08
    evaluated = with_gate(world, "regional-pilot", offline_evaluation_uses=200)
    for run in runs(evaluated, "regional-pilot", range(4)):
        assert run["decision"] == "stop"
        assert abs(run["gate_accuracy"] - run["gate_true_accuracy"]) < 0.05


def test_a_forced_first_gate_decides_without_judging():
    """`forced`: the same timetable with the decision taken in advance, at day 60."""
    world = {"organisation.employees": 1000, "horizon_days": 120}
    stop = runs(world, "pilot-10", range(2), "stop")
    proceed = runs(world, "pilot-10", range(2), "proceed")
    assert [(r["decision"], r["decision_day"], r["gate_pauses"]) for r in stop] == [
        ("stop", 60.0, 0)
    ] * 2
    assert [(r["decision"], r["decision_day"]) for r in proceed] == [("proceed", 60.0)] * 2
    assert all(p["reach"] > s["reach"] for p, s in zip(proceed, stop, strict=True))


def test_regret_pairs_the_run_with_its_alternatives_on_the_same_seed():
    """A run whose first gate decided at once is its own counterfactual for that
    decision: its regret is the other alternative's NPV above its own, at least 0."""
    scenario = load_scenario(overrides={"organisation.employees": 1000, "horizon_days": 200})
    org = build_organisation(scenario.organisation)
    result = simulate(scenario, "pilot-10", seed=3, organisation=org)
    found = gate_counterfactuals(scenario, "pilot-10", 3, result, org)
    decided = result.first_gate_decisions()
    other = {"proceed": "stop", "stop": "proceed", "pause": "proceed"}[decided[0]]
    alternative = simulate(
        forced_first_gate(scenario, "pilot-10", other), "pilot-10", seed=3, organisation=org
    ).metrics["npv"]
    if decided[0] != "pause":
        expected = max(0.0, alternative - result.metrics["npv"])
        assert found["gate_regret"] == pytest.approx(expected)
        assert found["gate_pause_cost"] is None
    else:
        assert found["gate_regret"] >= 0.0 and found["gate_pause_cost"] is not None
    assert gate_counterfactuals(
        scenario, "big-bang", 3, simulate(scenario, "big-bang", seed=3, organisation=org), org
    ) == {"gate_regret": None, "gate_pause_cost": None}


def test_an_offline_evaluation_is_paid_and_narrows_what_unseen_segments_leave_open():
    """The regional pilot at 1,000 people: labelled examples of the unseen regions cost
    `cost_per_labelled_use` each and replace the prior with evidence."""
    world = {"organisation.employees": 1000, "horizon_days": 61}
    plain = runs(world, "regional-pilot", range(2))
    labelled = runs(
        with_gate(world, "regional-pilot", offline_evaluation_uses=200), "regional-pilot", range(2)
    )
    dearer = runs(
        with_gate(world, "regional-pilot", offline_evaluation_uses=200, cost_per_labelled_use=4.0),
        "regional-pilot",
        range(2),
    )
    assert [run["cost_evaluation"] for run in plain] == [0.0, 0.0]
    for cheap, dear in zip(labelled, dearer, strict=True):
        assert cheap["cost_evaluation"] > 0
        assert dear["cost_evaluation"] == pytest.approx(2 * cheap["cost_evaluation"])
    # with labelled examples of every region, the estimate comes near the truth
    for run in labelled:
        assert abs(run["gate_accuracy"] - run["gate_true_accuracy"]) < 0.05


def test_a_wider_prior_for_unseen_segments_holds_back_what_a_narrow_one_lets_through():
    """`unseen_segment_sd`: the regional pilot in the default world at 2,000 people,
    4 seeds; with no prior spread the unseen regions are taken to be North, with a
    wide one the gate cannot show the case for them on North's checks alone: it
    proceeds less often (it extends the pilot to them, or stops with
    `extension_share` 0)."""
    world = {"organisation.employees": 2000, "horizon_days": 61}
    narrow = runs(
        with_gate(world, "regional-pilot", unseen_segment_sd=0.0), "regional-pilot", range(4)
    )
    wide = runs(
        with_gate(world, "regional-pilot", unseen_segment_sd=0.3), "regional-pilot", range(4)
    )
    assert sum(r["decision"] == "proceed" for r in narrow) > sum(
        r["decision"] == "proceed" for r in wide
    )


def test_uses_are_checked_by_hand_only_while_a_gate_is_still_to_decide():
    """Checks nobody will read are not drawn: none after the last gate proceeded."""
    from adoption.engine.model import AdoptionModel

    world = {"organisation.employees": 1000, "horizon_days": 200}
    model = AdoptionModel(
        load_scenario(overrides=with_gate(world, "pilot-10", forced="proceed")),
        plan="pilot-10",
        seed=0,
    )
    model.run()
    dynamics = model.dynamics
    (decision,) = [d for d in dynamics.decisions if d.decision != "pause"]
    assert decision.decision == "proceed"
    decided_step = round(decision.day / model.dt)
    checked = dynamics.checks.checked.sum(axis=1)
    assert checked[:decided_step].sum() > 0
    assert checked[decided_step:].sum() == 0


def test_a_pause_extends_the_pilot_to_the_segments_it_has_not_seen():
    """`extension_share`: the regional pilot at 2,000 people, seeds whose first gate
    paused (North's checks alone leave the case open). The pause gives 10% of each
    unseen segment access, so the next measurement sees 20+ points more of its headcount
    (the extended users who tried within the pause; 0.28 before); with
    `extension_share` 0 the pause only waits, nobody outside North has access before
    the gate decides, and its next measurement still sees North alone."""
    world = {"organisation.employees": 2000, "horizon_days": 91}
    extended = load_scenario(overrides=world)
    waiting = load_scenario(overrides=with_gate(world, "regional-pilot", extension_share=0.0))
    org = build_organisation(extended.organisation)
    north = org.region == org.region_names.index("North")
    paused = 0
    for seed in range(4):
        grown = simulate(extended, "regional-pilot", seed=seed, organisation=org)
        if grown.first_gate_decisions()[:1] != ("pause",):
            continue
        paused += 1
        still = simulate(waiting, "regional-pilot", seed=seed, organisation=org)
        first, second = (d.measured for d in grown.decisions[:2])
        said = grown.events.loc[grown.events["kind"] == "gate", "detail"].iloc[0]
        assert said.startswith("pause 30 days, the pilot extended to ")  # the event says so
        share = first.evidence.organisation.seen_share
        assert second.evidence.organisation.seen_share > share + 0.2
        assert second.with_access == pytest.approx(first.with_access + 0.1 * (~north).sum(), abs=40)
        if still.decisions[0].decision == "pause":
            again = still.decisions[1].measured
            assert again.with_access == int(north.sum())
            assert again.evidence.organisation.seen_share == pytest.approx(share)
    assert paused >= 2
