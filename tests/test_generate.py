"""Properties of generated organisations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from adoption.config import load_scenario
from adoption.config.organisation import ROGERS_SHARES
from adoption.errors import InputError
from adoption.organisation import generate_organisation
from adoption.organisation.model import EXECUTIVE, IC, MANAGER
from adoption.organisation.stats import network_summary


@pytest.fixture(scope="module")
def large():
    return generate_organisation(
        load_scenario(overrides={"organisation.employees": 50_000}).organisation
    )


@pytest.fixture(scope="module")
def default_org():
    return generate_organisation(load_scenario().organisation)


def test_exact_headcount_for_many_sizes():
    for employees in (49, 50, 200, 1001, 5000, 12_345):
        config = load_scenario(overrides={"organisation.employees": employees}).organisation
        assert generate_organisation(config).size == employees


def test_too_small_is_a_clear_error():
    config = load_scenario(overrides={"organisation.employees": 20}).organisation
    with pytest.raises(InputError, match="too small for 8 departments"):
        generate_organisation(config)


def test_rogers_shares_within_tolerance(large):
    shares = np.bincount(large.adopter_category, minlength=5) / large.size
    expected = np.array(list(ROGERS_SHARES.values()))
    # binomial standard error at n=50,000 is below 0.0022; allow 4 standard errors
    assert np.all(np.abs(shares - expected) < 4 * np.sqrt(expected * (1 - expected) / large.size))


def test_single_root_and_everyone_else_has_a_manager(large):
    roots = np.flatnonzero(large.manager < 0)
    assert roots.size == 1
    assert large.role[roots[0]] == EXECUTIVE
    # following managers always reaches the root (no cycles), within a few levels
    node = np.arange(large.size)
    for _ in range(12):
        node = np.where(node >= 0, large.manager[np.maximum(node, 0)], -1)
    assert np.all(node == -1)


def team_manager_by_loop(org) -> np.ndarray:
    """The rule of `Organisation.team_manager` team by team: a manager inside the team
    (the last that a teammate reports to), else the most common manager its members
    report to, the first position among equally common ones."""
    result = np.full(org.team_count, -1, dtype=np.int64)
    has_manager = org.manager >= 0
    same_team = np.zeros(org.size, dtype=bool)
    same_team[has_manager] = org.team[org.manager[has_manager]] == org.team[has_manager]
    inside = org.manager[same_team]
    result[org.team[inside]] = inside
    for team in np.flatnonzero(result < 0):
        bosses = org.manager[(org.team == team) & has_manager]
        if bosses.size:
            values, counts = np.unique(bosses, return_counts=True)
            result[team] = values[np.argmax(counts)]
    return result


def test_team_manager_follows_its_rule(default_org):
    """On the generated organisation, and on scrambled reporting lines where most teams
    report outside, with equally common managers and teams nobody in reports to anyone."""
    assert np.array_equal(default_org.team_manager(), team_manager_by_loop(default_org))
    rng = np.random.default_rng(2)
    for _ in range(20):
        team = rng.integers(0, default_org.team_count, default_org.size).astype(np.int32)
        manager = rng.integers(-1, 30, default_org.size).astype(np.int32)
        manager[np.isin(team, rng.choice(default_org.team_count, 5))] = -1
        scrambled = dataclasses.replace(default_org, team=team, manager=manager)
        expected = team_manager_by_loop(scrambled)
        assert np.array_equal(scrambled.team_manager(), expected)
        assert (expected < 0).any()


def test_spans_and_team_sizes_in_range(large):
    config = load_scenario().organisation
    reports = np.bincount(large.manager[large.manager >= 0], minlength=large.size)
    ics_have_no_reports = reports[large.role == IC] == 0
    assert ics_have_no_reports.all()
    managers = large.role == MANAGER
    assert reports[managers].min() >= 1
    assert reports[managers].max() <= max(config.team_size_max - 1, config.span_of_control_max)
    sizes = np.bincount(large.team)
    first_line = np.array([" team " in name for name in large.team_names])
    assert sizes[first_line].min() >= config.team_size_min
    assert sizes[first_line].max() <= config.team_size_max
    assert sizes[~first_line].max() <= max(config.span_of_control_max, len(config.departments) + 1)


def test_teams_sit_in_one_department_and_region(large):
    for attribute in ("department", "region"):
        values = getattr(large, attribute)
        per_team_min = np.full(large.team_count, np.iinfo(np.int32).max)
        per_team_max = np.full(large.team_count, -1)
        np.minimum.at(per_team_min, large.team, values)
        np.maximum.at(per_team_max, large.team, values)
        first_line = np.array([" team " in name for name in large.team_names])
        assert np.array_equal(per_team_min[first_line], per_team_max[first_line])


def test_regions_and_departments_evenly_staffed(large):
    for attribute, count in (("region", 4), ("department", 8)):
        people = np.bincount(getattr(large, attribute), minlength=count)
        assert people.min() > 0.8 * large.size / count


def test_resistant_team_share_is_exact(default_org):
    assert default_org.team_resistant.sum() == round(0.15 * default_org.team_count)


def test_attribute_means(large):
    assert abs(large.digital_skill.mean() - 0.6) < 0.01
    assert abs(large.threat_perception.mean() - 0.3) < 0.01
    stances = large.stance_prior[large.role != IC]
    assert abs((stances == 1).mean() - 0.3) < 0.03
    assert abs((stances == -1).mean() - 0.2) < 0.03
    assert np.all(large.stance_prior[large.role == IC] == 0)


def test_same_seed_same_organisation_other_seed_differs():
    config = load_scenario(overrides={"organisation.employees": 3000}).organisation
    a, b, c = (generate_organisation(config, seed) for seed in (7, 7, 8))
    assert (a.adjacency != b.adjacency).nnz == 0
    assert np.array_equal(a.innovativeness, b.innovativeness)
    assert np.array_equal(a.team, b.team)
    assert (a.adjacency != c.adjacency).nnz > 0


def test_network_statistics_in_expected_range(default_org):
    adjacency = default_org.adjacency
    assert (adjacency != adjacency.T).nnz == 0
    assert adjacency.diagonal().sum() == 0
    summary = network_summary(default_org)
    # reporting (~2) + team ties (~0.8 x 8) + cross-team (2 x 4) + long range: about 15
    assert 12 < summary.mean_degree < 18
    assert summary.components == 1
    # dense teams make a clustered small world: far above an Erdős–Rényi graph (k/n ~ 0.003)
    assert summary.clustering > 0.1
    assert 2.5 < summary.average_path_length < 5.5


def test_cross_team_ties_prefer_department_and_region(default_org):
    coo = default_org.adjacency.tocoo()
    other_team = default_org.team[coo.row] != default_org.team[coo.col]
    same_department = default_org.department[coo.row] == default_org.department[coo.col]
    same_region = default_org.region[coo.row] == default_org.region[coo.col]
    # uniform ties would be in the same department 1/8 of the time, same region 1/4
    assert same_department[other_team].mean() > 0.4
    assert same_region[other_team & ~same_department].mean() > 0.4


def test_reporting_ties_are_in_the_network(default_org):
    has = default_org.manager >= 0
    people = np.flatnonzero(has)
    ties = np.asarray(default_org.adjacency[people, default_org.manager[people]]).ravel()
    assert np.all(ties > 0)
