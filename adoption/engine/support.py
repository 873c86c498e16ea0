"""The support desk: tickets wait for agents; the wait is what users feel."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from adoption.config.change import SupportConfig
from adoption.engine.queueing import mmc_mean_wait


class Tickets(NamedTuple):
    """One step's tickets: how many, and the failures they report by department."""

    count: int
    failure_reports: np.ndarray  # expected reported failures by department


class SupportDesk:
    """Tickets per step, aggregated exactly rather than one by one.

    Work the agents cannot clear carries over as a backlog (a fluid queue); while the
    desk keeps up, the wait is the stationary M/M/c wait (Erlang C) at the recent
    arrival rate (averaged over `rate_memory_days`, a week by default: a single day's
    count is a noisy estimate of the rate, and Erlang C is convex in it). Waits are
    reported up to `max_wait_days`. Tests compare this with a request-level SimPy desk.
    """

    def __init__(self, config: SupportConfig, local_help: float = 0.0) -> None:
        self.config = config
        self.local_help = local_help
        self.agents = config.agents
        self.backlog = 0.0
        self.wait_days = 0.0
        self.arrival_rate: float | None = None

    def raise_tickets(
        self,
        new_users: int,
        failures_by_department: np.ndarray,
        helped_new_users: int,
        helped_failures: int,
        rng: np.random.Generator,
    ) -> Tickets:
        """The step's tickets: from people starting to use the tool and from failed uses.

        A share of failed uses is reported (`tickets_per_failure`); those reports are what
        makes a department's data problems visible to the engineers who fix them. People
        near an active champion (`helped_new_users` of the new users, `helped_failures`
        of the failures) ask the champion first, who answers a share `local_help` of
        their tickets; the failures they meet still reach the engineers (the champion
        passes them on: super users filter questions and channel defects).
        """
        per_failure = self.config.tickets_per_failure
        reports = failures_by_department * per_failure
        answered = self.local_help * (
            helped_new_users * self.config.tickets_per_new_user + helped_failures * per_failure
        )
        expected = new_users * self.config.tickets_per_new_user + reports.sum() - answered
        return Tickets(count=int(rng.poisson(max(expected, 0.0))), failure_reports=reports)

    def staff(self, with_access: int) -> None:
        """Size the desk to the people who have access (never below its core): whole
        agents once it needs one person, a share of one person's time below that."""
        needed = with_access * self.config.agents_per_thousand_with_access / 1000
        if needed > 1:
            needed = math.ceil(needed - 1e-9)
        self.agents = max(self.config.agents, needed)

    @property
    def capacity_per_day(self) -> float:
        return self.agents * self.config.tickets_per_agent_day

    def step(self, tickets: float, dt_days: float) -> float:
        """Take `tickets` arriving over `dt_days`; return the mean wait (days)."""
        capacity = self.capacity_per_day * dt_days
        rate_now = tickets / dt_days
        if self.arrival_rate is None:
            self.arrival_rate = rate_now
        else:
            weight = -math.expm1(-dt_days / self.config.rate_memory_days)
            self.arrival_rate += weight * (rate_now - self.arrival_rate)
        if capacity <= 0:
            self.backlog += tickets
            self.wait_days = self.config.max_wait_days if self.backlog > 0 else 0.0
            return self.wait_days
        self.backlog = max(0.0, self.backlog + tickets - capacity)
        if self.backlog > 0:
            queueing = self.backlog / self.capacity_per_day
        else:
            # a desk of part-time agents: whole people, each working their share
            people = math.ceil(self.agents - 1e-9)
            queueing = mmc_mean_wait(self.arrival_rate, self.capacity_per_day / people, people)
            queueing = 0.0 if math.isinf(queueing) else queueing
        self.wait_days = min(queueing, self.config.max_wait_days)
        return self.wait_days
