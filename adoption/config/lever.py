"""What a scenario lever means to a person, declared once beside its field.

`lever(...)` is the `json_schema_extra` of a scenario field: its plain-words label, unit,
the group a workshop talks about it in, where its default comes from (or the word
"assumption"), the range a person could plausibly give it and whether it is one of the
dozen key levers a room changes. The scenario JSON Schema carries it under `LEVER`;
the docs' parameter tables, the workshop's lever catalogue and the comments of a
written-out scenario are generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args

Group = Literal[
    "data quality",
    "infrastructure",
    "change management",
    "organisation",
    "how people decide",
    "economics",
    "plan and gates",
    "classic models",
]
"""The groups a workshop talks in."""

GROUPS: tuple[Group, ...] = get_args(Group)

LEVER = "x-lever"
"""The JSON Schema keyword holding a field's lever metadata."""

ASSUMPTION = "assumption"
"""The source of a default no study or document gives."""


def lever(
    label: str,
    unit: str,
    group: Group,
    source: str,
    *,
    plausible: tuple[float, float] | None = None,
    key: bool = False,
) -> dict[str, Any]:
    """The `json_schema_extra` of a scenario field, declaring what it means to a person.

    `unit` is "" for a dimensionless number, a yes/no or a choice; `source` cites where
    the default comes from or says "assumption"; `plausible` is the (low, high) range a
    person could defend, narrower than the validation bounds; `key` marks the dozen
    levers a room changes first.
    """
    if group not in GROUPS:
        raise ValueError(f"unknown lever group {group!r} (known: {', '.join(GROUPS)})")
    if not label or not source:
        raise ValueError("a lever needs a label and a source (or 'assumption')")
    if plausible is not None and plausible[0] > plausible[1]:
        raise ValueError(f"plausible range {plausible} runs backwards")
    return {
        LEVER: {
            "label": label,
            "unit": unit,
            "group": group,
            "source": source,
            "plausible": list(plausible) if plausible is not None else None,
            "key": key,
        }
    }


@dataclass(frozen=True)
class Declared:
    """A scenario field with its lever declaration, found in the scenario JSON Schema."""

    path: str
    """Dotted from the scenario's root; a plan's fields read `plans.*.gates[].day`."""
    within: tuple[str, ...]
    """The schema definitions holding the field, outermost first (`Scenario`,
    `AcceptanceRule`, `ManagersConfig`)."""
    spec: dict[str, Any]
    """The field's schema as declared (description, default, `LEVER`)."""
    value_spec: dict[str, Any]
    """The schema of a value it takes (its non-null option): type, bounds, choices."""
    required: bool

    @property
    def section(self) -> str:
        """The schema definition holding the field (`AcceptanceRule`, `Gate`, ...)."""
        return self.within[-1]

    @property
    def meta(self) -> dict[str, Any]:
        """The declaration: label, unit, group, source, plausible, key."""
        return self.spec[LEVER]


def _definition(spec: dict[str, Any], definitions: dict[str, Any]) -> str | None:
    """The name of the section a property holds (`$ref`, or its one non-null option)."""
    options = [o for o in spec.get("anyOf", [spec]) if o.get("type") != "null"]
    if len(options) == 1 and "$ref" in options[0]:
        return options[0]["$ref"].rsplit("/", 1)[1]
    return None


def _value_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The property's schema with its one non-null option merged in (`X | None`)."""
    options = [o for o in spec.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        merged = {**spec, **options[0]}
        merged.pop("anyOf", None)
        return merged
    return spec


@cache
def declared_fields() -> tuple[Declared, ...]:
    """Every field of the scenario schema that declares a lever, in schema order: every
    section, every behaviour rule, a plain network's and a plan's waves and gates (not
    an uncertainty's: a distribution over a lever, not one). Computed once; read only."""
    from adoption.config.scenario import Scenario  # it imports the sections, which use `lever`

    schema = Scenario.model_json_schema()
    definitions = schema.get("$defs", {})
    found: list[Declared] = []

    def walk(within: tuple[str, ...], definition: dict[str, Any], prefix: str) -> None:
        required = set(definition.get("required", []))
        for key, spec in definition.get("properties", {}).items():
            path = f"{prefix}{key}"
            sections = [_definition(spec, definitions)]
            if "oneOf" in spec:
                sections = [_definition(option, definitions) for option in spec["oneOf"]]
            for container, suffix in (("additionalProperties", ".*"), ("items", "[]")):
                if isinstance(spec.get(container), dict) and "$ref" in spec[container]:
                    sections, path = [_definition(spec[container], definitions)], path + suffix
            if sections != [None]:
                for section in sections:
                    if section is not None and section != "Uncertainty":
                        walk((*within, section), definitions[section], f"{path}.")
            elif LEVER in spec:
                found.append(Declared(path, within, spec, _value_spec(spec), key in required))

    walk(("Scenario",), schema, "")
    return tuple(found)


def label_of(path: str) -> str | None:
    """The plain label a field's lever declares (`tool.production_accuracy` → "accuracy
    on production data at launch"), or None for a path no lever declares."""
    for field in declared_fields():
        if field.path == path:
            return field.meta["label"]
    return None
