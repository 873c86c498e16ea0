"""Tie sums kept current from state changes equal a full product over the network."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp

from adoption.engine.neighbourhood import Neighbourhood
from adoption.engine.people import People
from adoption.engine.states import ABANDONED, ACTIVE, AWARE, REJECTING, STATE_NAMES, TRYING
from tests.engine.helpers import perceived

INFLUENCE = 3.0


def weighted_network(size: int, rng: np.random.Generator) -> sp.csr_matrix:
    """A symmetric random network with unequal positive weights (as an HR export may give)."""
    upper = sp.random(size, size, density=0.02, random_state=rng, format="csr")
    upper = sp.triu(upper, k=1)
    upper.data = 0.5 + upper.data  # weights in (0.5, 1.5)
    return (upper + upper.T).tocsr()


def full_product(adjacency, team, people: People) -> dict[str, np.ndarray]:
    """What each person perceives, by dense sums over their ties (the definition)."""
    state, champion = people.state, people.champion
    using = np.isin(state, (TRYING, ACTIVE)).astype(float)
    against = np.isin(state, (ABANDONED, REJECTING)).astype(float)
    ties = adjacency.toarray()
    degree = ties.sum(axis=1)
    weighted_degree = degree + (INFLUENCE - 1) * ties @ champion
    using_ties = ties @ using
    said = ties @ (using * people.experienced_accuracy)
    active_champion = (champion & (state == ACTIVE)).astype(float)
    teammates = (team[:, None] == team[None, :]) & ~np.eye(team.size, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        heard = np.where(using_ties > 0, said / using_ties, people.expectation)
        return {
            "using_share": (using_ties + (INFLUENCE - 1) * ties @ (using * champion))
            / weighted_degree,
            "abandoned_share": ties @ against / degree,
            "using_ties": using_ties,
            "heard_accuracy": heard,
            # an active champion among one's ties, or another active champion in one's team
            "champion_nearby": (ties @ active_champion > 0) | (teammates @ active_champion > 0),
        }


def random_people(size: int, rng: np.random.Generator) -> People:
    people = People.start(size, np.zeros(size), rng.random(size) < 0.1)
    people.experienced_accuracy[:] = rng.random(size)
    people.expectation[:] = rng.random(size)
    return people


@pytest.mark.parametrize("complete", [False, True])
def test_sums_follow_every_change_of_state(complete):
    rng = np.random.default_rng(3)
    size = 300
    adjacency = (
        sp.csr_matrix(np.ones((size, size)) - np.eye(size))
        if complete
        else weighted_network(size, rng)
    )
    teams = 30
    team = rng.integers(0, teams, size)
    org = SimpleNamespace(
        size=size, complete=complete, adjacency=adjacency, team=team, team_count=teams
    )
    people = random_people(size, rng)
    neighbourhood = Neighbourhood(org, people.champion, INFLUENCE)
    for _ in range(12):
        # a few people change state, as in a step; sometimes most of them at once
        changing = rng.random(size) < rng.choice([0.02, 0.2, 0.9])
        people.state[changing] = rng.integers(0, len(STATE_NAMES), changing.sum())
        people.experienced_accuracy[:] = rng.random(size)
        near = perceived(neighbourhood, people)
        expected = full_product(adjacency, team, people)
        valid = np.diff(adjacency.indptr) > 0
        seen = {
            "using_share": Neighbourhood.using_shares(near),
            "abandoned_share": Neighbourhood.abandoned_shares(near),
            "using_ties": near.using,
        }
        for name, got in seen.items():
            np.testing.assert_allclose(got[valid], expected[name][valid], rtol=1e-9, atol=1e-12)
        aware = people.state == AWARE
        heard = Neighbourhood.heard_accuracies(near, people.expectation)
        np.testing.assert_allclose(heard[aware], expected["heard_accuracy"][aware], rtol=1e-5)
        np.testing.assert_array_equal(
            Neighbourhood.champions_nearby(near), expected["champion_nearby"]
        )
