"""The default decision rule: technology acceptance with expectation-confirmation.

Intention to try (TAM/UTAUT) is a logistic function of expected usefulness, expected
ease, social influence (neighbours' use, the manager's stance weighted heavily),
facilitating conditions, team resistance, personal threat, innovativeness, negative
word of mouth and incentives. Once using, people compare what they experience with
what they expected; the shortfall, split by where it comes from, drives lapsing and
abandonment. Each lapse is attributed to the cause whose hazard produced it (drawn in
proportion to the cause-specific hazards), and an abandonment keeps the cause of the
lapse that led to it.

Everyone's day is decided in one compiled pass (numba): each person's decision depends
only on their own state and on what they perceived at the start of the step, so one
loop over people gives the same synchronous update as whole-array operations, without
some hundred passes over the population per step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit
from pydantic import BaseModel

from adoption.config.behaviour import AcceptanceRule as AcceptanceConfig
from adoption.config.change import (
    ChampionsConfig,
    CommunicationsConfig,
    MandateConfig,
    TrainingConfig,
)
from adoption.engine.clock import step_probability
from adoption.engine.neighbourhood import Surroundings
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

chance = njit(cache=True)(step_probability)


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


@dataclass(frozen=True)
class Day:
    """Everything a day's decisions depend on besides the people themselves."""

    dt: float
    now: float
    accuracy_by_segment: np.ndarray  # today's production accuracy
    infrastructure_loss: float  # share of a use's value lost to outages and slowness today
    support_wait_days: float
    access_day: np.ndarray  # by person: when they got access (-inf if never)
    required: np.ndarray  # by person: whether a mandate requires them to use the tool


@dataclass
class Transitions:
    """What one day's decisions changed."""

    became_aware: np.ndarray  # positions
    lapsed_by_cause: np.ndarray  # counts in CAUSES order
    abandoned_by_cause: np.ndarray
    returned: int


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

    def step(
        self, people: People, day: Day, near: Surroundings, uniform: np.ndarray
    ) -> Transitions:
        """Apply one step of decisions; `uniform` holds one U(0,1) per person."""
        lapsed = np.zeros(len(CAUSES), dtype=np.int64)
        abandoned = np.zeros(len(CAUSES), dtype=np.int64)
        aware, returned = _decide(
            self.rates,
            people,
            self.traits,
            near,
            day.dt,
            day.now,
            day.accuracy_by_segment,
            day.infrastructure_loss,
            day.support_wait_days,
            day.access_day,
            day.required,
            uniform,
            self._became_aware,
            lapsed,
            abandoned,
        )
        return Transitions(self._became_aware[:aware].copy(), lapsed, abandoned, returned)


def _rates(sections: tuple[BaseModel, ...], **more: float) -> Rates:
    """The rule's parameters, each taken from the one config section that declares it."""
    values = dict(more)
    for section in sections:
        for name in type(section).model_fields.keys() & set(Rates._fields):
            if name in values:
                raise ValueError(f"'{name}' is declared by two sections the rule reads")
            values[name] = float(getattr(section, name))
    return Rates(**values)


@njit(cache=True)
def competing(first: float, second: float, uniform: float, dt: float) -> int:
    """Which of two competing hazards (per year) fires within a step of `dt` days.

    Returns 0 or 1, or -1 when neither does. One uniform decides both whether anything
    happens (probability 1 - exp(-total dt)) and which event, in proportion to its
    hazard.
    """
    total = first + second
    happens = chance(total, dt)
    if not uniform < happens:
        return -1
    return 0 if uniform / happens * total < first else 1


@njit(cache=True)
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


@njit(cache=True)
def _ease(rates, people, traits, near, person: int) -> float:
    """Expected ease of use: digital skill, with training removing part of the effort and
    an active champion close by part of what is left."""
    skill = traits.skill[person]
    ease = skill + people.trained[person] * rates.effort_reduction * (1.0 - skill)
    return ease + near.champion_nearby[person] * rates.local_effort_reduction * (1.0 - ease)


@njit(cache=True)
def _manager_stance(people, traits, person: int) -> float:
    manager = traits.manager[person]
    return people.stance[manager] if manager >= 0 else 0.0


@njit(cache=True)
def _intention(rates, people, traits, near, person: int, conditions: float) -> float:
    """Logit of the intention to try (TAM/UTAUT terms minus resistance)."""
    voices = near.using_ties[person]
    belief = (
        rates.prior_voices * people.expectation[person] + voices * near.heard_accuracy[person]
    ) / (rates.prior_voices + voices)
    return (
        traits.base_intention[person]
        + rates.weight_usefulness * traits.fit[person] * belief
        + rates.weight_effort * _ease(rates, people, traits, near, person)
        + rates.weight_social * near.using_share[person]
        + rates.weight_manager * _manager_stance(people, traits, person)
        + rates.weight_conditions * conditions
        - rates.weight_word_of_mouth * near.abandoned_share[person]
        + rates.intention_boost * people.champion[person]
    )


@njit(cache=True, error_model="numpy")
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


@njit(cache=True)
def _usefulness(rates, people, traits, person: int) -> float:
    """How much the tool helps this person's work: their team's workflow fit times what
    a use is worth at the accuracy they experience (0..1)."""
    worth = value_share(people.experienced_accuracy[person], rates.minimum_useful_accuracy)
    return traits.fit[person] * worth


@njit(cache=True)
def _pressures(rates, people, traits, near, person: int, wait: float, out) -> float:
    """Fill `out` with the lapse hazards (per year) by cause; return the shortfall.

    Satisfaction has two sources (expectation-confirmation): usefulness and the
    confirmation of what was promised. Too little usefulness drives lapsing in
    proportion to 1 - fit x worth, which splits exactly into the part the work's fit
    leaves (1 - fit: cause `fit`) and the part wrong answers take (fit x (1 - worth):
    cause `accuracy`); accuracy below the business minimum drives lapsing in its own
    right as well. The shortfall of experience below expectation (beyond the
    tolerance) is split by where it comes from: quality lost to outages and slowness,
    and expectations above what the tool could deliver. Habit scales every hazard down.
    """
    expected = people.expectation[person]
    accuracy = people.experienced_accuracy[person]
    fit = traits.fit[person]
    worth = value_share(accuracy, rates.minimum_useful_accuracy)
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
        near.abandoned_share[person]
        + rates.social_manager * max(0.0, -_manager_stance(people, traits, person))
        + rates.social_resistance * traits.resistant[person],
    )
    # a tool wrong too often for the work is dropped whatever was promised
    out[ACCURACY] = (
        rates.dissatisfaction_per_year * below_minimum
        + rates.usefulness_per_year * fit * (1.0 - worth)
    )
    out[FIT] = rates.usefulness_per_year * (1.0 - fit)
    out[INFRASTRUCTURE] = lost_to_infrastructure * scale
    out[EFFORT] = rates.effort_per_year * (1.0 - _ease(rates, people, traits, near, person)) + (
        rates.support_wait_per_year * wait * (1.0 - quality)
    )
    out[SOCIAL] = rates.social_per_year * social
    out[EXPECTATIONS] = over_expected * scale
    out[OTHER] = rates.lapse_per_year
    out *= 1.0 - rates.habit_protection * people.habit[person]
    return shortfall


@njit(cache=True)
def _start_trying(people, person: int) -> None:
    """A person starts trying the tool, giving it the benefit of the doubt: first uses
    are judged against what they expected."""
    people.state[person] = TRYING
    people.ever_tried[person] = True
    people.experienced_accuracy[person] = people.expectation[person]
    people.infrastructure_loss[person] = 0.0


@njit(cache=True)
def _decide(
    rates,
    people,
    traits,
    near,
    dt,
    now,
    accuracy_by_segment,
    day_loss,
    wait,
    access_day,
    required,
    uniform,
    became_aware,
    lapsed,
    abandoned,
):
    """One step for everyone; returns (people who became aware, people who returned)."""
    adapt = -np.expm1(-dt / rates.expectation_adaptation_days)
    relearn = -np.expm1(-dt * rates.relearn_share / rates.satisfaction_memory_days)
    # automaticity approaches its asymptote exponentially: 95% after habit_days
    habituate = -np.expm1(-dt * np.log(20.0) / rates.habit_days)
    conditions = 1.0 / (1.0 + wait)
    pressures = np.empty(len(CAUSES))
    state = people.state
    aware = returned = 0
    for person in range(state.size):
        now_in = state[person]
        if now_in == NO_ACCESS:
            continue
        accuracy = accuracy_by_segment[traits.segment[person]]
        draw = uniform[person]
        # a mandate's pull on those required: to hear of the tool, to start, to come back
        comply = rates.compliance_per_year if required[person] else 0.0
        if now_in == UNAWARE:
            campaign = now - access_day[person] <= rates.campaign_days
            hazard = (
                rates.background_awareness_per_year
                + rates.campaign_awareness_per_year * campaign
                + rates.peer_awareness_per_year * near.using_share[person]
                + comply
            )
            if draw < chance(hazard, dt):
                state[person] = AWARE
                became_aware[aware] = person
                aware += 1
        elif now_in == AWARE:
            odds = 1.0 / (
                1.0 + np.exp(-_intention(rates, people, traits, near, person, conditions))
            )
            pace = traits.pace[person]
            # the required cannot refuse; they start whatever their intention
            choice = competing(
                rates.try_per_year * pace * odds + comply,
                0.0 if comply > 0 else rates.reject_per_year * pace * (1.0 - odds),
                draw,
                dt,
            )
            if choice == 0:
                _start_trying(people, person)
            elif choice == 1:
                state[person] = REJECTING
                people.odds_when_rejected[person] = odds
        elif now_in == REJECTING:
            # a refusal stands until their surroundings make trying likelier than it was
            odds = 1.0 / (
                1.0 + np.exp(-_intention(rates, people, traits, near, person, conditions))
            )
            gain = max(0.0, odds - people.odds_when_rejected[person])
            choice = competing(comply, rates.reconsider_per_year * gain, draw, dt)
            if choice == 0:
                _start_trying(people, person)
            elif choice == 1:
                state[person] = AWARE
        elif now_in == ABANDONED:
            improvement = max(0.0, accuracy - people.accuracy_when_abandoned[person])
            if draw < chance(rates.return_per_year * improvement, dt):
                state[person] = AWARE
                # burned once, they now expect what the tool really does
                people.expectation[person] = accuracy
                returned += 1
        else:  # engaged: trying, active or lapsed
            experienced = people.experienced_accuracy[person]
            quality = experienced * (1.0 - people.infrastructure_loss[person])
            people.expectation[person] += adapt * (quality - people.expectation[person])
            if now_in == ACTIVE:
                people.habit[person] += habituate * (1.0 - people.habit[person])
            elif now_in == LAPSED:
                # a habit not practised fades as it formed
                people.habit[person] -= habituate * people.habit[person]
                # lapsed users do not use it, but hear of improvements (and decay) slowly
                people.experienced_accuracy[person] += relearn * (accuracy - experienced)
                people.infrastructure_loss[person] += relearn * (
                    day_loss - people.infrastructure_loss[person]
                )
            shortfall = _pressures(rates, people, traits, near, person, wait, pressures)
            if now_in == TRYING:
                pressures[OTHER] = rates.trial_drop_per_year
            if comply > 0:
                # compliant use: the mandate holds back part of every reason to lapse
                pressures *= 1.0 - rates.enforcement
            if now_in == TRYING:
                commit = (
                    rates.commit_per_year * 2.0 / (1.0 + np.exp(rates.commit_steepness * shortfall))
                )
                pressure = pressures.sum()
                happens = chance(commit + pressure, dt)
                if draw < happens:
                    # given an event, the same uniform rescaled picks which one and why
                    within = draw / happens * (commit + pressure)
                    if within < commit:
                        state[person] = ACTIVE
                        people.ever_active[person] = True
                    else:
                        cause = cause_of(pressures, (within - commit) / max(pressure, 1e-300))
                        state[person] = LAPSED
                        people.lapse_cause[person] = cause
                        lapsed[cause] += 1
            elif now_in == ACTIVE:
                happens = chance(pressures.sum(), dt)
                if draw < happens:
                    cause = cause_of(pressures, draw / happens)
                    state[person] = LAPSED
                    people.lapse_cause[person] = cause
                    lapsed[cause] += 1
            else:
                recover = (
                    rates.recover_per_year
                    * np.exp(-rates.recovery_sensitivity * shortfall)
                    * conditions
                    * (1.0 + rates.recovery_boost * near.champion_nearby[person])
                    + comply
                )
                # with nothing short of what was promised, only a tool that does too
                # little for one's work is given up (expectation-confirmation: continuance
                # from satisfaction and usefulness)
                give_up = rates.abandon_per_year * (
                    rates.abandon_floor * (1.0 - _usefulness(rates, people, traits, person))
                    + (1.0 - rates.abandon_floor)
                    * shortfall
                    / (shortfall + rates.abandon_half_shortfall)
                )
                choice = competing(recover, give_up, draw, dt)
                if choice == 0:
                    # a trier who lapsed and comes back is now an active user
                    state[person] = ACTIVE
                    people.ever_active[person] = True
                elif choice == 1:
                    state[person] = ABANDONED
                    people.burned[person] = True
                    people.habit[person] = 0.0
                    people.accuracy_when_abandoned[person] = accuracy
                    # the lapse that led here names the cause (its hazard produced it)
                    abandoned[people.lapse_cause[person]] += 1
    return aware, returned
