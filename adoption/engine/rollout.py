"""Rollout plans on the clock: waves that grant access, gates that decide what comes next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import simpy

from adoption.config.plans import Gate, Plan, Wave
from adoption.engine.events import EventLog
from adoption.engine.people import People
from adoption.engine.recorder import Recorder
from adoption.engine.states import ABANDONED, ACTIVE, NO_ACCESS, USING
from adoption.errors import InputError
from adoption.organisation.model import Organisation

MEASUREMENT_WINDOW_DAYS = 14.0
"""Days of recent use over which a gate measures accuracy and load."""


@dataclass(frozen=True)
class PilotMeasurement:
    """What the people with access so far have shown, as a gate reads it."""

    with_access: int
    adoption: float  # active / with access
    abandonment: float  # abandoned / ever tried, among those with access
    observed_accuracy: float | None  # successful / served uses over the recent window
    support_wait_days: float
    peak_requests_per_user: float | None  # measured peak load per person using the tool
    using_share: float  # trying or active / with access

    def describe(self) -> str:
        accuracy = "n/a" if self.observed_accuracy is None else f"{self.observed_accuracy:.3f}"
        return (
            f"{self.with_access} with access: adoption {self.adoption:.3f}, "
            f"abandonment {self.abandonment:.3f}, observed accuracy {accuracy}, "
            f"support wait {self.support_wait_days:.2f} days"
        )


def measure_pilot(people: People, recorder: Recorder, support_wait_days: float) -> PilotMeasurement:
    """What a gate sees: outcomes among the people with access so far, and accuracy and
    load over the last MEASUREMENT_WINDOW_DAYS days."""
    with_access = people.state != NO_ACCESS
    count = int(with_access.sum())
    tried = int((people.ever_tried & with_access).sum())
    using = int(np.isin(people.state, USING).sum())
    served = recorder.recent("served", MEASUREMENT_WINDOW_DAYS)
    successes = recorder.recent("successes", MEASUREMENT_WINDOW_DAYS)
    peak = recorder.recent("peak_requests_per_second", MEASUREMENT_WINDOW_DAYS)
    return PilotMeasurement(
        with_access=count,
        adoption=float((people.state == ACTIVE).sum() / max(count, 1)),
        abandonment=float(((people.state == ABANDONED) & with_access).sum() / max(tried, 1)),
        observed_accuracy=float(successes.sum() / served.sum()) if served.sum() else None,
        support_wait_days=support_wait_days,
        peak_requests_per_user=float(peak.max() / using) if using and peak.size else None,
        using_share=using / max(count, 1),
    )


def failed_criteria(gate: Gate, measured: PilotMeasurement) -> list[str]:
    """The gate's criteria that the measurement misses (empty: proceed)."""
    failed = []
    if gate.min_adoption is not None and measured.adoption < gate.min_adoption:
        failed.append(f"adoption {measured.adoption:.3f} < {gate.min_adoption}")
    if gate.max_abandonment is not None and measured.abandonment > gate.max_abandonment:
        failed.append(f"abandonment {measured.abandonment:.3f} > {gate.max_abandonment}")
    if gate.min_observed_accuracy is not None and (
        measured.observed_accuracy is None
        or measured.observed_accuracy < gate.min_observed_accuracy
    ):
        failed.append(f"observed accuracy below {gate.min_observed_accuracy}")
    if (
        gate.max_support_wait_days is not None
        and measured.support_wait_days > gate.max_support_wait_days
    ):
        failed.append(
            f"support wait {measured.support_wait_days:.2f} > {gate.max_support_wait_days} days"
        )
    return failed


def select_wave(
    wave: Wave,
    org: Organisation,
    state: np.ndarray,
    champion: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Positions of the people a wave gives access to (only those without access yet)."""
    waiting = state == NO_ACCESS
    if wave.group in ("all", "rest"):
        return np.flatnonzero(waiting)
    if wave.group == "champions":
        return np.flatnonzero(waiting & champion)
    if wave.group in ("region", "department"):
        names = org.region_names if wave.group == "region" else org.department_names
        if wave.name not in names:
            raise InputError(
                f"plan wave: no {wave.group} named '{wave.name}' in this organisation "
                f"(known: {', '.join(names)})"
            )
        codes = org.region if wave.group == "region" else org.department
        return np.flatnonzero(waiting & (codes == names.index(wave.name)))
    wanted = round(wave.share * org.size)
    if wave.group == "random":
        pool = np.flatnonzero(waiting)
        return np.sort(rng.choice(pool, size=min(wanted, pool.size), replace=False))
    # stratified: the same share from every department × region stratum
    stratum = org.department.astype(np.int64) * len(org.region_names) + org.region
    chosen = []
    for code in np.unique(stratum):
        pool = np.flatnonzero(waiting & (stratum == code))
        take = min(pool.size, round(wave.share * np.count_nonzero(stratum == code)))
        chosen.append(rng.choice(pool, size=take, replace=False))
    return np.sort(np.concatenate(chosen))


class Rollout:
    """A plan as a SimPy process: waves at their days, gates that proceed, pause or stop.

    A pause delays everything after the gate by `pause_days` and then measures again;
    a stop withdraws the tool. On proceeding, a gate can size capacity from the load
    the pilot measured; the next wave then waits until that capacity is in place.
    """

    def __init__(
        self,
        plan: Plan,
        env: simpy.Environment,
        events: EventLog,
        grant: Callable[[Wave], int],
        measure: Callable[[], PilotMeasurement],
        size_capacity: Callable[[PilotMeasurement], simpy.Event | None],
        stop: Callable[[], None],
    ) -> None:
        self.plan = plan
        self.env = env
        self.events = events
        self.grant = grant
        self.measure = measure
        self.size_capacity = size_capacity
        self.stop = stop
        self.decisions: list[str] = []
        self.stopped = False
        env.process(self._run())

    def _steps(self) -> list[Wave | Gate]:
        # at the same day a gate decides before the wave it guards
        steps = [(wave.day, 1, index, wave) for index, wave in enumerate(self.plan.waves)]
        steps += [(gate.day, 0, index, gate) for index, gate in enumerate(self.plan.gates)]
        return [step for *_, step in sorted(steps, key=lambda s: s[:3])]

    def _run(self):
        delay = 0.0
        for step in self._steps():
            wait = step.day + delay - self.env.now
            if wait > 0:
                yield self.env.timeout(wait)
            if isinstance(step, Wave):
                granted = self.grant(step)
                label = step.group + (f" {step.name}" if step.name else "")
                label += f" {step.share:.0%}" if step.share is not None else ""
                self.events.add(self.env.now, "wave", f"{label}: {granted} people given access")
                continue
            started = self.env.now
            yield from self._decide(step)
            if self.stopped:
                return
            delay += self.env.now - started

    def _decide(self, gate: Gate):
        pauses = 0
        while True:
            measured = self.measure()
            failed = failed_criteria(gate, measured)
            if not failed:
                self.decisions.append("proceed")
                self.events.add(self.env.now, "gate", f"proceed: {measured.describe()}")
                arrival = self.size_capacity(measured) if gate.size_capacity else None
                if arrival is not None:
                    yield arrival
                return
            reasons = "; ".join(failed)
            if gate.on_fail == "pause" and pauses < gate.max_pauses:
                pauses += 1
                self.decisions.append("pause")
                self.events.add(
                    self.env.now,
                    "gate",
                    f"pause {gate.pause_days} days ({reasons}): {measured.describe()}",
                )
                yield self.env.timeout(gate.pause_days)
                continue
            self.decisions.append("stop")
            self.events.add(self.env.now, "gate", f"stop ({reasons}): {measured.describe()}")
            self.stopped = True
            self.stop()
            return
