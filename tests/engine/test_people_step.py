"""The step's fused compiled calls keep one type of record through a run, so they may be
called straight at their machine code (`kernels.StraightCall`)."""

from __future__ import annotations

import numpy as np
import pytest

from adoption import load_scenario, simulate
from adoption.engine.kernels import StraightCall, per_person

VARIANTS = {
    "default plans": {"organisation.employees": 600, "horizon_days": 240},
    "first-use seats, provisioned and reclaimed": {
        "organisation.employees": 600,
        "horizon_days": 240,
        "economics.licences.assign": "first_use",
        "economics.licences.provision_days": 3,
        "economics.licences.reclaim_idle_days": 20,
    },
    "a mandate for sponsors' teams": {
        "organisation.employees": 600,
        "horizon_days": 240,
        "change_management.mandate.scope": "sponsors",
        "change_management.mandate.from_day": 30,
    },
    "integer step and waits": {
        "organisation.employees": 600,
        "horizon_days": 240,
        "step_days": 2,
    },
}


@pytest.fixture
def checking(monkeypatch):
    """Every straight call compares its arguments' type with its first call's."""
    monkeypatch.setattr(StraightCall, "checking", True)


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_step_of_a_run_passes_records_of_one_type(checking, overrides):
    scenario = load_scenario(overrides=overrides)
    for plan in scenario.plans:
        simulate(scenario, plan, seed=1)  # a TypeError if any step's type moved


def test_a_complete_graph_passes_records_of_one_type(checking):
    scenario = load_scenario({"network": {"kind": "complete", "n": 200}, "horizon_days": 120})
    simulate(scenario, "big-bang", seed=1)


@per_person
def _add(values, amount: float) -> float:
    values += amount
    return values.sum()


def test_a_straight_call_gives_what_the_dispatcher_gives_and_checks_when_asked(monkeypatch):
    call = StraightCall(_add)
    straight, through = np.zeros(3), np.zeros(3)
    for amount in (1.0, 2.5, -0.5):
        assert call(straight, amount) == _add(through, amount)
    assert straight.tolist() == through.tolist() == [3.0, 3.0, 3.0]
    monkeypatch.setattr(StraightCall, "checking", True)
    with pytest.raises(TypeError, match="_add"):
        call(np.zeros(3, dtype=np.float32), 1.0)
