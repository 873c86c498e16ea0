"""The textbook rules: Bass, linear threshold, and simple contagion with recovery.

With these, the organisational mechanisms are off: everyone can adopt from day 0
(`aware` is the susceptible state), the initial adopters start `active`, and the rule
alone moves people. Rates follow the same step conversion as the default rule,
1 - exp(-h dt), so a daily step reproduces the continuous-time results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from adoption.config.behaviour import BassRule, ContagionRule, ThresholdRule
from adoption.config.network import InitialAdopters
from adoption.engine.clock import DAYS_PER_YEAR, step_probability
from adoption.engine.events import EventLog
from adoption.engine.neighbourhood import Neighbourhood
from adoption.engine.people import People
from adoption.engine.recorder import census
from adoption.engine.states import ABANDONED, ACTIVE, AWARE
from adoption.errors import InputError

if TYPE_CHECKING:
    from adoption.engine.model import AdoptionModel


def thresholds(rule: ThresholdRule, size: int, rng: np.random.Generator) -> np.ndarray:
    """Each person's threshold: listed, drawn from a distribution, or the common phi."""
    if rule.phi_values is not None:
        if len(rule.phi_values) != size:
            raise InputError(
                f"behaviour.phi_values has {len(rule.phi_values)} values for {size} people"
            )
        return np.array(rule.phi_values, dtype=np.float64)
    if rule.phi_distribution is not None:
        return np.clip(rule.phi_distribution.quantile(rng.random(size)).astype(float), 0, 1)
    return np.full(size, rule.phi)


def seed_adopters(
    people: People, spec: InitialAdopters | None, rng: np.random.Generator, events: EventLog
) -> None:
    """Everyone can adopt from the start; the initial adopters already have."""
    size = people.state.size
    people.state[:] = AWARE
    if spec is None:
        seeds = np.empty(0, dtype=np.int64)
    elif spec.ids is not None:
        seeds = np.array(spec.ids, dtype=np.int64)
        if seeds.size and (seeds.min() < 0 or seeds.max() >= size):
            raise InputError(f"initial_adopters.ids must be node numbers 0..{size - 1}")
    else:
        count = spec.count if spec.count is not None else round(spec.share * size)
        if count > size:
            raise InputError(f"initial_adopters.count={count} is more than {size} people")
        seeds = rng.choice(size, size=count, replace=False)
    people.state[seeds] = ACTIVE
    people.ever_tried[seeds] = True
    people.ever_active[seeds] = True
    events.add(0.0, "seed", f"{seeds.size} initial adopters")


class ClassicDiffusion:
    """A textbook rule on a plain network: the dynamics of a classic scenario.

    No plan, tool, infrastructure or change management: the rule alone moves people,
    on the share and number of their ties who adopted. Thresholds and initial adopters
    come from the run's `rollout` stream, the day's uniforms from its decisions stream.
    """

    decisions: tuple[str, ...] = ()
    """A classic run has no gates."""

    def __init__(self, model: AdoptionModel) -> None:
        self.model = model
        rule, org = model.settings.behaviour, model.organisation
        rng = model.streams["rollout"]
        self.rule = rule
        self.phi = thresholds(rule, org.size, rng) if isinstance(rule, ThresholdRule) else None
        nobody = np.zeros(org.size, dtype=bool)
        self.people = People.start(org.size, org.stance_prior, nobody)
        self.neighbourhood = Neighbourhood(org, nobody, influence=1.0)
        seed_adopters(self.people, model.settings.initial_adopters, rng, model.events)

    def day(self, step: int) -> None:
        """Everyone's update for one step, on the ties who adopted at its start."""
        people, model = self.people, self.model
        active = (people.state == ACTIVE).astype(np.float32)
        adopted_ties = self.neighbourhood.sums(active)
        share = adopted_ties * self.neighbourhood.inverse_degree
        _, leaving = self.step(
            people, share, adopted_ties, model.rng.random(model.organisation.size), model.dt
        )
        row = census(people, step * model.dt)
        row.update(observed_accuracy=np.nan, latency_ms=np.nan, abandoned_other=leaving)
        model.recorder.record(row)

    def _per_year(self, rate: float) -> float:
        per_day = isinstance(self.rule, ContagionRule) and self.rule.per == "day"
        return rate * DAYS_PER_YEAR if per_day else rate

    def step(
        self,
        people: People,
        adopted_share: np.ndarray,
        adopted_ties: np.ndarray,
        uniform: np.ndarray,
        dt: float,
    ) -> tuple[int, int]:
        """Apply one step; returns (new adopters, new abandoners)."""
        rule = self.rule
        state = people.state
        susceptible = np.flatnonzero(state == AWARE)
        adopters = np.flatnonzero(state == ACTIVE)
        if isinstance(rule, BassRule):
            hazard = rule.p + rule.q * adopted_share[susceptible]
            adopting = susceptible[uniform[susceptible] < step_probability(hazard, dt)]
            abandon_rate = rule.abandon_per_year
        elif isinstance(rule, ThresholdRule):
            # reaching the threshold, with at least one adopting tie (Watts 2002)
            reached = (adopted_share[susceptible] >= self.phi[susceptible]) & (
                adopted_ties[susceptible] > 0
            ) | (self.phi[susceptible] <= 0)
            adopting = susceptible[reached]
            abandon_rate = rule.abandon_per_year
        else:
            hazard = self._per_year(rule.tau) * adopted_ties[susceptible]
            adopting = susceptible[uniform[susceptible] < step_probability(hazard, dt)]
            abandon_rate = self._per_year(rule.gamma)
        leaving = adopters[uniform[adopters] < step_probability(abandon_rate, dt)]
        state[adopting] = ACTIVE
        people.ever_tried[adopting] = True
        people.ever_active[adopting] = True
        returns = isinstance(rule, ContagionRule) and rule.model == "SIS"
        state[leaving] = AWARE if returns else ABANDONED
        people.burned[leaving] = True
        return int(adopting.size), int(leaving.size)
