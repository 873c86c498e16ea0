"""The outcome registry: every metric a run produces is declared once, and only those."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import adoption.outcomes
from adoption import load_scenario, simulate
from adoption.engine.estimate import AccuracyEstimate
from adoption.engine.rollout import AccuracyEvidence, GateDecision, PilotMeasurement
from adoption.engine.states import CAUSES
from adoption.errors import InputError
from adoption.experiment.statistics import Target
from adoption.metrics import run_metrics
from adoption.outcomes import (
    ABANDONMENT_CAUSES,
    COMPARED,
    HEADLINE,
    NUMERIC,
    OUTCOMES,
    Outcome,
)


def synthetic_series(days=5):
    columns = {
        "day": np.arange(days, dtype=float),
        "active": np.linspace(0, 60, days),
        "ever_tried": np.linspace(0, 80, days),
        "abandoned": np.linspace(0, 10, days),
        "rejecting": np.zeros(days),
        "served": np.full(days, 4.0),
        "successes": np.full(days, 3.0),
        "uses": np.full(days, 5),
        "support_wait_days": np.zeros(days),
        "overloaded": np.zeros(days, dtype=int),
        "value": np.ones(days),
        "cost": np.ones(days) / 2,
        "seat_days": np.full(days, 70.0),
    }
    for cause in CAUSES:
        columns[f"abandoned_{cause}"] = np.ones(days)
        columns[f"lapsed_{cause}"] = np.zeros(days)
    return pd.DataFrame(columns)


def test_run_metrics_produces_exactly_the_declared_outcomes():
    estimate = AccuracyEstimate(0.72, 0.55, 0.9, 0.01, 0.0, 1.0)
    measured = PilotMeasurement(
        day=60.0,
        with_access=10,
        adoption=0.5,
        adoption_high=0.8,
        decided_share=0.5,
        abandonment=0.1,
        evidence=AccuracyEvidence(estimate, 20, 15, 0.0, 14.0),
        business_minimum=0.6,
        break_even_accuracy=0.62,
        support_wait_days=0.0,
        peak_requests_per_user=None,
        using_share=0.5,
        true_accuracy=0.7,
    )
    decisions = [GateDecision(60.0, "pause", measured, ("accuracy not shown",))]
    metrics = run_metrics(synthetic_series(), headcount=100, burned=3, decisions=decisions)
    assert set(metrics) == set(OUTCOMES)
    assert metrics["gate_accuracy"] == 0.72 and metrics["gate_pilot_accuracy"] == 0.75
    assert metrics["gate_pause_reasons"] == "accuracy x1"
    assert len(metrics) == len(OUTCOMES)


def test_a_real_run_produces_exactly_the_declared_outcomes_in_their_declared_kinds():
    scenario = load_scenario(overrides={"organisation.employees": 200, "horizon_days": 30})
    metrics = simulate(scenario, seed=1).metrics
    assert set(metrics) == set(OUTCOMES)
    for name, value in metrics.items():
        if OUTCOMES[name].numeric:
            assert value is None or isinstance(value, int | float), name
        else:
            assert isinstance(value, str), name


def test_declarations_are_well_formed():
    assert all(name == outcome.name for name, outcome in OUTCOMES.items())
    for outcome in OUTCOMES.values():
        assert outcome.direction in ("higher", "lower", None)
        assert outcome.label and outcome.description
        if outcome.numeric:
            format(1.5 if "d" not in outcome.format else 1, outcome.format)
    # headline first, in the order comparisons have always reported them
    assert list(OUTCOMES)[: len(HEADLINE)] == list(HEADLINE)
    assert HEADLINE[:4] == ("adoption_rate", "reach", "abandonment_rate", "burned")
    assert HEADLINE + tuple(f"abandoned_because_{c}" for c in CAUSES) == COMPARED
    assert set(ABANDONMENT_CAUSES.values()) == set(CAUSES)
    assert "decision" in OUTCOMES and "decision" not in NUMERIC


def test_show_formats_and_marks_missing_values():
    assert OUTCOMES["adoption_rate"].show(0.4567, "7") == "  45.7%"
    assert OUTCOMES["net_value"].show(-1234567.4, ">11") == " -1,234,567"
    assert OUTCOMES["burned"].show(12345) == "12,345"
    assert OUTCOMES["observed_accuracy"].show(None) == "n/a"
    assert OUTCOMES["time_to_50pct_days"].show(math.nan, missing="never") == "never"


def test_directions():
    assert OUTCOMES["adoption_rate"].higher_is_better is True
    assert OUTCOMES["abandonment_rate"].higher_is_better is False
    assert OUTCOMES["abandoned_because_social"].higher_is_better is None
    outcome = Outcome("x", "an x", "", None, "d", "x")
    assert outcome.higher_is_better is None


@pytest.mark.parametrize(
    ("text", "higher"),
    [
        ("adoption_rate>=0.5", True),
        ("adoption_rate<=0.9", True),  # the outcome's direction, not the comparison's
        ("abandonment_rate<=0.2", False),
        ("time_to_50pct_days<100", False),
        ("abandoned_because_social<0.3", False),  # neutral: the comparison decides
        ("abandoned_because_social>0.3", True),
    ],
)
def test_targets_know_which_way_is_better(text, higher):
    assert Target.parse(text).higher_is_better is higher


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("happiness>=1", "unknown metric 'happiness'"),
        ("decision>=1", "'decision' is not a number"),
    ],
)
def test_targets_must_name_a_numeric_outcome(text, message):
    with pytest.raises(InputError, match=message):
        Target.parse(text)


def test_every_numeric_outcome_can_be_a_target():
    for name in NUMERIC:
        assert Target.parse(f"{name}>=0").metric == name


def test_outcomes_sit_low_in_the_layers():
    imported = {
        node.module
        for node in ast.walk(ast.parse(Path(adoption.outcomes.__file__).read_text()))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert {m for m in imported if m.startswith("adoption")} == {
        "adoption.engine.states",
        "adoption.engine.ledger",
    }


def test_a_comparison_ranks_by_any_numeric_outcome_in_its_better_direction():
    from adoption import SerialExecutor, compare

    scenario = load_scenario(overrides={"organisation.employees": 200, "horizon_days": 40})
    plans = list(scenario.plans)[:3]

    def ranked(target):
        metric = target.split("<")[0].split(">")[0]
        comparison = compare(
            scenario,
            plans,
            replications=2,
            executor=SerialExecutor(),
            target=target,
            rank_by=metric,
        )
        means = comparison.summary.pivot(index="plan", columns="metric", values="mean")
        return comparison, means.loc[list(comparison.ranking()["plan"])]

    comparison, means = ranked("rejection_rate<=0.1")  # not a headline outcome
    assert means["rejection_rate"].is_monotonic_increasing
    assert "chance of missing the target (rejection_rate<=0.1)" in comparison.table()
    _, means = ranked("adoption_rate<=0.9")  # higher adoption is better, whatever the sign
    assert means["adoption_rate"].is_monotonic_decreasing
    comparison = compare(scenario, plans, replications=2, executor=SerialExecutor())
    assert comparison.rank_by == "npv"  # the default: money, not adoption
    npv = comparison.summary.pivot(index="plan", columns="metric", values="mean")["npv"]
    assert npv.loc[list(comparison.ranking()["plan"])].is_monotonic_decreasing
    assert list(comparison.ranks().index) == list(comparison.ranking()["plan"])
    with pytest.raises(InputError, match="rank-by"):
        compare(scenario, plans, replications=1, executor=SerialExecutor(), rank_by="decision")
