"""Synthetic telemetry: what a pilot would record if the model, with known values, were
the truth (for examples and for checking that a calibration recovers them)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from adoption.calibration.pilot import PilotSpec, simulate_pilot
from adoption.calibration.telemetry import ORGANISATION_WIDE, PEOPLE
from adoption.config import Scenario, load_scenario
from adoption.config.loading import ScenarioSource
from adoption.organisation import organisation_for


def synthetic_telemetry(
    scenario: ScenarioSource,
    plan: str,
    values: dict[str, float],
    *,
    weeks: int = 12,
    seed: int = 0,
    kind: str = "region",
    measures: tuple[str, ...] = PEOPLE,
    overrides=None,
) -> pd.DataFrame:
    """Weekly telemetry per `kind` group (region, department, team or organisation);
    organisation-wide measures (uses, accuracy, ...) on the first group's rows."""
    if not isinstance(scenario, Scenario) or overrides:
        scenario = load_scenario(scenario, overrides)
    organisation = organisation_for(scenario)
    groups = {
        "region": organisation.region_names,
        "department": organisation.department_names,
        "team": organisation.team_names,
        "organisation": ["all"],
    }[kind]
    ends = tuple(7 * w - 1 for w in range(1, weeks + 1))
    spec = PilotSpec(
        scenario_json=scenario.model_dump_json(),
        plan=plan,
        days=7 * weeks,
        kind=kind,
        groups=tuple(groups),
        period_days=7,
        period_ends=ends,
        reuse_organisation=True,
    )
    sim = simulate_pilot(spec, values, seed)
    rows = []
    for w in range(weeks):
        for g, group in enumerate(groups):
            row = {"week": w + 1}
            if kind != "organisation":
                row[kind] = group
            for m in measures:
                if m in ORGANISATION_WIDE and g > 0:
                    continue  # recorded for the organisation: on the first group's rows
                value = sim[m][w, 0 if m in ORGANISATION_WIDE else g]
                if not np.isfinite(value):
                    row[m] = None
                else:
                    row[m] = int(value) if m in PEOPLE else round(float(value), 4)
            rows.append(row)
    return pd.DataFrame(rows)
