"""Training: sessions with scarce seats, run by a limited number of trainers."""

from __future__ import annotations

from collections import deque

import numpy as np
import simpy

from adoption.config.change import TrainingConfig
from adoption.engine.clock import AtOnce
from adoption.engine.events import EventLog
from adoption.engine.ledger import Ledger
from adoption.engine.people import People

SESSION_LENGTH_DAYS = 1.0


class Training:
    """People queue for a seat; trainers (a SimPy `Resource`) each run a session every
    `session_days`, seating up to `seats_per_session` from the front of the queue.
    Champions queue ahead of everyone else.
    """

    def __init__(
        self,
        config: TrainingConfig,
        people: People,
        env: simpy.Environment,
        events: EventLog,
        ledger: Ledger,
    ) -> None:
        self.config = config
        self.people = people
        self.env = env
        self.events = events
        self.ledger = ledger
        self.first: deque[np.ndarray] = deque()  # champions
        self.rest: deque[np.ndarray] = deque()
        self.queued = 0
        self.waits: list[float] = []
        self._joined_at = np.zeros(people.state.size, dtype=np.float32)
        if config.trainers > 0:
            self.trainers = simpy.Resource(env, capacity=config.trainers)
            self._interval = config.session_days / config.trainers
            AtOnce(env).callbacks.append(self._offer_session)

    def sign_up(self, became_aware: np.ndarray, uniform: np.ndarray) -> None:
        """People who just became aware sign up with probability `uptake`, each by their
        own U(0,1) in `uniform` (in `became_aware`'s order)."""
        self.enqueue(became_aware[uniform < self.uptake])

    @property
    def uptake(self) -> float:
        """The chance that a person who becomes aware signs up."""
        return self.config.uptake

    def enqueue(self, who: np.ndarray) -> None:
        """Put people (positions) at the back of the queue, champions in front."""
        if who.size == 0:  # most steps: nobody signed up
            return
        who = who[~self.people.trained[who] & ~self.people.in_training_queue[who]]
        if who.size == 0:
            return
        self.people.in_training_queue[who] = True
        self._joined_at[who] = self.env.now
        champions = self.people.champion[who]
        if champions.any():
            self.first.append(who[champions])
        if (~champions).any():
            self.rest.append(who[~champions])
        self.queued += who.size

    def _take(self, seats: int) -> np.ndarray:
        taken: list[np.ndarray] = []
        while seats > 0 and (self.first or self.rest):
            queue = self.first if self.first else self.rest
            block = queue[0]
            taken.append(block[:seats])
            if block.size > seats:
                queue[0] = block[seats:]
            else:
                queue.popleft()
            seats -= taken[-1].size
        return np.concatenate(taken) if taken else np.empty(0, dtype=np.int64)

    def _offer_session(self, _: simpy.Event) -> None:
        """A trainer's turn: each trainer offers a session every `session_days`, staggered
        across trainers, held if anyone is queued. Called back by its own timeouts rather
        than run as a process: the same events at the same moments in the same order
        (a tick's session starts before the next tick is set), without resuming a
        process at each of some 625 turns a default run, most of them for nobody."""
        if self.queued:
            self.env.process(self._session())
        self.env.timeout(self._interval).callbacks.append(self._offer_session)

    def _session(self):
        with self.trainers.request() as trainer:
            yield trainer
            seated = self._take(self.config.seats_per_session)
            if seated.size == 0:
                return
            self.queued -= seated.size
            self.waits.append(float((self.env.now - self._joined_at[seated]).mean()))
            yield self.env.timeout(SESSION_LENGTH_DAYS)
            self.people.in_training_queue[seated] = False
            self.people.trained[seated] = True
            self.ledger.charge("training", seated.size * self.config.cost_per_seat)
