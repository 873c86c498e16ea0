"""Scenario section `change_management`: communication, training, champions, support."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from adoption.config.base import PerYear, Section, Share


class CommunicationsConfig(Section):
    """Awareness campaigns: one starts with every rollout wave."""

    campaign_days: int = Field(14, ge=0, le=365, description="length of a campaign (days)")
    campaign_awareness_per_year: PerYear = Field(
        40.0, description="awareness hazard during a campaign (per person per year)"
    )
    background_awareness_per_year: PerYear = Field(
        2.0, description="awareness hazard outside campaigns (per person per year)"
    )
    peer_awareness_per_year: PerYear = Field(
        24.0, description="awareness hazard when every neighbour uses the tool (per year)"
    )
    manage_expectations: bool = Field(
        False,
        description="tell people the measured production accuracy instead of the demo's",
    )


class TrainingConfig(Section):
    """Training sessions with scarce seats: people queue for a place."""

    trainers: int | None = Field(
        None,
        ge=0,
        le=10_000,
        description="trainers (sessions run in parallel; none: sized to headcount, 0.6 per "
        "1,000 employees, at least one)",
    )
    seats_per_session: int = Field(20, ge=1, le=1000, description="people per session")
    session_days: float = Field(
        3.5, gt=0, le=365, description="days from one session of a trainer to the next"
    )
    uptake: Share = Field(0.7, description="share of aware people with access who sign up")
    effort_reduction: Share = Field(
        0.6, description="share of the effort of learning the tool that training removes"
    )
    cost_per_seat: float = Field(150.0, ge=0, description="money per person trained")


class ChampionsConfig(Section):
    """Champions: trained first, enthusiastic, and they help their neighbours."""

    share: Share = Field(
        0.02, description="share of employees who are champions (assumption: a small network)"
    )
    selection: Literal["random", "centrality", "per_team"] = Field(
        "centrality",
        description=(
            "how champions are chosen: at random, the most connected, or the most "
            "innovative of every team whatever the share (assumption: the best connected)"
        ),
    )
    influence: float = Field(
        3.0,
        ge=1,
        le=20,
        description="weight of a champion's use in neighbours' social influence (assumption)",
    )
    intention_boost: float = Field(
        3.0, ge=0, le=20, description="added to a champion's intention logit (assumption)"
    )
    recovery_boost: float = Field(
        1.0,
        ge=0,
        le=20,
        description=(
            "extra recovery hazard (relative) with an active champion close by (a tie or a "
            "teammate; assumption)"
        ),
    )
    local_help: Share = Field(
        0.5,
        description=(
            "share of the support tickets of people near an active champion (a tie or a "
            "teammate) that the champion answers instead of the desk; assumption: super "
            "users are the first line for how-to questions, no source gives the share"
        ),
    )
    local_effort_reduction: Share = Field(
        0.3,
        description=(
            "share of the effort of learning the tool left after training that an active "
            "champion close by removes; assumption: half what training removes (0.6), "
            "help at hand being informal and occasional"
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
    )
    agents_per_thousand_with_access: float = Field(
        0.6,
        ge=0,
        le=1000,
        description=(
            "agents added per 1,000 people with access (the desk grows with the rollout "
            "and shrinks if it is withdrawn)"
        ),
    )
    tickets_per_agent_day: float = Field(25.0, gt=0, description="tickets one agent closes a day")
    tickets_per_new_user: Share = Field(0.5, description="tickets raised per person starting")
    tickets_per_failure: Share = Field(0.02, description="tickets raised per failed use")
    cost_per_agent_day: float = Field(300.0, ge=0, description="money per agent per day")
    max_wait_days: float = Field(
        60.0,
        gt=0,
        le=3650,
        description="cap on the support wait (days) that users feel and gates and reports "
        "see: beyond it nobody is waiting any more in practice; assumption",
    )
    rate_memory_days: float = Field(
        7.0,
        gt=0,
        le=365,
        description="days over which the ticket arrival rate is averaged for the stationary "
        "(Erlang C) wait: one day's count is a noisy estimate of the rate; assumption",
    )


class IncentivesConfig(Section):
    """Whether people's and managers' incentives reward using the tool."""

    alignment: float = Field(
        0.0, ge=-1, le=1, description="-1 punishes use, 0 neutral, 1 rewards use"
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
    )
    from_day: int = Field(0, ge=0, le=3650, description="day the mandate starts")
    until_day: int | None = Field(
        None, ge=0, le=3650, description="day the mandate ends (none: it never does)"
    )
    compliance_per_year: PerYear = Field(
        12.0,
        description="hazard that a required person who is not using the tool starts (or "
        "comes back) because they must, whatever they think of it; assumption",
    )
    enforcement: Share = Field(
        0.7,
        description="share of a required user's lapse hazards that the mandate holds back "
        "(compliant use); the rest lapse anyway, working around it; assumption",
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
