"""Champions help the people close by.

Comparisons run on the same organisation and paired seeds (common random numbers) and
must clear 3 paired standard errors (`assert_paired_increase`).
"""

from __future__ import annotations

import numpy as np

from adoption import build_organisation, simulate
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
