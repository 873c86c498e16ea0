"""Teams sized to the organisation: one rule for every role a scenario leaves unset.

The programme's people and fixed budgets were written for the default 5,000-person
organisation. A field left unset (none) takes the same amount per 1,000 employees at
any headcount: engineers, the pipeline's build, the programme office, the support
desk's core, trainers, the retraining and launch budgets. Engineers, agents and the
programme office may be a share of a person (a small organisation gives the project
part of someone's time); trainers are whole people, at least one, since a session needs
a trainer. A value the user sets is kept as set.
"""

from __future__ import annotations

import math

from pydantic import BaseModel

from adoption.config.scenario import Scenario

PER_THOUSAND_EMPLOYEES: dict[str, float] = {
    "tool.fixes.ml_engineers": 0.8,
    "tool.pipeline.data_engineers": 0.8,
    "tool.pipeline.build_engineer_days": 72.0,
    "tool.retraining.cost": 4_000.0,
    "economics.programme_cost_per_day": 100.0,
    "economics.launch_cost": 5_000.0,
    "change_management.support.agents": 0.2,
    "change_management.training.trainers": 0.6,
}
"""Each sized field per 1,000 employees: the defaults for 5,000 people (4 ML and 4 data
engineers, 360 engineer-days to build the pipeline, 20,000 a retrain, 500 a day of
programme office, a 25,000 launch, one core support agent, three trainers) divided by
five. Assumption: no source gives how these teams scale, so the cost per employee of
running the programme is kept the same at every size; the pipeline's work follows the
data it carries, which grow with the people whose work produces them, so the data
engineers sized the same way build it in the same quarter at every size."""

WHOLE_PEOPLE = frozenset({"change_management.training.trainers"})
"""Sized fields that count whole people, at least one (rounded)."""


def derived_sizes(scenario: Scenario, headcount: int) -> dict[str, float]:
    """The value the rule gives every sized field the scenario leaves unset."""
    derived: dict[str, float] = {}
    for path, rate in PER_THOUSAND_EMPLOYEES.items():
        section, name = section_of(scenario, path)
        if getattr(section, name) is not None:
            continue
        value = rate * headcount / 1000
        derived[path] = max(1, math.floor(value + 0.5)) if path in WHOLE_PEOPLE else value
    return derived


def sized(scenario: Scenario, headcount: int) -> Scenario:
    """A copy of `scenario` with every unset sized field set for `headcount` people."""
    derived = derived_sizes(scenario, headcount)
    if not derived:
        return scenario
    copy = scenario.model_copy(deep=True)
    for path, value in derived.items():
        section, name = section_of(copy, path)
        setattr(section, name, value)
    return copy


def section_of(scenario: Scenario, path: str) -> tuple[BaseModel, str]:
    """The section of `scenario` holding a dotted field path, and the field's name."""
    *sections, name = path.split(".")
    node: BaseModel = scenario
    for part in sections:
        node = getattr(node, part)
    return node, name
