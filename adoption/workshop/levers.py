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
from adoption.config.lever import GROUPS, LEVER

__all__ = ["GROUPS", "Lever", "find", "levers", "plan_levers"]

SKIPPED = ("plans", "uncertainties", "name", "description", "network", "initial_adopters")
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
        return asdict(self)

    def matches(self, words: list[str]) -> bool:
        """Whether every word appears in the lever's label, description, path or group."""
        text = " ".join((self.label, self.description, self.path, self.group, self.unit)).lower()
        return all(word in text for word in words)


def _resolve(spec: dict[str, Any], definitions: dict[str, Any], value: Any) -> dict[str, Any]:
    """The definition a property stands for: its `$ref`, its one non-null option, or the
    option of a tagged union (the behaviour rules) whose `rule` the value names."""
    if "$ref" in spec:
        return definitions[spec["$ref"].rsplit("/", 1)[1]]
    if "oneOf" in spec and isinstance(value, dict):
        for option in spec["oneOf"]:
            definition = _resolve(option, definitions, value)
            rule = definition.get("properties", {}).get("rule", {})
            if value.get("rule") in (rule.get("const"), rule.get("default")):
                return definition
    options = [o for o in spec.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        merged = {**spec, **options[0]}
        merged.pop("anyOf", None)
        return _resolve(merged, definitions, value) if "$ref" in options[0] else merged
    return spec


def _lever(path: str, raw: dict[str, Any], spec: dict[str, Any], value: Any) -> Lever | None:
    """The lever of one property, or None when it is not a scalar."""
    kind = {"number": "number", "integer": "integer", "boolean": "boolean"}.get(
        spec.get("type", "")
    )
    if "enum" in spec:
        kind = "choice"
    if kind is None:
        return None
    meta = raw[LEVER]
    plausible = meta["plausible"]
    return Lever(
        path=path,
        group=meta["group"],
        kind=kind,
        description=" ".join(raw.get("description", spec.get("description", "")).split()),
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


def levers(scenario: Scenario | None = None) -> list[Lever]:
    """Every scalar field of the scenario (plans excepted: `plan_levers`), with the
    scenario's current value, grouped and in schema order."""
    scenario = scenario or Scenario()
    schema = Scenario.model_json_schema()
    definitions = schema.get("$defs", {})
    found: list[Lever] = []

    def walk(definition: dict[str, Any], values: dict[str, Any], prefix: list[str]) -> None:
        for name, raw in definition.get("properties", {}).items():
            path = [*prefix, name]
            if path[0] in SKIPPED or name not in values:
                continue
            value = values[name]
            spec = _resolve(raw, definitions, value)
            if "properties" in spec:
                if isinstance(value, dict):
                    walk(spec, value, path)
                continue
            if name == "rule" and "const" in spec:
                continue  # the behaviour rule's tag: chosen by the scenario, not a knob
            lever = _lever(".".join(path), raw, spec, value)
            if lever is not None:
                found.append(lever)

    walk(schema, scenario.model_dump(mode="json"), [])
    order = {group: index for index, group in enumerate(GROUPS)}
    return sorted(found, key=lambda lever: order[lever.group])


def plan_levers() -> list[Lever]:
    """The fields of a wave (`waves.day`, ...) and of a gate (`gates.min_adoption`, ...)
    with their defaults: what a plan's form edits, one wave or gate at a time."""
    from adoption.config.plans import Gate, Wave

    found: list[Lever] = []
    for prefix, model in (("waves", Wave), ("gates", Gate)):
        schema = model.model_json_schema()
        defaults = model.model_construct().model_dump(mode="json")
        for name, raw in schema["properties"].items():
            spec = _resolve(raw, schema.get("$defs", {}), None)
            lever = _lever(f"{prefix}.{name}", raw, spec, defaults.get(name))
            if lever is not None:
                found.append(lever)
    return found


def find(query: str, catalogue: list[Lever]) -> list[Lever]:
    """The levers whose label, description, path, group or unit hold every word of
    `query` (case-insensitive; an empty query finds them all)."""
    words = re.findall(r"\w+", query.lower())
    return [lever for lever in catalogue if lever.matches(words)]
