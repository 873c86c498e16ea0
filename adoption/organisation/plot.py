"""Drawing the organisation network, coloured by department.

A force layout of 5,000 people is slow and unreadable, so teams are laid out first
(a spring layout of the team-to-team graph) and people are placed in a small circle
around their team. Above `MAX_PEOPLE`, whole teams are sampled.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import networkx as nx
import numpy as np
import scipy.sparse as sp
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from adoption.files import write_atomically
from adoption.inline import InlineFigure
from adoption.organisation.model import Organisation

MAX_PEOPLE = 5000


def _sampled_people(org: Organisation, rng: np.random.Generator) -> np.ndarray:
    if org.size <= MAX_PEOPLE:
        return np.arange(org.size)
    share = MAX_PEOPLE / org.size
    teams = np.flatnonzero(rng.random(org.team_count) < share)
    return np.flatnonzero(np.isin(org.team, teams))


def _positions(org: Organisation, people: np.ndarray, seed: int) -> np.ndarray:
    team = org.team[people]
    teams, local_team = np.unique(team, return_inverse=True)
    membership = sp.csr_matrix(
        (np.ones(people.size), (np.arange(people.size), local_team)),
        shape=(people.size, teams.size),
    )
    ties = org.adjacency[people][:, people]
    team_graph = nx.from_scipy_sparse_array(membership.T @ ties @ membership)
    team_graph.remove_edges_from(nx.selfloop_edges(team_graph))
    layout = nx.spring_layout(team_graph, seed=seed, iterations=60)
    centres = np.array([layout[t] for t in range(teams.size)])
    sizes = np.bincount(local_team)
    rank = np.zeros(people.size, dtype=int)
    order = np.argsort(local_team, kind="stable")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rank[order] = np.arange(people.size) - np.repeat(starts, sizes)
    angle = 2 * np.pi * rank / sizes[local_team]
    radius = 0.35 / np.sqrt(max(teams.size, 1))
    return centres[local_team] + radius * np.column_stack([np.cos(angle), np.sin(angle)])


def organisation_figure(org: Organisation, seed: int = 0) -> Figure:
    """A figure of the network, coloured by department (people sampled above 5,000)."""
    rng = np.random.default_rng(seed)
    people = _sampled_people(org, rng)
    xy = _positions(org, people, seed)
    upper = sp.triu(org.adjacency[people][:, people], k=1).tocoo()
    fig = InlineFigure(figsize=(11, 9), dpi=110)
    ax = fig.add_subplot()
    ax.add_collection(
        LineCollection(
            np.stack([xy[upper.row], xy[upper.col]], axis=1),
            colors="0.6",
            linewidths=0.2,
            alpha=0.1,
        )
    )
    cmap = mpl.colormaps["tab10"]
    for code, name in enumerate(org.department_names):
        mine = org.department[people] == code
        ax.scatter(*xy[mine].T, s=5, color=cmap(code % 10), label=name, linewidths=0)
    sampled = "" if people.size == org.size else f" (sample of {people.size:,} in whole teams)"
    ax.set_title(f"Organisation network: {org.size:,} people{sampled}")
    ax.legend(title="Department", markerscale=4, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_axis_off()
    ax.autoscale()
    fig.tight_layout()
    return fig


def plot_path(path: str | Path) -> Path:
    """The file a figure for `path` goes to: `.png` added to a bare name; an `InputError`
    for a format matplotlib cannot write or a folder that does not exist."""
    from adoption.errors import InputError

    path = Path(path)
    if not path.suffix:
        path = path.with_name(path.name + ".png")
    formats = Figure().canvas.get_supported_filetypes()
    if path.suffix[1:].lower() not in formats:
        raise InputError(
            f"--plot: cannot draw a '{path.suffix}' file (use one of "
            f"{', '.join('.' + name for name in sorted(formats))})"
        )
    if not path.resolve().parent.is_dir():
        raise InputError(f"--plot: directory '{path.parent}' does not exist")
    if path.is_dir():
        raise InputError(f"--plot: '{path}' is a directory")
    return path


def plot_organisation(org: Organisation, path: str | Path, seed: int = 0) -> Path:
    """Save the network figure to `path` (format from its suffix, PNG if it has none);
    returns the path written, which appears only when complete."""
    path = plot_path(path)
    fig = organisation_figure(org, seed)
    # the temporary file's suffix is `.partial`, so name the format
    image_format = path.suffix.removeprefix(".").lower()
    return write_atomically(path, lambda p: fig.savefig(p, format=image_format))
