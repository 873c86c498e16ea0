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
import threading
from collections import OrderedDict

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


SHARED_SETTINGS_KEPT = 16
"""Sized scenarios `sized_settings` keeps (the least recently used go first): a compare
runs one scenario many times, an exploration a few per world."""

_shared: OrderedDict[tuple[str, int], tuple[Scenario, str]] = OrderedDict()
_sharing = threading.Lock()  # runs in threads of one process share the kept copies


def sized_settings(scenario: Scenario, headcount: int) -> Scenario:
    """The settings of a run: `sized(scenario, headcount)`, shared by the runs of this
    process with the same scenario content and headcount.

    Copying a scenario takes about a quarter of a millisecond, writing it out a tenth of
    that: the copy is kept under the scenario's content as JSON (every field, so that
    changing any one misses), and served again only while its own JSON is still what it
    was made with (a caller that wrote into a shared copy gets a new one). Runs only
    read their settings.
    """
    if not derived_sizes(scenario, headcount):
        return scenario
    key = (scenario.model_dump_json(), headcount)
    with _sharing:
        kept = _shared.get(key)
        if kept is not None and kept[0].model_dump_json() == kept[1]:
            _shared.move_to_end(key)
            return kept[0]
        settings = sized(scenario, headcount)
        _shared[key] = (settings, settings.model_dump_json())
        _shared.move_to_end(key)
        while len(_shared) > SHARED_SETTINGS_KEPT:
            _shared.popitem(last=False)
    return settings
