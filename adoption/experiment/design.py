"""The runs of a comparison: every plan × uncertainty sample × replication, with seeds.

Common random numbers: replication k of every plan and every sample gets the same
run seed (child k of the comparison's `SeedSequence`), and sample j the same
uncertain values, so that differences between plans are not noise.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from adoption.config import Scenario, load_scenario
from adoption.errors import InputError


@dataclass(frozen=True)
class RunSpec:
    """One run of the design."""

    plan: str
    sample: int
    replication: int
    seed: int
    values: tuple[tuple[str, Any], ...]  # the sample's uncertain values, by field path

    @property
    def key(self) -> str:
        """A file-name-safe unique name of the run within its comparison."""
        return f"{self.plan}--s{self.sample:04d}--r{self.replication:05d}"


def replication_seeds(seed: int, replications: int) -> list[int]:
    """The run seed of each replication; child k does not depend on how many there are."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]


def scenario_hash(scenario: Scenario) -> str:
    """A stable fingerprint of everything a scenario says."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def plain(value: Any) -> Any:
    """NumPy scalars as Python values (for validation, JSON and Parquet)."""
    return value.item() if isinstance(value, np.generic) else value


def validate_samples(scenario: Scenario, samples: pd.DataFrame) -> None:
    """Every sampled scenario must be valid; say which uncertainty breaks it, and how."""
    for index, row in samples.iterrows():
        values = {key: plain(value) for key, value in row.items()}
        try:
            load_scenario(scenario, values)
        except InputError as error:
            raise InputError(
                f"uncertainty sample {index} gives an invalid scenario ({error}); "
                "narrow the distribution so every value is in range"
            ) from None


def design_runs(
    plans: list[str], samples: pd.DataFrame, replications: int, seed: int
) -> list[RunSpec]:
    """All runs, ordered replication-major so partial sweeps cover every plan evenly."""
    seeds = replication_seeds(seed, replications)
    rows = [
        tuple((key, plain(value)) for key, value in row.items()) for _, row in samples.iterrows()
    ]
    return [
        RunSpec(plan, sample, replication, seeds[replication], rows[sample])
        for replication in range(replications)
        for sample in range(len(rows))
        for plan in plans
    ]
