"""What each person sees of their ties: who uses the tool, who turned against it.

The sums over ties change only where somebody's state changed, and few people change
state in a step, so they are kept current by adding each change to the changer's ties
(one pass over the states finds the changes) instead of a product over the whole
network every step. What users say of the tool's accuracy changes every day for every
user; it matters only to people weighing whether to try (the aware, and rejecters who may
reconsider), and is summed for them alone.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from adoption.engine.people import People
from adoption.engine.states import ACTIVE, AGAINST, AWARE, NO_ACCESS, REJECTING, USING, in_group
from adoption.organisation.model import Organisation


class Surroundings(NamedTuple):
    """What each person perceives of others today (arrays by person)."""

    using_share: np.ndarray  # weighted share of ties trying or active (champions count more)
    abandoned_share: np.ndarray  # share of ties who abandoned or rejected
    heard_accuracy: np.ndarray  # mean experienced accuracy of ties using it (aware people)
    using_ties: np.ndarray  # weight of ties using it
    champion_nearby: np.ndarray  # bool: an active champion among one's ties or in one's team


class Neighbourhood:
    """Sums over each person's ties, kept current as states change.

    Ties are the organisation's symmetric adjacency (weights allowed), so a change of
    person i's state changes the sums of exactly i's ties. A champion's use counts
    `influence` times a colleague's in the share of ties using the tool. An active
    champion is close by for their ties and for their whole team (tied or not). On a
    complete graph nothing is materialised: a person's ties are everyone else.
    """

    def __init__(self, org: Organisation, champion: np.ndarray, influence: float) -> None:
        size = org.size
        self.complete = org.complete
        self.champion = champion
        self.team = org.team
        self.team_count = org.team_count
        self.extra_weight = influence - 1.0
        self._seen = np.full(size, NO_ACCESS, dtype=np.int8)
        self._using = np.zeros(size)
        self._against = np.zeros(size)
        self._champions_using = np.zeros(size)
        self._champions_active = np.zeros(size, dtype=np.int64)
        self._heard = np.zeros(size)
        self._said = np.zeros(size)
        if self.complete:
            degree = np.full(size, size - 1, dtype=np.float64)
            champion_ties = np.count_nonzero(champion) - champion.astype(np.float64)
        else:
            # the organisation's own arrays, not copies: at a million people they are
            # 15 million ties
            self.matrix = org.adjacency.tocsr()
            self._indptr = self.matrix.indptr
            self._indices = self.matrix.indices
            self._weights = self.matrix.data
            degree = np.asarray(self.matrix.sum(axis=1), dtype=np.float64).ravel()
            champion_ties = self.matrix @ champion.astype(np.float64)
        self.inverse_degree = _inverse(degree)
        self.inverse_weighted_degree = _inverse(degree + self.extra_weight * champion_ties)

    def perceive(self, people: People) -> Surroundings:
        """Bring the sums up to the current states and say what everyone perceives."""
        if self.complete:
            self._count_everyone(people)
        else:
            _follow_changes(
                people.state,
                self._seen,
                self.champion,
                self._indptr,
                self._indices,
                self._weights,
                self._using,
                self._against,
                self._champions_using,
                self._champions_active,
            )
            _hear_accuracy(
                people.state,
                people.experienced_accuracy,
                people.expectation,
                self._using,
                self._indptr,
                self._indices,
                self._weights,
                self._said,
                self._heard,
            )
        return Surroundings(
            using_share=(self._using + self.extra_weight * self._champions_using)
            * self.inverse_weighted_degree,
            abandoned_share=self._against * self.inverse_degree,
            heard_accuracy=self._heard,
            using_ties=self._using,
            champion_nearby=(self._champions_active > 0) | self._teammate_champion(people),
        )

    def _teammate_champion(self, people: People) -> np.ndarray:
        """By person: whether another member of their team is an active champion."""
        active = self.champion & (people.state == ACTIVE)
        by_team = np.bincount(self.team[active], minlength=self.team_count)
        return by_team[self.team] - active > 0

    def sums(self, column: np.ndarray) -> np.ndarray:
        """For each person, the sum of `column` over their ties (one full product)."""
        if self.complete:
            return column.sum(dtype=np.float64) - column
        return self.matrix @ column

    def _count_everyone(self, people: People) -> None:
        """Complete graph: each sum is the total over everyone less one's own value."""
        state = people.state
        using = in_group(state, USING).astype(np.float64)
        against = in_group(state, AGAINST).astype(np.float64)
        champions_using = using * self.champion
        champions_active = (self.champion & (state == ACTIVE)).astype(np.int64)
        said = using * people.experienced_accuracy
        self._using[:] = using.sum() - using
        self._against[:] = against.sum() - against
        self._champions_using[:] = champions_using.sum() - champions_using
        self._champions_active[:] = champions_active.sum() - champions_active
        np.divide(
            said.sum() - said,
            self._using,
            out=self._heard,
            where=self._using > 0,
        )
        np.copyto(self._heard, people.expectation, where=self._using <= 0)


def _inverse(values: np.ndarray) -> np.ndarray:
    return np.divide(1.0, values, out=np.zeros_like(values), where=values > 0)


@njit(cache=True)
def _in(state, group) -> float:
    """1.0 if `state` is in `group` (a tuple of states), else 0.0."""
    return 1.0 if state in group else 0.0


@njit(cache=True, nogil=True)
def _follow_changes(
    state, seen, champion, indptr, indices, weights, using, against, champions_using, active
):
    """Add every state change since the last call to the changer's ties' sums."""
    for person in range(state.size):
        now, before = state[person], seen[person]
        if now == before:
            continue
        seen[person] = now
        d_using = _in(now, USING) - _in(before, USING)
        d_against = _in(now, AGAINST) - _in(before, AGAINST)
        is_champion = champion[person]
        d_active = _in(now, (ACTIVE,)) - _in(before, (ACTIVE,))
        for tie in range(indptr[person], indptr[person + 1]):
            other, weight = indices[tie], weights[tie]
            using[other] += weight * d_using
            against[other] += weight * d_against
            if is_champion:
                champions_using[other] += weight * d_using
                active[other] += int(d_active)


@njit(cache=True, nogil=True, error_model="numpy")
def _hear_accuracy(state, experienced, expectation, using, indptr, indices, weights, said, heard):
    """For people weighing whether to try (aware, or rejecters who may reconsider), the
    mean accuracy their using ties experienced (or, with no tie using it, what they
    were told to expect). `using` is the kept weight of each person's using ties;
    `said` is scratch space for what each person says (0 unless using)."""
    for person in range(state.size):
        said[person] = experienced[person] if state[person] in USING else 0.0
    for person in range(state.size):
        if state[person] != AWARE and state[person] != REJECTING:
            continue
        if using[person] <= 1e-9:  # kept sums of weights: allow for rounding
            heard[person] = expectation[person]
            continue
        total = 0.0
        for tie in range(indptr[person], indptr[person + 1]):
            total += weights[tie] * said[indices[tie]]
        heard[person] = total / using[person]
