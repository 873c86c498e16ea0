"""The public entry point for one run."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from adoption.arguments import whole_number
from adoption.config.loading import Overrides, ScenarioSource
from adoption.engine.model import AdoptionModel
from adoption.engine.states import STATE_NAMES
from adoption.errors import InputError
from adoption.metrics import run_metrics
from adoption.organisation import Organisation
from adoption.organisation.model import ROLES
from adoption.result import SimulationResult


def simulate(
    scenario: ScenarioSource = None,
    plan: str | None = None,
    seed: int = 0,
    days: int | None = None,
    *,
    overrides: Overrides = None,
    organisation: Organisation | None = None,
    on_step: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Run one plan of a scenario for one seed and return its result.

    `scenario` is a Scenario, a YAML path, a dict or None (the bundled default); `plan`
    defaults to the scenario's first plan; `days` overrides the horizon. Pass a
    prebuilt `organisation` to reuse it across runs.
    """
    seed = whole_number(seed, "seed")
    if days is not None:
        days = whole_number(days, "days", 1)
    if plan is not None and not isinstance(plan, str):
        raise InputError(f"plan: expected a plan name, got {plan!r}")
    model = AdoptionModel(scenario, plan, seed, days, overrides, organisation)
    model.run(on_step)
    org = model.organisation
    timeseries = model.recorder.frame()
    return SimulationResult(
        scenario_name=model.settings.name,
        plan=model.plan_name,
        seed=seed,
        headcount=org.size,
        timeseries=timeseries,
        metrics=run_metrics(
            timeseries,
            org.size,
            int(model.people.burned.sum()),
            list(model.dynamics.decisions),
            dict(model.ledger.totals),
            model.settings.economics.discount_rate_per_year,
        ),
        events=model.events.frame(),
        costs=dict(model.ledger.totals),
        people=final_people(org, model),
        decisions=tuple(model.dynamics.decisions),
    )


def final_people(org: Organisation, model: AdoptionModel) -> pd.DataFrame:
    """One row per person: who they are and where they ended up."""
    people = model.people
    manager_stance = np.where(org.manager >= 0, people.stance[np.maximum(org.manager, 0)], 0.0)
    return pd.DataFrame(
        {
            "employee_id": org.employee_id,
            "state": pd.Categorical.from_codes(people.state, STATE_NAMES),
            "role": pd.Categorical.from_codes(org.role, ROLES),
            "team": pd.Categorical.from_codes(org.team, org.team_names),
            "department": pd.Categorical.from_codes(org.department, org.department_names),
            "region": pd.Categorical.from_codes(org.region, org.region_names),
            "team_resistant": org.team_resistant[org.team],
            "manager_stance": manager_stance,
            "champion": people.champion,
            "trained": people.trained,
            "ever_tried": people.ever_tried,
            "ever_active": people.ever_active,
            "burned": people.burned,
        }
    )
