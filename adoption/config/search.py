"""Scenario section `search`: the plan template `adoption search` explores, and its racing.

Every range is [low, high]; equal ends fix that part of the plan. The defaults span
the scenario's own plans (a 10% pilot or one region, a gate on day 60, three pauses
of 30 days, four waves eight weeks apart) and are assumptions, not findings.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from adoption.config.base import Section, Share

PilotKind = Literal["random", "stratified", "region", "department", "champions"]
GateRule = Literal["business_case", "observed_accuracy"]
Objective = Literal["mean", "p10", "satisfice", "regret"]


class Span(Section):
    """A closed range of numbers; equal ends fix the value."""

    low: float = Field(description="smallest value searched")
    high: float = Field(description="largest value searched")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not exceed high ({self.high:g})")
        return self


class DaySpan(Span):
    """A closed range of whole days (or counts); equal ends fix the value."""

    low: int = Field(ge=0, le=3650, description="smallest value searched")
    high: int = Field(ge=0, le=3650, description="largest value searched")


class ShareSpan(Span):
    """A closed range of shares between 0 and 1."""

    low: Share = Field(description="smallest share searched")
    high: Share = Field(description="largest share searched")


class SearchSpace(Section):
    """What `adoption search` may choose in a plan, and how it races the candidates."""

    pilot_kinds: list[PilotKind] = Field(
        default_factory=lambda: ["random", "stratified", "region", "department", "champions"],
        min_length=1,
        description=(
            "who pilots: a random or stratified share, one region, one department, or the "
            "champions and their teams (assumption: every kind the plans can express)"
        ),
    )
    pilot_share: ShareSpan = Field(
        default_factory=lambda: ShareSpan(low=0.02, high=0.30),
        description=(
            "share of headcount in a random or stratified pilot (around the source's "
            "typical 10% pilot; assumption: 2% to 30%)"
        ),
    )
    gate_day: DaySpan = Field(
        default_factory=lambda: DaySpan(low=30, high=120),
        description="day of the go/no-go gate (assumption: one to four months; the plans' 60)",
    )
    gate_rules: list[GateRule] = Field(
        default_factory=lambda: ["business_case", "observed_accuracy"],
        min_length=1,
        description=(
            "how the gate decides: on the business case (accuracy shown above the seat's "
            "break-even) or on the pilot's own checked accuracy against a threshold"
        ),
    )
    gate_confidence: ShareSpan = Field(
        default_factory=lambda: ShareSpan(low=0.8, high=0.95),
        description="confidence of the business-case gate's interval (assumption around 0.9)",
    )
    accuracy_threshold: ShareSpan = Field(
        default_factory=lambda: ShareSpan(low=0.6, high=0.8),
        description=(
            "least checked accuracy an observed-accuracy gate accepts (assumption: from "
            "about the default break-even, 60%, to above the source's 70% on production data)"
        ),
    )
    max_pauses: DaySpan = Field(
        default_factory=lambda: DaySpan(low=0, high=3),
        description="pauses before a failing gate stops (0: stop at once; the plans' 3)",
    )
    pause_days: DaySpan = Field(
        default_factory=lambda: DaySpan(low=14, high=60),
        description="days a pause lasts (assumption: two weeks to two months; the plans' 30)",
    )
    rest_waves: DaySpan = Field(
        default_factory=lambda: DaySpan(low=1, high=4),
        description="waves the rest get access in after the gate (1: at once; phased: 4)",
    )
    wave_gap_days: DaySpan = Field(
        default_factory=lambda: DaySpan(low=14, high=90),
        description="days between the rest's waves (assumption around the phased plan's 56)",
    )
    finalists: int = Field(
        3,
        ge=1,
        le=20,
        description=(
            "candidates re-run on fresh worlds and seeds with the best incumbent "
            "(assumption: a few, so the fresh runs are spent where they separate plans)"
        ),
    )
    search_share: float = Field(
        0.7,
        gt=0.0,
        lt=1.0,
        description=(
            "share of the run budget spent searching; the rest re-runs the finalists on "
            "fresh worlds and seeds (assumption)"
        ),
    )
    halving_rate: int = Field(
        3,
        ge=2,
        le=10,
        description=(
            "successive halving keeps one candidate in this many at each rung and gives "
            "the survivors this many times the runs (Li et al. 2018, Hyperband: 3)"
        ),
    )
    tolerance_per_employee: float = Field(
        10.0,
        ge=0.0,
        description=(
            "NPV difference per employee too small to matter: finalists within it of the "
            "best are indistinguishable (assumption: a third of a seat-month over the horizon)"
        ),
    )

    @model_validator(mode="after")
    def _positive_waves(self) -> SearchSpace:
        if self.rest_waves.low < 1:
            raise ValueError("rest_waves: the rest need at least 1 wave")
        if self.pause_days.low < 1:
            raise ValueError("pause_days: a pause lasts at least 1 day")
        if self.gate_day.low < 1:
            raise ValueError("gate_day: the gate comes after the pilot's day-0 wave (at least 1)")
        return self
