"""Scenario section `plans`: rollout plans built from waves and go/no-go gates."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from adoption.config.base import Section, Share
from adoption.config.lever import lever

PLAN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""A plan's name becomes part of file names: letters, digits, '_', '.', '-'."""

WaveGroup = Literal[
    "all", "rest", "random", "stratified", "region", "department", "champions", "champion_teams"
]


class Wave(Section):
    """A moment at which a group of people is given access."""

    day: int = Field(
        0,
        ge=0,
        le=3650,
        description="planned day of the wave",
        json_schema_extra=lever(
            "day the wave gets access",
            "day",
            "plan and gates",
            "per plan: the default plans' timetables (docs/model.md, The default world)",
        ),
    )
    group: WaveGroup = Field(
        "all",
        description=(
            "who gets access: everyone, the rest (all still without access), a random share, "
            "a share stratified by department and region, one region, one department, "
            "the champions, or the champions' teams (from the wave's day, each team as soon "
            "as its champion is an active user)"
        ),
        json_schema_extra=lever(
            "who the wave gives access to",
            "",
            "plan and gates",
            "per plan: the article's pilots are typically 10% of users or one region",
        ),
    )
    share: Share | None = Field(
        None,
        description="share of headcount, for random/stratified",
        json_schema_extra=lever(
            "share of employees in the wave",
            "share (0–1)",
            "plan and gates",
            "per plan: the article's pilots are typically 10% of users",
        ),
    )
    name: str | None = Field(
        None,
        description="the region or department, for those groups",
        json_schema_extra=lever(
            "the region or department of the wave", "", "plan and gates", "per plan"
        ),
    )

    @model_validator(mode="after")
    def _complete(self) -> Wave:
        if self.group in ("random", "stratified") and self.share is None:
            raise ValueError(f"a '{self.group}' wave needs a share")
        if self.group in ("region", "department") and not self.name:
            raise ValueError(f"a '{self.group}' wave needs the {self.group} name")
        return self


class Gate(Section):
    """A go/no-go decision on the business case the pilot has measured so far.

    By default the gate decides on value: it proceeds when the organisation's accuracy
    (estimated from the pilot's checked uses, segment by segment, weighted by the
    headcount each segment brings) is shown above the accuracy at which a user pays
    for their seat; it pauses only while that interval straddles it and more checked
    uses, the fixes' trend, or the segments it has not yet seen could settle it within
    the pauses left (a pause extends the pilot to those segments); otherwise it stops.
    """

    day: int = Field(
        60,
        ge=0,
        le=3650,
        description="planned day of the decision",
        json_schema_extra=lever(
            "day of the go/no-go decision",
            "day",
            "plan and gates",
            "the pilot plans' gate: day 60 (assumption)",
        ),
    )
    min_adoption: Share | None = Field(
        None,
        description=(
            "least share of people with access who are active, relative to the share who "
            "have had time to decide at the decision pace (the pilot's age), judged on its "
            "upper confidence bound (the pilot's size)"
        ),
        json_schema_extra=lever(
            "gate criterion: least adoption in the pilot",
            "share (0–1)",
            "plan and gates",
            (
                "none by default: the brief: a gate judges the business case; the "
                "former min_adoption: 0.2 had no source"
            ),
        ),
    )
    max_abandonment: Share | None = Field(
        None,
        description="most share of those who tried that abandoned",
        json_schema_extra=lever(
            "gate criterion: most abandonment in the pilot",
            "share (0–1)",
            "plan and gates",
            "none by default: the brief: a gate judges the business case",
        ),
    )
    min_observed_accuracy: Share | None = Field(
        None,
        description="least share of the pilot's checked uses that were right (its own)",
        json_schema_extra=lever(
            "gate criterion: least accuracy the pilot measured",
            "share (0–1)",
            "plan and gates",
            "none by default: the brief: a gate judges the business case",
        ),
    )
    business_case: bool = Field(
        True,
        description=(
            "proceed only once the organisation's accuracy is shown (its lower confidence "
            "bound) above the accuracy at which a user's uses pay for their seat; pause "
            "(extending the pilot to segments it has not seen) while more evidence could "
            "show it, else stop"
        ),
        json_schema_extra=lever(
            "gate criterion: proceed only once the tool is shown to pay for its seats",
            "",
            "plan and gates",
            "the brief: a gate judges the business case",
        ),
    )
    audit_share: Share = Field(
        0.05,
        description="share of uses checked by hand: the gate's accuracy sample",
        json_schema_extra=lever(
            "share of uses checked by hand for the gate",
            "share (0–1)",
            "plan and gates",
            "assumption: one use in twenty checked by hand",
        ),
    )
    confidence: float = Field(
        0.9,
        gt=0.5,
        lt=1.0,
        description="confidence of the gate's accuracy interval",
        json_schema_extra=lever(
            "confidence of the gate's accuracy interval",
            "share (0–1)",
            "plan and gates",
            "assumption: a 90% interval",
        ),
    )
    offline_evaluation_uses: int = Field(
        0,
        ge=0,
        le=100_000,
        description=(
            "labelled examples evaluated offline for each data segment the pilot has not "
            "seen (0: none; their accuracy is then the seen segments' widened to the prior)"
        ),
        json_schema_extra=lever(
            "labelled examples per unseen data segment",
            "examples per segment",
            "plan and gates",
            (
                "a lever: off by default, so an unseen segment's accuracy is the "
                "seen ones' widened to the prior"
            ),
        ),
    )
    cost_per_labelled_use: float = Field(
        2.0,
        ge=0,
        description="money to label and check one offline example",
        json_schema_extra=lever(
            "cost of labelling one offline example",
            "money per example",
            "plan and gates",
            (
                "assumption: a few minutes of an expert's time to label and check "
                "one example (two-thirds of a correct use's value)"
            ),
        ),
    )
    unseen_segment_sd: float = Field(
        0.08,
        ge=0,
        le=0.5,
        description=(
            "prior spread of an unseen data segment's accuracy around the seen ones' "
            "(accuracy points, as a share)"
        ),
        json_schema_extra=lever(
            "how far an unseen segment's accuracy may lie from the seen ones'",
            "accuracy (sd)",
            "plan and gates",
            (
                "assumption: the default uncertainty on production accuracy spans "
                "±8 points and the regions' offsets ±4"
            ),
        ),
    )
    extension_share: Share = Field(
        0.1,
        description=(
            "share of each data segment the pilot has not seen that a pause gives access "
            "to, so that the next measurement sees them (0: a pause only waits, and a "
            "case their prior spread leaves open is stopped)"
        ),
        json_schema_extra=lever(
            "share of each unseen data segment a pause brings into the pilot",
            "share (0–1)",
            "plan and gates",
            (
                "the article: pilots are typically 10% of users; the same share of each "
                "segment the pilot has not seen"
            ),
            plausible=(0.0, 0.25),
        ),
    )
    forced: Literal["proceed", "stop"] | None = Field(
        None,
        description=(
            "take this decision at the first measurement whatever it shows (a "
            "counterfactual: the same timetable without a decision, or a stop there)"
        ),
        json_schema_extra=lever(
            "decision taken in advance (for counterfactuals)",
            "",
            "plan and gates",
            (
                "none: for counterfactuals (gate_regret), the same timetable with "
                "the decision taken in advance"
            ),
        ),
    )
    max_support_wait_days: float | None = Field(
        None,
        ge=0,
        description="longest acceptable support wait (days)",
        json_schema_extra=lever(
            "gate criterion: longest acceptable support wait",
            "days",
            "plan and gates",
            "none by default: the brief: a gate judges the business case",
        ),
    )
    max_projected_latency_ms: float | None = Field(
        None,
        gt=0,
        description=(
            "most latency at everyone's load (the pilot's load per user, scaled to the "
            "organisation) on the capacity in place or ordered (milliseconds)"
        ),
        json_schema_extra=lever(
            "gate criterion: most response time at everyone's load",
            "milliseconds",
            "plan and gates",
            "none by default: the brief: a gate judges the business case",
        ),
    )
    max_cost_per_active_user_day: float | None = Field(
        None,
        ge=0,
        description="most running cost over the last 14 days per active user per day (money)",
        json_schema_extra=lever(
            "gate criterion: most running cost per active user",
            "money per active user per day",
            "plan and gates",
            "none by default: the brief: a gate judges the business case",
        ),
    )
    on_fail: Literal["pause", "stop"] = Field(
        "pause",
        description="pause to fix and measure again, or stop the rollout",
        json_schema_extra=lever(
            "what a failing gate does: pause or stop", "", "plan and gates", "assumption"
        ),
    )
    pause_days: int = Field(
        30,
        ge=1,
        le=730,
        description="days a pause lasts",
        json_schema_extra=lever("length of a pause", "days", "plan and gates", "assumption"),
    )
    max_pauses: int = Field(
        3,
        ge=0,
        le=20,
        description="pauses before a failing gate stops",
        json_schema_extra=lever(
            "pauses before a failing gate stops", "pauses", "plan and gates", "assumption"
        ),
    )
    size_capacity: bool = Field(
        True,
        description="on proceeding, size capacity from the load the pilot measured",
        json_schema_extra=lever(
            "size capacity from the pilot's load on proceeding", "", "plan and gates", "assumption"
        ),
    )


PrepareName = Literal["pipeline", "capacity", "champions"]


class PrepareStep(Section):
    """Work a plan does before its first wave, while nobody has access.

    `pipeline`: the data engineers build the production pipeline (its engineer-days, paid
    as they work). `capacity`: serving capacity is ordered for the load the organisation
    expects (`infrastructure.presize_using_share` of headcount using the tool), arriving
    after the scale-up lead time and paid from launch. `champions`: the champions are
    trained (a seat each, in the trainers' sessions). Each takes what the scenario makes
    it take; `days` caps how long the first wave waits for it.
    """

    step: PrepareName = Field(
        description="what to prepare: the production pipeline, capacity, or the champions",
        json_schema_extra=lever(
            "what the plan prepares before launch",
            "",
            "plan and gates",
            "per plan: the brief's preparations (the pipeline, capacity, champions)",
        ),
    )
    days: int | None = Field(
        None,
        ge=0,
        le=3650,
        description=(
            "most days the first wave waits for this step (none: until it is done); the "
            "step's work carries on after launch if it is not finished"
        ),
        json_schema_extra=lever(
            "most days the launch waits for the step", "days", "plan and gates", "a lever"
        ),
    )


class Plan(Section):
    """A rollout plan: preparation, then waves in order of day, with gates between them."""

    description: str = Field("", description="what the plan does, for reports")
    prepare: list[PrepareStep] = Field(
        default_factory=list,
        description=(
            "work done before the first wave, nobody having access meanwhile; the waves' "
            "and gates' days count from the day it is done"
        ),
    )
    waves: list[Wave] = Field(min_length=1, description="who gets access when")
    gates: list[Gate] = Field(default_factory=list, description="go/no-go decisions")

    @model_validator(mode="after")
    def _gates_follow_a_wave(self) -> Plan:
        first = min(wave.day for wave in self.waves)
        for gate in self.gates:
            # a gate decides before a wave of the same day: with nobody given access yet
            # it would measure nothing and stop the plan
            if gate.day <= first:
                raise ValueError(
                    f"a gate on day {gate.day} comes before the first wave (day {first}): "
                    "it would judge a pilot nobody has joined yet; move it after a wave"
                )
        return self

    @model_validator(mode="after")
    def _each_step_once(self) -> Plan:
        names = [step.step for step in self.prepare]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"prepare: the step {', '.join(repeated)} is given more than once")
        return self


def default_plans() -> dict[str, Plan]:
    """The six plans every default scenario compares."""
    return {
        "big-bang": Plan(
            description="Everyone gets access on day 0.",
            waves=[Wave(day=0, group="all")],
        ),
        "pilot-10": Plan(
            description="A random 10% pilot; a gate at day 60 decides on everyone else.",
            waves=[Wave(day=0, group="random", share=0.1), Wave(day=61, group="rest")],
            gates=[Gate(day=60)],
        ),
        "regional-pilot": Plan(
            description="One region pilots; a gate at day 60 decides on the other regions.",
            waves=[Wave(day=0, group="region", name="North"), Wave(day=61, group="rest")],
            gates=[Gate(day=60)],
        ),
        "phased": Plan(
            description="Four waves of a quarter each, stratified, eight weeks apart.",
            waves=[
                Wave(day=0, group="stratified", share=0.25),
                Wave(day=56, group="stratified", share=0.25),
                Wave(day=112, group="stratified", share=0.25),
                Wave(day=168, group="rest"),
            ],
        ),
        "champions": Plan(
            description=(
                "Champion-led. Champions first (trained first), then each team as soon as "
                "its champion is an active user, then everyone else on day 61 as in the "
                "pilot plans."
            ),
            waves=[
                Wave(day=0, group="champions"),
                Wave(day=0, group="champion_teams"),
                Wave(day=61, group="rest"),
            ],
        ),
        "build-first": Plan(
            description=(
                "Prepare first: build the production pipeline, size capacity for the "
                "expected load and train the champions, nobody having access; then "
                "everyone at once."
            ),
            prepare=[
                PrepareStep(step="pipeline"),
                PrepareStep(step="capacity"),
                PrepareStep(step="champions"),
            ],
            waves=[Wave(day=0, group="all")],
        ),
    }


def check_plan_name(name: str) -> str:
    """The name itself, or a ValueError saying why it cannot name a plan (and its files)."""
    if not isinstance(name, str) or not PLAN_NAME.fullmatch(name):
        raise ValueError(
            f"plan name {name!r} is not allowed: use 1 to 64 letters, digits, '_', '.' or "
            "'-', starting with a letter or digit (the name becomes part of file names)"
        )
    return name
