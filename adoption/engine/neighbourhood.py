"""What each person sees of their ties: who uses the tool, who turned against it.

The sums over ties change only where somebody's state changed, and few people change
state in a step, so they are kept current by adding each change to the changer's ties
(one pass over the states finds the changes) instead of a product over the whole
network every step. Each person's perception is read from those sums when their
decision needs it (the compiled functions at the end of this module), not computed for
everyone every step. What users say of the tool's accuracy changes every day for every
user; it is snapshot once a step and summed over a person's ties only when that person
weighs whether to try.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from adoption.engine.kernels import per_person, per_person_dividing
from adoption.engine.people import People
from adoption.engine.states import ACTIVE, AGAINST, NO_ACCESS, USING, in_group
from adoption.organisation.model import Organisation

HEARD_NOBODY = 1e-9
"""A kept weight of using ties at or below this is nobody (kept sums carry rounding)."""


class Surroundings(NamedTuple):
    """What everyone perceives of others at the start of a step, as kept tie sums.

    Read one person's perception with `using_share`, `abandoned_share`,
    `champion_nearby` and `heard_accuracy` (compiled, for the decision kernels) or
    their whole-array forms on `Neighbourhood`.
    """

    using: np.ndarray  # weight of ties trying or active
    champions_using: np.ndarray  # weight of champion ties trying or active
    against: np.ndarray  # weight of ties who abandoned or rejected
    champions_active: np.ndarray  # active champions among one's ties
    inverse_degree: np.ndarray
    inverse_weighted_degree: np.ndarray  # champions count `influence` times
    extra_weight: float  # influence - 1
    seen: np.ndarray  # everyone's state at the start of the step
    champion: np.ndarray
    team: np.ndarray
    team_champions_active: np.ndarray  # by team: active champions in it
    said: np.ndarray  # by person: the accuracy they report (0 unless using)
    said_total: float  # complete graph only: the sum of `said`
    indptr: np.ndarray  # the ties (empty on a complete graph)
    indices: np.ndarray
    weights: np.ndarray
    complete: bool


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
        self._team_champions_active = np.zeros(org.team_count, dtype=np.int64)
        self._said = np.zeros(size)
        if self.complete:
            degree = np.full(size, size - 1, dtype=np.float64)
            champion_ties = np.count_nonzero(champion) - champion.astype(np.float64)
            self._indptr = np.zeros(1, dtype=np.int64)
            self._indices = np.zeros(0, dtype=np.int64)
            self._weights = np.zeros(0)
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
        self._on_network = self._record(0.0)  # read on a network only

    def for_step(self, people: People) -> Surroundings:
        """The kept sums as one record for a step's fused call: on a complete graph
        counted now; on a network as they stand, for the call to bring up to date
        (`follow_changes`) before anything reads them (the same record every step: its
        arrays are updated in place)."""
        if self.complete:
            return self._record(self._count_everyone(people))
        return self._on_network

    def _record(self, said_total: float) -> Surroundings:
        """The kept sums and the ties as the compiled functions read them."""
        return Surroundings(
            using=self._using,
            champions_using=self._champions_using,
            against=self._against,
            champions_active=self._champions_active,
            inverse_degree=self.inverse_degree,
            inverse_weighted_degree=self.inverse_weighted_degree,
            extra_weight=self.extra_weight,
            seen=self._seen,
            champion=self.champion,
            team=self.team,
            team_champions_active=self._team_champions_active,
            said=self._said,
            said_total=said_total,
            indptr=self._indptr,
            indices=self._indices,
            weights=self._weights,
            complete=self.complete,
        )

    @staticmethod
    def using_shares(near: Surroundings) -> np.ndarray:
        """By person: the weighted share of ties using the tool."""
        return (
            near.using + near.extra_weight * near.champions_using
        ) * near.inverse_weighted_degree

    @staticmethod
    def abandoned_shares(near: Surroundings) -> np.ndarray:
        """By person: the share of ties who abandoned or rejected."""
        return near.against * near.inverse_degree

    @staticmethod
    def champions_nearby(near: Surroundings) -> np.ndarray:
        """By person: whether an active champion is among their ties or in their team."""
        return _champions_nearby(near)

    @staticmethod
    def heard_accuracies(near: Surroundings, expectation: np.ndarray) -> np.ndarray:
        """By person: the mean accuracy their using ties report (what they were told to
        expect where no tie uses it)."""
        return _heard_accuracies(near, expectation)

    def sums(self, column: np.ndarray) -> np.ndarray:
        """For each person, the sum of `column` over their ties (one full product)."""
        if self.complete:
            return column.sum(dtype=np.float64) - column
        return self.matrix @ column

    def _count_everyone(self, people: People) -> float:
        """Complete graph: each sum is the total over everyone less one's own value;
        returns the total of what users report."""
        state = people.state
        self._seen[:] = state
        using = in_group(state, USING).astype(np.float64)
        against = in_group(state, AGAINST).astype(np.float64)
        champions_using = using * self.champion
        champions_active = (self.champion & (state == ACTIVE)).astype(np.int64)
        self._said[:] = using * people.experienced_accuracy
        self._using[:] = using.sum() - using
        self._against[:] = against.sum() - against
        self._champions_using[:] = champions_using.sum() - champions_using
        self._champions_active[:] = champions_active.sum() - champions_active
        self._team_champions_active[:] = np.bincount(
            self.team, weights=champions_active, minlength=self.team_count
        )
        return float(self._said.sum())


def _inverse(values: np.ndarray) -> np.ndarray:
    return np.divide(1.0, values, out=np.zeros_like(values), where=values > 0)


@per_person
def _in(state, group) -> float:
    """1.0 if `state` is in `group` (a tuple of states), else 0.0."""
    return 1.0 if state in group else 0.0


@per_person
def follow_changes(near, state, experienced) -> None:
    """Add every state change since the last call to the changer's ties' sums (and an
    active champion's to their team's count), then snapshot what each person reports
    of the tool's accuracy: what they experienced if they use it, else nothing. On a
    network only: a complete graph's sums are counted whole (`for_step`)."""
    seen, champion = near.seen, near.champion
    for person in range(state.size):
        now, before = state[person], seen[person]
        if now == before:
            continue
        seen[person] = now
        d_using = _in(now, USING) - _in(before, USING)
        d_against = _in(now, AGAINST) - _in(before, AGAINST)
        is_champion = champion[person]
        d_active = int(_in(now, (ACTIVE,)) - _in(before, (ACTIVE,)))
        if is_champion:
            near.team_champions_active[near.team[person]] += d_active
        for tie in range(near.indptr[person], near.indptr[person + 1]):
            other, weight = near.indices[tie], near.weights[tie]
            near.using[other] += weight * d_using
            near.against[other] += weight * d_against
            if is_champion:
                near.champions_using[other] += weight * d_using
                near.champions_active[other] += d_active
    said = near.said
    for person in range(state.size):
        said[person] = experienced[person] if state[person] in USING else 0.0


@per_person
def using_share(near, person: int) -> float:
    """The weighted share of a person's ties trying or active (champions count more)."""
    return (
        near.using[person] + near.extra_weight * near.champions_using[person]
    ) * near.inverse_weighted_degree[person]


@per_person
def abandoned_share(near, person: int) -> float:
    """The share of a person's ties who abandoned or rejected the tool."""
    return near.against[person] * near.inverse_degree[person]


@per_person
def champion_nearby(near, person: int) -> bool:
    """Whether an active champion is among a person's ties, or another in their team."""
    if near.champions_active[person] > 0:
        return True
    themselves = 1 if near.champion[person] and near.seen[person] == ACTIVE else 0
    return near.team_champions_active[near.team[person]] - themselves > 0


@per_person_dividing
def heard_accuracy(near, person: int, expected: float) -> float:
    """The mean accuracy a person's using ties report, or `expected` (what they were
    told) when no tie uses it."""
    if near.complete:
        if near.using[person] <= 0.0:
            return expected
        return (near.said_total - near.said[person]) / near.using[person]
    if near.using[person] <= HEARD_NOBODY:
        return expected
    total = 0.0
    for tie in range(near.indptr[person], near.indptr[person + 1]):
        total += near.weights[tie] * near.said[near.indices[tie]]
    return total / near.using[person]


@per_person
def failures_near_champions(near, users, failures) -> int:
    """The failures of `users` (positions) who have an active champion close by (looked
    up only for users who failed)."""
    total = 0
    for k in range(users.size):
        if failures[k] > 0 and champion_nearby(near, users[k]):
            total += failures[k]
    return total


@njit(cache=True)
def _champions_nearby(near):
    nearby = np.zeros(near.using.size, dtype=np.bool_)
    for person in range(nearby.size):
        nearby[person] = champion_nearby(near, person)
    return nearby


@njit(cache=True)
def _heard_accuracies(near, expectation):
    heard = np.empty(near.using.size)
    for person in range(heard.size):
        heard[person] = heard_accuracy(near, person, expectation[person])
    return heard
