"""The scenario's levers, read from the pydantic schema: never hand-copied.

Each lever is a scalar field of the scenario (number, integer, yes/no or a choice) with
its dotted path, the schema's description and range, and what its declaration
(`adoption.config.lever`) says it means: a plain-words label, unit, group, source,
plausible range and whether it is a key lever. The waves' and gates' fields, edited per
plan, are listed apart (`plan_levers`); `find` searches both by any word.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from adoption.config import Scenario
from adoption.config.lever import GROUPS as ALL_GROUPS
from adoption.config.lever import Declared, declared_fields

__all__ = ["GROUPS", "Lever", "find", "levers", "plan_levers"]

GROUPS = tuple(group for group in ALL_GROUPS if group != "classic models")
"""The groups a workshop shows: a plain network's fields (classic models) are skipped."""

SKIPPED = (
    "plans",
    "uncertainties",
    "search",
    "name",
    "description",
    "network",
    "initial_adopters",
)
"""Top-level keys that are not levers: plans have their own editor (`plan_levers`),
uncertainties are distributions, names are text, and a plain network (classic models)
is not an organisation's rollout."""


@dataclass(frozen=True)
class Lever:
    """One scalar scenario field, as a workshop shows it."""

    path: str
    group: str
    kind: str  # number, integer, boolean, choice
    description: str
    unit: str
    minimum: float | None
    maximum: float | None
    exclusive_minimum: bool
    choices: tuple[Any, ...]
    value: Any
    label: str
    source: str
    key: bool
    plausible: tuple[float, float] | None

    def as_dict(self) -> dict[str, Any]:
        """The lever as JSON-ready values (the app's state)."""
        return asdict(self)

    def matches(self, words: list[str]) -> bool:
        """Whether every word begins a word of the lever's label, description, path, group
        or unit ("gate" finds "gates", "uses" does not find "pauses")."""
        text = " ".join((self.label, self.description, self.path, self.group, self.unit))
        found = set(re.findall(r"[^\W_]+", text.lower()))
        return all(any(candidate.startswith(word) for candidate in found) for word in words)


def _lever(field: Declared, path: str, value: Any) -> Lever | None:
    """The lever of a declared field, or None when it is not a scalar."""
    spec = field.value_spec
    kind = {"number": "number", "integer": "integer", "boolean": "boolean"}.get(
        spec.get("type", "")
    )
    if "enum" in spec:
        kind = "choice"
    if kind is None:
        return None
    meta = field.meta
    plausible = meta["plausible"]
    return Lever(
        path=path,
        group=meta["group"],
        kind=kind,
        description=" ".join(field.spec.get("description", "").split()),
        unit=meta["unit"],
        minimum=spec.get("minimum", spec.get("exclusiveMinimum")),
        maximum=spec.get("maximum", spec.get("exclusiveMaximum")),
        exclusive_minimum="exclusiveMinimum" in spec,
        choices=tuple(spec.get("enum", ())),
        value=value,
        label=meta["label"],
        source=meta["source"],
        key=meta["key"],
        plausible=(plausible[0], plausible[1]) if plausible is not None else None,
    )


def _lookup(data: Any, parts: list[str]) -> tuple[bool, Any]:
    """(whether `data` holds the dotted path, its value there)."""
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return False, None
        data = data[part]
    return True, data


def levers(scenario: Scenario | None = None) -> list[Lever]:
    """Every scalar field of the scenario (plans excepted: `plan_levers`), with the
    scenario's current value, grouped and in schema order; the behaviour rule's are
    those of the rule the scenario uses."""
    scenario = scenario or Scenario()
    values = scenario.model_dump(mode="json")
    rule = type(scenario.behaviour).__name__
    found: list[Lever] = []
    for field in declared_fields():
        parts = field.path.split(".")
        if parts[0] in SKIPPED or (parts[0] == "behaviour" and rule not in field.within):
            continue
        present, value = _lookup(values, parts)
        lever = _lever(field, field.path, value) if present else None
        if lever is not None:
            found.append(lever)
    order = {group: index for index, group in enumerate(GROUPS)}
    return sorted(found, key=lambda lever: order[lever.group])


def plan_levers() -> list[Lever]:
    """The fields of a wave (`waves.day`, ...) and of a gate (`gates.min_adoption`, ...)
    with their defaults: what a plan's form edits, one wave or gate at a time."""
    found: list[Lever] = []
    for field in declared_fields():
        if field.section in ("Wave", "Gate"):
            path = field.path.removeprefix("plans.*.").replace("[]", "")
            lever = _lever(field, path, field.spec.get("default"))
            if lever is not None:
                found.append(lever)
    return found


def find(query: str, catalogue: list[Lever]) -> list[Lever]:
    """The levers with a word beginning with each word of `query` in their label,
    description, path, group or unit (case-insensitive; an empty query finds them all)."""
    words = re.findall(r"[^\W_]+", query.lower())
    return [lever for lever in catalogue if lever.matches(words)]
