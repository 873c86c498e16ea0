"""Generating an organisation from scenario parameters and a seed.

The hierarchy: a chief executive; one executive heading each department; in each
department, first-line teams (a manager and individual contributors) whose managers
report to senior managers in groups of at most `span_of_control_max`, layer upon
layer, up to the department head. Senior managers form their department's
leadership team; the executives form the executive team. Teams sit in one region
each, spread evenly, so every department has teams in every region it can.
"""

from __future__ import annotations

import math

import numpy as np

from adoption.arguments import instance, optional_seed
from adoption.config.organisation import OrganisationConfig
from adoption.errors import InputError
from adoption.organisation import attributes, network
from adoption.organisation.model import EXECUTIVE, IC, MANAGER, Organisation


def senior_layers(teams: int, span: int) -> list[int]:
    """Sizes of the senior-manager layers needed above `teams` first-line managers."""
    layers, below = [], teams
    while below > span:
        below = math.ceil(below / span)
        layers.append(below)
    return layers


def minimum_headcount(config: OrganisationConfig) -> int:
    """The fewest employees that give every department at least one full team."""
    return 1 + len(config.departments) * (1 + config.team_size_min)


def _team_sizes(headcount: int, config: OrganisationConfig, rng: np.random.Generator) -> list[int]:
    """Sizes of first-line teams (manager included) that, with their seniors, fill headcount."""
    low, high = config.team_size_min, config.team_size_max
    teams = max(1, round(headcount / ((low + high) / 2)))
    while True:
        members = headcount - sum(senior_layers(teams, config.span_of_control_max))
        if members < teams * low and teams > 1:
            teams -= 1
        elif members > teams * high:
            teams += 1
        else:
            break
    sizes = rng.integers(low, high + 1, teams)
    # nudge random teams up or down, within bounds, until the sizes add up exactly
    excess = int(sizes.sum()) - members
    while excess != 0:
        step = -1 if excess > 0 else 1
        movable = np.flatnonzero((sizes > low) if step < 0 else (sizes < high))
        chosen = rng.choice(movable, size=min(abs(excess), movable.size), replace=False)
        sizes[chosen] += step
        excess += step * chosen.size
    return sizes.tolist()


class _Builder:
    """Accumulates people one department at a time."""

    def __init__(self) -> None:
        self.role: list[int] = []
        self.manager: list[int] = []
        self.team: list[int] = []
        self.department: list[int] = []
        self.region: list[int] = []
        self.team_names: list[str] = []

    def add_team(self, name: str) -> int:
        self.team_names.append(name)
        return len(self.team_names) - 1

    def add_person(self, role: int, manager: int, team: int, department: int, region: int) -> int:
        self.role.append(role)
        self.manager.append(manager)
        self.team.append(team)
        self.department.append(department)
        self.region.append(region)
        return len(self.role) - 1


def _build_department(
    builder: _Builder,
    department: int,
    name: str,
    head: int,
    headcount: int,
    config: OrganisationConfig,
    rng: np.random.Generator,
) -> None:
    sizes = _team_sizes(headcount, config, rng)
    regions = len(config.regions)
    team_regions = rng.permutation(np.arange(len(sizes)) % regions)
    # senior layers top-down; peers who report to the same boss form a leadership team
    above = [head]
    for layer_size in reversed(senior_layers(len(sizes), config.span_of_control_max)):
        span = math.ceil(layer_size / len(above))
        layer = []
        for k in range(layer_size):
            if k % span == 0:
                leadership = builder.add_team(f"{name} leadership {len(builder.team_names)}")
            region = int(team_regions[k % len(sizes)])
            layer.append(
                builder.add_person(MANAGER, above[k // span], leadership, department, region)
            )
        above = layer
    span = math.ceil(len(sizes) / len(above))
    for k, size in enumerate(sizes):
        team = builder.add_team(f"{name} team {k + 1}")
        region = int(team_regions[k])
        lead = builder.add_person(MANAGER, above[k // span], team, department, region)
        for _ in range(size - 1):
            builder.add_person(IC, lead, team, department, region)


def generate_organisation(config: OrganisationConfig, seed: int | None = None) -> Organisation:
    """A synthetic organisation, deterministic in `seed` (default: `config.seed`)."""
    instance(config, OrganisationConfig, "config", "an OrganisationConfig (scenario.organisation)")
    seed = optional_seed(seed)
    needed = minimum_headcount(config)
    if config.employees < needed:
        raise InputError(
            f"organisation.employees={config.employees} is too small for "
            f"{len(config.departments)} departments with teams of at least "
            f"{config.team_size_min} (needs at least {needed})"
        )
    rng = np.random.default_rng(config.seed if seed is None else seed)
    builder = _Builder()
    executives = builder.add_team("Executive")
    ceo = builder.add_person(EXECUTIVE, -1, executives, 0, 0)
    departments = len(config.departments)
    heads = [
        builder.add_person(EXECUTIVE, ceo, executives, d, d % len(config.regions))
        for d in range(departments)
    ]
    remaining = config.employees - 1 - departments
    quotas = [remaining // departments + (d < remaining % departments) for d in range(departments)]
    for d, name in enumerate(config.departments):
        _build_department(builder, d, name, heads[d], quotas[d], config, rng)
    return _assemble(builder, config, rng)


def _assemble(
    builder: _Builder, config: OrganisationConfig, rng: np.random.Generator
) -> Organisation:
    size = len(builder.role)
    role = np.array(builder.role, dtype=np.int8)
    manager = np.array(builder.manager, dtype=np.int32)
    team = np.array(builder.team, dtype=np.int32)
    department = np.array(builder.department, dtype=np.int16)
    region = np.array(builder.region, dtype=np.int16)
    people = attributes.person_attributes(size, config, rng)
    stance_prior = np.where(role == IC, 0, attributes.stances(size, config, rng)).astype(np.int8)
    teams = len(builder.team_names)
    sources, targets = zip(
        network.reporting_edges(manager),
        network.informal_edges(team, department, region, config.network, rng),
        strict=True,
    )
    width = len(str(size))
    return Organisation(
        employee_id=np.array([f"E{i:0{width}d}" for i in range(1, size + 1)], dtype=object),
        role=role,
        manager=manager,
        team=team,
        department=department,
        region=region,
        stance_prior=stance_prior,
        team_names=builder.team_names,
        department_names=list(config.departments),
        region_names=list(config.regions),
        team_resistant=attributes.resistant_teams(teams, config.resistant_team_share, rng),
        team_workflow_fit=attributes.beta_with_mean(
            config.workflow_fit_mean, config.attribute_concentration, teams, rng
        ),
        adjacency=network.to_adjacency(size, np.concatenate(sources), np.concatenate(targets)),
        **people,
    )
