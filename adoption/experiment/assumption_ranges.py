"""The plausible range of every field `compare --switches` varies: the scenario's declared
uncertainties; the fields whose lever declaration (adoption.config.lever) calls the
default an assumption and gives a plausible range; and the few fields issue 21 found
deciding the winner whose declarations give no range yet, listed here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from adoption.config import Scenario, load_scenario
from adoption.config.lever import ASSUMPTION, declared_fields
from adoption.config.sizing import (
    PER_THOUSAND_EMPLOYEES,
    WHOLE_PEOPLE,
    derived_sizes,
    section_of,
)
from adoption.config.uncertainties import Uncertainty
from adoption.errors import InputError

NORMAL_COVERAGE = (0.05, 0.95)
"""Quantiles that bound a normal or lognormal uncertainty's plausible range."""


@dataclass(frozen=True)
class Assumption:
    """An assumption field's plausible values (numbers: low to high; words: the options)
    and where the range comes from."""

    low: float | None = None
    high: float | None = None
    values: tuple[str, ...] = ()
    source: str = ASSUMPTION


UNDECLARED: dict[str, Assumption] = {
    "behaviour.try_per_year": Assumption(
        3.0,
        12.0,
        source="assumption: the decision pace issue 21 found deciding (a decision every "
        "four months to every month, around the default 6)",
    ),
    "tool.pipeline.build_engineer_days": Assumption(source="see SIZED_RANGE"),
    "economics.licences.assign": Assumption(
        values=("first_use", "access"),
        source="the two licence rules (docs/model.md, Licences)",
    ),
}
"""Fields issue 21 found can decide the winner (the decision pace, the licence rule)
whose declarations give no plausible range yet; a range declared on the field later
replaces the one here; the pipeline's build is a team-sized field, its range
`SIZED_RANGE`."""
SIZED_RANGE = (0.5, 2.0)
"""A team-sized field's plausible range (the pipeline's build, engineers, trainers, the
support desk's core, the programme's budgets: adoption.config.sizing) as multiples of
the value a run uses at the scenario's headcount, written or sized. Assumption: half to
twice, as no source gives how these teams vary (for the pipeline: the source says it is
most of the work, not how much); a declared absolute range would be for the 5,000-person
default and is not used."""
DECIDING = ("horizon_days",)
"""Fields with a declared plausible range whose default is not an assumption but which
issue 21 found deciding the winner (a one-year horizon)."""


def assumption_ranges() -> dict[str, Assumption]:
    """The assumption fields and their ranges: every declared field whose source is an
    assumption and that has a plausible range, the DECIDING fields, then UNDECLARED's
    (with the declared range where there is one). Fields inside plans (waves, gates) are
    not single scenario values and are left out."""
    found: dict[str, Assumption] = {}
    for field in declared_fields():
        meta = field.meta
        if meta["plausible"] is None or "*" in field.path or "[]" in field.path:
            continue
        assumed = meta["source"].lower().startswith(ASSUMPTION)
        if assumed or field.path in UNDECLARED or field.path in DECIDING:
            low, high = meta["plausible"]
            found[field.path] = Assumption(low, high, source=meta["source"])
    for path, assumption in UNDECLARED.items():
        found.setdefault(path, assumption)
    return found


_SIZED_SOURCE = (
    "assumption: half to twice the value at this headcount (sized per 1,000 employees "
    "when left unset: docs/model.md, Teams sized to the organisation)"
)


@cache
def whole_number_fields() -> frozenset[str]:
    """The declared fields that take whole numbers (probes are rounded for them)."""
    return frozenset(
        field.path for field in declared_fields() if field.value_spec.get("type") == "integer"
    )


@dataclass(frozen=True)
class Span:
    """One field's plausible range as `--switches` probes it: numbers from `low` to
    `high` (whole numbers when `integer`), or, for words, the first and last option."""

    field: str
    low: Any
    high: Any
    written: Any
    numeric: bool
    integer: bool
    origin: str  # "uncertainty" or the assumption's source

    def describe(self) -> str:
        """The range as text, e.g. '0.62 to 0.78' or 'first_use or access'."""
        if self.numeric:
            return f"{self.low:g} to {self.high:g}"
        return f"{self.low} or {self.high}"

    def at(self, value: float) -> Any:
        """A probe value as the field takes it (rounded for whole-number fields)."""
        return int(np.rint(value)) if self.integer else float(value)


def written_value(scenario: Scenario, field: str) -> Any:
    """The scenario's value of a dotted field path (None where a level is missing)."""
    node: Any = scenario.model_dump(mode="json")
    for part in field.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _uncertainty_ends(uncertainty: Uncertainty) -> tuple[Any, Any, bool]:
    """(low, high, numeric) of a declared uncertainty's plausible range."""
    kind = uncertainty.distribution
    if kind in ("uniform", "triangular"):
        return uncertainty.low, uncertainty.high, True
    if kind in ("normal", "lognormal"):
        low, high = uncertainty.quantile(np.array(NORMAL_COVERAGE))
        return float(low), float(high), True
    values = uncertainty.values
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return min(values), max(values), True
    return values[0], values[-1], False


def plausible_spans(scenario: Scenario, fields: list[str] | None = None) -> list[Span]:
    """The spans `--switches` probes: the declared uncertainties, then the assumption
    fields not declared; with `fields`, only those (each must be one of them). Every end
    must give a valid scenario: an InputError names the field and value otherwise."""
    spans: dict[str, Span] = {}
    in_use = _sized_values(scenario)
    for field, uncertainty in scenario.uncertainties.items():
        low, high, numeric = _uncertainty_ends(uncertainty)
        spans[field] = _span(scenario, field, low, high, numeric, "uncertainty")
    for field, assumption in assumption_ranges().items():
        if field in spans:
            continue
        if assumption.values:
            low, high = assumption.values[0], assumption.values[-1]
            spans[field] = _span(scenario, field, low, high, False, assumption.source)
        elif field in in_use:
            written, around = in_use[field]
            low, high = (around * multiple for multiple in SIZED_RANGE)
            if field in WHOLE_PEOPLE:  # the sizing rule's least: one person
                low = max(low, 1.0)
            spans[field] = _span(scenario, field, low, high, True, _SIZED_SOURCE, written)
        else:
            spans[field] = _span(
                scenario, field, assumption.low, assumption.high, True, assumption.source
            )
    if fields is not None:
        unknown = [field for field in fields if field not in spans]
        if unknown:
            raise InputError(
                f"--switches: {', '.join(unknown)} is neither an uncertainty of the scenario "
                f"nor a listed assumption (choose from {', '.join(spans)})"
            )
        spans = {field: spans[field] for field in dict.fromkeys(fields)}
    for span in spans.values():
        for end in (span.low, span.high):
            try:
                load_scenario(scenario, {span.field: end})
            except InputError as error:
                raise InputError(
                    f"--switches: {span.field} = {end} (an end of its plausible range) "
                    f"gives an invalid scenario ({error})"
                ) from None
    return list(spans.values())


def _sized_values(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Every team-sized field's value in a run (as written, or sized to the scenario's
    headcount where left unset) and the value its range is taken around: the value in
    a run, or the sized one where it is written as 0 (none: a pipeline ready at launch,
    no desk) to ask what having to build or staff it would change."""
    from adoption.organisation import headcount_of

    unset = scenario.model_copy(deep=True)
    for path in PER_THOUSAND_EMPLOYEES:
        section, name = section_of(unset, path)
        setattr(section, name, None)
    sized = derived_sizes(unset, headcount_of(scenario))
    values = {}
    for path, default in sized.items():
        written = written_value(scenario, path)
        in_run = float(default if written is None else written)
        values[path] = (in_run, in_run if in_run > 0 else float(default))
    return values


def _span(
    scenario: Scenario,
    field: str,
    low: Any,
    high: Any,
    numeric: bool,
    origin: str,
    written: Any = None,
) -> Span:
    if written is None:
        written = written_value(scenario, field)
    integer = numeric and field in whole_number_fields()
    if integer:
        low, high = int(np.rint(low)), int(np.rint(high))
        written = int(np.rint(written)) if written is not None else None
    return Span(field, low, high, written, numeric, integer, origin)
