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
        tie_break = rng.random(org.size)
        champion[np.lexsort((tie_break, -org.degree()))[:count]] = True
    return champion
