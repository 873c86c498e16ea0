"""The informal network's matrix: symmetric, no self-loops, a repeated tie at its
largest weight, each row's columns in order."""

from __future__ import annotations

import numpy as np
import pytest

from adoption.organisation.network import to_adjacency


def _by_dictionary(n, sources, targets, weights):
    """The matrix the slow way: every tie both ways, the largest weight kept."""
    ties: dict[tuple[int, int], float] = {}
    edges = zip(sources.tolist(), targets.tolist(), weights.tolist(), strict=True)
    for source, target, weight in edges:
        if source != target:
            for pair in ((source, target), (target, source)):
                ties[pair] = max(ties.get(pair, -np.inf), weight)
    dense = np.zeros((n, n), dtype=np.float32)
    for (row, col), weight in ties.items():
        dense[row, col] = weight
    return dense


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("seed", range(4))
def test_the_matrix_is_the_ties_both_ways_at_their_largest_weight(seed, weighted):
    rng = np.random.default_rng(seed)
    n = 40
    sources = rng.integers(0, n, 300)  # many repeats, both ways, and self-loops
    targets = rng.integers(0, n, 300)
    weights = rng.random(300).astype(np.float32) if weighted else None
    matrix = to_adjacency(n, sources, targets, weights)
    expected = _by_dictionary(n, sources, targets, weights if weighted else np.ones(300))
    assert np.array_equal(matrix.toarray(), expected)
    assert matrix.nnz == np.count_nonzero(expected)  # no stored zeros, no duplicates
    for row in range(n):
        columns = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
        assert np.all(np.diff(columns) > 0)
    assert matrix.has_sorted_indices


def test_no_ties_give_an_empty_matrix():
    matrix = to_adjacency(5, np.array([2], dtype=np.int64), np.array([2], dtype=np.int64))
    assert matrix.shape == (5, 5) and matrix.nnz == 0 and matrix.indptr.tolist() == [0] * 6
