"""The states a person moves through, and the causes a departure is attributed to."""

from __future__ import annotations

import numpy as np

NO_ACCESS, UNAWARE, AWARE, TRYING, ACTIVE, LAPSED, ABANDONED, REJECTING = range(8)
"""The states (NO_ACCESS is 0: a count of nonzero states counts people with access)."""

STATE_NAMES = (
    "no_access",
    "unaware",
    "aware",
    "trying",
    "active",
    "lapsed",
    "abandoned",
    "rejecting",
)

USING = (TRYING, ACTIVE)
"""States in which a person uses the tool."""
AGAINST = (ABANDONED, REJECTING)
"""States of people who turned against the tool: their word of mouth is negative."""

CAUSES = ("accuracy", "fit", "infrastructure", "effort", "social", "expectations", "other")
"""Why people lapse or abandon: wrong answers (uses worth less than the person's work
needs), a tool that does not fit their work, slowness or outages, effort (untrained,
unsupported), social pressure (peers or manager against), expectations set too high, or
none of these (the baseline churn of habits that never formed)."""
ACCURACY, FIT, INFRASTRUCTURE, EFFORT, SOCIAL, EXPECTATIONS, OTHER = range(len(CAUSES))


def in_group(state: np.ndarray, group: tuple[int, ...]) -> np.ndarray:
    """Where `state` is one of `group`'s states: a comparison per state, several times
    faster than np.isin for the two-state groups the daily step asks about."""
    found = state == group[0]
    for other in group[1:]:
        found |= state == other
    return found
