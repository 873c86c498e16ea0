"""The worlds a sweep runs: Latin hypercube samples of a scenario's uncertainties, or
worlds given as they are (joint posterior draws)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from adoption.config.uncertainties import Uncertainty
from adoption.errors import InputError


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


def given_worlds(names: list[str], worlds: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Worlds given as they are (e.g. joint posterior draws), checked to name exactly the
    scenario's uncertainties, and each world's unit-cube point: its values' ranks."""
    if list(worlds.columns) != list(names):
        raise InputError(
            f"the given worlds' columns ({', '.join(map(str, worlds.columns)) or 'none'}) "
            f"are not the scenario's uncertainties ({', '.join(names) or 'none'})"
        )
    frame = worlds.reset_index(drop=True)
    frame.index.name = "sample"
    ranks = frame.rank(method="first").to_numpy(float) if names else np.zeros((len(frame), 0))
    return frame, (ranks - 0.5) / len(frame)


def worlds_digest(worlds: pd.DataFrame) -> str:
    """A short fingerprint of given worlds, so a result store resumes only the same ones."""
    text = worlds.to_csv(index=False).encode()
    return f"{len(worlds)}:{hashlib.sha256(text).hexdigest()[:16]}"


def given_design(
    names: list[str], method: str, worlds: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray, str]:
    """An exploration's worlds given as they are: the worlds, their design points and
    the result store's design key; they are analysed as a sample (method "lhs")."""
    if method != "lhs":
        raise InputError(
            f"--method {method}: given worlds (posterior draws) have no {method} design; "
            "they are analysed as a sample (--method lhs)"
        )
    sampled, points = given_worlds(names, worlds)
    return sampled, points, f"worlds:{worlds_digest(sampled)}"
