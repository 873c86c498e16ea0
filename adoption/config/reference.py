"""The scenario reference (docs/scenario-reference.md), generated from the schema."""

from __future__ import annotations

from typing import Any

from adoption.config.scenario import Scenario

HEADER = """# Scenario reference

Generated from the scenario schema by `adoption scenario reference`; a test fails if
this file is stale. Every key below may appear in a scenario YAML file or in
`--set key.path=value`. Ranges are inclusive unless marked exclusive.
"""


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return "section"
    if "anyOf" in spec:
        return " or ".join(_type(option) for option in spec["anyOf"])
    if "enum" in spec:
        return "one of " + ", ".join(f"`{value}`" for value in spec["enum"])
    if "const" in spec:
        return f"`{spec['const']}`"
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}))}"
    if kind == "object":
        return "mapping"
    return kind


def _range(spec: dict[str, Any]) -> str:
    for option in [spec, *spec.get("anyOf", [])]:
        parts = []
        if "minimum" in option:
            parts.append(f"≥ {option['minimum']:g}")
        if "exclusiveMinimum" in option:
            parts.append(f"> {option['exclusiveMinimum']:g}")
        if "maximum" in option:
            parts.append(f"≤ {option['maximum']:g}")
        if "exclusiveMaximum" in option:
            parts.append(f"< {option['exclusiveMaximum']:g}")
        if parts:
            return ", ".join(parts)
    return ""


def _default(spec: dict[str, Any], required: bool) -> str:
    if required:
        return "required"
    if "default" not in spec:
        return "its section's defaults" if _type(spec) == "section" else "see section"
    value = spec["default"]
    if isinstance(value, dict | list) and len(str(value)) > 40:
        return "see below" if isinstance(value, dict) else "(list)"
    return f"`{value}`"


def scenario_reference() -> str:
    """Markdown: one table per section, in schema order."""
    schema = Scenario.model_json_schema()
    definitions = schema["$defs"]
    lines = [HEADER]

    def section(title: str, definition: dict[str, Any]) -> None:
        lines.append(f"\n## {title}\n")
        if definition.get("description"):
            lines.append(" ".join(definition["description"].split()) + "\n")
        lines.append("| key | type | default | range | meaning |")
        lines.append("|---|---|---|---|---|")
        required = set(definition.get("required", []))
        for name, spec in definition.get("properties", {}).items():
            meaning = " ".join(spec.get("description", "").split())
            default = _default(spec, name in required)
            lines.append(f"| `{name}` | {_type(spec)} | {default} | {_range(spec)} | {meaning} |")

    section("Top level", schema)
    for name in sorted(definitions):
        section(name, definitions[name])
    return "\n".join(lines) + "\n"
