"""Summary statistics of an organisation: headcounts, teams and network shape."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from adoption.organisation.model import ROLES, Organisation

SAMPLE = 2000
"""People sampled to estimate clustering; sources sampled for path lengths."""
PATH_SOURCES = 20


@dataclass(frozen=True)
class NetworkSummary:
    """Shape of the organisation network (clustering and path length are estimates)."""

    people: int
    ties: int
    mean_degree: float
    clustering: float
    components: int
    largest_component_share: float
    average_path_length: float


def clustering_estimate(
    adjacency: sp.csr_matrix, rng: np.random.Generator, sample: int = SAMPLE
) -> float:
    """Mean local clustering coefficient over a random sample of people (all if few)."""
    n = adjacency.shape[0]
    nodes = np.arange(n) if n <= sample else rng.choice(n, sample, replace=False)
    binary = (adjacency != 0).astype(np.float64).tocsr()
    rows = binary[nodes]
    triangles = np.asarray((rows @ binary).multiply(rows).sum(axis=1)).ravel() / 2
    degree = np.diff(binary.indptr)[nodes]
    pairs = degree * (degree - 1) / 2
    local = np.divide(triangles, pairs, out=np.zeros_like(triangles), where=pairs > 0)
    return float(local.mean())


def path_length_estimate(
    adjacency: sp.csr_matrix, rng: np.random.Generator, sources: int = PATH_SOURCES
) -> float:
    """Mean shortest-path length (in ties) from random sources to everyone they reach."""
    n = adjacency.shape[0]
    chosen = np.arange(n) if n <= sources else rng.choice(n, sources, replace=False)
    distances = csgraph.shortest_path(adjacency, unweighted=True, indices=chosen)
    reachable = np.isfinite(distances) & (distances > 0)
    return float(distances[reachable].mean()) if reachable.any() else 0.0


def network_summary(org: Organisation, seed: int = 0) -> NetworkSummary:
    """Ties, degree, clustering, components and path length of the organisation."""
    rng = np.random.default_rng(seed)
    count, labels = csgraph.connected_components(org.adjacency, directed=False)
    largest = np.bincount(labels).max() if org.size else 0
    return NetworkSummary(
        people=org.size,
        ties=int(org.adjacency.nnz // 2),
        mean_degree=float(org.degree().mean()),
        clustering=clustering_estimate(org.adjacency, rng),
        components=int(count),
        largest_component_share=float(largest / max(org.size, 1)),
        average_path_length=path_length_estimate(org.adjacency, rng),
    )


def headcount_table(org: Organisation, by: str) -> pd.Series:
    """People per role, region or department, in the organisation's own order."""
    names = {
        "role": list(ROLES),
        "region": org.region_names,
        "department": org.department_names,
    }[by]
    codes = getattr(org, by)
    return pd.Series(np.bincount(codes, minlength=len(names)), index=names, name="people")


def team_size_summary(org: Organisation) -> dict[str, float]:
    """Team count and the smallest, mean and largest team."""
    sizes = np.bincount(org.team, minlength=org.team_count)
    return {
        "teams": org.team_count,
        "min": int(sizes.min()),
        "mean": float(sizes.mean()),
        "max": int(sizes.max()),
        "resistant_teams": int(org.team_resistant.sum()),
        "people_in_resistant_teams": int(org.team_resistant[org.team].sum()),
    }


def describe(org: Organisation) -> str:
    """A plain-text report for `adoption org inspect`."""
    lines = [f"Organisation: {org.size:,} people"]
    for by in ("role", "region", "department"):
        lines.append(f"\nBy {by}:")
        for name, count in headcount_table(org, by).items():
            lines.append(f"  {name:<24} {count:>9,}")
    teams = team_size_summary(org)
    lines += [
        "\nTeams:",
        f"  {teams['teams']:,} teams, size {teams['min']}–{teams['max']} "
        f"(mean {teams['mean']:.1f})",
        f"  resistant: {teams['resistant_teams']:,} teams "
        f"({teams['resistant_teams'] / max(teams['teams'], 1):.0%}), "
        f"{teams['people_in_resistant_teams']:,} people",
    ]
    net = network_summary(org)
    lines += [
        "\nNetwork:",
        f"  ties                      {net.ties:>9,}",
        f"  mean degree               {net.mean_degree:>9.2f}",
        f"  clustering (estimate)     {net.clustering:>9.3f}",
        f"  components                {net.components:>9,}",
        f"  largest component         {net.largest_component_share:>9.1%}",
        f"  average path (estimate)   {net.average_path_length:>9.2f}",
    ]
    if org.notes:
        lines.append("\nAccepted while loading:")
        lines += [f"  - {note}" for note in org.notes]
    return "\n".join(lines)
