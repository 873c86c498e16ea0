"""The pilot simulated as it ran, summarised like its telemetry (per group and period).

The engine records organisation-wide series; per-group series of people are read here
from everyone's state after each step (no change to the engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from adoption.config import Scenario, load_scenario
from adoption.engine.model import AdoptionModel
from adoption.engine.states import ABANDONED, ACTIVE, LAPSED, NO_ACCESS, TRYING
from adoption.errors import InputError
from adoption.organisation import Organisation, organisation_for


@dataclass(frozen=True)
class PilotSpec:
    """What one simulation of the pilot needs (picklable, sent to workers)."""

    scenario_json: str
    plan: str
    days: int
    kind: str  # team, department, region or organisation
    groups: tuple[str, ...]
    period_days: int
    period_ends: tuple[int, ...]  # the last day of each period, ascending
    reuse_organisation: bool  # the fitted fields leave the organisation as it is


@lru_cache(maxsize=4)
def _base(scenario_json: str) -> Scenario:
    return Scenario.model_validate_json(scenario_json)


@lru_cache(maxsize=4)
def _organisation(scenario_json: str) -> Organisation:
    return organisation_for(_base(scenario_json))


def group_index(organisation: Organisation, kind: str, groups: tuple[str, ...]) -> np.ndarray:
    """Each person's position in `groups` (-1: not in any)."""
    if kind == "organisation":
        return np.zeros(organisation.size, dtype=np.int64)
    codes = {"team": organisation.team, "department": organisation.department}.get(
        kind, organisation.region
    )
    names = {
        "team": organisation.team_names,
        "department": organisation.department_names,
        "region": organisation.region_names,
    }[kind]
    where = {name: i for i, name in enumerate(groups)}
    lookup = np.array([where.get(name, -1) for name in names], dtype=np.int64)
    return lookup[codes]


def simulate_pilot(spec: PilotSpec, values: dict[str, float], seed: int) -> dict[str, np.ndarray]:
    """One simulation of the pilot with `values` set: per measure, an array (periods,
    groups) summarised like the telemetry. Raises InputError for values the scenario
    refuses."""
    base = _base(spec.scenario_json)
    scenario = load_scenario(base, {k: float(v) for k, v in values.items()}) if values else base
    organisation = _organisation(spec.scenario_json) if spec.reuse_organisation else None
    model = AdoptionModel(scenario, spec.plan, seed, spec.days, None, organisation)
    org = model.organisation
    index = group_index(org, spec.kind, spec.groups)
    inside = index >= 0
    n_groups = len(spec.groups)
    steps = model.steps_total
    people = {m: np.zeros((steps, n_groups)) for m in ("with_access", "active")}
    flows = {m: np.zeros((steps, n_groups)) for m in ("first_time", "stopped")}
    previous = {"state": None, "tried": None}

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(index[mask & inside], minlength=n_groups)[:n_groups]

    def on_step(step: int) -> None:
        state = model.people.state
        tried = model.people.ever_tried
        people["with_access"][step] = count(state != NO_ACCESS)
        people["active"][step] = count((state == ACTIVE) | (state == TRYING))
        if previous["state"] is not None:
            was_using = (previous["state"] == ACTIVE) | (previous["state"] == TRYING)
            stopped = was_using & ((state == LAPSED) | (state == ABANDONED))
            flows["stopped"][step] = count(stopped)
            flows["first_time"][step] = count(tried & ~previous["tried"])
        else:
            flows["first_time"][step] = count(tried)
        previous["state"] = state.copy()
        previous["tried"] = tried.copy()

    model.run(on_step)
    recorded = model.recorder.rows
    series = {name: values[:recorded] for name, values in model.recorder.columns.items()}
    days = series["day"]
    ends = np.asarray(spec.period_ends)
    # the row of each period's last day, and the rows each period spans
    last = np.searchsorted(days, ends, side="right") - 1
    first = np.searchsorted(days, ends - spec.period_days, side="right")
    out: dict[str, np.ndarray] = {}
    for name, array in people.items():
        out[name] = array[last]
    for name, array in flows.items():
        cumulative = np.vstack([np.zeros((1, n_groups)), np.cumsum(array, axis=0)])
        out[name] = cumulative[last + 1] - cumulative[first]
    wide = {}
    for name, column in (("uses", "uses"), ("tickets", "support_tickets")):
        cumulative = np.concatenate([[0.0], np.cumsum(series[column])])
        wide[name] = cumulative[last + 1] - cumulative[first]
    served = np.concatenate([[0.0], np.cumsum(series["served"])])
    right = np.concatenate([[0.0], np.cumsum(series["successes"])])
    with np.errstate(invalid="ignore", divide="ignore"):
        wide["accuracy"] = (right[last + 1] - right[first]) / (served[last + 1] - served[first])
    latency = series["latency_ms"]
    wide["latency_ms"] = np.array(
        [
            np.nanmean(latency[a : b + 1]) if np.isfinite(latency[a : b + 1]).any() else np.nan
            for a, b in zip(first, last, strict=True)
        ]
    )
    for name, array in wide.items():
        out[name] = array[:, None]  # one column: the organisation
    return out


def check_fit_values(base: Scenario, values: dict[str, float]) -> None:
    """Raise InputError if the scenario refuses these values."""
    load_scenario(base, values)


def run_one(spec: PilotSpec, item: tuple[dict[str, float], int]) -> dict[str, np.ndarray] | None:
    """Worker entry: one simulation, or None where the values are outside the scenario's
    allowed range (a proposal the prior should not have made)."""
    values, seed = item
    try:
        return simulate_pilot(spec, values, seed)
    except InputError:
        return None
