"""The scenario reference (docs/scenario-reference.md) and docs/model.md's parameter
tables, generated from the schema and its lever declarations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adoption.config.lever import GROUPS, LEVER, Declared, declared_fields
from adoption.config.scenario import Scenario

HEADER = """# Scenario reference

Generated from the scenario schema by `adoption scenario reference`; a test fails if
this file is stale. Every key below may appear in a scenario YAML file or in
`--set key.path=value`. Ranges are inclusive unless marked exclusive. Each field's
label, unit and source are declared once, beside the field (`adoption.config.lever`).
"""

BEGIN = (
    "<!-- parameters: generated from the scenario schema by "
    "`adoption scenario reference --update docs`; edit a field's declaration, not this -->"
)
END = "<!-- /parameters -->"


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


def _cell(text: str) -> str:
    """Text fit for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def scenario_reference() -> str:
    """Markdown: one table per section, in schema order."""
    schema = Scenario.model_json_schema()
    definitions = schema["$defs"]
    lines = [HEADER]

    def section(title: str, definition: dict[str, Any]) -> None:
        lines.append(f"\n## {title}\n")
        if definition.get("description"):
            lines.append(" ".join(definition["description"].split()) + "\n")
        lines.append("| key | type | unit | default | range | meaning | source |")
        lines.append("|---|---|---|---|---|---|---|")
        required = set(definition.get("required", []))
        for name, spec in definition.get("properties", {}).items():
            meaning = _cell(spec.get("description", ""))
            meta = spec.get(LEVER)
            unit = source = ""
            if meta is not None:
                meaning = f"**{meta['label']}**" + (f": {meaning}" if meaning else "")
                unit, source = meta["unit"], _cell(meta["source"])
            default = _default(spec, name in required)
            lines.append(
                f"| `{name}` | {_type(spec)} | {unit} | {default} | {_range(spec)} "
                f"| {meaning} | {source} |"
            )

    section("Top level", schema)
    for name in sorted(definitions):
        section(name, definitions[name])
    return "\n".join(lines) + "\n"


def _value(field: Declared) -> str:
    if field.required:
        return "required"
    value = field.spec.get("default")
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
    return str(value)


def parameter_tables() -> str:
    """Markdown for docs/model.md: every declared field, one table per workshop group, with
    its default, unit, plausible range and source; key levers marked."""
    fields = declared_fields()
    lines = [BEGIN]
    for group in GROUPS:
        members = [field for field in fields if field.meta["group"] == group]
        lines += [
            "",
            f"### Parameters: {group}",
            "",
            "| field | default | unit | plausible | source |",
            "|---|---|---|---|---|",
        ]
        for field in members:
            meta = field.meta
            name = f"`{field.path}`"
            if field.path.startswith("behaviour.") and field.section != "AcceptanceRule":
                rule = field.within[1].removesuffix("Rule").lower()
                name += f" (rule `{rule}`)"
            if meta["key"]:
                name = f"**{name}** (key)"
            plausible = meta["plausible"]
            span = f"{plausible[0]:g}–{plausible[1]:g}" if plausible else ""
            lines.append(
                f"| {name} | {_value(field)} | {meta['unit']} | {span} | {_cell(meta['source'])} |"
            )
    lines.append(END)
    return "\n".join(lines)


def with_parameter_tables(text: str) -> str:
    """`text` (docs/model.md) with the block between its parameter markers regenerated."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no '{BEGIN[:24]}...' and '{END}' markers, in that order")
    return text[:start] + parameter_tables() + text[end + len(END) :]


def update_docs(docs: Path) -> list[Path]:
    """Regenerate docs/scenario-reference.md and docs/model.md's parameter tables in
    `docs`; returns the files written."""
    texts = {
        docs / "scenario-reference.md": scenario_reference(),
        docs / "model.md": with_parameter_tables((docs / "model.md").read_text(encoding="utf-8")),
    }
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    return list(texts)
