"""Managers' stance toward the tool: their own experience, their team's, their metrics."""

from __future__ import annotations

import numpy as np

from adoption.engine.people import People
from adoption.engine.states import AGAINST, LAPSED, NO_ACCESS, USING
from adoption.organisation.model import IC, Organisation

ADJUSTMENT_DAYS = 30.0
"""Days over which a manager's stance moves toward what their situation suggests."""
REVIEW_DAYS = 7.0
"""Managers reconsider their stance once a week."""
SPONSOR_THRESHOLD = 1 / 3
"""Stance beyond which a manager counts as a sponsor (above) or an opponent (below minus)."""
WEIGHT_OWN = 0.8
WEIGHT_TEAM = 1.0
WEIGHT_METRIC_THREAT = 0.8


class ManagerStance:
    """Moves each manager's stance toward prior + own experience + team outcome − threat.

    The threat to a manager's metrics is larger when incentives punish use and when
    their team resists; a sponsor whose own use goes badly, or whose team abandons,
    turns neutral or opposed.
    """

    def __init__(self, org: Organisation, incentive_alignment: float) -> None:
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
        self.metric_threat = max(0.0, -incentive_alignment) + 0.5 * resistant
        self.alignment = incentive_alignment
        self.since_review_days = 0.0

    def pass_time(self, people: People, dt: float) -> None:
        """Let `dt` days pass; managers review their stance once every REVIEW_DAYS."""
        self.since_review_days += dt
        if self.since_review_days >= REVIEW_DAYS - 1e-9:
            self.update(people, self.since_review_days)
            self.since_review_days = 0.0

    def update(self, people: People, dt: float) -> None:
        """Move each manager's stance toward its target over `dt` days."""
        state = people.state
        with_access = state != NO_ACCESS
        using = np.isin(state, USING)
        against = np.isin(state, AGAINST)
        access_count = np.bincount(self.team, weights=with_access, minlength=self.teams)
        net = np.bincount(self.team, weights=using.astype(float) - against, minlength=self.teams)
        team_signal = np.divide(net, access_count, out=np.zeros(self.teams), where=access_count > 0)
        managers = self.managers
        own_state = state[managers]
        satisfied = (
            people.experienced_accuracy[managers] * (1 - people.infrastructure_loss[managers])
            >= people.expectation[managers] - 0.05
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
            + WEIGHT_OWN * own
            + WEIGHT_TEAM * team
            - WEIGHT_METRIC_THREAT * self.metric_threat
            + 0.5 * self.alignment,
            -1.0,
            1.0,
        )
        weight = -np.expm1(-dt / ADJUSTMENT_DAYS)
        people.stance[managers] += weight * (target - people.stance[managers])
