"""Managers' stance toward the tool: their own experience, their team's, their metrics."""

from __future__ import annotations

import numpy as np
from numba import njit

from adoption.config.behaviour import ManagersConfig
from adoption.engine.people import People
from adoption.engine.states import AGAINST, LAPSED, NO_ACCESS, USING
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
        config = self.config
        _move_stances(
            people.state,
            people.experienced_accuracy,
            people.infrastructure_loss,
            people.expectation,
            people.stance,
            self.team,
            self.teams,
            self.managers,
            self.led_team,
            self.prior,
            self.metric_threat,
            config.satisfied_margin,
            config.weight_own,
            config.weight_team,
            config.weight_metric_threat,
            config.weight_incentives * self.alignment,
            -np.expm1(-dt / config.adjustment_days),
        )


@njit(cache=True)
def _move_stances(
    state,
    experienced,
    infrastructure_loss,
    expectation,
    stance,
    team,
    teams,
    managers,
    led_team,
    prior,
    metric_threat,
    satisfied_margin,
    weight_own,
    weight_team,
    weight_metric_threat,
    incentives,
    weight,
):
    """One review: each manager's target is prior + own experience (+1 using and
    satisfied, -1 lapsed or against) + their team's net use among those with access −
    the threat to their metrics + incentives, clipped to [-1, 1]; the stance moves a
    share `weight` of the way there."""
    with_access = np.zeros(teams)
    net = np.zeros(teams)
    for person in range(state.size):
        now_in = state[person]
        if now_in != NO_ACCESS:
            with_access[team[person]] += 1.0
        if now_in in USING:
            net[team[person]] += 1.0
        elif now_in in AGAINST:
            net[team[person]] -= 1.0
    for k in range(managers.size):
        manager = managers[k]
        own_state = state[manager]
        # in single precision, as the people's arrays are
        satisfied = experienced[manager] * (
            np.float32(1.0) - infrastructure_loss[manager]
        ) >= expectation[manager] - np.float32(satisfied_margin)
        own = 0.0
        if own_state in USING and satisfied:
            own = 1.0
        elif own_state == LAPSED or own_state in AGAINST:
            own = -1.0
        led = led_team[manager]
        signal = 0.0
        if led >= 0 and with_access[led] > 0:
            signal = net[led] / with_access[led]
        target = min(
            1.0,
            max(
                -1.0,
                prior[k]
                + weight_own * own
                + weight_team * signal
                - weight_metric_threat * metric_threat[k]
                + incentives,
            ),
        )
        stance[manager] = stance[manager] + weight * (target - stance[manager])
