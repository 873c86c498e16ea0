"""The typed plan template: a point of the unit cube becomes a candidate, and a candidate
a validated rollout plan (or the reason it is not one, before any run is spent on it)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import numpy as np
from pydantic import ValidationError

from adoption.config import Scenario
from adoption.config.plans import Gate, Plan, PrepareStep, Wave
from adoption.config.search import WHOLE, SearchSpace
from adoption.organisation import Organisation

PARAMETERS = (
    "pilot_kind",
    "pilot_share",
    "pilot_place",
    "gate_day",
    "gate_rule",
    "gate_confidence",
    "accuracy_threshold",
    "max_pauses",
    "pause_days",
    "rest_waves",
    "wave_gap_days",
    "prepare_first",
)
"""A candidate's parameters, in the order of the unit cube's dimensions."""

PREPARE_STEPS = ("pipeline", "capacity", "champions")
"""What a candidate that prepares first prepares: the default build-first plan's steps."""

SHARE_STEP = 0.01
"""Shares, confidences and thresholds are searched to the hundredth (plans a person writes)."""


@dataclass(frozen=True)
class Candidate:
    """One point of the template: every choice a plan of the template makes."""

    pilot_kind: str
    pilot_share: float
    pilot_place: str
    gate_day: int
    gate_rule: str
    gate_confidence: float
    accuracy_threshold: float
    max_pauses: int
    pause_days: int
    rest_waves: int
    wave_gap_days: int
    prepare_first: bool = False

    def parameters(self) -> dict[str, object]:
        """The candidate's choices by name (for tables)."""
        return asdict(self)


class Template:
    """The scenario's plan template: which dimensions are free, and how to decode them."""

    def __init__(self, scenario: Scenario, organisation: Organisation) -> None:
        """`organisation`: the scenario's, for the places a one-place pilot may choose and
        the size of a share's pilot."""
        self.scenario = scenario
        self.space: SearchSpace = scenario.search
        self.places = {
            "region": list(organisation.region_names),
            "department": list(organisation.department_names),
        }
        strata = organisation.department.astype(np.int64) * len(organisation.region_names)
        self.strata_sizes = np.unique(strata + organisation.region, return_counts=True)[1]
        self.headcount = organisation.size
        self.free = [name for name in PARAMETERS if self._choices(name) != 1]

    def _choices(self, name: str) -> int | None:
        """How many values a parameter can take (None: a continuum)."""
        space = self.space
        if name == "pilot_kind":
            return len(space.pilot_kinds)
        if name == "gate_rule":
            return len(space.gate_rules)
        if name == "prepare_first":
            return len(space.prepare_choices)
        if name == "pilot_place":
            kinds = [kind for kind in space.pilot_kinds if kind in self.places]
            return max([len(self.places[kind]) for kind in kinds], default=1)
        low, high = space.span(name)
        if low == high:
            return 1
        if name in WHOLE:
            return int(high - low + 1)
        return None

    @property
    def dimensions(self) -> int:
        """The unit cube's dimensions: one per free parameter."""
        return len(self.free)

    def decode(self, point: np.ndarray) -> Candidate:
        """The candidate at `point` (one coordinate in [0, 1) per free parameter)."""
        u = dict(zip(self.free, (float(x) for x in point), strict=True))
        space = self.space

        def pick(options: list, name: str):
            return options[min(int(u.get(name, 0.0) * len(options)), len(options) - 1)]

        def number(name: str) -> float | int:
            low, high = space.span(name)
            if name in WHOLE:
                return pick(list(range(low, high + 1)), name)
            value = low + u.get(name, 0.0) * (high - low)
            return round(round(value / SHARE_STEP) * SHARE_STEP, 4)

        kind = pick(space.pilot_kinds, "pilot_kind")
        place = pick(self.places[kind], "pilot_place") if kind in self.places else ""
        rule = pick(space.gate_rules, "gate_rule")
        return Candidate(
            pilot_kind=kind,
            pilot_share=number("pilot_share") if kind in ("random", "stratified") else 0.0,
            pilot_place=place,
            gate_day=int(number("gate_day")),
            gate_rule=rule,
            gate_confidence=number("gate_confidence") if rule == "business_case" else 0.0,
            accuracy_threshold=number("accuracy_threshold") if rule != "business_case" else 0.0,
            max_pauses=int(number("max_pauses")),
            pause_days=int(number("pause_days")) if number("max_pauses") else 0,
            rest_waves=int(number("rest_waves")),
            wave_gap_days=int(number("wave_gap_days")) if number("rest_waves") > 1 else 0,
            prepare_first=bool(pick(space.prepare_choices, "prepare_first")),
        )

    def pilot_size(self, candidate: Candidate) -> int | None:
        """People a random or stratified pilot gives access to, as the rollout rounds
        (stratified: in every department × region stratum); None for other pilots."""
        if candidate.pilot_kind == "random":
            return round(candidate.pilot_share * self.headcount)
        if candidate.pilot_kind == "stratified":
            return int(sum(round(candidate.pilot_share * size) for size in self.strata_sizes))
        return None

    def plan(self, candidate: Candidate) -> Plan:
        """The candidate's plan, validated; a ValueError says why it is not one (a pilot
        of nobody, a wave or a pause past the horizon, no champions, an invalid field)."""
        if self.pilot_size(candidate) == 0:
            raise ValueError(
                f"a {candidate.pilot_kind} pilot of {candidate.pilot_share:.0%} gives nobody "
                f"access in an organisation of {self.headcount:,} people"
            )
        return candidate_plan(candidate, self.scenario)


def candidate_plan(candidate: Candidate, scenario: Scenario) -> Plan:
    """The rollout plan a candidate describes, validated; a ValueError says why it is not
    one (a wave or a pause past the horizon, no champions to pilot, an invalid field)."""
    c = candidate
    if c.pilot_kind == "champions" and scenario.change_management.champions.share == 0:
        raise ValueError("a champions pilot needs champions (change_management.champions.share)")
    last_wave = c.gate_day + 1 + (c.rest_waves - 1) * c.wave_gap_days
    if last_wave >= scenario.horizon_days:
        raise ValueError(
            f"the rest's last wave (day {last_wave}) falls after the horizon "
            f"({scenario.horizon_days} days)"
        )
    last_decision = c.gate_day + c.max_pauses * c.pause_days
    if last_decision >= scenario.horizon_days:
        raise ValueError(
            f"the gate's last decision (day {last_decision}) falls after the horizon "
            f"({scenario.horizon_days} days)"
        )
    try:
        return Plan(
            description=describe(c),
            prepare=[PrepareStep(step=step) for step in PREPARE_STEPS] if c.prepare_first else [],
            waves=_pilot(c) + _rest(c, last_wave),
            gates=[_gate(c)],
        )
    except ValidationError as error:
        raise ValueError(_first_error(error)) from None


def _pilot(c: Candidate) -> list[Wave]:
    """The day-0 wave(s) of the pilot."""
    if c.pilot_kind in ("random", "stratified"):
        return [Wave(day=0, group=c.pilot_kind, share=c.pilot_share)]
    if c.pilot_kind in ("region", "department"):
        return [Wave(day=0, group=c.pilot_kind, name=c.pilot_place)]
    return [Wave(day=0, group="champions"), Wave(day=0, group="champion_teams")]


def _rest(c: Candidate, last_wave: int) -> list[Wave]:
    """Everyone else after the gate: at once, or in waves, the last taking whoever is left."""
    return [
        Wave(day=c.gate_day + 1 + wave * c.wave_gap_days, group="stratified", share=share)
        for wave, share in enumerate(_rest_shares(c))
    ] + [Wave(day=last_wave, group="rest")]


def _gate(c: Candidate) -> Gate:
    """The go/no-go gate after the pilot."""
    return Gate(
        day=c.gate_day,
        business_case=c.gate_rule == "business_case",
        confidence=c.gate_confidence if c.gate_rule == "business_case" else 0.9,
        min_observed_accuracy=c.accuracy_threshold if c.gate_rule != "business_case" else None,
        on_fail="pause" if c.max_pauses else "stop",
        max_pauses=c.max_pauses,
        pause_days=c.pause_days or 30,
    )


def _first_error(error: ValidationError) -> str:
    """A validation error's first message, without pydantic's decoration."""
    return str(error.errors()[0]["msg"]).removeprefix("Value error, ")


def _rest_shares(candidate: Candidate) -> list[float]:
    """Headcount shares of the rest's waves before the last (which takes whoever is left):
    the rest split evenly, a one-place or champions pilot's size unknown in advance."""
    if candidate.rest_waves == 1:
        return []
    left = 1.0 - candidate.pilot_share
    share = round(left / candidate.rest_waves, 4)
    return [share] * (candidate.rest_waves - 1)


def describe(candidate: Candidate) -> str:
    """The plan in one sentence, for reports and the pasted YAML."""
    c = candidate
    who = {
        "random": f"A random {c.pilot_share:.0%} pilot",
        "stratified": f"A stratified {c.pilot_share:.0%} pilot",
        "region": f"A pilot in the {c.pilot_place} region",
        "department": f"A pilot in the {c.pilot_place} department",
        "champions": "A champions-and-their-teams pilot",
    }[c.pilot_kind]
    rule = (
        f"on the business case at {c.gate_confidence:.0%} confidence"
        if c.gate_rule == "business_case"
        else f"on checked accuracy of at least {c.accuracy_threshold:.0%}"
    )
    pauses = f"up to {c.max_pauses} pause(s) of {c.pause_days} days" if c.max_pauses else "no pause"
    rest = (
        "everyone else the next day"
        if c.rest_waves == 1
        else f"everyone else in {c.rest_waves} waves {c.wave_gap_days} days apart"
    )
    first = "Prepare first (pipeline, capacity, champions), then a" if c.prepare_first else "A"
    return f"{first}{who[1:]}; a gate on day {c.gate_day} {rule}, {pauses}; then {rest}."


def plan_key(plan: Plan) -> str:
    """The plan's content as text: two candidates with equal keys are one plan."""
    return json.dumps(plan.model_dump(mode="json", exclude={"description"}), sort_keys=True)
