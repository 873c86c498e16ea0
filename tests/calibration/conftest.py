"""A tiny pilot: 200 people in two regions, the North region piloting."""

from __future__ import annotations

import pytest
import yaml

TINY = {
    "name": "tiny-pilot",
    "horizon_days": 180,
    "organisation": {
        "employees": 200,
        "regions": ["North", "South"],
        "departments": ["Sales", "Operations"],
        "team_size_min": 5,
        "team_size_max": 9,
    },
    "plans": {"north-pilot": {"waves": [{"day": 0, "group": "region", "name": "North"}]}},
    "uncertainties": {
        "behaviour.try_per_year": {"distribution": "uniform", "low": 5, "high": 60},
        "tool.production_accuracy": {"distribution": "uniform", "low": 0.6, "high": 0.95},
        "economics.discount_rate_per_year": {
            "distribution": "uniform",
            "low": 0.02,
            "high": 0.12,
        },
        "tool.poc_accuracy": {"distribution": "choice", "values": [0.9, 0.95]},
    },
}
TRUTH = {"behaviour.try_per_year": 30.0, "tool.production_accuracy": 0.8}


@pytest.fixture
def tiny_scenario(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY))
    return path


@pytest.fixture
def tiny_telemetry(tiny_scenario, tmp_path):
    from adoption.calibration.synthetic import synthetic_telemetry

    # ten weeks: in six weeks of a 100-person pilot the trial rate is only weakly
    # identified (posterior sd 0.82 of the prior's), since awareness, not the decision,
    # paces first trials at the true 30 a year
    frame = synthetic_telemetry(tiny_scenario, "north-pilot", TRUTH, weeks=10, seed=7)
    path = tmp_path / "pilot.csv"
    frame.to_csv(path, index=False)
    return path


REGIONAL = {
    "name": "regional-pilot",
    "horizon_days": 365,
    "organisation": {
        "employees": 800,
        "regions": ["North", "South", "East", "West"],
        "departments": ["Sales", "Operations", "Finance", "Customer Service"],
        "team_size_min": 5,
        "team_size_max": 9,
    },
    # one production accuracy for every department and no fixes during the pilot: the
    # accuracy series is then binomial in it, less a known drift, so the reference width
    # the sharpness test computes is the exact likelihood's (with fixes on, the accuracy
    # rises by how many failures users happened to report: at a true 0.7 that spread
    # alone made the data's own width 1.3 times the binomial one)
    "tool": {
        "poc_accuracy": 0.95,
        "department_accuracy_spread": 0.0,
        "fixes": {"ml_engineers": 0},
    },
    "plans": {"north-pilot": {"waves": [{"day": 0, "group": "region", "name": "North"}]}},
    "uncertainties": {
        "behaviour.try_per_year": {"distribution": "uniform", "low": 5, "high": 60},
        "behaviour.lapse_per_year": {"distribution": "uniform", "low": 0.2, "high": 4},
        "tool.production_accuracy": {"distribution": "uniform", "low": 0.6, "high": 0.95},
    },
}
"""An 800-person organisation whose North region piloted for 12 weeks (issue 21)."""
REGIONAL_MEASURES = ("with_access", "active", "first_time", "stopped", "uses", "accuracy")
