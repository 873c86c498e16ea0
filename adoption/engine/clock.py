"""Time on the SimPy clock: days as the unit, hazards per year, step ordering."""

from __future__ import annotations

import numpy as np
import simpy
from simpy.core import NORMAL, URGENT

DAYS_PER_YEAR = 365.0
AFTER_EVENTS = NORMAL + 1
"""Priority of the people update: after every organisational event of the same instant."""


def steps_in(days: float, dt_days: float) -> int:
    """Whole steps of `dt_days` that cover `days` (at least one): the one place where a
    span a user gives in days becomes a count of steps."""
    return max(1, round(days / dt_days))


def step_probability(rate_per_year: np.ndarray | float, dt_days: float) -> np.ndarray | float:
    """Probability that an event of hazard `rate_per_year` happens within `dt_days`."""
    return -np.expm1(-rate_per_year * (dt_days / DAYS_PER_YEAR))


class AfterEvents(simpy.Event):
    """A timeout that fires after all other events scheduled for the same instant.

    Like `simpy.Timeout` (which it mirrors), but with a lower priority, so that the
    people update at day t sees every wave, gate and outage of day t.
    """

    def __init__(self, env: simpy.Environment, delay: float) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, AFTER_EVENTS, delay)


class AtOnce(simpy.Event):
    """An event that fires now, ahead of the ordinary events of this instant: where a
    SimPy process would start (`simpy.events.Initialize`), for a recurring callback
    that needs no process."""

    def __init__(self, env: simpy.Environment) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, URGENT)
