"""Scenario section `search`: the plan template `adoption search` explores, and its racing.

Every range is a pair of fields, `X_low` and `X_high`; equal ends fix that part of the
plan. The defaults span the scenario's own plans (a 10% pilot or one region, a gate on
day 60, three pauses of 30 days, four waves eight weeks apart) and are assumptions.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from adoption.config.base import Section, Share
from adoption.config.lever import lever

PilotKind = Literal["random", "stratified", "region", "department", "champions"]
GateRule = Literal["business_case", "observed_accuracy"]

RANGES = (
    "pilot_share",
    "gate_day",
    "gate_confidence",
    "accuracy_threshold",
    "max_pauses",
    "pause_days",
    "rest_waves",
    "wave_gap_days",
)
"""The template's numeric ranges, each a `_low` and a `_high` field."""

WHOLE = {"gate_day", "max_pauses", "pause_days", "rest_waves", "wave_gap_days"}
"""Ranges of whole numbers (days, counts)."""


def _end(default: Any, label: str, unit: str, source: str, **bounds: Any) -> Any:
    """A range's end: a field with its bounds and its lever declaration."""
    return Field(
        default,
        description=label,
        json_schema_extra=lever(label, unit, "plan and gates", source),
        **bounds,
    )


_PILOT = (
    "assumption: around the article's typical 10% pilot (pilots are 10% of users or one region)"
)
_GATE = "assumption: one to four months, around the default pilot plans' gate on day 60"
_CONFIDENCE = "assumption: around the gates' default 90% interval"
_THRESHOLD = (
    "assumption: from about the default break-even accuracy (60%) to above the article's "
    "70% on production data"
)
_PAUSES = "assumption: none to the gates' default of 3 pauses"
_PAUSE_DAYS = "assumption: two weeks to two months, around the gates' default 30 days"
_WAVES = "at once (the default pilot plans) to the default phased plan's four waves"
_GAP = "assumption: two weeks to three months, around the default phased plan's 56 days"


class SearchSpace(Section):
    """What `adoption search` may choose in a plan, and how it races the candidates."""

    pilot_kinds: list[PilotKind] = Field(
        default_factory=lambda: ["random", "stratified", "region", "department", "champions"],
        min_length=1,
        description=(
            "who pilots: a random or stratified share, one region, one department, or the "
            "champions and their teams"
        ),
        json_schema_extra=lever(
            "pilot kinds the search may choose",
            "",
            "plan and gates",
            "assumption: every pilot the plans can express",
        ),
    )
    pilot_share_low: Share = _end(0.02, "smallest pilot share searched", "share (0–1)", _PILOT)
    pilot_share_high: Share = _end(0.30, "largest pilot share searched", "share (0–1)", _PILOT)
    gate_day_low: int = _end(30, "earliest gate day searched", "day", _GATE, ge=1, le=3650)
    gate_day_high: int = _end(120, "latest gate day searched", "day", _GATE, ge=1, le=3650)
    gate_rules: list[GateRule] = Field(
        default_factory=lambda: ["business_case", "observed_accuracy"],
        min_length=1,
        description=(
            "how the gate decides: on the business case (accuracy shown above the seat's "
            "break-even) or on the pilot's own checked accuracy against a threshold"
        ),
        json_schema_extra=lever(
            "gate rules the search may choose",
            "",
            "plan and gates",
            "the two rules the plans' gates have (the brief: a gate judges the business case)",
        ),
    )
    gate_confidence_low: float = _end(
        0.8,
        "lowest business-case gate confidence searched",
        "share (0–1)",
        _CONFIDENCE,
        gt=0.5,
        lt=1.0,
    )
    gate_confidence_high: float = _end(
        0.95,
        "highest business-case gate confidence searched",
        "share (0–1)",
        _CONFIDENCE,
        gt=0.5,
        lt=1.0,
    )
    accuracy_threshold_low: Share = _end(
        0.6, "lowest checked-accuracy threshold searched", "share (0–1)", _THRESHOLD
    )
    accuracy_threshold_high: Share = _end(
        0.8, "highest checked-accuracy threshold searched", "share (0–1)", _THRESHOLD
    )
    max_pauses_low: int = _end(0, "fewest gate pauses searched", "pauses", _PAUSES, ge=0, le=20)
    max_pauses_high: int = _end(3, "most gate pauses searched", "pauses", _PAUSES, ge=0, le=20)
    pause_days_low: int = _end(14, "shortest pause searched", "days", _PAUSE_DAYS, ge=1, le=730)
    pause_days_high: int = _end(60, "longest pause searched", "days", _PAUSE_DAYS, ge=1, le=730)
    rest_waves_low: int = _end(
        1, "fewest waves for the rest searched", "waves", _WAVES, ge=1, le=20
    )
    rest_waves_high: int = _end(4, "most waves for the rest searched", "waves", _WAVES, ge=1, le=20)
    wave_gap_days_low: int = _end(
        14, "shortest gap between the rest's waves searched", "days", _GAP, ge=0, le=3650
    )
    wave_gap_days_high: int = _end(
        90, "longest gap between the rest's waves searched", "days", _GAP, ge=0, le=3650
    )
    prepare_choices: list[bool] = Field(
        default_factory=lambda: [False, True],
        min_length=1,
        description=(
            "whether a plan first prepares (builds the pipeline, sizes capacity for the "
            "expected load, trains the champions; nobody has access meanwhile) or not"
        ),
        json_schema_extra=lever(
            "prepare first or not",
            "",
            "plan and gates",
            "the issue: whether to prepare first (the default build-first plan's steps)",
        ),
    )
    finalists: int = Field(
        3,
        ge=1,
        le=20,
        description="candidates re-run on fresh worlds and seeds with the best incumbent",
        json_schema_extra=lever(
            "finalists re-run on fresh worlds and seeds",
            "plans",
            "plan and gates",
            "assumption: a few, so the fresh runs are spent where they separate plans",
        ),
    )
    search_share: float = Field(
        0.7,
        gt=0.0,
        lt=1.0,
        description=(
            "share of the run budget spent searching; the rest re-runs the finalists on "
            "fresh worlds and seeds"
        ),
        json_schema_extra=lever(
            "share of the run budget spent searching",
            "share (0–1)",
            "plan and gates",
            "assumption: most of the budget finds candidates, the rest checks them",
        ),
    )
    halving_rate: int = Field(
        3,
        ge=2,
        le=10,
        description=(
            "successive halving keeps one candidate in this many at each rung and gives "
            "the survivors this many times the runs"
        ),
        json_schema_extra=lever(
            "rate of successive halving",
            "",
            "plan and gates",
            "Li et al. (2018), Hyperband: rate 3",
        ),
    )
    tolerance_per_employee: float = Field(
        10.0,
        ge=0.0,
        description=(
            "NPV difference per employee too small to matter: finalists within it of the "
            "best are indistinguishable"
        ),
        json_schema_extra=lever(
            "NPV difference per employee too small to decide a plan",
            "money per employee",
            "plan and gates",
            "assumption: a third of a seat-month per person over the horizon",
        ),
    )

    @model_validator(mode="after")
    def _ordered_ranges(self) -> SearchSpace:
        for name in RANGES:
            low, high = self.span(name)
            if low > high:
                raise ValueError(f"{name}_low ({low:g}) must not exceed {name}_high ({high:g})")
        return self

    def span(self, name: str) -> tuple[float, float]:
        """A range's (low, high): equal ends fix the value."""
        return getattr(self, f"{name}_low"), getattr(self, f"{name}_high")
