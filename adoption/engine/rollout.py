"""Rollout plans on the clock: waves that grant access, gates that decide what comes next."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import simpy

from adoption.config.plans import Gate, Plan, Wave
from adoption.engine.estimate import AccuracyEstimate, pooled_part, z_score
from adoption.engine.events import EventLog
from adoption.engine.people import People
from adoption.engine.states import ABANDONED, ACTIVE, NO_ACCESS, USING
from adoption.errors import InputError
from adoption.organisation.model import Organisation
from adoption.proportions import wilson_interval

MEASUREMENT_WINDOW_DAYS = 14.0
"""Days of recent use over which a gate measures accuracy and load."""


@dataclass(frozen=True)
class AccuracyEvidence:
    """What a gate knows of accuracy: the organisation's estimate (`organisation`), the
    pilot's own checked uses over the gate's sample (`audited`, `correct`), the rise of
    the estimate over the last window that the checks show beyond their noise
    (`trend`, per MEASUREMENT_WINDOW_DAYS), the days the sample covers, and the labelled
    examples evaluated offline for the segments the pilot has not seen. The estimate is
    today's accuracy on today's feed; while the feed is fragile, `pipeline_gain` is what
    the production pipeline will give back, which the business case counts (the
    organisation knows its own feed). For what a pause's extension could show: the
    headcount weight of each segment no check or example has seen (`unseen_weight`),
    how many people the extension would give access to in each (`extension_reach`),
    the share of the people with access who had time to decide (`decided_share`), the
    checks the sample drew per day per such person (`checks_per_decided_person_day`),
    the rate at which people decide, per day, and how concentrated the checks are in a
    few segments (`check_concentration`: Σ of each segment's share of the checks,
    squared; 1 when one segment has them all)."""

    organisation: AccuracyEstimate
    audited: int
    correct: int
    trend: float
    sample_days: float
    labelled: int = 0
    pipeline_gain: float = 0.0
    unseen_weight: tuple[float, ...] = ()
    extension_reach: tuple[int, ...] = ()
    decided_share: float = 0.0
    checks_per_decided_person_day: float = 0.0
    decisions_per_day: float = 0.0
    check_concentration: float = 0.0


@dataclass(frozen=True)
class PilotMeasurement:
    """What the people with access so far have shown, as a gate reads it.

    Accuracy is what a gate can know of it (`evidence`): the organisation's accuracy
    estimated from the uses checked by hand, segment by segment, weighted by headcount;
    a small pilot checks few uses and measures noisily. `break_even_accuracy` is the
    accuracy at which a user's uses pay for their seat (never below the business
    minimum). `true_accuracy` (everyone's accuracy today, were they all using it) is
    recorded beside it for the report, never read by the gate.
    """

    day: float
    with_access: int
    adoption: float  # active / with access
    adoption_high: float  # its upper confidence bound at the pilot's size
    decided_share: float  # share of people with access who had time to decide (age)
    abandonment: float  # abandoned / ever tried, among those with access
    evidence: AccuracyEvidence
    business_minimum: float
    break_even_accuracy: float
    support_wait_days: float
    peak_requests_per_user: float | None  # measured peak load per person using the tool
    using_share: float  # trying or active / with access
    true_accuracy: float
    projected_latency_ms: float | None = None  # at everyone's load, on the capacity ordered
    cost_per_active_user_day: float | None = None  # running costs over the window per user

    @property
    def audited(self) -> int:
        return self.evidence.audited

    @property
    def accuracy_low(self) -> float:
        """The lower bound of the organisation's accuracy with the production feed."""
        return min(1.0, self.evidence.organisation.low + self.evidence.pipeline_gain)

    @property
    def accuracy_high(self) -> float:
        """The upper bound of the organisation's accuracy with the production feed."""
        return min(1.0, self.evidence.organisation.high + self.evidence.pipeline_gain)

    @property
    def accuracy(self) -> float | None:
        """The organisation's accuracy as estimated (None when no use was checked)."""
        return self.evidence.organisation.estimate if self.evidence.audited else None

    @property
    def observed_accuracy(self) -> float | None:
        """The pilot's own accuracy on its checked uses (None when none were checked)."""
        evidence = self.evidence
        return evidence.correct / evidence.audited if evidence.audited else None

    def describe(self) -> str:
        """What the gate measured, in words: shares as percentages with what they count."""
        organisation = self.evidence.organisation
        accuracy = (
            "no use checked"
            if self.observed_accuracy is None
            else f"accuracy for the organisation estimated at {organisation.estimate:.1%} "
            f"(interval {organisation.low:.1%} to {organisation.high:.1%}) from "
            f"{self.audited:,} checked uses (the pilot's own {self.observed_accuracy:.1%}; "
            f"{organisation.seen_share:.0%} of headcount seen"
            + (f"; {self.evidence.labelled:,} labelled examples" if self.evidence.labelled else "")
            + (
                f"; {self.evidence.pipeline_gain * 100:+.1f} points once the pipeline is ready"
                if self.evidence.pipeline_gain
                else ""
            )
            + f"; a use pays from {self.break_even_accuracy:.1%}; "
            f"the truth {self.true_accuracy:.1%})"
        )
        return (
            f"{self.with_access:,} people with access: {self.adoption:.1%} of them active users, "
            f"{self.abandonment:.1%} of those who tried gave up; {accuracy}; "
            f"support wait {self.support_wait_days:.2f} days"
        )


@dataclass(frozen=True)
class GateDecision:
    """One decision of a gate: what it decided, when, why, and on what."""

    day: float
    decision: str  # proceed, pause or stop
    measured: PilotMeasurement
    reasons: tuple[str, ...] = ()
    gate: int = 0  # which of the plan's gates, in order of day


def measure_pilot(
    people: People,
    support_wait_days: float,
    gate: Gate,
    evidence: AccuracyEvidence,
    business_minimum: float,
    break_even_accuracy: float,
    true_accuracy: float,
    day: float,
    peak_requests_per_second: float | None,
) -> PilotMeasurement:
    """What a gate sees: outcomes among the people with access so far, the accuracy
    evidence, and the peak load over the last MEASUREMENT_WINDOW_DAYS days."""
    with_access = people.state != NO_ACCESS
    count = int(with_access.sum())
    tried = int((people.ever_tried & with_access).sum())
    using = int(np.isin(people.state, USING).sum())
    active = int((people.state == ACTIVE).sum())
    adoption_high = wilson_interval(active, count, gate.confidence)[1] if count else 1.0
    return PilotMeasurement(
        day=day,
        with_access=count,
        adoption=active / max(count, 1),
        adoption_high=adoption_high,
        decided_share=evidence.decided_share,
        abandonment=float(((people.state == ABANDONED) & with_access).sum() / max(tried, 1)),
        evidence=evidence,
        business_minimum=business_minimum,
        break_even_accuracy=break_even_accuracy,
        support_wait_days=support_wait_days,
        peak_requests_per_user=(
            peak_requests_per_second / using if using and peak_requests_per_second else None
        ),
        using_share=using / max(count, 1),
        true_accuracy=true_accuracy,
    )


def decided_share(ages: np.ndarray, decisions_per_day: float) -> float:
    """The share of people with access for `ages` days who had time to decide whether to
    use the tool, deciding at `decisions_per_day` (0 when nobody has access)."""
    return float(-np.expm1(-decisions_per_day * ages).mean()) if ages.size else 0.0


def decided_days(days: float, decisions_per_day: float) -> float:
    """Person-days of having decided that one person given access now has over `days`:
    the integral of 1 − exp(−rate × t), less than `days` while people settle in."""
    if decisions_per_day <= 0:
        return 0.0
    return days + float(np.expm1(-decisions_per_day * days)) / decisions_per_day


def failed_criteria(gate: Gate, measured: PilotMeasurement) -> list[str]:
    """The gate's criteria that the measurement misses (empty: proceed)."""
    failed = []
    if gate.min_adoption is not None:
        expected = gate.min_adoption * measured.decided_share
        if measured.adoption_high < expected:
            failed.append(
                f"adoption {measured.adoption:.1%} below {expected:.1%} "
                f"({gate.min_adoption * 100:g}% of the {measured.decided_share:.0%} who had time "
                "to decide)"
            )
    if gate.max_abandonment is not None and measured.abandonment > gate.max_abandonment:
        failed.append(
            f"abandonment {measured.abandonment:.1%} above {gate.max_abandonment * 100:g}% "
            "of those who tried"
        )
    if gate.min_observed_accuracy is not None and (
        measured.observed_accuracy is None
        or measured.observed_accuracy < gate.min_observed_accuracy
    ):
        failed.append(f"observed accuracy below {gate.min_observed_accuracy * 100:g}%")
    if gate.business_case and measured.accuracy_low < measured.break_even_accuracy:
        failed.append(
            f"accuracy not shown above break-even {measured.break_even_accuracy:.1%} "
            f"(lower bound {measured.accuracy_low:.1%})"
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
            f"support wait {measured.support_wait_days:.2f} days, above "
            f"{gate.max_support_wait_days:g}"
        )
    return failed


def extends(gate: Gate, measured: PilotMeasurement) -> bool:
    """Whether a pause of `gate` extends the pilot: the business case is not shown, some
    segment's accuracy is still only the prior (no check or labelled example has seen
    it), and the gate's extension would give someone in such a segment access."""
    return (
        gate.business_case
        and gate.extension_share > 0
        and measured.evidence.organisation.prior_variance > 0
        and sum(measured.evidence.extension_reach) > 0
        and measured.accuracy_low < measured.break_even_accuracy
    )


def variance_after(gate: Gate, measured: PilotMeasurement, waited: float) -> float:
    """The variance the organisation's estimate can expect after `waited` more days.

    The checks cover more days: the sampling variance shrinks in proportion. The prior
    of unseen segments is removed only by seeing them: when a pause extends the pilot
    to them (`extends`), each reached segment is checked at the pilot's rate per
    person-day of those who had time to decide, for the people reached as they come to
    decide over the days waited (`decided_days`: newcomers settle in). Its checks are a
    Poisson count: with the chance of none, it stays unseen and keeps its prior, as the
    segments the extension cannot reach do, all as one; else its estimate, like a seen
    segment's, is its own checks' with their sampling variance and the part borrowed
    from the other segments (`pooled_part`), which keeps the prior of the gap between
    the segment and those the pilot's checks come from (`pooled_variance`: a reached
    segment adds next to none of the checks).
    """
    evidence = measured.evidence
    estimate = evidence.organisation
    days = max(evidence.sample_days, MEASUREMENT_WINDOW_DAYS)
    sampling = estimate.sampling_variance * days / (days + waited)
    if not extends(gate, measured):
        return sampling + estimate.prior_variance
    z = z_score(gate.confidence)
    weight = np.asarray(evidence.unseen_weight)
    reach = np.asarray(evidence.extension_reach)
    checks = (
        reach
        * evidence.checks_per_decided_person_day
        * decided_days(waited, evidence.decisions_per_day)
    )
    share = estimate.estimate
    unchecked = np.exp(-checks)  # the chance that no use of the segment is checked
    seen = float((weight**2 * (1 - unchecked) * share * (1 - share) / (checks + z * z)).sum())
    parts = weight * (1 - unchecked) * pooled_part(checks, z)
    pooled = float((parts**2).sum() + parts.sum() ** 2 * evidence.check_concentration)
    unseen = float((weight * unchecked).sum()) ** 2
    return sampling + seen + (pooled + unseen) * gate.unseen_segment_sd**2


def can_show_the_case(gate: Gate, measured: PilotMeasurement, pauses_left: int) -> bool:
    """Whether pausing the pauses left has a fair chance (at least 1 − `confidence`) of
    showing the business case.

    By then the estimate's variance is `variance_after` the days waited, and the
    estimate will have moved by what the new checks show, a normal step with the
    variance they remove (preposterior); the rise the checks show beyond their noise
    carries on. The case is shown when the lower bound then clears the break-even
    accuracy.
    """
    if not gate.business_case:
        return True
    evidence = measured.evidence
    estimate = evidence.organisation
    waited = pauses_left * gate.pause_days
    after = variance_after(gate, measured, waited)
    centre = (
        estimate.estimate
        + evidence.pipeline_gain
        + evidence.trend * waited / MEASUREMENT_WINDOW_DAYS
    )
    margin = centre - z_score(gate.confidence) * np.sqrt(after) - measured.break_even_accuracy
    learned = np.sqrt(max(estimate.variance - after, 0.0))
    if learned == 0.0:
        return bool(margin >= 0.0)
    return NormalDist().cdf(margin / learned) >= 1.0 - gate.confidence


def judge(gate: Gate, measured: PilotMeasurement, pauses_left: int) -> tuple[str, list[str]]:
    """A gate's decision on what it measured: proceed when every criterion holds; pause
    while pauses are left and more evidence could show the business case; else stop."""
    failed = failed_criteria(gate, measured)
    if not failed:
        return "proceed", failed
    if pauses_left > 0 and can_show_the_case(gate, measured, pauses_left):
        return "pause", failed
    if pauses_left > 0:
        failed.append("more evidence within the pauses left could not show the business case")
    return "stop", failed


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


def extension_reach(headcount: np.ndarray, waiting: np.ndarray, share: float) -> np.ndarray:
    """How many people a gate's pause gives access to in segments of `headcount` with
    `waiting` people without access: `share` of the headcount, rounded, and at least one
    (a segment of a few people is still seen), at most those waiting; none at share 0."""
    if share <= 0:
        return np.zeros_like(waiting)
    wanted = np.maximum(np.rint(share * headcount).astype(np.int64), 1)
    return np.minimum(wanted, waiting)


def extension(
    segment: np.ndarray,
    unseen: np.ndarray,
    state: np.ndarray,
    share: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Positions of the people a gate's pause gives access to in each data segment in
    `unseen` (codes), as many as `extension_reach` says, drawn at random among those
    without access."""
    waiting = state == NO_ACCESS
    headcount = np.bincount(segment, minlength=int(unseen.max(initial=-1)) + 1)
    pools = [np.flatnonzero(waiting & (segment == code)) for code in unseen]
    reach = extension_reach(
        headcount[unseen], np.array([pool.size for pool in pools], dtype=np.int64), share
    )
    chosen = [np.empty(0, dtype=np.int64)]
    chosen += [
        rng.choice(pool, size=take, replace=False) for pool, take in zip(pools, reach, strict=True)
    ]
    return np.sort(np.concatenate(chosen))


class Rollout:
    """A plan as a SimPy process: its preparation (`prepare`, a process body), then waves
    at their days counted from its end, gates that proceed, pause or stop.

    A gate measures (`measure(gate, day it first measured)`) and proceeds, pauses
    (delaying everything after it by `pause_days`, then measuring again; a pause gives
    access to a share of the segments the gate has not seen, `extend(gate, day it first
    measured)`, when it `extends`) or stops (the tool is withdrawn), as `judge` says, or
    as the gate's `forced` decision says. On
    proceeding, a gate can size capacity from the load
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
        measure: Callable[[Gate, float], PilotMeasurement],
        extend: Callable[[Gate, float], int],
        size_capacity: Callable[[PilotMeasurement], simpy.Event | None],
        stop: Callable[[], None],
        step_days: float,
        prepare: Callable[[], Generator[simpy.Event, object, None]] | None = None,
    ) -> None:
        self.plan = plan
        self.prepare = prepare
        self.env = env
        self.events = events
        self.grant = grant
        self.measure = measure
        self.extend = extend
        self.size_capacity = size_capacity
        self.stop = stop
        self.step_days = step_days
        self.decisions: list[GateDecision] = []
        self.stopped = False
        self._gates_decided = 0
        env.process(self._run())

    @property
    def gates_to_come(self) -> bool:
        """Whether a gate may still measure: the plan has not stopped and some gate has
        not yet proceeded."""
        return not self.stopped and self._gates_decided < len(self.plan.gates)

    def _steps(self) -> list[Wave | Gate]:
        # at the same day a gate decides before the wave it guards
        steps = [(wave.day, 1, index, wave) for index, wave in enumerate(self.plan.waves)]
        steps += [(gate.day, 0, index, gate) for index, gate in enumerate(self.plan.gates)]
        return [step for *_, step in sorted(steps, key=lambda s: s[:3])]

    def _run(self):
        delay = 0.0
        if self.prepare is not None and self.plan.prepare:
            yield from self.prepare()
            delay = self.env.now  # the waves' days count from the end of the preparation
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
        index = self.plan.gates.index(gate)
        opened = self.env.now
        pauses = 0
        while True:
            measured = self.measure(gate, opened)
            pauses_left = gate.max_pauses - pauses if gate.on_fail == "pause" else 0
            if gate.forced is not None:
                decision, failed = gate.forced, ["decided in advance"]
            else:
                decision, failed = judge(gate, measured, pauses_left)
            reasons = "; ".join(failed)
            if decision == "proceed":
                self._log(index, "proceed", measured, failed, f"proceed: {measured.describe()}")
                self._gates_decided += 1
                arrival = self.size_capacity(measured) if gate.size_capacity else None
                if arrival is not None:
                    yield arrival
                return
            if decision == "pause":
                pauses += 1
                extension = ""
                if extends(gate, measured):
                    granted = self.extend(gate, opened)
                    extension = (
                        f", the pilot extended to {granted:,} people in the segments it has "
                        "not seen"
                    )
                self._log(
                    index,
                    "pause",
                    measured,
                    failed,
                    f"pause {gate.pause_days} days{extension} ({reasons}): {measured.describe()}",
                )
                yield self.env.timeout(gate.pause_days)
                continue
            self._log(index, "stop", measured, failed, f"stop ({reasons}): {measured.describe()}")
            self.stopped = True
            self.stop()
            return

    def _log(
        self, gate: int, decision: str, measured: PilotMeasurement, reasons: list[str], detail: str
    ) -> None:
        self.decisions.append(GateDecision(self.env.now, decision, measured, tuple(reasons), gate))
        self.events.add(self.env.now, "gate", detail)
