"""One live model a room watches day by day, sent to the page as data it draws itself.

The network view is the organisation's teams as nodes (size: headcount; colour: share
of the team active), placed once when the model starts: departments around a circle,
their teams in a disc around the department's point, and the strongest ties between
teams as lines. 5,000 people make some 700 team nodes, readable where 5,000 dots and
their ties are a tangle. Each frame then carries only numbers: the day, people by
state, each team's share active, each region's, and the latest events (a few
kilobytes), so the page redraws at the pace the model steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from adoption.engine.model import AdoptionModel
from adoption.engine.states import ACTIVE, STATE_NAMES
from adoption.organisation import Organisation

TIES_PER_TEAM = 3
"""Each team's strongest ties to other teams that the view draws (the rest would hide
the structure the room should see: departments hanging together, bridges between them)."""
EVENTS_SHOWN = 8


def layout(organisation: Organisation) -> dict[str, Any]:
    """Team nodes (x, y in [-1, 1], headcount, department), the strongest ties between
    teams, and the departments' names and places: computed once per live model."""
    teams = len(organisation.team_names)
    size = np.bincount(organisation.team, minlength=teams)
    department = np.zeros(teams, dtype=int)
    department[organisation.team] = organisation.department
    departments = max(1, len(organisation.department_names))
    centre = 2 * np.pi * (np.arange(departments) + 0.5) / departments
    x, y = np.zeros(teams), np.zeros(teams)
    for index in range(departments):  # a loop over departments, not people
        members = np.flatnonzero(department == index)
        # a sunflower (Vogel) spiral: even spacing in a disc, no overlap search needed
        k = np.arange(len(members))
        radius = 0.9 * np.sin(np.pi / departments) * np.sqrt((k + 0.5) / max(1, len(members)))
        angle = k * np.pi * (3 - np.sqrt(5))
        x[members] = 0.6 * np.cos(centre[index]) + radius * np.cos(angle)
        y[members] = 0.6 * np.sin(centre[index]) + radius * np.sin(angle)
    return {
        "x": np.round(x, 4).tolist(),
        "y": np.round(y, 4).tolist(),
        "size": size.tolist(),
        "department": department.tolist(),
        "departments": [
            {"name": name, "x": round(float(1.0 * np.cos(a)), 3), "y": round(float(np.sin(a)), 3)}
            for name, a in zip(organisation.department_names, centre, strict=False)
        ],
        "ties": team_ties(organisation, teams),
    }


def team_ties(organisation: Organisation, teams: int) -> list[list[int]]:
    """Pairs of teams [a, b, ties] with the most ties between them: each team's
    `TIES_PER_TEAM` strongest links to other teams."""
    adjacency = organisation.adjacency
    if organisation.complete or adjacency is None or not adjacency.nnz:
        return []
    membership = sp.csr_matrix(
        (np.ones(organisation.size), (organisation.team, np.arange(organisation.size))),
        shape=(teams, organisation.size),
    )
    between = sp.triu(membership @ adjacency @ membership.T, k=1).tocoo()
    if not between.nnz:
        return []
    order = np.lexsort((-between.data, between.row))
    rows, cols, weights = between.row[order], between.col[order], between.data[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    keep = rank < TIES_PER_TEAM
    return np.c_[rows[keep], cols[keep], weights[keep].astype(int)].tolist()


def frame(model: AdoptionModel) -> dict[str, Any]:
    """What changes from one frame to the next, as numbers."""
    organisation = model.organisation
    states = np.asarray(model.people.state)
    active = (states == ACTIVE).astype(float)
    teams = len(organisation.team_names)
    team_size = np.maximum(1, np.bincount(organisation.team, minlength=teams))
    team_share = np.bincount(organisation.team, weights=active, minlength=teams) / team_size
    regions = len(organisation.region_names)
    region_size = np.maximum(1, np.bincount(organisation.region, minlength=regions))
    region_share = np.bincount(organisation.region, weights=active, minlength=regions)
    counts = np.bincount(states, minlength=len(STATE_NAMES))
    return {
        "day": float(model.day),
        "horizon": float(model.steps_total * model.dt),
        "plan": model.plan_name,
        "people": int(organisation.size),
        "counts": dict(zip(STATE_NAMES, counts.tolist(), strict=True)),
        "teams": np.round(team_share, 3).tolist(),
        "regions": dict(
            zip(
                organisation.region_names,
                np.round(region_share / region_size, 3).tolist(),
                strict=True,
            )
        ),
        "events": [list(row) for row in model.events.rows[-EVENTS_SHOWN:]],
        "finished": model.recorder.rows >= model.steps_total,
    }


def advance(model: AdoptionModel, days: int) -> None:
    """Step the model `days` steps (fewer at the horizon)."""
    for _ in range(days):
        if model.recorder.rows >= model.steps_total:
            return
        model.step()
