"""The scenario's levers, read from the pydantic schema: never hand-copied.

Each lever is a scalar field of the scenario (number, integer, yes/no or a choice)
with its dotted path, the schema's one-line description, a unit and its range, put
in one of the groups a workshop talks in.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from adoption.config import Scenario

GROUPS = (
    "data quality",
    "infrastructure",
    "change management",
    "organisation",
    "economics",
    "plan and gates",
)

_INFRASTRUCTURE = re.compile(r"infra|capacity|outage|latency|server|gpu|load|serving", re.I)


def group_of(path: str) -> str:
    """The workshop group of a dotted field path."""
    head = path.split(".", 1)[0]
    if head == "tool":
        return "infrastructure" if _INFRASTRUCTURE.search(path) else "data quality"
    if head == "change_management":
        return "change management"
    if head in ("organisation", "behaviour", "network", "initial_adopters"):
        return "organisation"
    if head == "economics":
        return "economics"
    return "plan and gates"


_SUFFIXES = {"_ms": "ms", "_days": "days", "_per_year": "per year", "_hours": "hours"}


def unit_of(description: str, spec: dict[str, Any], path: str = "") -> str:
    """The unit a field's name or description names (a short trailing parenthesis,
    'per year', money), or a share for a 0–1 number."""
    text = description.lower()
    trailing = re.search(r"\(([^()]*)\)\s*$", description)
    if trailing and len(trailing.group(1).split()) <= 2 and not re.search("[=−/:%]", trailing[1]):
        return trailing.group(1)
    for suffix, unit in _SUFFIXES.items():
        if path.endswith(suffix):
            return unit
    if "cost" in path or "value" in path.rsplit(".", 1)[-1]:
        return "money"
    if "per year" in text or "_per_year" in text:
        return "per year"
    if "money" in text:
        return "money"
    if "days" in text:
        return "days"
    if spec.get("minimum") == 0 and spec.get("maximum") == 1:
        return "share (0–1)"
    return ""


@dataclass(frozen=True)
class Lever:
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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _resolve(spec: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in spec:
        return definitions[spec["$ref"].rsplit("/", 1)[1]]
    options = [o for o in spec.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        merged = {**spec, **options[0]}
        merged.pop("anyOf", None)
        return _resolve(merged, definitions) if "$ref" in options[0] else merged
    return spec


def _lookup(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def levers(scenario: Scenario | None = None) -> list[Lever]:
    """Every scalar field of the scenario (plans excepted: they have their own editor; the
    search template too: it changes no run), with the scenario's current value, grouped
    and in schema order."""
    scenario = scenario or Scenario()
    values = scenario.model_dump(mode="json")
    schema = Scenario.model_json_schema()
    definitions = schema.get("$defs", {})
    found: list[Lever] = []

    def walk(definition: dict[str, Any], prefix: list[str]) -> None:
        for name, raw in definition.get("properties", {}).items():
            path = [*prefix, name]
            if path[0] in ("plans", "uncertainties", "search", "name", "description"):
                continue
            spec = _resolve(raw, definitions)
            if "properties" in spec:
                if _lookup(values, path) is not None:
                    walk(spec, path)
                continue
            kind = {"number": "number", "integer": "integer", "boolean": "boolean"}.get(
                spec.get("type", "")
            )
            if "enum" in spec:
                kind = "choice"
            if kind is None:
                continue
            description = " ".join(raw.get("description", spec.get("description", "")).split())
            minimum = spec.get("minimum", spec.get("exclusiveMinimum"))
            found.append(
                Lever(
                    path=".".join(path),
                    group=group_of(".".join(path)),
                    kind=kind,
                    description=description,
                    unit=unit_of(description, spec, ".".join(path)),
                    minimum=minimum,
                    maximum=spec.get("maximum", spec.get("exclusiveMaximum")),
                    exclusive_minimum="exclusiveMinimum" in spec,
                    choices=tuple(spec.get("enum", ())),
                    value=_lookup(values, path),
                )
            )

    walk(schema, [])
    order = {group: index for index, group in enumerate(GROUPS)}
    return sorted(found, key=lambda lever: order[lever.group])
