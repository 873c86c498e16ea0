"""Latin hypercube samples of a scenario's uncertainties."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from adoption.config.uncertainties import Uncertainty


def latin_hypercube(n: int, dimensions: int, rng: np.random.Generator) -> np.ndarray:
    """n points in [0, 1)^d with exactly one point in each of n equal strata per dimension."""
    strata = np.stack([rng.permutation(n) for _ in range(dimensions)], axis=1)
    return (strata + rng.random((n, dimensions))) / n


def quantile(uncertainty: Uncertainty, u: np.ndarray) -> np.ndarray:
    """The distribution's values at probabilities `u` (inverse CDF)."""
    kind = uncertainty.distribution
    if kind == "uniform":
        return uncertainty.low + u * (uncertainty.high - uncertainty.low)
    if kind == "triangular":
        width = uncertainty.high - uncertainty.low
        shape = (uncertainty.mode - uncertainty.low) / width
        return stats.triang.ppf(u, shape, loc=uncertainty.low, scale=width)
    if kind == "normal":
        return stats.norm.ppf(u, loc=uncertainty.mean, scale=uncertainty.sd)
    if kind == "lognormal":
        return stats.lognorm.ppf(u, s=uncertainty.sd, scale=np.exp(uncertainty.mean))
    values = np.array(uncertainty.values, dtype=object)
    return values[np.minimum((u * len(values)).astype(int), len(values) - 1)]


def sample_uncertainties(
    uncertainties: dict[str, Uncertainty], samples: int, seed: int
) -> pd.DataFrame:
    """`samples` rows, one column per uncertain field path, by Latin hypercube.

    With no uncertainties there is one sample of nothing (the scenario as written).
    """
    if not uncertainties or samples < 1:
        return pd.DataFrame(index=pd.RangeIndex(max(samples, 1), name="sample"))
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5A4D]))
    points = latin_hypercube(samples, len(uncertainties), rng)
    frame = pd.DataFrame(
        {
            key: quantile(uncertainty, points[:, column])
            for column, (key, uncertainty) in enumerate(uncertainties.items())
        }
    )
    frame.index.name = "sample"
    return frame
