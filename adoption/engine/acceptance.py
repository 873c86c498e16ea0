"""The default decision rule: technology acceptance with expectation-confirmation.

Intention to try (TAM/UTAUT) is a logistic function of expected usefulness, expected
ease, social influence (neighbours' use, the manager's stance weighted heavily),
facilitating conditions, team resistance, personal threat, innovativeness, negative
word of mouth and incentives. Once using, people compare what they experience with
what they expected; the shortfall, split by where it comes from, drives lapsing and
abandonment, and names its cause.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adoption.config.behaviour import AcceptanceRule as AcceptanceConfig
from adoption.config.change import ChampionsConfig, CommunicationsConfig, TrainingConfig
from adoption.config.tool import ToolConfig
from adoption.engine.clock import step_probability
from adoption.engine.people import People
from adoption.engine.states import (
    ABANDONED,
    ACTIVE,
    AWARE,
    CAUSES,
    LAPSED,
    OTHER,
    REJECTING,
    TRYING,
    UNAWARE,
)
from adoption.organisation.model import Organisation

PRIOR_VOICES = 3.0
"""How many neighbours' reports the official announcement counts as, in beliefs."""
COMMIT_STEEPNESS = 12.0
"""How sharply committing depends on experience meeting expectation."""
RECOVERY_SENSITIVITY = 5.0
"""How fast recovery falls with the remaining shortfall."""
ABANDON_HALF_SHORTFALL = 0.05
"""Shortfall at which the abandonment hazard is half its maximum."""
RELEARN_SHARE = 0.25
"""How much slower lapsed users learn of improvements than users experience them."""


@dataclass(frozen=True)
class Surroundings:
    """What each person perceives of others today."""

    using_share: np.ndarray  # weighted share of ties trying or active (champions count more)
    abandoned_share: np.ndarray  # share of ties who abandoned or rejected
    heard_accuracy: np.ndarray  # mean experienced accuracy of ties who use it
    using_ties: np.ndarray  # number of ties using it
    champion_nearby: np.ndarray  # bool: an active champion among one's ties
    manager_stance: np.ndarray  # the manager's stance, -1..1 (0 with no manager)


@dataclass(frozen=True)
class DayContext:
    """Everything a day's decisions depend on besides the people themselves."""

    dt: float
    accuracy: np.ndarray  # today's production accuracy for each person's department
    infrastructure_loss: float  # share of a use's value lost to outages and slowness today
    support_wait_days: float
    in_campaign: np.ndarray  # bool: a communication campaign currently reaches them
    incentive_alignment: float
    surroundings: Surroundings


@dataclass
class Transitions:
    """What one day's decisions changed."""

    became_aware: np.ndarray  # positions
    started_trying: int
    lapsed_by_cause: np.ndarray  # counts in CAUSES order
    abandoned_by_cause: np.ndarray
    returned: int


def competing(hazards: np.ndarray, uniform: np.ndarray, dt: float) -> np.ndarray:
    """Which of k competing hazards (rows, per year) fires for each person, or -1.

    One uniform per person decides both whether anything happens in the step
    (probability 1 - exp(-total dt)) and which event, in proportion to its hazard.
    """
    total = hazards.sum(axis=0)
    happens = step_probability(total, dt)
    fired = uniform < happens
    position = np.divide(uniform, happens, out=np.zeros_like(total), where=fired) * total
    which = (position[None, :] >= np.cumsum(hazards, axis=0)).sum(axis=0)
    return np.where(fired, np.minimum(which, hazards.shape[0] - 1), -1)


class AcceptanceRule:
    """Daily transitions of everyone, computed for all people at once."""

    def __init__(
        self,
        config: AcceptanceConfig,
        tool: ToolConfig,
        communications: CommunicationsConfig,
        training: TrainingConfig,
        champions: ChampionsConfig,
        org: Organisation,
    ) -> None:
        self.config = config
        self.tool = tool
        self.communications = communications
        self.training = training
        self.champions = champions
        self.fit = org.team_workflow_fit[org.team].astype(np.float64)
        self.resistant = org.team_resistant[org.team].astype(np.float64)
        self.threat = org.threat_perception.astype(np.float64)
        self.innovativeness = org.innovativeness.astype(np.float64)
        self.skill = org.digital_skill.astype(np.float64)

    # --- what people believe and feel -------------------------------------------------

    def ease(self, people: People, who: np.ndarray) -> np.ndarray:
        """Expected ease of use: digital skill, with training removing part of the effort."""
        skill = self.skill[who]
        return skill + people.trained[who] * self.training.effort_reduction * (1 - skill)

    def intention(self, people: People, who: np.ndarray, day: DayContext) -> np.ndarray:
        """Logit of the intention to try (TAM/UTAUT terms minus resistance)."""
        c = self.config
        near = day.surroundings
        voices = near.using_ties[who]
        belief = (PRIOR_VOICES * people.expectation[who] + voices * near.heard_accuracy[who]) / (
            PRIOR_VOICES + voices
        )
        conditions = 1.0 / (1.0 + day.support_wait_days)
        return (
            c.intention_bias
            + c.weight_usefulness * self.fit[who] * belief
            + c.weight_effort * self.ease(people, who)
            + c.weight_social * near.using_share[who]
            + c.weight_manager * near.manager_stance[who]
            + c.weight_conditions * conditions
            - c.weight_resistance * self.resistant[who]
            - c.weight_threat * self.threat[who]
            + c.weight_innovativeness * self.innovativeness[who]
            - c.weight_word_of_mouth * near.abandoned_share[who]
            + c.weight_incentives * day.incentive_alignment
            + self.champions.intention_boost * people.champion[who]
        )

    def pressures(
        self, people: People, who: np.ndarray, day: DayContext
    ) -> tuple[np.ndarray, np.ndarray]:
        """Lapse hazards (per year) by cause, rows in CAUSES order, and the shortfall.

        The shortfall of experience below expectation (beyond the tolerance) is split
        by where it comes from: accuracy below the business minimum, quality lost to
        outages and slowness, and expectations above what the tool could deliver.
        """
        c = self.config
        expected = people.expectation[who]
        accuracy = people.experienced_accuracy[who]
        loss = people.infrastructure_loss[who]
        quality = accuracy * (1 - loss)
        below_minimum = np.maximum(0.0, self.tool.minimum_useful_accuracy - accuracy)
        lost_to_infrastructure = accuracy * loss
        over_expected = np.maximum(
            0.0, expected - np.maximum(accuracy, self.tool.minimum_useful_accuracy)
        )
        raw = below_minimum + lost_to_infrastructure + over_expected
        shortfall = np.maximum(0.0, expected - quality - c.tolerance)
        scale = c.dissatisfaction_per_year * np.divide(
            shortfall, raw, out=np.zeros_like(raw), where=raw > 0
        )
        near = day.surroundings
        social = np.minimum(
            1.0,
            near.abandoned_share[who]
            + 0.5 * np.maximum(0.0, -near.manager_stance[who])
            + 0.3 * self.resistant[who],
        )
        effort = c.effort_per_year * (1 - self.ease(people, who)) + (
            c.support_wait_per_year * day.support_wait_days * (1 - quality)
        )
        pressures = np.stack(
            [
                below_minimum * scale,
                lost_to_infrastructure * scale,
                effort,
                c.social_per_year * social,
                over_expected * scale,
                np.full(who.size, c.lapse_per_year),
            ]
        )
        return pressures, shortfall

    # --- the day's transitions --------------------------------------------------------

    def step(self, people: People, day: DayContext, uniform: np.ndarray) -> Transitions:
        """Apply one step of decisions; `uniform` holds one U(0,1) per person."""
        state = people.state
        groups = {
            s: np.flatnonzero(state == s)
            for s in (UNAWARE, AWARE, TRYING, ACTIVE, LAPSED, ABANDONED)
        }
        lapsed = np.zeros(len(CAUSES), dtype=np.int64)
        abandoned = np.zeros(len(CAUSES), dtype=np.int64)
        engaged = np.concatenate([groups[TRYING], groups[ACTIVE], groups[LAPSED]])
        self._adapt_expectations(people, day, engaged, groups[LAPSED])
        # one evaluation of the pressures for everyone engaged, sliced by state
        pressures, shortfall = self.pressures(people, engaged, day)
        trying, active = groups[TRYING].size, groups[ACTIVE].size
        parts = [slice(0, trying), slice(trying, trying + active), slice(trying + active, None)]
        became_aware = self._awareness(people, groups[UNAWARE], day, uniform)
        started = self._trying(people, groups[AWARE], day, uniform)
        self._trial(
            people,
            groups[TRYING],
            day,
            uniform,
            lapsed,
            pressures[:, parts[0]],
            shortfall[parts[0]],
        )
        self._active(people, groups[ACTIVE], day, uniform, lapsed, pressures[:, parts[1]])
        self._lapsed(
            people,
            groups[LAPSED],
            day,
            uniform,
            abandoned,
            pressures[:, parts[2]],
            shortfall[parts[2]],
        )
        returned = self._returning(people, groups[ABANDONED], day, uniform)
        return Transitions(became_aware, started, lapsed, abandoned, returned)

    def _adapt_expectations(
        self, people: People, day: DayContext, users: np.ndarray, lapsed: np.ndarray
    ) -> None:
        quality = people.experienced_accuracy[users] * (1 - people.infrastructure_loss[users])
        weight = -np.expm1(-day.dt / self.config.expectation_adaptation_days)
        people.expectation[users] += weight * (quality - people.expectation[users])
        # lapsed users do not use it, but hear of improvements (and decay) more slowly
        relearn = -np.expm1(-day.dt * RELEARN_SHARE / self.config.satisfaction_memory_days)
        people.experienced_accuracy[lapsed] += relearn * (
            day.accuracy[lapsed] - people.experienced_accuracy[lapsed]
        )
        people.infrastructure_loss[lapsed] += relearn * (
            day.infrastructure_loss - people.infrastructure_loss[lapsed]
        )

    def _awareness(self, people, who, day, uniform) -> np.ndarray:
        comms = self.communications
        hazard = (
            comms.background_awareness_per_year
            + comms.campaign_awareness_per_year * day.in_campaign[who]
            + comms.peer_awareness_per_year * day.surroundings.using_share[who]
        )
        aware = who[uniform[who] < step_probability(hazard, day.dt)]
        people.state[aware] = AWARE
        return aware

    def _trying(self, people, who, day, uniform) -> int:
        c = self.config
        odds = 1.0 / (1.0 + np.exp(-self.intention(people, who, day)))
        choice = competing(
            np.stack([c.try_per_year * odds, c.reject_per_year * (1 - odds)]), uniform[who], day.dt
        )
        starting = who[choice == 0]
        people.state[starting] = TRYING
        people.ever_tried[starting] = True
        # the benefit of the doubt: first uses are judged against what was expected
        people.experienced_accuracy[starting] = people.expectation[starting]
        people.infrastructure_loss[starting] = 0.0
        people.state[who[choice == 1]] = REJECTING
        return int(starting.size)

    def _lapse(self, people, who, pressures, lapsed_by_cause) -> None:
        people.state[who] = LAPSED
        np.add.at(lapsed_by_cause, pressures.argmax(axis=0), 1)

    def _trial(self, people, who, day, uniform, lapsed_by_cause, pressures, shortfall) -> None:
        c = self.config
        pressures[OTHER] = c.trial_drop_per_year
        commit = c.commit_per_year * 2.0 / (1.0 + np.exp(COMMIT_STEEPNESS * shortfall))
        choice = competing(np.stack([commit, pressures.sum(axis=0)]), uniform[who], day.dt)
        committing = who[choice == 0]
        people.state[committing] = ACTIVE
        people.ever_active[committing] = True
        dropping = choice == 1
        self._lapse(people, who[dropping], pressures[:, dropping], lapsed_by_cause)

    def _active(self, people, who, day, uniform, lapsed_by_cause, pressures) -> None:
        fires = uniform[who] < step_probability(pressures.sum(axis=0), day.dt)
        self._lapse(people, who[fires], pressures[:, fires], lapsed_by_cause)

    def _lapsed(self, people, who, day, uniform, abandoned_by_cause, pressures, shortfall) -> None:
        c = self.config
        conditions = 1.0 / (1.0 + day.support_wait_days)
        champion = day.surroundings.champion_nearby[who]
        recover = (
            c.recover_per_year
            * np.exp(-RECOVERY_SENSITIVITY * shortfall)
            * conditions
            * (1 + self.champions.recovery_boost * champion)
        )
        give_up = c.abandon_per_year * (
            0.2 + 0.8 * shortfall / (shortfall + ABANDON_HALF_SHORTFALL)
        )
        choice = competing(np.stack([recover, give_up]), uniform[who], day.dt)
        people.state[who[choice == 0]] = ACTIVE
        quitting = choice == 1
        leaving = who[quitting]
        people.state[leaving] = ABANDONED
        people.burned[leaving] = True
        people.accuracy_when_abandoned[leaving] = day.accuracy[leaving]
        np.add.at(abandoned_by_cause, pressures[:, quitting].argmax(axis=0), 1)

    def _returning(self, people, who, day, uniform) -> int:
        improvement = np.maximum(0.0, day.accuracy[who] - people.accuracy_when_abandoned[who])
        hazard = self.config.return_per_year * improvement
        back = who[uniform[who] < step_probability(hazard, day.dt)]
        people.state[back] = AWARE
        # burned once, they now expect what the tool really does
        people.expectation[back] = day.accuracy[back]
        return int(back.size)
