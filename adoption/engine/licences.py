"""Licences: who holds a seat of the tool, and the seats the organisation pays for.

A person uses the tool only while holding a seat. Under `assign: access` a wave's people
get seats with their access; under `first_use` a person asks for one when they start
trying (or come back without one) and can use it `provision_days` later. A seat nobody
has used for `reclaim_idle_days` is taken back. Until their seat is there, a person who
decided to try (or to come back) is held where they are: they make no use, since they
cannot, and no decision, since nothing new has reached them; they decide again from the
step their seat arrives, on what they had come to expect.

What is paid is a pool of seats bought for `commitment_days` each (vendors sell annual
subscriptions of named-user licences that an administrator can reassign): a seat taken
back is given to the next person who needs one while its term lasts, a seat is bought
only when no paid one is free, and at the end of its term a seat is renewed only if
somebody needs it. With no commitment the pool is exactly the seats held. The pool
follows the fungible count of seats, not which person had which: reassigning is free
under the terms modelled, so only the count and the terms matter.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from adoption.config.economics import LicencesConfig
from adoption.engine.kernels import per_person
from adoption.engine.ledger import Ledger
from adoption.engine.people import SAME_DAY
from adoption.engine.states import USING


class Seats:
    """Every person's seat (by arrays) and the organisation's paid pool, booked daily."""

    def __init__(self, config: LicencesConfig, size: int, ledger: Ledger) -> None:
        self.config = config
        self.ledger = ledger
        self.first_use = config.assign == "first_use"
        self.idle_limit = np.inf if config.reclaim_idle_days is None else config.reclaim_idle_days
        self.seat_from = np.full(size, np.inf)  # day from which each holds a seat (inf: none)
        self.last_use = np.full(size, -np.inf)  # day of each person's last use
        self.terms = np.zeros(0)  # the day each paid seat's term ends
        self._first_end = np.inf  # the earliest of `terms`
        self.held = 0
        self.requested = 0
        self.reclaimed = 0

    @property
    def paid(self) -> int:
        """Seats the organisation is paying for now (held, or free within their term)."""
        return self.held if self.config.commitment_days <= 0 else int(self.terms.size)

    def give(self, who: np.ndarray, now: float) -> None:
        """Seats with access (`assign: access`) for the positions `who` that hold none."""
        if self.first_use:
            return
        without = who[self.seat_from[who] > now + SAME_DAY]
        self.seat_from[without] = now
        self.last_use[without] = now

    def take_all_back(self) -> None:
        """The programme stopped: nobody holds a seat (paid terms run to their end)."""
        self.seat_from.fill(np.inf)

    def pay(self, counts: tuple[int, int, int], now: float, dt: float) -> None:
        """The pool paid for `dt`, given what `settle_seats` counted (held, requested,
        reclaimed) at the end of the step (the organisational rollout's step settles the
        seats in its fused call, `close_step`, and marks them used in `after_uses`)."""
        self.held, self.requested, self.reclaimed = map(int, counts)
        self._keep_terms(now)
        self.ledger.charge("licences", self.paid * self.config.price_per_seat_day * dt)

    def _keep_terms(self, now: float) -> None:
        """Bring the pool up to the seats held (`kept_terms`), unless no term has ended
        and no seat is missing (most steps), when it is kept as it is."""
        term = self.config.commitment_days
        if term <= 0 or (self.held <= self.terms.size and self._first_end > now + SAME_DAY):
            return
        kept = kept_terms(self.terms, self.held, float(now), float(term))
        if kept is not self.terms:
            self.terms = kept
            self._first_end = float(kept.min()) if kept.size else np.inf


@njit(cache=True)
def kept_terms(terms: np.ndarray, held: int, now: float, term: float) -> np.ndarray:
    """The paid seats' term ends (days) once the pool is brought up to `held` seats:
    those in their term first (in order), then renewals of seats whose term ended (in
    order, each to the end of its current term of `term` days), then new seats; ended
    terms nobody needs lapse. The same array when no term ended and none is missing.
    """
    live = 0
    for end in terms:
        live += end > now + SAME_DAY
    if live == terms.size and held <= live:
        return terms
    renewed = min(max(held - live, 0), terms.size - live)
    bought = max(held - live - renewed, 0)
    kept = np.empty(live + renewed + bought)
    k = 0
    for end in terms:
        if end > now + SAME_DAY:
            kept[k] = end
            k += 1
    for end in terms:
        if k == live + renewed:
            break
        if not end > now + SAME_DAY:
            kept[k] = end + (np.floor((now - end) / term + SAME_DAY) + 1.0) * term
            k += 1
    kept[k:] = now + term
    return kept


@per_person
def mark_used(users, uses_by_user, last_use, now) -> None:
    """The users (positions) who made at least one use this step used it `now`."""
    for k in range(users.size):
        if uses_by_user[k] > 0:
            last_use[users[k]] = now


@njit(cache=True)
def settle_seats(state, seat_from, last_use, now, provision, idle_limit):
    """Take back seats idle for `idle_limit` days, give a seat `provision` days from now
    to anyone trying or active without one; count (held, requested, reclaimed)."""
    held = requested = reclaimed = 0
    for person in range(state.size):
        since = seat_from[person]
        if since <= now + SAME_DAY:
            idle_from = max(last_use[person], since)
            if now - idle_from >= idle_limit - SAME_DAY:
                seat_from[person] = np.inf
                reclaimed += 1
        current = state[person]
        if seat_from[person] == np.inf and current in USING:
            seat_from[person] = now + provision
            requested += 1
        if seat_from[person] <= now + SAME_DAY:
            held += 1
    return held, requested, reclaimed
