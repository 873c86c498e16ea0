"""Generators of the informal network around reporting lines.

Pure functions of arrays and a random generator, in the style of NetworkX's
generators, returning edge arrays; `to_adjacency` turns them into a symmetric CSR
matrix.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from adoption.config.organisation import NetworkConfig


def reporting_edges(manager: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One tie between each person and their manager."""
    has_manager = np.flatnonzero(manager >= 0)
    return has_manager, manager[has_manager].astype(np.int64)


def team_edges(
    team: np.ndarray, probability: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Ties between members of the same team, each pair present with `probability`.

    Teams of equal size are handled together, so the cost is one vectorised draw per
    distinct team size.
    """
    order = np.argsort(team, kind="stable")
    sizes = np.bincount(team)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    sources, targets = [], []
    for size in np.unique(sizes[sizes > 1]):
        first, second = np.triu_indices(size, k=1)
        team_starts = starts[sizes == size]
        present = rng.random((team_starts.size, first.size)) < probability
        rows, pairs = np.nonzero(present)
        sources.append(order[team_starts[rows] + first[pairs]])
        targets.append(order[team_starts[rows] + second[pairs]])
    if not sources:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(sources), np.concatenate(targets)


def _uniform_member(group: np.ndarray, wanted: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each entry of `wanted` (a group id), a uniformly random member of that group."""
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group, minlength=int(wanted.max(initial=0)) + 1)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    offsets = np.floor(rng.random(wanted.size) * sizes[wanted]).astype(np.int64)
    return order[starts[wanted] + offsets]


def cross_team_edges(
    department: np.ndarray,
    region: np.ndarray,
    config: NetworkConfig,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Ties across teams: mostly within the department, then the region, then anywhere.

    Each person starts Poisson(`cross_team_ties_per_person`) ties; each tie picks a
    target in the same department, the same region, or the whole organisation with the
    configured shares, plus Poisson(`long_range_ties_per_person`) uniform long-range
    ties.
    """
    n = department.size
    stubs = rng.poisson(config.cross_team_ties_per_person, n)
    sources = np.repeat(np.arange(n), stubs)
    choice = rng.random(sources.size)
    targets = np.empty(sources.size, dtype=np.int64)
    in_department = choice < config.cross_team_same_department
    in_region = ~in_department & (
        choice < config.cross_team_same_department + config.cross_team_same_region
    )
    anywhere = ~(in_department | in_region)
    targets[in_department] = _uniform_member(department, department[sources[in_department]], rng)
    targets[in_region] = _uniform_member(region, region[sources[in_region]], rng)
    targets[anywhere] = rng.integers(0, n, int(anywhere.sum()))
    long_stubs = rng.poisson(config.long_range_ties_per_person, n)
    long_sources = np.repeat(np.arange(n), long_stubs)
    long_targets = rng.integers(0, n, long_sources.size)
    return np.concatenate([sources, long_sources]), np.concatenate([targets, long_targets])


def informal_edges(
    team: np.ndarray,
    department: np.ndarray,
    region: np.ndarray,
    config: NetworkConfig,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """The tie recipe around reporting lines: ties inside teams, then across teams.

    The one place the generated and the loaded (edge-less) organisations draw their
    informal ties, in this order, so the same seed gives the same network.
    """
    team_sources, team_targets = team_edges(team, config.team_tie_probability, rng)
    cross_sources, cross_targets = cross_team_edges(department, region, config, rng)
    return (
        np.concatenate([team_sources, cross_sources]),
        np.concatenate([team_targets, cross_targets]),
    )


def to_adjacency(
    n: int,
    sources: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray | None = None,
) -> sp.csr_matrix:
    """A symmetric CSR matrix from undirected edges: self-loops dropped, repeats merged.

    A repeated tie keeps its largest weight.
    """
    if weights is None:
        weights = np.ones(sources.size, dtype=np.float32)
    keep = sources != targets
    rows = np.concatenate([sources[keep], targets[keep]])
    cols = np.concatenate([targets[keep], sources[keep]])
    data = np.concatenate([weights[keep], weights[keep]]).astype(np.float32)
    # merge repeats keeping the maximum: sort by (row, col, -weight), take the first
    key = rows.astype(np.int64) * n + cols
    order = np.lexsort((-data, key))
    key, data = key[order], data[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, data = key[first], data[first]
    matrix = sp.csr_matrix((data, (key // n, key % n)), shape=(n, n))
    matrix.sort_indices()
    return matrix
