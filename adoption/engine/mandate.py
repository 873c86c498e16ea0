"""Who is required to use the tool today: nobody, everyone with access, or sponsors' teams."""

from __future__ import annotations

import numpy as np

from adoption.config.change import MandateConfig
from adoption.engine.people import People
from adoption.engine.states import NO_ACCESS
from adoption.organisation.model import Organisation


class Mandate:
    """A mandate over a window of days, for the organisation or for sponsoring managers'
    teams (a manager whose stance is above the sponsor threshold requires their team)."""

    def __init__(self, config: MandateConfig, org: Organisation, sponsor_threshold: float) -> None:
        self.config = config
        self.manager = org.manager
        self.sponsor_threshold = sponsor_threshold
        self._nobody = np.zeros(org.size, dtype=bool)

    def in_force(self, now: float) -> bool:
        """Whether the mandate applies at day `now`."""
        config = self.config
        if config.scope == "none" or now < config.from_day:
            return False
        return config.until_day is None or now < config.until_day

    def required(self, people: People, now: float) -> np.ndarray:
        """By person: whether they are required to use the tool at day `now`."""
        if not self.in_force(now):
            return self._nobody
        with_access = people.state != NO_ACCESS
        if self.config.scope == "organisation":
            return with_access
        managed = self.manager >= 0
        sponsored = np.zeros_like(with_access)
        sponsored[managed] = people.stance[self.manager[managed]] > self.sponsor_threshold
        return with_access & sponsored
