"""Latin hypercube samples of a scenario's uncertainties."""

from __future__ import annotations

import numpy as np
import pandas as pd

from adoption.config.uncertainties import Uncertainty


def latin_hypercube(n: int, dimensions: int, rng: np.random.Generator) -> np.ndarray:
    """n points in [0, 1)^d with exactly one point in each of n equal strata per dimension."""
    strata = np.stack([rng.permutation(n) for _ in range(dimensions)], axis=1)
    return (strata + rng.random((n, dimensions))) / n


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
            key: uncertainty.quantile(points[:, column])
            for column, (key, uncertainty) in enumerate(uncertainties.items())
        }
    )
    frame.index.name = "sample"
    return frame


def comparison_samples(
    uncertainties: dict[str, Uncertainty], samples: int, seed: int
) -> pd.DataFrame:
    """The worlds a comparison runs: one sample is the scenario as written (whatever it
    declares uncertain); more are a Latin hypercube over its uncertainties."""
    if samples > 1:
        return sample_uncertainties(uncertainties, samples, seed)
    return sample_uncertainties({}, 1, seed)
