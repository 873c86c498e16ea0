"""Running small scenarios many times, and judging paired differences."""

from __future__ import annotations

import numpy as np

from adoption import build_organisation, load_scenario, simulate
from adoption.engine.neighbourhood import Neighbourhood, Surroundings, follow_changes
from adoption.engine.people import People

SMALL = {"organisation.employees": 1000}
TEAM_OF_FIVE_THOUSAND = {
    "tool.fixes.ml_engineers": 4,
    "tool.pipeline.data_engineers": 4,
    "tool.pipeline.build_engineer_days": 360,
    "change_management.support.agents": 1,
}
"""The engineers, the pipeline's work and the desk's core every headcount had before
teams were sized to the organisation, for tests whose premise is a tool fed within a
quarter and fixed within months and a desk of one whole agent (at 1,000 people the
sized team is 0.8 ML and 0.8 data engineers with 72 engineer-days of pipeline work,
and a desk of 0.6 of an agent)."""


def perceived(neighbourhood: Neighbourhood, people: People) -> Surroundings:
    """What a step's decisions read of the people's ties, as the step makes it: the
    record `for_step` gives, brought up to the current states (`follow_changes`, the
    fused call's first work on a network)."""
    near = neighbourhood.for_step(people)
    if not near.complete:
        follow_changes(near, people.state, people.experienced_accuracy)
    return near


def small_scenario(**overrides):
    """A 1,000-person default scenario with dotted-path overrides (keys use __ for .)."""
    values = dict(SMALL)
    values.update({key.replace("__", "."): value for key, value in overrides.items()})
    return load_scenario(overrides=values)


def metric_over_seeds(scenario, plan, metric, seeds, days=None):
    """One metric per seed, on a shared organisation."""
    org = build_organisation(scenario.organisation)
    return np.array(
        [
            simulate(scenario, plan, seed=seed, days=days, organisation=org).metrics[metric]
            for seed in seeds
        ],
        dtype=float,
    )


def assert_paired_increase(low, high, sigmas=3.0):
    """`high` exceeds `low` seed by seed on average by more than `sigmas` standard errors.

    The same seeds drive both sides (common random numbers), so the paired differences
    carry little noise; a 3-sigma margin makes a pass by chance very unlikely (< 0.2%).
    """
    differences = np.asarray(high) - np.asarray(low)
    standard_error = differences.std(ddof=1) / np.sqrt(differences.size)
    assert differences.mean() > sigmas * max(standard_error, 1e-12), (
        f"mean paired difference {differences.mean():.4f} is not above "
        f"{sigmas} x standard error {standard_error:.4f}; low={low}, high={high}"
    )
