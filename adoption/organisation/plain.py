"""Plain networks for the textbook models: every node an individual contributor in one
team, department and region, tied as a standard random-graph model says."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from adoption.config.network import NetworkSpec
from adoption.organisation import network as ties
from adoption.organisation.csvtext import positive_weight, read_csv
from adoption.organisation.model import Organisation


def erdos_renyi_edges(n: int, mean_degree: float, rng: np.random.Generator):
    """G(n, p) with p = mean_degree / (n - 1), in O(edges): the number of edges is
    Binomial(n(n-1)/2, p), and that many distinct pairs are drawn uniformly."""
    pairs = n * (n - 1) // 2
    edges = rng.binomial(pairs, mean_degree / (n - 1))
    chosen = np.empty(0, dtype=np.int64)
    while chosen.size < edges:
        extra = rng.integers(0, pairs, int((edges - chosen.size) * 1.1) + 16)
        chosen = np.concatenate([chosen, extra])
        _, first = np.unique(chosen, return_index=True)
        chosen = chosen[np.sort(first)]
    chosen = chosen[:edges]
    # pair index -> (i, j), i < j, row by row of the upper triangle
    i = (n - 2 - np.floor(np.sqrt(-8 * chosen + 4 * n * (n - 1) - 7) / 2 - 0.5)).astype(np.int64)
    j = chosen + i + 1 - n * (n - 1) // 2 + (n - i) * ((n - i) - 1) // 2
    return i, j


def _graph_edges(spec: NetworkSpec, rng: np.random.Generator):
    if spec.kind == "erdos_renyi":
        return erdos_renyi_edges(spec.n, spec.mean_degree, rng)
    seed = int(rng.integers(2**31))
    if spec.kind == "watts_strogatz":
        graph = nx.watts_strogatz_graph(spec.n, spec.k, spec.p, seed=seed)
    elif spec.kind == "ring_lattice":
        graph = nx.watts_strogatz_graph(spec.n, spec.k, 0.0, seed=seed)
    else:
        graph = nx.barabasi_albert_graph(spec.n, spec.m, seed=seed)
    edges = np.array(graph.edges(), dtype=np.int64).reshape(-1, 2)
    return edges[:, 0], edges[:, 1]


def plain_organisation(spec: NetworkSpec) -> Organisation:
    """An organisation that is only a network (see module docstring)."""
    rng = np.random.default_rng(spec.seed)
    weights = None
    if spec.kind == "edge_list":
        table = read_csv(spec.path, ["source", "target"], ["weight"], "edge list")
        names = {}
        for row in table.rows:
            for column in ("source", "target"):
                names.setdefault(row[column], len(names))
        sources = np.array([names[row["source"]] for row in table.rows], dtype=np.int64)
        targets = np.array([names[row["target"]] for row in table.rows], dtype=np.int64)
        weights = np.array(
            [
                positive_weight(row["weight"], f"{spec.path}: line {line}")
                if row.get("weight")
                else 1.0
                for row, line in zip(table.rows, table.lines, strict=True)
            ],
            dtype=np.float32,
        )
        labels = list(names)
    else:
        labels = [str(i) for i in range(spec.n)]
    n = len(labels)
    if spec.kind == "complete":
        adjacency = sp.csr_matrix((n, n), dtype=np.float32)
    elif spec.kind == "edge_list":
        adjacency = ties.to_adjacency(n, sources, targets, weights)
    else:
        adjacency = ties.to_adjacency(n, *_graph_edges(spec, rng))
    zeros = np.zeros(n, dtype=np.float32)
    return Organisation(
        employee_id=np.array(labels, dtype=object),
        role=np.zeros(n, dtype=np.int8),
        manager=np.full(n, -1, dtype=np.int32),
        team=np.zeros(n, dtype=np.int32),
        department=np.zeros(n, dtype=np.int16),
        region=np.zeros(n, dtype=np.int16),
        innovativeness=np.full(n, 0.5, dtype=np.float32),
        adopter_category=np.full(n, 2, dtype=np.int8),
        digital_skill=np.full(n, 0.5, dtype=np.float32),
        threat_perception=zeros,
        stance_prior=np.zeros(n, dtype=np.int8),
        team_names=["network"],
        department_names=["network"],
        region_names=["network"],
        team_resistant=np.zeros(1, dtype=bool),
        team_workflow_fit=np.ones(1, dtype=np.float32),
        adjacency=adjacency,
        complete=spec.kind == "complete",
    )
