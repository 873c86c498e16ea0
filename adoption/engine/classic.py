"""The textbook rules: Bass, linear threshold, and simple contagion with recovery.

With these, the organisational mechanisms are off: everyone can adopt from day 0
(`aware` is the susceptible state), the initial adopters start `active`, and the rule
alone moves people. Rates follow the same step conversion as the default rule,
1 - exp(-h dt), so a daily step reproduces the continuous-time results.
"""

from __future__ import annotations

import numpy as np

from adoption.config.behaviour import BassRule, ContagionRule, ThresholdRule
from adoption.engine.clock import DAYS_PER_YEAR, step_probability
from adoption.engine.people import People
from adoption.engine.states import ABANDONED, ACTIVE, AWARE
from adoption.errors import InputError


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


class ClassicDynamics:
    """One step of a classic rule for everyone, on the share and number of adopting ties."""

    def __init__(
        self, rule: BassRule | ThresholdRule | ContagionRule, size: int, rng: np.random.Generator
    ) -> None:
        self.rule = rule
        self.phi = thresholds(rule, size, rng) if isinstance(rule, ThresholdRule) else None

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
