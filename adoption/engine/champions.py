"""Choosing champions: at random, by network centrality, or one per team."""

from __future__ import annotations

import numpy as np

from adoption.config.change import ChampionsConfig
from adoption.organisation.model import Organisation


def choose_champions(
    config: ChampionsConfig, org: Organisation, rng: np.random.Generator
) -> np.ndarray:
    """A boolean mask of champions.

    `random` and `centrality` (most ties first, ties broken at random) pick
    round(share × headcount) people; `per_team` picks the most innovative member of
    every team, whatever the share.
    """
    champion = np.zeros(org.size, dtype=bool)
    if config.selection == "per_team":
        order = np.lexsort((-org.innovativeness, org.team))
        first = np.ones(order.size, dtype=bool)
        first[1:] = org.team[order][1:] != org.team[order][:-1]
        champion[order[first]] = True
        return champion
    count = round(config.share * org.size)
    if count == 0:
        return champion
    if config.selection == "random":
        champion[rng.choice(org.size, size=count, replace=False)] = True
    else:
        champion[most_tied(org.degree(), rng.random(org.size), count)] = True
    return champion


def most_tied(degree: np.ndarray, tie_break: np.ndarray, count: int) -> np.ndarray:
    """The positions of the `count` people with the most ties, ties between equal degrees
    broken by the smallest `tie_break` (then the first position): the first `count` of
    `np.lexsort((tie_break, -degree))`, without sorting everyone. Everyone above the
    `count`-th largest degree is in; of those at it, the smallest tie breaks."""
    threshold = np.partition(degree, degree.size - count)[degree.size - count]
    above = np.flatnonzero(degree > threshold)
    at = np.flatnonzero(degree == threshold)
    taken = at[np.argsort(tie_break[at], kind="stable")[: count - above.size]]
    return np.concatenate((above, taken))
