"""The dynamic state of every person, as arrays indexed by employee."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from adoption.engine.states import ACTIVE, NO_ACCESS, OTHER, STATE_NAMES, USING


class People(NamedTuple):
    """What changes about people during a run (static attributes live in Organisation).

    A tuple of arrays, so that compiled kernels can take it whole; the arrays are
    updated in place, never replaced.
    """

    state: np.ndarray  # int8, index into STATE_NAMES
    trained: np.ndarray  # bool
    in_training_queue: np.ndarray  # bool
    champion: np.ndarray  # bool
    expectation: np.ndarray  # float32: the accuracy they expect
    experienced_accuracy: np.ndarray  # float32: share of served uses that succeeded (EWMA)
    infrastructure_loss: np.ndarray  # float32: share of value lost to outages/slowness (EWMA)
    ever_tried: np.ndarray  # bool
    ever_active: np.ndarray  # bool
    burned: np.ndarray  # bool: abandoned at least once
    accuracy_when_abandoned: np.ndarray  # float32
    lapse_cause: np.ndarray  # int8, index into CAUSES: why they last lapsed
    odds_when_rejected: np.ndarray  # float32: their chance to try when they rejected
    stance: np.ndarray  # float32 in [-1, 1]; managers' stance toward the tool
    habit: np.ndarray  # float32 in [0, 1]: how automatic their use has become
    trust: np.ndarray  # float32 in [0, 1]: how far they rely on the tool, from errors they saw

    @classmethod
    def start(cls, size: int, stance_prior: np.ndarray, champion: np.ndarray) -> People:
        """Everyone without access, expecting nothing yet, and trusting the tool fully
        until they see it err."""
        zeros = np.zeros(size, dtype=np.float32)
        return cls(
            state=np.full(size, NO_ACCESS, dtype=np.int8),
            trained=np.zeros(size, dtype=bool),
            in_training_queue=np.zeros(size, dtype=bool),
            champion=champion,
            expectation=zeros.copy(),
            experienced_accuracy=zeros.copy(),
            infrastructure_loss=zeros.copy(),
            ever_tried=np.zeros(size, dtype=bool),
            ever_active=np.zeros(size, dtype=bool),
            burned=np.zeros(size, dtype=bool),
            accuracy_when_abandoned=zeros.copy(),
            lapse_cause=np.full(size, OTHER, dtype=np.int8),
            odds_when_rejected=zeros.copy(),
            stance=stance_prior.astype(np.float32),
            habit=zeros.copy(),
            trust=np.ones(size, dtype=np.float32),
        )

    def counts(self) -> np.ndarray:
        """People in each state, in STATE_NAMES order."""
        return np.bincount(self.state, minlength=len(STATE_NAMES))


SAME_DAY = 1e-9
"""Days within which two clock readings are the same instant (sums of step lengths)."""


@njit(cache=True)
def users_of(
    state: np.ndarray, seat_from: np.ndarray, step_start: float, held: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """The positions of people using the tool (trying or active) with a seat usable
    through the step that started at `step_start` (held since then: `seat_from`), in
    order, and for each whether they are active. Those trying or active whose seat is
    not usable yet are marked in `held` (waiting for it: no use and no decision this
    step), in the same pass; their number is returned third."""
    users = np.empty(state.size, dtype=np.int64)
    active = np.empty(state.size, dtype=np.bool_)
    count = waiting = 0
    for person in range(state.size):
        current = state[person]
        using = current in USING
        if using and seat_from[person] <= step_start + SAME_DAY:
            users[count] = person
            active[count] = current == ACTIVE
            count += 1
            held[person] = False
        else:
            held[person] = using
            waiting += using
    return users[:count].copy(), active[:count].copy(), waiting
