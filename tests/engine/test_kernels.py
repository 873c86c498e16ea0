"""The decision pass skips work only where its outcome is certain.

A step's probability 1 - exp(-h dt) never exceeds h dt, so the pass settles a person
whose uniform lies above an upper bound of their hazards without computing them. These
tests check the bounds against the exact quantities on many random cases (a violated
bound would change decisions, which benchmarks/fingerprint.py would also catch).
"""

from __future__ import annotations

import numpy as np
import pytest

from adoption import load_scenario
from adoption.engine import acceptance
from adoption.engine.acceptance import Step, Tally, chance, competing, fires, lapse_ceiling
from adoption.engine.model import AdoptionModel
from adoption.engine.states import CAUSES
from tests.engine.helpers import perceived

DAYS = (0.25, 1.0, 7.0)


@pytest.mark.parametrize("dt", DAYS)
def test_an_event_fires_exactly_when_the_uniform_is_below_its_probability(dt):
    rng = np.random.default_rng(1)
    hazards = np.concatenate([[0.0, 1e-12, 1e-6], 10.0 ** rng.uniform(-4, 4, 20_000)])
    for hazard in hazards:
        probability = chance(hazard, dt)
        # uniforms on both sides of the probability, and right at it
        for uniform in (probability * 0.999999, probability, probability * 1.000001, rng.random()):
            assert fires(hazard, uniform, dt) == (uniform < probability)


@pytest.mark.parametrize("dt", DAYS)
def test_competing_hazards_choose_as_without_the_shortcut(dt):
    rng = np.random.default_rng(2)
    for _ in range(20_000):
        first, second = 10.0 ** rng.uniform(-3, 3, 2) * (rng.random(2) < 0.9)
        total = first + second
        happens = chance(total, dt)
        for uniform in (rng.random(), happens * rng.random(), happens):
            expected = (
                -1 if not uniform < happens else (0 if uniform / happens * total < first else 1)
            )
            assert competing(first, second, uniform, dt) == expected


@pytest.fixture(scope="module")
def step():
    """A step of a default run a year in, its people's attributes then scrambled across
    their valid ranges so that the bounds meet extreme cases."""
    model = AdoptionModel(load_scenario(overrides={"organisation.employees": 2000}), seed=3)
    for _ in range(365):
        model.step()
    rollout = model.dynamics
    people, rng = rollout.people, np.random.default_rng(4)
    size = people.state.size
    for name in ("expectation", "experienced_accuracy", "infrastructure_loss", "habit", "trust"):
        getattr(people, name)[:] = rng.random(size) ** rng.choice([0.2, 1.0, 5.0], size)
    people.stance[:] = rng.uniform(-1, 1, size)
    near = perceived(rollout.neighbourhood, people)
    day = rollout.rule.day(
        dt=1.0,
        now=model.env.now,
        accuracy_by_segment=rollout.tool.accuracy(),
        infrastructure_loss=0.3,
        support_wait_days=4.0,
        access_day=rollout.access_day,
        required=np.zeros(size, dtype=bool),
        uniform=rng.random(size),
        held=np.zeros(size, dtype=bool),
    )
    tally = Tally(
        became_aware=np.empty(size, dtype=np.int64),
        lapsed=np.zeros(len(CAUSES), dtype=np.int64),
        abandoned=np.zeros(len(CAUSES), dtype=np.int64),
        counts=np.zeros(4, dtype=np.int64),
    )
    return Step(rollout.rule.rates, people, rollout.rule.traits, near, day, tally)


def test_the_lapse_ceiling_bounds_everyones_lapse_hazards(step):
    rates, habit = step.rates, step.people.habit
    ceiling = lapse_ceiling(rates, step.day.support_wait_days)
    assert ceiling == step.day.lapse_ceiling
    for person in range(step.people.state.size):
        acceptance._pressures(step, person)
        bound = ceiling * (1.0 - rates.habit_protection * habit[person])
        assert step.day.pressures.sum() <= bound
        assert (step.day.pressures >= 0).all()
    # not a vacuous bound: it is within a small factor of the largest hazards seen
    assert ceiling < 50 * max(rates.dissatisfaction_per_year, rates.usefulness_per_year, 1.0)


def test_the_chance_to_try_is_at_most_one(step):
    odds = [acceptance._odds(step, person) for person in range(step.people.state.size)]
    assert min(odds) >= 0.0 and max(odds) <= 1.0


@pytest.mark.parametrize("comply", [0.0, 12.0])
def test_the_return_ceiling_bounds_a_lapsed_users_hazards(step, comply):
    for person in range(step.people.state.size):
        recover, give_up = acceptance._return_hazards(step, person, comply)
        assert recover >= 0.0 and give_up >= 0.0
        assert recover + give_up <= acceptance._return_ceiling(step, person, comply)
