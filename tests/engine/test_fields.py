"""Fields that were engine constants (issue 11) each take effect where they act.

Each test changes one field away from its default and checks the mechanism it
drives, so a field that is declared but not passed through fails here.
"""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from adoption import build_organisation, load_scenario, simulate
from adoption.config.behaviour import ManagersConfig
from adoption.config.change import SupportConfig
from adoption.config.tool import InfrastructureConfig
from adoption.engine.events import EventLog
from adoption.engine.infrastructure import Infrastructure
from adoption.engine.people import People
from adoption.engine.stance import ManagerStance
from adoption.engine.states import ACTIVE
from adoption.engine.support import SupportDesk

SMALL = {"organisation.employees": 600}
DESK_WITHOUT_AGENTS = {
    **SMALL,
    "change_management.support.agents": 0,
    "change_management.support.agents_per_thousand_with_access": 0,
}


def run(overrides: dict, days: int = 120):
    scenario = load_scenario(overrides=overrides)
    return simulate(scenario, "big-bang", seed=1, days=days).timeseries


@pytest.mark.parametrize("cap", [5.0, 60.0])
def test_max_wait_days_caps_the_reported_support_wait(cap):
    # with no agents the backlog never clears: the wait is the cap from the first ticket
    series = run({**DESK_WITHOUT_AGENTS, "change_management.support.max_wait_days": cap})
    assert series["support_wait_days"].max() == cap


def test_rate_memory_days_sets_how_fast_the_desk_forgets_a_busy_day():
    def wait_after_a_quiet_day(fields: dict) -> float:
        desk = SupportDesk(SupportConfig(agents=4, tickets_per_agent_day=25.0, **fields))
        desk.step(90.0, 1.0)
        return desk.step(0.0, 1.0)

    default = wait_after_a_quiet_day({})
    short = wait_after_a_quiet_day({"rate_memory_days": 0.5})
    # a short memory forgets the busy day: a lower rate, a much shorter Erlang C wait
    assert short < default / 10
    assert default > 0


def serve(uses: float, **fields):
    """One day's service level at `uses` on 1 request/s of capacity, no outages."""
    config = InfrastructureConfig(mtbf_days=0, capacity_requests_per_second=1.0, **fields)
    infrastructure = Infrastructure(
        config, simpy.Environment(), np.random.default_rng(0), EventLog()
    )
    return infrastructure.serve(uses, 0.0, 1.0)


def test_latency_cap_factor_caps_latency_at_that_multiple_of_the_tolerance():
    assert serve(1e6).latency_ms == 4000.0 * 10
    assert serve(1e6, latency_cap_factor=2.0).latency_ms == 4000.0 * 2


def test_slowness_weight_sets_the_value_lost_on_slow_uses():
    # 80% peak utilisation on 8 servers (8 working hours, peak twice the mean): slow,
    # nothing dropped
    uses = 0.8 * 8 * 3600 / 2.0
    default, lighter = serve(uses), serve(uses, slowness_weight=0.1)
    assert default.failed_share == lighter.failed_share == 0.0
    assert default.value_lost_share > 0
    assert lighter.value_lost_share == pytest.approx(default.value_lost_share / 5)


def test_attribute_concentration_sets_the_spread_of_drawn_attributes():
    def spreads(concentration: float) -> np.ndarray:
        scenario = load_scenario(
            overrides={
                "organisation.employees": 3000,
                "organisation.attribute_concentration": concentration,
            }
        )
        org = build_organisation(scenario.organisation)
        return np.array(
            [org.digital_skill.std(), org.threat_perception.std(), org.team_workflow_fit.std()]
        )

    default, wide = spreads(8.0), spreads(1.0)
    # sd = sqrt(m (1 - m) / (concentration + 1)): at 1 about twice that at 8
    assert (wide > 1.6 * default).all()
    assert default == pytest.approx([0.163, 0.153, 0.153], abs=0.02)


@pytest.fixture(scope="module")
def org():
    return build_organisation(load_scenario(overrides=SMALL).organisation)


def moved_managers(org, config: ManagersConfig, days: int, alignment: float = 0.0) -> int:
    """Managers whose stance has moved after `days` daily steps before anyone has access."""
    people = People.start(org.size, org.stance_prior, np.zeros(org.size, dtype=bool))
    stance = ManagerStance(org, config, alignment)
    for _ in range(days):
        stance.pass_time(people, 1.0)
    managers = stance.managers
    return int((people.stance[managers] != org.stance_prior[managers]).sum())


def test_review_days_sets_when_managers_reconsider(org):
    # before access, only the threat of leading a resistant team moves a stance
    weekly, every_three = ManagersConfig(), ManagersConfig(review_days=3.0)
    assert moved_managers(org, weekly, days=6) == 0
    assert moved_managers(org, weekly, days=7) > 0
    assert moved_managers(org, every_three, days=3) == moved_managers(org, weekly, days=7)


def test_stance_target_follows_its_weights(org):
    def mean_stance(config: ManagersConfig, alignment: float = 0.0) -> float:
        people = People.start(org.size, org.stance_prior, np.zeros(org.size, dtype=bool))
        stance = ManagerStance(org, config, alignment)
        stance.update(people, 30.0)
        return float(people.stance[stance.managers].mean())

    default = mean_stance(ManagersConfig())
    assert moved_managers(org, ManagersConfig(resistant_team_threat=0.0), days=7) == 0
    assert mean_stance(ManagersConfig(weight_metric_threat=0.0)) > default
    assert mean_stance(ManagersConfig(weight_incentives=1.0), 0.5) > mean_stance(
        ManagersConfig(), 0.5
    )
    slow = mean_stance(ManagersConfig(adjustment_days=300.0))
    assert default < slow < mean_stance(ManagersConfig(resistant_team_threat=0.0))


def test_own_and_team_experience_weigh_in_the_stance(org):
    def mean_stance(config: ManagersConfig, experienced: float) -> float:
        """Everyone using, expecting 0.9 and experiencing `experienced`."""
        people = People.start(org.size, org.stance_prior, np.zeros(org.size, dtype=bool))
        people.state[:] = ACTIVE
        people.expectation[:] = 0.9
        people.experienced_accuracy[:] = experienced
        stance = ManagerStance(org, config, 0.0)
        stance.update(people, 30.0)
        return float(people.stance[stance.managers].mean())

    default = mean_stance(ManagersConfig(), 0.86)  # satisfied: within 0.05 of expectation
    assert mean_stance(ManagersConfig(weight_own=0.0), 0.86) < default
    assert mean_stance(ManagersConfig(weight_team=0.0), 0.86) < default
    assert mean_stance(ManagersConfig(satisfied_margin=0.01), 0.86) < default
    assert mean_stance(ManagersConfig(satisfied_margin=0.01), 0.9) == default


def test_sponsor_threshold_sets_who_is_counted_a_sponsor():
    strict = run({**SMALL, "behaviour.managers.sponsor_threshold": 0.99}, days=200)
    default = run(SMALL, days=200)
    # the threshold only reports: everything else is the same run
    assert (strict["active"] == default["active"]).all()
    assert (strict["sponsors"] <= default["sponsors"]).all()
    assert (strict["sponsors"] < default["sponsors"]).any()
    assert (strict["opponents"] <= default["opponents"]).all()


def test_fields_refuse_values_outside_their_bounds():
    from adoption.errors import InputError

    for path, value in [
        ("change_management.support.max_wait_days", 0),
        ("change_management.support.rate_memory_days", -1),
        ("tool.infrastructure.slowness_weight", 1.5),
        ("tool.infrastructure.latency_cap_factor", 0.5),
        ("organisation.attribute_concentration", 0),
        ("behaviour.managers.review_days", 0),
        ("behaviour.managers.sponsor_threshold", 1.0),
        ("behaviour.managers.satisfied_margin", -0.1),
    ]:
        with pytest.raises((InputError, ValueError), match=path.rsplit(".", 1)[1]):
            load_scenario(overrides={path: value})
