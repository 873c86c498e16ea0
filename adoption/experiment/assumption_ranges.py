"""The plausible range of every field `compare --switches` varies: the scenario's declared
uncertainties, and the assumption fields listed here (one place, so that it can later
read the schema's own plausible ranges instead)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from adoption.config import Scenario, load_scenario
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
    source: str = "assumption"


ASSUMPTIONS: dict[str, Assumption] = {
    "behaviour.try_per_year": Assumption(
        3.0,
        12.0,
        source="assumption: the decision pace issue 21 found deciding (a decision every "
        "four months to every month, around the default 6)",
    ),
    "horizon_days": Assumption(
        365,
        730,
        source="the brief's one-year metrics to its default two-year horizon",
    ),
    "tool.pipeline.build_engineer_days": Assumption(
        180.0,
        720.0,
        source="assumption: half to twice the default 360 engineer-days (the source says "
        "the pipeline is most of the work, not how much)",
    ),
    "economics.cost_per_wrong_use": Assumption(
        2.5,
        7.0,
        source="the default scenario's uncertainty range (break-even accuracy 45% to 70%)",
    ),
    "economics.licences.assign": Assumption(
        values=("first_use", "access"),
        source="the two licence rules (docs/model.md, Licences)",
    ),
}
"""Assumption fields (docs/model.md's defaults table calls them assumptions) that issue
21 found can decide the winner, with plausible ranges; a declared uncertainty of the
same field takes its place."""


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
    for field, uncertainty in scenario.uncertainties.items():
        low, high, numeric = _uncertainty_ends(uncertainty)
        spans[field] = _span(scenario, field, low, high, numeric, "uncertainty")
    for field, assumption in ASSUMPTIONS.items():
        if field in spans:
            continue
        if assumption.values:
            low, high = assumption.values[0], assumption.values[-1]
            spans[field] = _span(scenario, field, low, high, False, assumption.source)
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


def _span(scenario: Scenario, field: str, low: Any, high: Any, numeric: bool, origin: str) -> Span:
    written = written_value(scenario, field)
    integer = numeric and isinstance(written, int) and not isinstance(written, bool)
    if integer:
        low, high = int(np.rint(low)), int(np.rint(high))
    return Span(field, low, high, written, numeric, integer, origin)
