"""Managers' stance toward the tool: their own experience, their team's, their metrics."""

from __future__ import annotations

import numpy as np

from adoption.config.behaviour import ManagersConfig
from adoption.engine.people import People
from adoption.engine.states import AGAINST, LAPSED, NO_ACCESS, USING, in_group
from adoption.organisation.model import IC, Organisation


class ManagerStance:
    """Moves each manager's stance toward prior + own experience + team outcome − threat.

    The threat to a manager's metrics is larger when incentives punish use and when
    their team resists; a sponsor whose own use goes badly, or whose team abandons,
    turns neutral or opposed.
    """

    def __init__(
        self, org: Organisation, config: ManagersConfig, incentive_alignment: float
    ) -> None:
        self.config = config
        self.managers = np.flatnonzero(org.role != IC)
        self.prior = org.stance_prior[self.managers].astype(np.float64)
        led = org.team_manager()
        self.led_team = np.full(org.size, -1, dtype=np.int64)
        has = led >= 0
        self.led_team[led[has]] = np.flatnonzero(has)
        self.team = org.team
        self.teams = org.team_count
        led_by = self.led_team[self.managers]
        resistant = np.where(led_by >= 0, org.team_resistant[np.maximum(led_by, 0)], False)
        self.metric_threat = (
            max(0.0, -incentive_alignment) + config.resistant_team_threat * resistant
        )
        self.alignment = incentive_alignment
        self.since_review_days = 0.0

    def pass_time(self, people: People, dt: float) -> None:
        """Let `dt` days pass; managers review their stance once every `review_days`."""
        self.since_review_days += dt
        if self.since_review_days >= self.config.review_days - 1e-9:
            self.update(people, self.since_review_days)
            self.since_review_days = 0.0

    def update(self, people: People, dt: float) -> None:
        """Move each manager's stance toward its target over `dt` days."""
        state = people.state
        with_access = state != NO_ACCESS
        using = in_group(state, USING)
        against = in_group(state, AGAINST)
        access_count = np.bincount(self.team, weights=with_access, minlength=self.teams)
        net = np.bincount(self.team, weights=using.astype(float) - against, minlength=self.teams)
        team_signal = np.divide(net, access_count, out=np.zeros(self.teams), where=access_count > 0)
        managers, config = self.managers, self.config
        own_state = state[managers]
        satisfied = (
            people.experienced_accuracy[managers] * (1 - people.infrastructure_loss[managers])
            >= people.expectation[managers] - config.satisfied_margin
        )
        own = np.select(
            [
                np.isin(own_state, USING) & satisfied,
                (own_state == LAPSED) | np.isin(own_state, AGAINST),
            ],
            [1.0, -1.0],
            0.0,
        )
        led = self.led_team[managers]
        team = np.where(led >= 0, team_signal[np.maximum(led, 0)], 0.0)
        target = np.clip(
            self.prior
            + config.weight_own * own
            + config.weight_team * team
            - config.weight_metric_threat * self.metric_threat
            + config.weight_incentives * self.alignment,
            -1.0,
            1.0,
        )
        weight = -np.expm1(-dt / config.adjustment_days)
        people.stance[managers] += weight * (target - people.stance[managers])
