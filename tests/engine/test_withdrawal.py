"""A stop is final (docs/model.md, Gates): once a gate withdraws the tool, nobody has it
to try, keep, return to or reconsider, so nobody's state moves again, nobody uses it and
nobody holds a seat; those who abandoned or refused it stay counted as they were.

Before this was enforced the abandoned came back to the withdrawn tool when it had
improved since they left, the refusing reconsidered, and both got seats and used it:
in the default world's regional pilot forced to stop at day 60, somebody was trying,
active or lapsed in 339 to 656 of the 669 steps after the stop (seeds 0-5).
"""

from __future__ import annotations

import pytest

from adoption import build_organisation, load_scenario, simulate
from adoption.experiment.regret import forced_first_gate

STATES = ["no_access", "unaware", "aware", "trying", "active", "lapsed", "abandoned", "rejecting"]
AFTER_A_STOP_NOTHING = ["uses", "value", "seats_held", "returned", "support_tickets"]
STAY = [*STATES, "trained", "ever_tried", "ever_active"]


@pytest.fixture(scope="module")
def default_world():
    scenario = load_scenario()
    return scenario, build_organisation(scenario.organisation)


def withdrawn_day(result) -> float:
    events = result.events
    return float(events.loc[events["kind"] == "withdrawn", "day"].iloc[0])


def assert_nothing_moves_after_the_stop(result) -> None:
    series = result.timeseries
    after = series[series["day"] > withdrawn_day(result)]
    assert len(after) > 100
    assert (after[STAY].diff().iloc[1:] == 0).all().all(), "somebody's state moved"
    assert (after[["unaware", "aware", "trying", "active", "lapsed"]] == 0).all().all()
    assert (after[AFTER_A_STOP_NOTHING] == 0).all().all()


@pytest.mark.parametrize("plan", ["pilot-10", "regional-pilot"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_after_a_forced_stop_nobody_comes_back(default_world, plan, seed):
    scenario, organisation = default_world
    stopped = forced_first_gate(scenario, plan, "stop")
    result = simulate(stopped, plan, seed=seed, organisation=organisation)
    assert_nothing_moves_after_the_stop(result)
    assert result.metrics["abandonment_rate"] > 0  # those who had abandoned stay counted


def test_after_its_own_gate_stops_it_nobody_comes_back(default_world):
    scenario, organisation = default_world
    result = simulate(scenario, "regional-pilot", seed=2, organisation=organisation)
    assert result.metrics["decision"] == "stop"  # at day 90, after one pause
    assert_nothing_moves_after_the_stop(result)
