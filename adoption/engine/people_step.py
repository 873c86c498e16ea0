"""The people's part of a step in two compiled calls: after their uses, and at its end.

Each crossing from Python into compiled code unboxes its arguments (some 50 arrays for
the decisions alone), so the organisational rollout's step makes these two calls where
it made eight. After the uses (`after_uses`), in the order of the step (docs/model.md):
the users who used the tool mark
their seats used; the tie sums follow the changes of state since the last step (on a
network; a complete graph's are counted whole before the call); everyone decides
(`acceptance.decide`), passing over those waiting for a seat (marked when the step's
users were found, `people.users_of`); and the failures of users with an active
champion close by are counted, for the support desk. (Those who became aware sign up
for training after the call, by uniforms drawn only for them: `draws.uniforms_at`.)
At the end of the step (`close_step`): idle seats are taken back and seats asked for,
and everyone is counted into the day's row of the recorder. Each part is the same
compiled function a caller outside the step would use.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from adoption.engine.acceptance import Step, decide
from adoption.engine.kernels import per_person
from adoption.engine.licences import mark_used, settle_seats
from adoption.engine.neighbourhood import failures_near_champions, follow_changes
from adoption.engine.people import People
from adoption.engine.recorder import count_people


class UsesMade(NamedTuple):
    """What the step's uses left for the rest of it, by user (in `users` order)."""

    users: np.ndarray  # positions
    uses_by_user: np.ndarray
    model_failures: np.ndarray


class SeatsNow(NamedTuple):
    """When everyone last used their seat (by person), and the step's end."""

    last_use: np.ndarray  # day of each person's last use
    now: float


class PeopleStep(NamedTuple):
    """One step's per-person work after the uses, as the fused call reads it."""

    decisions: Step
    uses: UsesMade
    seats: SeatsNow


@per_person
def after_uses(s) -> int:
    """The step's per-person work after the uses; returns how many of the users' failures
    had an active champion close by."""
    decisions, uses, seats = s.decisions, s.uses, s.seats
    people, near = decisions.people, decisions.near
    mark_used(uses.users, uses.uses_by_user, seats.last_use, seats.now)
    if not near.complete:
        follow_changes(near, people.state, people.experienced_accuracy)
    decide(decisions)
    return failures_near_champions(near, uses.users, uses.model_failures)


class Closing(NamedTuple):
    """The end of a step as its compiled call reads it: what a run keeps, then the
    step's end and row."""

    people: People
    seat_from: np.ndarray
    last_use: np.ndarray
    provision_days: float
    idle_limit: float  # days a seat may stay idle before it is taken back
    managers: np.ndarray  # positions of the managers, whose stances are counted
    sponsor_threshold: np.float32  # in the stances' single precision
    table: np.ndarray  # the recorder's, by column then step
    census_rows: np.ndarray  # its rows of `count_people`'s counts, in their order
    now: float
    row: int  # the step's column of the table


@njit(cache=True)
def close_step(s) -> tuple[int, int, int]:
    """Settle everyone's seats (`settle_seats`) and write the census (`count_people`)
    into the step's row; returns the seats held, requested and reclaimed."""
    people = s.people
    seats = settle_seats(
        people.state, s.seat_from, s.last_use, s.now, s.provision_days, s.idle_limit
    )
    counts = count_people(
        people.state,
        people.ever_tried,
        people.ever_active,
        people.trained,
        people.stance,
        s.managers,
        s.sponsor_threshold,
    )
    for k in range(counts.size):
        s.table[s.census_rows[k], s.row] = counts[k]
    return seats
