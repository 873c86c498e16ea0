"""A scenario written out as YAML, each field under a comment saying what it is: its
label and unit, and where its default comes from (the fields' lever declarations)."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from adoption.config.lever import LEVER

WIDTH = 88
"""Longest line of a written scenario (comments wrap; long strings fold)."""


def _dump(key: str, value: Any, indent: str) -> list[str]:
    text = yaml.safe_dump(
        {key: value}, sort_keys=False, allow_unicode=True, width=WIDTH - len(indent)
    )
    return [indent + line for line in text.splitlines()]


def _comment(meta: dict[str, Any], indent: str) -> list[str]:
    unit = f" [{meta['unit']}]" if meta["unit"] else ""
    text = f"{meta['label']}{unit}. Source: {meta['source']}"
    return textwrap.wrap(
        text, WIDTH, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}#   "
    )


def _section(spec: dict[str, Any], value: Any, definitions: dict[str, Any]) -> dict | None:
    """The definition of the section a property holds, or None for a plain value; for the
    tagged union of behaviour rules, the rule `value` names."""
    if not isinstance(value, dict):
        return None
    options = spec.get("oneOf") or [o for o in spec.get("anyOf", [spec]) if o != {"type": "null"}]
    for option in options:
        if "$ref" not in option:
            continue
        definition = definitions[option["$ref"].rsplit("/", 1)[1]]
        rule = definition.get("properties", {}).get("rule")
        if rule is None or value.get("rule", rule.get("default")) in (
            rule.get("const"),
            rule.get("default"),
        ):
            return definition
    return None


def commented_yaml(values: dict[str, Any], schema: dict[str, Any]) -> str:
    """`values` (a scenario dumped to JSON types) as YAML in their order, each declared
    field under a comment with its label, unit and source; lists and mappings (plans,
    uncertainties) are written plainly, their fields documented in the reference."""
    definitions = schema.get("$defs", {})
    lines: list[str] = []

    def write(definition: dict[str, Any], data: dict[str, Any], indent: str) -> None:
        properties = definition.get("properties", {})
        for key, value in data.items():
            spec = properties.get(key, {})
            section = _section(spec, value, definitions)
            if section is not None:
                lines.append(f"{indent}{key}:")
                write(section, value, indent + "  ")
                continue
            if LEVER in spec:
                lines.extend(_comment(spec[LEVER], indent))
            lines.extend(_dump(key, value, indent))

    write(schema, values, "")
    return "\n".join(lines) + "\n"
