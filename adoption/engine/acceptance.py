"""The default decision rule: technology acceptance with expectation-confirmation.

Intention to try (TAM/UTAUT) is a logistic function of expected usefulness, expected
ease, social influence (neighbours' use, the manager's stance weighted heavily),
facilitating conditions, team resistance, personal threat, innovativeness, negative
word of mouth and incentives. Once using, people compare what they experience with
what they expected; the shortfall, split by where it comes from, drives lapsing and
abandonment. Trust, which the errors a person has seen lower (experience.py), scales the
usefulness they credit the tool with: in deciding to try again, to keep using it and to
come back after giving up. Each lapse is attributed to the cause whose hazard produced it (drawn in
proportion to the cause-specific hazards), and an abandonment keeps the cause of the
lapse that led to it.

Everyone's day is decided in one compiled pass (numba): each person's decision depends
only on their own state and on what they perceived at the start of the step, so one
loop over people gives the same synchronous update as whole-array operations. The pass
calls one small function per state, each reading the step as one record (`Step`).

Most people, most days, do nothing: a step's probability 1 - exp(-h dt) never exceeds
h dt, so a person whose uniform lies above an upper bound of their hazards cannot move,
and their intention, lapse pressures and exponentials are not computed. The bounds only
skip work whose outcome is certain: results are the same, number for number.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from pydantic import BaseModel

from adoption.config.behaviour import AcceptanceRule as AcceptanceConfig
from adoption.config.change import (
    ChampionsConfig,
    CommunicationsConfig,
    MandateConfig,
    TrainingConfig,
)
from adoption.engine.clock import DAYS_PER_YEAR, step_probability
from adoption.engine.kernels import per_person, per_person_dividing, per_person_inlined
from adoption.engine.neighbourhood import (
    Surroundings,
    abandoned_share,
    champion_nearby,
    heard_accuracy,
    using_share,
)
from adoption.engine.people import People
from adoption.engine.states import (
    ABANDONED,
    ACCURACY,
    ACTIVE,
    AWARE,
    CAUSES,
    EFFORT,
    EXPECTATIONS,
    FIT,
    INFRASTRUCTURE,
    LAPSED,
    NO_ACCESS,
    OTHER,
    REJECTING,
    SOCIAL,
    TRYING,
    UNAWARE,
)
from adoption.organisation.model import Organisation

chance = per_person(step_probability)


class Rates(NamedTuple):
    """The rule's parameters as plain numbers, for the compiled pass."""

    try_per_year: float
    reject_per_year: float
    reconsider_per_year: float
    commit_per_year: float
    trial_drop_per_year: float
    lapse_per_year: float
    dissatisfaction_per_year: float
    effort_per_year: float
    social_per_year: float
    support_wait_per_year: float
    recover_per_year: float
    abandon_per_year: float
    return_per_year: float
    usefulness_per_year: float
    habit_days: float
    habit_protection: float
    weight_usefulness: float
    weight_effort: float
    weight_social: float
    weight_manager: float
    weight_conditions: float
    weight_word_of_mouth: float
    satisfaction_memory_days: float
    expectation_adaptation_days: float
    tolerance: float
    minimum_useful_accuracy: float
    background_awareness_per_year: float
    campaign_awareness_per_year: float
    peer_awareness_per_year: float
    campaign_days: float
    effort_reduction: float
    intention_boost: float
    recovery_boost: float
    local_effort_reduction: float
    prior_voices: float
    commit_steepness: float
    recovery_sensitivity: float
    abandon_half_shortfall: float
    abandon_floor: float
    relearn_share: float
    social_manager: float
    social_resistance: float
    compliance_per_year: float
    enforcement: float


class Traits(NamedTuple):
    """Who each person is, as far as the rule cares (arrays by person)."""

    segment: np.ndarray  # data segment (department × region): whose accuracy they see
    manager: np.ndarray  # position of their manager, -1 for none
    fit: np.ndarray  # their team's workflow fit
    resistant: np.ndarray  # 1.0 in a resistant team
    skill: np.ndarray  # digital skill
    base_intention: np.ndarray  # the intention logit's terms that do not change in a run
    pace: np.ndarray  # how much sooner than average they decide whether to try


class Day(NamedTuple):
    """One step's inputs to the decisions, besides the people and what they perceive:
    the day's conditions, one uniform per person, and the step's rates as shares."""

    dt: float
    now: float
    accuracy_by_segment: np.ndarray  # today's production accuracy
    infrastructure_loss: float  # share of a use's value lost to outages and slowness today
    support_wait_days: float
    access_day: np.ndarray  # by person: when they got access (-inf if never)
    required: np.ndarray  # by person: whether a mandate requires them to use the tool
    uniform: np.ndarray  # by person: the one U(0,1) that decides their step
    held: np.ndarray  # by person: waiting for a licence seat, so no decision this step
    years: float  # the step's length in years (dt / DAYS_PER_YEAR)
    adapt: float  # share of the gap to experience that expectations close
    relearn: float  # share of the gap to today's tool that the lapsed learn of
    habituate: float  # share of the way to full habit an active user goes
    conditions: float  # facilitating conditions: 1 with no wait for support
    lapse_ceiling: float  # an upper bound of anyone's lapse hazards (`lapse_ceiling`)
    pressures: np.ndarray  # scratch: one person's lapse hazards by cause


class Tally(NamedTuple):
    """What a step's decisions changed, written by the compiled pass."""

    became_aware: np.ndarray  # positions, the first `counts[AWARE_COUNT]` of them
    lapsed: np.ndarray  # by cause, in CAUSES order
    abandoned: np.ndarray  # by cause
    counts: np.ndarray  # AWARE_COUNT, RETURNED, STARTED, STARTED_HELPED


AWARE_COUNT, RETURNED, STARTED, STARTED_HELPED = range(4)


class Step(NamedTuple):
    """One step as the compiled pass reads it: the rule, the people, what they perceive,
    the day's inputs, and where its changes are tallied."""

    rates: Rates
    people: People
    traits: Traits
    near: Surroundings
    day: Day
    tally: Tally


class Transitions(NamedTuple):
    """What one day's decisions changed (those who became aware signed up within the
    decisions' call)."""

    lapsed_by_cause: list[int]  # counts in CAUSES order
    abandoned_by_cause: list[int]
    returned: int
    started: int  # people who started trying
    started_helped: int  # of them, those with an active champion close by


NOTHING_DECIDED = Transitions(
    lapsed_by_cause=[0] * len(CAUSES),
    abandoned_by_cause=[0] * len(CAUSES),
    returned=0,
    started=0,
    started_helped=0,
)
"""A step's transitions when nobody can decide (after the tool is withdrawn)."""


class AcceptanceRule:
    """Daily transitions of everyone, decided in one compiled pass."""

    def __init__(
        self,
        config: AcceptanceConfig,
        business_minimum: float,
        communications: CommunicationsConfig,
        training: TrainingConfig,
        champions: ChampionsConfig,
        mandate: MandateConfig,
        incentive_alignment: float,
        org: Organisation,
        segment: np.ndarray,
    ) -> None:
        self.rates = _rates(
            (config, communications, training, champions, mandate),
            minimum_useful_accuracy=business_minimum,
        )
        resistant = org.team_resistant[org.team].astype(np.float64)
        self.traits = Traits(
            segment=segment,
            manager=org.manager.astype(np.int64),
            fit=org.team_workflow_fit[org.team].astype(np.float64),
            resistant=resistant,
            skill=org.digital_skill.astype(np.float64),
            base_intention=config.intention_bias
            - config.weight_resistance * resistant
            - config.weight_threat * org.threat_perception.astype(np.float64)
            + config.weight_innovativeness * org.innovativeness.astype(np.float64)
            + config.weight_incentives * incentive_alignment
            + np.array(
                [config.region_intention_offset.get(name, 0.0) for name in org.region_names]
            )[org.region],
            pace=np.exp(config.pace_innovativeness * (org.innovativeness.astype(np.float64) - 0.5)),
        )
        self._became_aware = np.empty(org.size, dtype=np.int64)
        self._pressures = np.empty(len(CAUSES))
        self._shares: dict[float, tuple[float, float, float]] = {}
        self._tally = Tally(
            became_aware=self._became_aware,
            lapsed=np.zeros(len(CAUSES), dtype=np.int64),
            abandoned=np.zeros(len(CAUSES), dtype=np.int64),
            counts=np.zeros(4, dtype=np.int64),
        )

    def day(
        self,
        dt: float,
        now: float,
        accuracy_by_segment: np.ndarray,
        infrastructure_loss: float,
        support_wait_days: float,
        access_day: np.ndarray,
        required: np.ndarray,
        uniform: np.ndarray,
        held: np.ndarray,
    ) -> Day:
        """A step's inputs as the compiled pass reads them (numbers as floats, so that
        every step's record has one type)."""
        dt, support_wait_days = float(dt), float(support_wait_days)
        adapt, relearn, habituate = self._shares_of(dt)
        return Day(
            dt,
            float(now),
            accuracy_by_segment,
            float(infrastructure_loss),
            support_wait_days,
            access_day,
            required,
            uniform,
            held,
            dt / DAYS_PER_YEAR,
            adapt,
            relearn,
            habituate,
            1.0 / (1.0 + support_wait_days),
            lapse_ceiling(self.rates, support_wait_days),
            self._pressures,
        )

    def _shares_of(self, dt: float) -> tuple[float, float, float]:
        """The step's rates as shares of a step of `dt` days (computed once a length)."""
        if dt not in self._shares:
            self._shares[dt] = _shares(self.rates, dt)
        return self._shares[dt]

    def step_record(self, people: People, day: Day, near: Surroundings) -> Step:
        """One step as the compiled pass reads it, its tallies cleared: pass it to
        `decide` (alone or within a fused call), then read `transitions`."""
        tally = self._tally
        for counter in tally[1:]:
            counter.fill(0)
        return Step(self.rates, people, self.traits, near, day, tally)

    def became_aware(self) -> np.ndarray:
        """The positions of those who became aware in the last `decide`, in order."""
        return self._became_aware[: self._tally.counts[AWARE_COUNT]]

    def transitions(self) -> Transitions:
        """What the step's decisions changed, from the tallies of the last `decide`."""
        tally = self._tally
        _, returned, started, helped = tally.counts.tolist()
        return Transitions(
            lapsed_by_cause=tally.lapsed.tolist(),
            abandoned_by_cause=tally.abandoned.tolist(),
            returned=returned,
            started=started,
            started_helped=helped,
        )


def _rates(sections: tuple[BaseModel, ...], **more: float) -> Rates:
    """The rule's parameters, each taken from the one config section that declares it."""
    values = dict(more)
    for section in sections:
        for name in type(section).model_fields.keys() & set(Rates._fields):
            if name in values:
                raise ValueError(f"'{name}' is declared by two sections the rule reads")
            values[name] = float(getattr(section, name))
    return Rates(**values)


# --- hazards within a step ---------------------------------------------------------------


@per_person
def fires(hazard: float, uniform: float, dt: float) -> bool:
    """Whether an event of `hazard` (per year) happens within a step of `dt` days.

    The step's probability 1 - exp(-h dt) never exceeds h dt, so a uniform at or above
    h dt settles it without the exponential.
    """
    return uniform < hazard * (dt / DAYS_PER_YEAR) and uniform < chance(hazard, dt)


@per_person
def competing(first: float, second: float, uniform: float, dt: float) -> int:
    """Which of two competing hazards (per year) fires within a step of `dt` days.

    Returns 0 or 1, or -1 when neither does. One uniform decides both whether anything
    happens (probability 1 - exp(-total dt)) and which event, in proportion to its
    hazard.
    """
    total = first + second
    if not uniform < total * (dt / DAYS_PER_YEAR):
        return -1
    happens = chance(total, dt)
    if not uniform < happens:
        return -1
    return 0 if uniform / happens * total < first else 1


@per_person
def cause_of(hazards: np.ndarray, uniform: float) -> int:
    """The cause whose hazard produced an event: drawn in proportion to the hazards.

    With cause-specific hazards h_c competing, the event is due to cause c with
    probability h_c / sum(h); `uniform` is U(0,1) given that the event happened.
    """
    target = uniform * hazards.sum()
    last = 0
    for cause in range(hazards.size):
        if hazards[cause] > 0.0:
            last = cause
            target -= hazards[cause]
            if target < 0.0:
                return cause
    return last


@per_person
def cannot_happen(bound: float, uniform: float, years: float) -> bool:
    """Whether hazards at most `bound` (per year) certainly fire nothing this step."""
    return not uniform < bound * years


# --- what a person believes and feels ----------------------------------------------------


@per_person_inlined
def _ease(s, person: int) -> float:
    """Expected ease of use: digital skill, with training removing part of the effort and
    an active champion close by part of what is left."""
    rates, people, traits, near = s.rates, s.people, s.traits, s.near
    skill = traits.skill[person]
    ease = skill + people.trained[person] * rates.effort_reduction * (1.0 - skill)
    nearby = champion_nearby(near, person)
    return ease + nearby * rates.local_effort_reduction * (1.0 - ease)


@per_person_inlined
def _manager_stance(s, person: int) -> float:
    people, traits = s.people, s.traits
    manager = traits.manager[person]
    return people.stance[manager] if manager >= 0 else 0.0


@per_person_inlined
def _intention(s, person: int) -> float:
    """Logit of the intention to try (TAM/UTAUT terms minus resistance). Expected
    usefulness is what they believe of the tool's accuracy, as far as they trust it: a
    person who has seen it err relies on it less (algorithm aversion)."""
    rates, people, traits, near, day = s.rates, s.people, s.traits, s.near, s.day
    voices = near.using[person]
    heard = heard_accuracy(near, person, people.expectation[person])
    belief = (rates.prior_voices * people.expectation[person] + voices * heard) / (
        rates.prior_voices + voices
    )
    return (
        traits.base_intention[person]
        + rates.weight_usefulness * traits.fit[person] * belief * people.trust[person]
        + rates.weight_effort * _ease(s, person)
        + rates.weight_social * using_share(near, person)
        + rates.weight_manager * _manager_stance(s, person)
        + rates.weight_conditions * day.conditions
        - rates.weight_word_of_mouth * abandoned_share(near, person)
        + rates.intention_boost * people.champion[person]
    )


@per_person_inlined
def _odds(s, person: int) -> float:
    """The chance that a person who decides, decides to try."""
    return 1.0 / (1.0 + np.exp(-_intention(s, person)))


@per_person_dividing
def value_share(accuracy: float, minimum: float) -> float:
    """What a use is worth at `accuracy`, as a share of a use that is always right.

    A use's value is linear in accuracy and nil at the business minimum (where what
    right answers earn is what wrong ones cost), so the share is
    (accuracy - minimum) / (1 - minimum), clipped to 0..1. Compiled with NumPy's error
    model: Python's adds a division check whose exception path stops numba optimising
    the per-person loop that calls this (it made the day 7 times slower).
    """
    if accuracy >= 1.0:
        return 1.0
    if accuracy <= minimum:
        return 0.0
    return (accuracy - minimum) / (1.0 - minimum)


@per_person_inlined
def _usefulness(s, person: int) -> float:
    """How much the tool helps this person's work, as far as they rely on it: their
    team's workflow fit times what a use is worth at the accuracy they experience times
    their trust (0..1)."""
    rates, people, traits = s.rates, s.people, s.traits
    worth = value_share(people.experienced_accuracy[person], rates.minimum_useful_accuracy)
    return traits.fit[person] * worth * people.trust[person]


@per_person_inlined
def _pressures(s, person: int) -> float:
    """Fill `day.pressures` with the lapse hazards (per year) by cause; return the shortfall.

    Satisfaction has two sources (expectation-confirmation): usefulness and the
    confirmation of what was promised. Too little usefulness drives lapsing in
    proportion to 1 - fit x worth x trust, which splits exactly into the part the
    work's fit leaves (1 - fit: cause `fit`) and the part wrong answers take, now and
    through the trust they cost (fit x (1 - worth x trust): cause `accuracy`); accuracy
    below the business minimum drives lapsing in its own right as well. The shortfall
    of experience below expectation (beyond the tolerance) is split by where it comes
    from: quality lost to outages and slowness, and expectations above what the tool
    could deliver. Habit scales every hazard down.
    """
    rates, people, traits, near, day = s.rates, s.people, s.traits, s.near, s.day
    rates, people, out = rates, people, day.pressures
    expected = people.expectation[person]
    accuracy = people.experienced_accuracy[person]
    fit = traits.fit[person]
    relied = value_share(accuracy, rates.minimum_useful_accuracy) * people.trust[person]
    loss = people.infrastructure_loss[person]
    minimum = rates.minimum_useful_accuracy
    quality = accuracy * (1.0 - loss)
    below_minimum = max(0.0, minimum - accuracy)
    lost_to_infrastructure = accuracy * loss
    over_expected = max(0.0, expected - max(accuracy, minimum))
    raw = lost_to_infrastructure + over_expected
    shortfall = max(0.0, expected - quality - rates.tolerance)
    scale = rates.dissatisfaction_per_year * shortfall / raw if raw > 0 else 0.0
    social = min(
        1.0,
        abandoned_share(near, person)
        + rates.social_manager * max(0.0, -_manager_stance(s, person))
        + rates.social_resistance * traits.resistant[person],
    )
    # a tool wrong too often for the work is dropped whatever was promised
    out[ACCURACY] = (
        rates.dissatisfaction_per_year * below_minimum
        + rates.usefulness_per_year * fit * (1.0 - relied)
    )
    out[FIT] = rates.usefulness_per_year * (1.0 - fit)
    out[INFRASTRUCTURE] = lost_to_infrastructure * scale
    out[EFFORT] = rates.effort_per_year * (1.0 - _ease(s, person)) + (
        rates.support_wait_per_year * day.support_wait_days * (1.0 - quality)
    )
    out[SOCIAL] = rates.social_per_year * social
    out[EXPECTATIONS] = over_expected * scale
    out[OTHER] = rates.lapse_per_year
    out *= 1.0 - rates.habit_protection * people.habit[person]
    return shortfall


def lapse_ceiling(rates: Rates, wait: float) -> float:
    """An upper bound of anyone's summed lapse hazards before habit and mandates scale
    them down (per year).

    Term by term: below-minimum accuracy is at most the minimum and worth x trust at least 0;
    fit's and accuracy's usefulness terms add up to at most usefulness_per_year; the
    shortfall's two causes share dissatisfaction x shortfall <= dissatisfaction; ease
    and quality are at least 0, the social share at most 1. A relative margin covers
    rounding in the exact sums.
    """
    return (
        rates.dissatisfaction_per_year * (rates.minimum_useful_accuracy + 1.0)
        + rates.usefulness_per_year
        + rates.effort_per_year
        + rates.support_wait_per_year * wait
        + rates.social_per_year
        + rates.lapse_per_year
    ) * (1.0 + 1e-9)


# --- one person's step, by state ---------------------------------------------------------


@per_person_inlined
def _start_trying(s, person: int) -> None:
    """A person starts trying the tool, giving it the benefit of the doubt: first uses
    are judged against what they expected."""
    people, near, tally = s.people, s.near, s.tally
    people.state[person] = TRYING
    people.ever_tried[person] = True
    people.experienced_accuracy[person] = people.expectation[person]
    people.infrastructure_loss[person] = 0.0
    tally.counts[STARTED] += 1
    if champion_nearby(near, person):
        tally.counts[STARTED_HELPED] += 1


@per_person_inlined
def _lapse(s, person: int, cause: int) -> None:
    """A user lapses, for `cause`."""
    people, tally = s.people, s.tally
    people.state[person] = LAPSED
    people.lapse_cause[person] = cause
    tally.lapsed[cause] += 1


@per_person_inlined
def _commit(s, person: int) -> None:
    """A user becomes (or is again) an active user."""
    people = s.people
    people.state[person] = ACTIVE
    people.ever_active[person] = True


@per_person_inlined
def _unaware(s, person: int, draw: float, comply: float) -> None:
    """Hearing of the tool: background, the launch campaign, colleagues who use it."""
    rates, people, near, day, tally = s.rates, s.people, s.near, s.day, s.tally
    campaign = day.now - day.access_day[person] <= rates.campaign_days
    hazard = (
        rates.background_awareness_per_year
        + rates.campaign_awareness_per_year * campaign
        + rates.peer_awareness_per_year * using_share(near, person)
        + comply
    )
    if fires(hazard, draw, day.dt):
        people.state[person] = AWARE
        counts = tally.counts
        tally.became_aware[counts[AWARE_COUNT]] = person
        counts[AWARE_COUNT] += 1


@per_person_inlined
def _aware(s, person: int, draw: float, comply: float) -> None:
    """Deciding whether to try: try at the pace of one's intention, or refuse. The
    required cannot refuse; they start whatever their intention."""
    rates, people, traits, day = s.rates, s.people, s.traits, s.day
    pace = traits.pace[person]
    refuse = 0.0 if comply > 0 else rates.reject_per_year
    # the odds are at most 1: with them at 1 in both terms, nothing may happen
    if cannot_happen((rates.try_per_year * pace + comply) + refuse * pace, draw, day.years):
        return
    odds = _odds(s, person)
    choice = competing(
        rates.try_per_year * pace * odds + comply,
        0.0 if comply > 0 else rates.reject_per_year * pace * (1.0 - odds),
        draw,
        day.dt,
    )
    if choice == 0:
        _start_trying(s, person)
    elif choice == 1:
        people.state[person] = REJECTING
        people.odds_when_rejected[person] = odds


@per_person_inlined
def _rejecting(s, person: int, draw: float, comply: float) -> None:
    """A refusal stands until one's surroundings make trying likelier than it was (or a
    mandate requires it)."""
    rates, people, day = s.rates, s.people, s.day
    before = people.odds_when_rejected[person]
    if cannot_happen(comply + rates.reconsider_per_year * max(0.0, 1.0 - before), draw, day.years):
        return
    gain = max(0.0, _odds(s, person) - before)
    choice = competing(comply, rates.reconsider_per_year * gain, draw, day.dt)
    if choice == 0:
        _start_trying(s, person)
    elif choice == 1:
        people.state[person] = AWARE


@per_person_inlined
def _abandoned(s, person: int, draw: float, accuracy: float) -> None:
    """Burned users come back only after the tool has visibly improved, and the less the
    less they trust it: the errors they saw outlast them, since trust is regained only
    by using the tool."""
    rates, people, day, tally = s.rates, s.people, s.day, s.tally
    improvement = max(0.0, accuracy - people.accuracy_when_abandoned[person])
    if fires(rates.return_per_year * improvement * people.trust[person], draw, day.dt):
        people.state[person] = AWARE
        # burned once, they now expect what the tool really does
        people.expectation[person] = accuracy
        tally.counts[RETURNED] += 1


@per_person_inlined
def _engage(s, person: int, now_in: int, accuracy: float) -> None:
    """What using (or having lapsed) does to expectations, habit and memory."""
    people, day = s.people, s.day
    experienced = people.experienced_accuracy[person]
    quality = experienced * (1.0 - people.infrastructure_loss[person])
    people.expectation[person] += day.adapt * (quality - people.expectation[person])
    if now_in == ACTIVE:
        people.habit[person] += day.habituate * (1.0 - people.habit[person])
    elif now_in == LAPSED:
        # a habit not practised fades as it formed
        people.habit[person] -= day.habituate * people.habit[person]
        # lapsed users do not use it, but hear of improvements (and decay) slowly
        people.experienced_accuracy[person] += day.relearn * (accuracy - experienced)
        people.infrastructure_loss[person] += day.relearn * (
            day.infrastructure_loss - people.infrastructure_loss[person]
        )


@per_person_inlined
def _trying(s, person: int, draw: float, comply: float) -> None:
    """A trier commits (more readily the better experience meets expectation) or lapses."""
    rates, day = s.rates, s.day
    pressures = day.pressures
    shortfall = _pressures(s, person)
    pressures[OTHER] = rates.trial_drop_per_year
    if comply > 0:
        # compliant use: the mandate holds back part of every reason to lapse
        pressures *= 1.0 - rates.enforcement
    commit = rates.commit_per_year * 2.0 / (1.0 + np.exp(rates.commit_steepness * shortfall))
    pressure = pressures.sum()
    if cannot_happen(commit + pressure, draw, day.years):
        return
    happens = chance(commit + pressure, day.dt)
    if draw < happens:
        # given an event, the same uniform rescaled picks which one and why
        within = draw / happens * (commit + pressure)
        if within < commit:
            _commit(s, person)
        else:
            _lapse(s, person, cause_of(pressures, (within - commit) / max(pressure, 1e-300)))


@per_person_inlined
def _active(s, person: int, draw: float, comply: float) -> None:
    """An active user lapses for the cause whose hazard fires."""
    rates, people, day = s.rates, s.people, s.day
    most = day.lapse_ceiling * (1.0 - rates.habit_protection * people.habit[person])
    if comply > 0:
        most *= 1.0 - rates.enforcement
    if cannot_happen(most, draw, day.years):
        return
    pressures = day.pressures
    _pressures(s, person)
    if comply > 0:
        pressures *= 1.0 - rates.enforcement
    total = pressures.sum()
    if cannot_happen(total, draw, day.years):
        return
    happens = chance(total, day.dt)
    if draw < happens:
        _lapse(s, person, cause_of(pressures, draw / happens))


@per_person_inlined
def _return_boost(s, person: int) -> float:
    """How much faster a lapsed user recovers with an active champion close by."""
    return 1.0 + s.rates.recovery_boost * champion_nearby(s.near, person)


@per_person_inlined
def _return_hazards(s, person: int, comply: float) -> tuple[float, float]:
    """A lapsed user's hazards (per year) of recovering and of giving up for good."""
    rates, day = s.rates, s.day
    shortfall = _pressures(s, person)
    recover = (
        rates.recover_per_year
        * np.exp(-rates.recovery_sensitivity * shortfall)
        * day.conditions
        * _return_boost(s, person)
        + comply
    )
    # with nothing short of what was promised, only a tool that does too little for
    # one's work is given up (expectation-confirmation: continuance from satisfaction
    # and usefulness)
    give_up = rates.abandon_per_year * (
        rates.abandon_floor * (1.0 - _usefulness(s, person))
        + (1.0 - rates.abandon_floor) * shortfall / (shortfall + rates.abandon_half_shortfall)
    )
    return recover, give_up


@per_person_inlined
def _return_ceiling(s, person: int, comply: float) -> float:
    """An upper bound of the sum of `_return_hazards`: exp(-sensitivity x shortfall),
    1 - usefulness and the shortfall's share are each at most 1."""
    rates = s.rates
    return (
        rates.recover_per_year * s.day.conditions * _return_boost(s, person) + comply
    ) + rates.abandon_per_year * (rates.abandon_floor + (1.0 - rates.abandon_floor))


@per_person_inlined
def _lapsed(s, person: int, draw: float, comply: float, accuracy: float) -> None:
    """A lapsed user recovers (less the more experience falls short, more with support,
    a champion close by or a mandate) or gives up for good."""
    people, day, tally = s.people, s.day, s.tally
    if cannot_happen(_return_ceiling(s, person, comply), draw, day.years):
        return
    recover, give_up = _return_hazards(s, person, comply)
    choice = competing(recover, give_up, draw, day.dt)
    if choice == 0:
        # a trier who lapsed and comes back is now an active user
        _commit(s, person)
    elif choice == 1:
        people.state[person] = ABANDONED
        people.burned[person] = True
        people.habit[person] = 0.0
        people.accuracy_when_abandoned[person] = accuracy
        # the lapse that led here names the cause (its hazard produced it)
        tally.abandoned[people.lapse_cause[person]] += 1


@per_person
def _shares(rates, dt: float) -> tuple[float, float, float]:
    """The rates of a step of `dt` days as shares of a step: adapt, relearn, habituate."""
    return (
        -np.expm1(-dt / rates.expectation_adaptation_days),
        -np.expm1(-dt * rates.relearn_share / rates.satisfaction_memory_days),
        # automaticity approaches its asymptote exponentially: 95% after habit_days
        -np.expm1(-dt * np.log(20.0) / rates.habit_days),
    )


@per_person
def decide(s):
    """One step for everyone, each by the function of the state they start it in."""
    rates, day, state = s.rates, s.day, s.people.state
    for person in range(state.size):
        now_in = state[person]
        if now_in == NO_ACCESS or day.held[person]:
            continue
        draw = day.uniform[person]
        # a mandate's pull on those required: to hear of the tool, to start, to come back
        comply = rates.compliance_per_year if day.required[person] else 0.0
        accuracy = day.accuracy_by_segment[s.traits.segment[person]]
        if now_in == UNAWARE:
            _unaware(s, person, draw, comply)
        elif now_in == AWARE:
            _aware(s, person, draw, comply)
        elif now_in == REJECTING:
            _rejecting(s, person, draw, comply)
        elif now_in == ABANDONED:
            _abandoned(s, person, draw, accuracy)
        else:  # engaged: trying, active or lapsed
            _engage(s, person, now_in, accuracy)
            if now_in == TRYING:
                _trying(s, person, draw, comply)
            elif now_in == ACTIVE:
                _active(s, person, draw, comply)
            else:
                _lapsed(s, person, draw, comply, accuracy)
