"""What a scenario lever means to a person, declared once beside its field.

`lever(...)` is the `json_schema_extra` of a scenario field: its plain-words label, unit,
the group a workshop talks about it in, where its default comes from (or the word
"assumption"), the range a person could plausibly give it and whether it is one of the
dozen key levers a room changes. The scenario JSON Schema carries it under `LEVER`;
the docs' parameter tables, the workshop's lever catalogue and the comments of a
written-out scenario are generated from it.
"""

from __future__ import annotations

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
