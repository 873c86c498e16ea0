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
from adoption.proportions import wilson_interval

MEASUREMENT_WINDOW_DAYS = 14.0
"""Days of recent use over which a gate measures accuracy and load."""


@dataclass(frozen=True)
class PilotMeasurement:
    """What the people with access so far have shown, as a gate reads it.

    Accuracy is what a gate can know of it: an estimate from the uses checked by hand
    (`audited` of them, `correct` right), with a Wilson interval; a small pilot checks
    few uses and measures noisily. `true_accuracy` (everyone's accuracy today, were
    they all using it) is recorded beside it for the report, never read by the gate.
    """

    day: float
    with_access: int
    adoption: float  # active / with access
    abandonment: float  # abandoned / ever tried, among those with access
    audited: int  # uses checked by hand over the recent window
    correct: int  # of which right
    accuracy_low: float  # Wilson interval of the accuracy at the gate's confidence
    accuracy_high: float
    accuracy_trend: float  # estimate now minus the estimate one window earlier
    business_minimum: float
    support_wait_days: float
    peak_requests_per_user: float | None  # measured peak load per person using the tool
    using_share: float  # trying or active / with access
    true_accuracy: float
    projected_latency_ms: float | None = None  # at everyone's load, on the capacity ordered
    cost_per_active_user_day: float | None = None  # running costs over the window per user

    @property
    def observed_accuracy(self) -> float | None:
        """The accuracy on the checked uses (None when none were checked)."""
        return self.correct / self.audited if self.audited else None

    def describe(self) -> str:
        accuracy = (
            "no use checked"
            if self.observed_accuracy is None
            else f"checked accuracy {self.observed_accuracy:.3f} "
            f"[{self.accuracy_low:.3f}, {self.accuracy_high:.3f}] on {self.audited} uses "
            f"(business minimum {self.business_minimum:.3f}; true {self.true_accuracy:.3f})"
        )
        return (
            f"{self.with_access} with access: adoption {self.adoption:.3f}, "
            f"abandonment {self.abandonment:.3f}, {accuracy}, "
            f"support wait {self.support_wait_days:.2f} days"
        )


@dataclass(frozen=True)
class GateDecision:
    """One decision of a gate: what it decided, when, and on what."""

    day: float
    decision: str  # proceed, pause or stop
    measured: PilotMeasurement


def audit(
    served: float, successes: float, share: float, rng: np.random.Generator
) -> tuple[int, int]:
    """Check a random `share` of `served` uses by hand: (checked, of which correct)."""
    served, successes = int(served), int(successes)
    checked = int(rng.binomial(served, share)) if served else 0
    if checked == 0:
        return (0, 0)
    correct = int(rng.hypergeometric(successes, served - successes, checked))
    return (checked, correct)


def measure_pilot(
    people: People,
    recorder: Recorder,
    support_wait_days: float,
    gate: Gate,
    business_minimum: float,
    true_accuracy: float,
    day: float,
    rng: np.random.Generator,
) -> PilotMeasurement:
    """What a gate sees: outcomes among the people with access so far, and accuracy
    (on checked uses) and load over the last MEASUREMENT_WINDOW_DAYS days."""
    with_access = people.state != NO_ACCESS
    count = int(with_access.sum())
    tried = int((people.ever_tried & with_access).sum())
    using = int(np.isin(people.state, USING).sum())
    window = MEASUREMENT_WINDOW_DAYS
    served = recorder.recent("served", 2 * window)
    successes = recorder.recent("successes", 2 * window)
    recent = min(served.size, recorder.recent("served", window).size)
    checked, correct = audit(
        served[-recent:].sum(), successes[-recent:].sum(), gate.audit_share, rng
    )
    before_checked, before_correct = audit(
        served[:-recent].sum() if recent < served.size else 0,
        successes[:-recent].sum() if recent < served.size else 0,
        gate.audit_share,
        rng,
    )
    trend = (
        correct / checked - before_correct / before_checked if checked and before_checked else 0.0
    )
    # nothing checked, nothing known
    low, high = wilson_interval(correct, checked, gate.confidence) if checked else (0.0, 1.0)
    peak = recorder.recent("peak_requests_per_second", window)
    return PilotMeasurement(
        day=day,
        with_access=count,
        adoption=float((people.state == ACTIVE).sum() / max(count, 1)),
        abandonment=float(((people.state == ABANDONED) & with_access).sum() / max(tried, 1)),
        audited=checked,
        correct=correct,
        accuracy_low=low,
        accuracy_high=high,
        accuracy_trend=trend,
        business_minimum=business_minimum,
        support_wait_days=support_wait_days,
        peak_requests_per_user=float(peak.max() / using) if using and peak.size else None,
        using_share=using / max(count, 1),
        true_accuracy=true_accuracy,
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
    if gate.business_case and measured.accuracy_low < measured.business_minimum:
        failed.append(
            f"accuracy not shown above the business minimum {measured.business_minimum:.3f} "
            f"(lower bound {measured.accuracy_low:.3f})"
        )
    if gate.max_projected_latency_ms is not None and (
        measured.projected_latency_ms is None
        or measured.projected_latency_ms > gate.max_projected_latency_ms
    ):
        failed.append(f"latency at full load above {gate.max_projected_latency_ms:g} ms")
    if gate.max_cost_per_active_user_day is not None and (
        measured.cost_per_active_user_day is None
        or measured.cost_per_active_user_day > gate.max_cost_per_active_user_day
    ):
        failed.append(f"cost per active user-day above {gate.max_cost_per_active_user_day:g}")
    if (
        gate.max_support_wait_days is not None
        and measured.support_wait_days > gate.max_support_wait_days
    ):
        failed.append(
            f"support wait {measured.support_wait_days:.2f} > {gate.max_support_wait_days} days"
        )
    return failed


def doomed(gate: Gate, measured: PilotMeasurement, pauses_left: int) -> bool:
    """Whether the business case has failed beyond what waiting can mend: the accuracy
    is shown below the business minimum, and its trend would not lift even the upper
    bound to it within the pauses left."""
    if not gate.business_case or measured.accuracy_high >= measured.business_minimum:
        return False
    windows = pauses_left * gate.pause_days / MEASUREMENT_WINDOW_DAYS
    reachable = measured.accuracy_high + max(measured.accuracy_trend, 0.0) * windows
    return reachable < measured.business_minimum


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
    if wave.group == "champion_teams":
        # the teams of champions who are active users now
        ready = np.zeros(org.team_count, dtype=bool)
        ready[org.team[champion & (state == ACTIVE)]] = True
        return np.flatnonzero(waiting & ready[org.team])
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

    A gate that fails pauses (delaying everything after it by `pause_days`, then
    measuring again) while pauses are left and the business case is not doomed; else it
    stops, and the tool is withdrawn. On proceeding, a gate can size capacity from the load
    the pilot measured; the next wave then waits until that capacity is in place.
    A `champion_teams` wave starts following the champions: from its day, every
    `step_days`, each team whose champion has become an active user gets access, until
    the plan stops.
    """

    def __init__(
        self,
        plan: Plan,
        env: simpy.Environment,
        events: EventLog,
        grant: Callable[[Wave], int],
        measure: Callable[[Gate], PilotMeasurement],
        size_capacity: Callable[[PilotMeasurement], simpy.Event | None],
        stop: Callable[[], None],
        step_days: float,
    ) -> None:
        self.plan = plan
        self.env = env
        self.events = events
        self.grant = grant
        self.measure = measure
        self.size_capacity = size_capacity
        self.stop = stop
        self.step_days = step_days
        self.decisions: list[GateDecision] = []
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
            if isinstance(step, Wave) and step.group == "champion_teams":
                self.env.process(self._follow_champions(step))
                self.events.add(
                    self.env.now, "wave", "champion_teams: each team as its champion is ready"
                )
                continue
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

    def _follow_champions(self, wave: Wave):
        """Each step, give access to the teams whose champion is now an active user."""
        while not self.stopped:
            granted = self.grant(wave)
            if granted:
                self.events.add(
                    self.env.now, "champion team", f"{granted} people given access by champions"
                )
            yield self.env.timeout(self.step_days)

    def _decide(self, gate: Gate):
        pauses = 0
        while True:
            measured = self.measure(gate)
            failed = failed_criteria(gate, measured)
            if not failed:
                self._log("proceed", measured, f"proceed: {measured.describe()}")
                arrival = self.size_capacity(measured) if gate.size_capacity else None
                if arrival is not None:
                    yield arrival
                return
            reasons = "; ".join(failed)
            pauses_left = gate.max_pauses - pauses if gate.on_fail == "pause" else 0
            if pauses_left > 0 and not doomed(gate, measured, pauses_left):
                pauses += 1
                self._log(
                    "pause",
                    measured,
                    f"pause {gate.pause_days} days ({reasons}): {measured.describe()}",
                )
                yield self.env.timeout(gate.pause_days)
                continue
            self._log("stop", measured, f"stop ({reasons}): {measured.describe()}")
            self.stopped = True
            self.stop()
            return

    def _log(self, decision: str, measured: PilotMeasurement, detail: str) -> None:
        self.decisions.append(GateDecision(self.env.now, decision, measured))
        self.events.add(self.env.now, "gate", detail)
