"""Scenario section `change_management`: communication, training, champions, support."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from adoption.config.base import PerYear, Section, Share
from adoption.config.lever import lever


class CommunicationsConfig(Section):
    """Awareness campaigns: one starts with every rollout wave."""

    campaign_days: int = Field(
        14,
        ge=0,
        le=365,
        description="length of a campaign (days)",
        json_schema_extra=lever(
            "length of an awareness campaign", "days", "change management", "assumption"
        ),
    )
    campaign_awareness_per_year: PerYear = Field(
        40.0,
        description="awareness hazard during a campaign (per person per year)",
        json_schema_extra=lever(
            "how fast a campaign makes people aware",
            "per person per year",
            "change management",
            "assumption",
            plausible=(10.0, 100.0),
            key=True,
        ),
    )
    background_awareness_per_year: PerYear = Field(
        2.0,
        description="awareness hazard outside campaigns (per person per year)",
        json_schema_extra=lever(
            "how fast people hear of the tool outside campaigns",
            "per person per year",
            "change management",
            "assumption",
        ),
    )
    peer_awareness_per_year: PerYear = Field(
        24.0,
        description="awareness hazard when every neighbour uses the tool (per year)",
        json_schema_extra=lever(
            "how fast people hear of it from colleagues who use it",
            "per person per year",
            "change management",
            "assumption",
        ),
    )
    manage_expectations: bool = Field(
        False,
        description="tell people the measured production accuracy instead of the demo's",
        json_schema_extra=lever(
            "tell people the production accuracy, not the demo's",
            "",
            "change management",
            "a lever: off by default (people are told the demo's accuracy)",
        ),
    )


class TrainingConfig(Section):
    """Training sessions with scarce seats: people queue for a place."""

    trainers: int | None = Field(
        None,
        ge=0,
        le=10_000,
        description="trainers (sessions run in parallel; none: sized to headcount, 0.6 per "
        "1,000 employees, at least one)",
        json_schema_extra=lever(
            "trainers running sessions",
            "trainers",
            "change management",
            (
                "assumption: the 5,000-person default kept per employee at every "
                "size (docs/model.md, Teams sized to the organisation): 0.6 per "
                "1,000 employees, whole, at least one"
            ),
            plausible=(1.0, 20.0),
            key=True,
        ),
    )
    seats_per_session: int = Field(
        20,
        ge=1,
        le=1000,
        description="people per session",
        json_schema_extra=lever(
            "seats in a training session",
            "people per session",
            "change management",
            (
                "assumption (illustrative for 5,000 people: trainers × 20 seats "
                "twice a week; sized to other headcounts)"
            ),
        ),
    )
    session_days: float = Field(
        3.5,
        gt=0,
        le=365,
        description="days from one session of a trainer to the next",
        json_schema_extra=lever(
            "days between a trainer's sessions",
            "days",
            "change management",
            (
                "assumption (illustrative for 5,000 people: trainers × 20 seats "
                "twice a week; sized to other headcounts)"
            ),
        ),
    )
    uptake: Share = Field(
        0.7,
        description="share of aware people with access who sign up",
        json_schema_extra=lever(
            "share of aware people who sign up for training",
            "share (0–1)",
            "change management",
            "assumption",
        ),
    )
    effort_reduction: Share = Field(
        0.6,
        description="share of the effort of learning the tool that training removes",
        json_schema_extra=lever(
            "share of the learning effort training removes",
            "share (0–1)",
            "change management",
            "assumption",
        ),
    )
    cost_per_seat: float = Field(
        150.0,
        ge=0,
        description="money per person trained",
        json_schema_extra=lever(
            "cost of training one person",
            "money per person trained",
            "change management",
            "assumption",
        ),
    )


class ChampionsConfig(Section):
    """Champions: trained first, enthusiastic, and they help their neighbours."""

    share: Share = Field(
        0.02,
        description="share of employees who are champions",
        json_schema_extra=lever(
            "share of employees who are champions",
            "share (0–1)",
            "change management",
            (
                "assumption: a small network of the best-connected people; kept "
                "when the champion-led plan came, since champions act in every plan"
            ),
            plausible=(0.0, 0.1),
            key=True,
        ),
    )
    selection: Literal["random", "centrality", "per_team"] = Field(
        "centrality",
        description=(
            "how champions are chosen: at random, the most connected, or the most "
            "innovative of every team whatever the share"
        ),
        json_schema_extra=lever(
            "how champions are chosen",
            "",
            "change management",
            (
                "assumption: a small network of the best-connected people; kept "
                "when the champion-led plan came, since champions act in every plan"
            ),
        ),
    )
    influence: float = Field(
        3.0,
        ge=1,
        le=20,
        description="weight of a champion's use in neighbours' social influence",
        json_schema_extra=lever(
            "weight of a champion's use on colleagues",
            "× a colleague's",
            "change management",
            "assumption",
        ),
    )
    intention_boost: float = Field(
        3.0,
        ge=0,
        le=20,
        description="added to a champion's intention logit",
        json_schema_extra=lever(
            "added to a champion's intention", "logit", "change management", "assumption"
        ),
    )
    recovery_boost: float = Field(
        1.0,
        ge=0,
        le=20,
        description=(
            "extra recovery hazard (relative) with an active champion close by (a tie"
            " or a teammate)"
        ),
        json_schema_extra=lever(
            "faster comeback with a champion close by",
            "× recovery",
            "change management",
            "assumption",
        ),
    )
    local_help: Share = Field(
        0.5,
        description=(
            "share of the support tickets of people near an active champion (a tie or"
            " a teammate) that the champion answers instead of the desk"
        ),
        json_schema_extra=lever(
            "share of nearby tickets a champion answers",
            "share (0–1)",
            "change management",
            (
                "assumption: super users are the first line for how-to questions "
                "(half the tickets near them); no source gives the share"
            ),
        ),
    )
    local_effort_reduction: Share = Field(
        0.3,
        description=(
            "share of the effort of learning the tool left after training that an "
            "active champion close by removes"
        ),
        json_schema_extra=lever(
            "share of the remaining effort a champion nearby removes",
            "share (0–1)",
            "change management",
            (
                "assumption: half the share of effort a training session removes "
                "(0.6), help at hand being informal and occasional; no source gives"
                " the figure"
            ),
        ),
    )


class SupportConfig(Section):
    """The support desk: tickets from new users and from failures wait for agents."""

    agents: float | None = Field(
        None,
        ge=0,
        le=10_000,
        description="support agents at least, full-time equivalents (the desk's core, from "
        "launch; below one, a share of a helpdesk person's time; none: sized to headcount, "
        "0.2 per 1,000 employees)",
        json_schema_extra=lever(
            "support agents from launch (the desk's core)",
            "full-time equivalents",
            "change management",
            (
                "assumption: the 5,000-person default kept per employee at every "
                "size (docs/model.md, Teams sized to the organisation): 0.2 per "
                "1,000 employees"
            ),
            plausible=(0.0, 10.0),
            key=True,
        ),
    )
    agents_per_thousand_with_access: float = Field(
        0.6,
        ge=0,
        le=1000,
        description=(
            "agents added per 1,000 people with access (the desk grows with the rollout "
            "and shrinks if it is withdrawn)"
        ),
        json_schema_extra=lever(
            "support agents added per 1,000 people with access",
            "agents per 1,000 people",
            "change management",
            "assumption (illustrative for 5,000 people: 3 agents once everyone has access)",
        ),
    )
    tickets_per_agent_day: float = Field(
        25.0,
        gt=0,
        description="tickets one agent closes a day",
        json_schema_extra=lever(
            "tickets one agent closes a day",
            "tickets per day",
            "change management",
            "assumption (illustrative)",
        ),
    )
    tickets_per_new_user: Share = Field(
        0.5,
        description="tickets raised per person starting",
        json_schema_extra=lever(
            "tickets raised per person starting",
            "tickets per person",
            "change management",
            "assumption",
        ),
    )
    tickets_per_failure: Share = Field(
        0.02,
        description="tickets raised per failed use",
        json_schema_extra=lever(
            "tickets raised per failed use",
            "tickets per failed use",
            "change management",
            "assumption",
        ),
    )
    cost_per_agent_day: float = Field(
        300.0,
        ge=0,
        description="money per agent per day",
        json_schema_extra=lever(
            "cost of a support agent", "money per agent per day", "change management", "assumption"
        ),
    )
    max_wait_days: float = Field(
        60.0,
        gt=0,
        le=3650,
        description=(
            "cap on the support wait (days) that users feel and gates and reports "
            "see: beyond it nobody is waiting any more in practice"
        ),
        json_schema_extra=lever(
            "longest support wait felt",
            "days",
            "change management",
            "assumption: beyond it nobody is waiting any more in practice",
        ),
    )
    rate_memory_days: float = Field(
        7.0,
        gt=0,
        le=365,
        description=(
            "days over which the ticket arrival rate is averaged for the stationary "
            "(Erlang C) wait: one day's count is a noisy estimate of the rate"
        ),
        json_schema_extra=lever(
            "days the ticket rate is averaged over",
            "days",
            "change management",
            "assumption: one day's count is a noisy estimate of the rate",
        ),
    )


class IncentivesConfig(Section):
    """Whether people's and managers' incentives reward using the tool."""

    alignment: float = Field(
        0.0,
        ge=-1,
        le=1,
        description="-1 punishes use, 0 neutral, 1 rewards use",
        json_schema_extra=lever(
            "whether incentives reward using the tool",
            "alignment (−1 punishes .. 1 rewards)",
            "change management",
            "a lever: neutral (0) by default",
        ),
    )


class MandateConfig(Section):
    """Requiring use: compliance raises use without raising satisfaction.

    Required people who have not tried start (whatever their intention) and lapsed ones
    are pushed back; enforcement holds users who would lapse, and those it does not hold
    work around the mandate. When the mandate ends, use held only by it stops.
    """

    scope: Literal["none", "organisation", "sponsors"] = Field(
        "none",
        description="who is required to use the tool: nobody (a voluntary rollout), everyone "
        "with access (the organisation mandates it), or the teams of sponsoring managers "
        "(managers mandate it)",
        json_schema_extra=lever(
            "who is required to use the tool",
            "",
            "change management",
            "a lever: nobody by default (a voluntary rollout)",
        ),
    )
    from_day: int = Field(
        0,
        ge=0,
        le=3650,
        description="day the mandate starts",
        json_schema_extra=lever("day the mandate starts", "day", "change management", "a lever"),
    )
    until_day: int | None = Field(
        None,
        ge=0,
        le=3650,
        description="day the mandate ends (none: it never does)",
        json_schema_extra=lever(
            "day the mandate ends", "day", "change management", "a lever: none, it never ends"
        ),
    )
    compliance_per_year: PerYear = Field(
        12.0,
        description=(
            "hazard that a required person who is not using the tool starts (or comes"
            " back) because they must, whatever they think of it"
        ),
        json_schema_extra=lever(
            "how fast required people start because they must",
            "per person per year",
            "change management",
            "assumption: hazard that a required person not using the tool starts or comes back",
        ),
    )
    enforcement: Share = Field(
        0.7,
        description=(
            "share of a required user's lapse hazards that the mandate holds back "
            "(compliant use); the rest lapse anyway, working around it"
        ),
        json_schema_extra=lever(
            "share of lapses a mandate holds back",
            "share (0–1)",
            "change management",
            "assumption: share of a required user's lapse hazards the mandate holds back",
        ),
    )

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> MandateConfig:
        if self.until_day is not None and self.until_day <= self.from_day:
            raise ValueError(
                f"until_day ({self.until_day}) must come after from_day ({self.from_day})"
            )
        return self


class ChangeManagementConfig(Section):
    """The levers of change management."""

    communications: CommunicationsConfig = Field(default_factory=CommunicationsConfig)
    training: TrainingConfig = Field(default_factory=TrainingConfig)
    champions: ChampionsConfig = Field(default_factory=ChampionsConfig)
    support: SupportConfig = Field(default_factory=SupportConfig)
    incentives: IncentivesConfig = Field(default_factory=IncentivesConfig)
    mandate: MandateConfig = Field(default_factory=MandateConfig)
