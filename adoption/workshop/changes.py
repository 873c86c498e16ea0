"""What differs between two scenarios, lever by lever (AnyLogic's Compare Runs lists the
parameters that differ): the list a pinned A and a run B show, and the export keeps."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from adoption.config import Scenario
from adoption.wording import percent
from adoption.workshop.levers import plan_levers

IGNORED = ("name", "description")
"""Fields that describe a scenario without changing a number."""


@dataclass(frozen=True)
class Change:
    """One field that differs: its dotted path, the words the room knows it by, A, B."""

    path: str
    label: str
    a: str
    b: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def row(self) -> tuple[str, str, str, str]:
        """The change as a table row: what, field, A, B."""
        return (self.label, self.path, self.a, self.b)


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a scenario's JSON dump by dotted path (list items as [i])."""
    if isinstance(data, dict):
        found: dict[str, Any] = {}
        for key, value in data.items():
            found.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return found
    if isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        found = {}
        for index, value in enumerate(data):
            found.update(flatten(value, f"{prefix}[{index}]"))
        return found
    return {prefix: data}


def shown(value: Any, unit: str = "", currency: str = "") -> str:
    """A field's value as text in its unit: a share as a percentage, money with its
    currency ("—" where it is absent or unset)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if unit.startswith("share"):
            return percent(value, 1)
        if unit.startswith("money") and currency:
            return f"{value:g} {unit.replace('money', currency, 1)}"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value) or "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def changes(
    a: Scenario,
    b: Scenario,
    labels: dict[str, str] | None = None,
    units: dict[str, str] | None = None,
    currency: str = "",
) -> list[Change]:
    """The fields whose values differ from A to B, in A's order then B's new ones;
    `labels` names a field in the room's words (its dotted path otherwise), `units`
    gives its unit (shares shown as percentages, money with `currency`)."""
    labels, units = labels or {}, units or {}
    left = flatten(a.model_dump(mode="json"))
    right = flatten(b.model_dump(mode="json"))
    paths = list(left) + [path for path in right if path not in left]
    return [
        Change(
            path,
            labels.get(path) or plan_label(path) or path,
            shown(left.get(path), unit_of(path, units), currency),
            shown(right.get(path), unit_of(path, units), currency),
        )
        for path in paths
        if path.split(".", 1)[0] not in IGNORED
        and not path.endswith(".description")
        and left.get(path) != right.get(path)
    ]


_PLAN_FIELD = re.compile(
    r"plans\.(?P<plan>.+)\.(?P<part>waves|gates)\[(?P<index>\d+)\]\.(?P<field>\w+)"
)
_PARTS = {"waves": "wave", "gates": "gate"}


def plan_label(path: str) -> str | None:
    """A plan's field in words ("pilot-10, gate 1: day of the go/no-go decision"), from
    the fields' lever declarations; None for a path outside a plan's waves and gates."""
    found = _PLAN_FIELD.fullmatch(path)
    if found is None:
        return None
    labels = {"waves.name": "the region or department it gives access to"}
    labels |= {lever.path: lever.label for lever in plan_levers()}
    field = f"{found['part']}.{found['field']}"
    words = labels.get(field, found["field"])
    return f"{found['plan']}, {_PARTS[found['part']]} {int(found['index']) + 1}: {words}"


def unit_of(path: str, units: dict[str, str]) -> str:
    """A field's unit: a lever's, or for a plan's field its wave's or gate's."""
    if path in units:
        return units[path]
    found = _PLAN_FIELD.fullmatch(path)
    if found is None:
        return ""
    plan_units = {lever.path: lever.unit for lever in plan_levers()}
    return plan_units.get(f"{found['part']}.{found['field']}", "")
