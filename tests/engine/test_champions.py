"""Champions bring in their teams and help the people close by.

Comparisons run on the same organisation and paired seeds (common random numbers) and
must clear 3 paired standard errors (`assert_paired_increase`).
"""

from __future__ import annotations

import numpy as np
import pytest

from adoption import build_organisation, simulate
from adoption.engine.model import AdoptionModel
from adoption.engine.states import ACTIVE, NO_ACCESS, UNAWARE
from tests.engine.helpers import assert_paired_increase, small_scenario

SEEDS = range(8)
CHAMPIONS = "change_management__champions__"
PER_TEAM = {CHAMPIONS + "selection": "per_team"}
"""A champion in every team: everyone has one close by once they are active."""


def runs(plan: str, seeds=SEEDS, **overrides):
    scenario = small_scenario(**overrides)
    org = build_organisation(scenario.organisation)
    return [simulate(scenario, plan, seed=seed, organisation=org) for seed in seeds]


def total(results, column: str) -> np.ndarray:
    return np.array([result.timeseries[column].sum() for result in results], dtype=float)


def effort_lapses_per_user_day(results) -> np.ndarray:
    """Effort lapses per day of someone trying or using the tool (more help brings more
    people to try it, so raw counts would mix the two effects)."""
    return np.array(
        [
            r.timeseries["lapsed_effort"].sum()
            / (r.timeseries["trying"] + r.timeseries["active"]).sum()
            for r in results
        ]
    )


def test_local_help_cuts_tickets_and_waits():
    """A desk of one agent closing 10 tickets a day, so that waits are felt."""
    desk = {
        "change_management__support__agents": 1,
        "change_management__support__agents_per_thousand_with_access": 0.0,
        "change_management__support__tickets_per_agent_day": 10.0,
    }
    helped = runs("big-bang", **PER_TEAM, **desk)
    unhelped = runs("big-bang", **PER_TEAM, **desk, **{CHAMPIONS + "local_help": 0.0})
    assert_paired_increase(total(helped, "support_tickets"), total(unhelped, "support_tickets"))
    assert_paired_increase(total(helped, "support_wait_days"), total(unhelped, "support_wait_days"))


def test_a_champion_close_by_cuts_effort_lapses():
    helped = runs("big-bang", **PER_TEAM)
    unhelped = runs("big-bang", **PER_TEAM, **{CHAMPIONS + "local_effort_reduction": 0.0})
    assert_paired_increase(effort_lapses_per_user_day(helped), effort_lapses_per_user_day(unhelped))


def test_teams_follow_their_champion_and_the_rest_wait():
    """Each team gets access at the start of the step after its champion first turns
    active, aware at once; a team whose champion is not active by the rest wave gets
    access then."""
    scenario = small_scenario(**PER_TEAM)
    rest_day = float(scenario.plans["champions"].waves[-1].day)
    model = AdoptionModel(scenario, plan="champions", seed=3, days=120)
    dynamics, people, org = model.dynamics, model.people, model.organisation
    champion_of = np.full(org.team_count, -1)
    champion_of[org.team[people.champion]] = np.flatnonzero(people.champion)
    first_active = np.full(org.size, np.inf)
    while model.running:
        model.step()
        now = model.env.now
        first_active[(people.state == ACTIVE) & np.isinf(first_active)] = now
        introduced = (dynamics.access_day >= 0) & (dynamics.access_day < rest_day)
        introduced &= ~people.champion
        assert not (people.state[introduced] == UNAWARE).any()
    members = ~people.champion
    ready = first_active[champion_of[org.team]] + model.dt
    expected = np.minimum(ready, rest_day)[members]
    np.testing.assert_array_equal(dynamics.access_day[members], expected)
    assert (people.state != NO_ACCESS).all()
    # both kinds of team occur: brought in by their champion, and left to the rest wave
    assert (expected < rest_day).sum() > 0.2 * members.sum()
    assert (expected == rest_day).sum() > 0.1 * members.sum()


@pytest.mark.slow
def test_champion_led_keeps_more_of_those_who_try_with_well_connected_champions():
    """5,000 people, the default champions (2%, the best connected), the tool at 92% on
    production data from day one (the demo's 95%), the pipeline built, capacity ample
    (so big-bang is not hurt by overload). Champion-led loses fewer of those who try
    (3 paired standard errors), reaches the same adoption after a year (within 1
    point: champions help in every plan, so only the order of arrival differs), and
    the teams' wait costs first-year value. 12 seeds."""
    good = {
        "organisation__employees": 5000,
        "tool__production_accuracy": 0.92,
        "tool__achievable_accuracy": 0.92,
        "tool__pipeline__build_engineer_days": 0,
        "tool__infrastructure__capacity_requests_per_second": 20,
    }
    scenario = small_scenario(**good)
    org = build_organisation(scenario.organisation)

    def metric(plan: str, name: str) -> np.ndarray:
        return np.array([m[name] for m in metrics[plan]], dtype=float)

    metrics = {
        plan: [
            simulate(scenario, plan, seed=seed, days=365, organisation=org).metrics
            for seed in range(12)
        ]
        for plan in ("big-bang", "champions")
    }
    assert_paired_increase(
        metric("champions", "abandonment_rate"), metric("big-bang", "abandonment_rate")
    )
    adoption_gain = metric("champions", "adoption_rate") - metric("big-bang", "adoption_rate")
    assert adoption_gain.mean() > -0.01, adoption_gain
    assert_paired_increase(metric("champions", "npv_1y"), metric("big-bang", "npv_1y"))
