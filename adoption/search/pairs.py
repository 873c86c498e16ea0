"""Common random numbers for a search: (world, seed) pairs fixed before the first run.

The search's K worlds (a Latin hypercube over the scenario's uncertainties) × R seeds
are shared by every candidate; the finalists' fresh pairs come from other worlds and
other seeds, never used while searching. Pairs are ordered so that any first n of them
spread over the worlds (pair i is world i mod K, seed i div K).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from adoption.config.uncertainties import Uncertainty
from adoption.experiment.design import RunSpec, plain, replication_seeds
from adoption.experiment.sampling import sample_uncertainties

FRESH_STREAM = 0xF2E5
"""Mixed into the search seed to draw the fresh worlds (another Latin hypercube)."""


@dataclass(frozen=True)
class Pair:
    """One (world, seed): `sample` and `replication` index the run's key in the store."""

    sample: int
    replication: int
    seed: int
    values: tuple[tuple[str, Any], ...]

    def spec(self, plan: str) -> RunSpec:
        """The run of `plan` on this pair."""
        return RunSpec(plan, self.sample, self.replication, self.seed, self.values)


def _rows(samples: pd.DataFrame) -> list[tuple[tuple[str, Any], ...]]:
    return [tuple((k, plain(v)) for k, v in row.items()) for _, row in samples.iterrows()]


def _pairs(
    worlds: list[tuple[tuple[str, Any], ...]],
    seeds: list[int],
    first_sample: int,
    first_replication: int,
) -> list[Pair]:
    return [
        Pair(first_sample + world, first_replication + replication, seeds[replication], values)
        for replication in range(len(seeds))
        for world, values in enumerate(worlds)
    ]


def world_samples(
    uncertainties: dict[str, Uncertainty], worlds: int, seed: int, fresh: bool
) -> pd.DataFrame:
    """The search's worlds, or (`fresh`) the finalists' other worlds."""
    stream = (
        int(np.random.SeedSequence([seed, FRESH_STREAM]).generate_state(1)[0]) if fresh else seed
    )
    return sample_uncertainties(uncertainties, worlds, stream)


def search_pairs(
    uncertainties: dict[str, Uncertainty], worlds: int, replications: int, seed: int
) -> list[Pair]:
    """The K × R pairs every candidate of the search runs on (first n: spread over worlds)."""
    samples = world_samples(uncertainties, worlds, seed, fresh=False)
    return _pairs(_rows(samples), replication_seeds(seed, replications), 0, 0)


def fresh_pairs(
    uncertainties: dict[str, Uncertainty],
    worlds: int,
    replications: int,
    seed: int,
    search_worlds: int,
    search_replications: int,
) -> list[Pair]:
    """Pairs of worlds and seeds the search never used: other Latin hypercube worlds, and
    the replication seeds after the search's (child k of the seed does not depend on how
    many are drawn)."""
    samples = world_samples(uncertainties, worlds, seed, fresh=True)
    seeds = replication_seeds(seed, search_replications + replications)[search_replications:]
    return _pairs(_rows(samples), seeds, search_worlds, search_replications)
