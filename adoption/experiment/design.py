"""The runs of a comparison: every plan × uncertainty sample × replication, with seeds.

Common random numbers: every plan runs on the same seeds and sample j on the same
uncertain values, so that differences between plans are not noise. A comparison of the
scenario as written gives replication k the same run seed (child k of the comparison's
`SeedSequence`). Sampled worlds (an exploration, `compare --samples N`) draw their
seeds per world instead (`world_seeds`): still shared by every plan within a world,
but different from world to world, so that no world's result is read off the same few
random streams.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from adoption.config import Scenario, load_scenario
from adoption.errors import InputError

WORLD_SEEDING = "world-seeds"
"""Pinned in the result store with a sampled design: runs stored before seeds were drawn
per world are of another sweep and must not be reused."""
MAX_RUNS = 1_000_000
"""Most runs one comparison or exploration may design (its design alone is held in memory)."""


def check_size(plans: int | None, worlds: int, replications: int) -> None:
    """Refuse, before any sampling, a sweep of more than MAX_RUNS runs (plans unknown yet:
    counted as one)."""
    runs = (plans or 1) * worlds * replications
    if runs > MAX_RUNS:
        shown = f"{plans} plans × " if plans else ""
        raise InputError(
            f"{shown}{worlds:,} worlds × {replications:,} replications = {runs:,} runs: "
            f"more than the {MAX_RUNS:,} one sweep may hold; ask for fewer samples or "
            "replications"
        )


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


def world_seeds(seed: int, worlds: int, replications: int) -> np.ndarray:
    """The run seed of replication k in world j (row j, column k): child (j, k) of the
    sweep's `SeedSequence`. Every plan in a world runs on that world's seeds (paired);
    worlds differ; no seed depends on how many worlds or replications there are, and all
    are drawn here, before any run, so they do not depend on the executor either."""
    seeds = np.empty((worlds, replications), dtype=np.int64)
    for world in range(worlds):
        for replication in range(replications):
            sequence = np.random.SeedSequence(seed, spawn_key=(world, replication))
            seeds[world, replication] = sequence.generate_state(1, dtype=np.uint32)[0]
    return seeds


def referenced_files(scenario: Scenario) -> dict[str, Path]:
    """The files a scenario reads, by the key that names them."""
    files = {
        "organisation.org_chart": scenario.organisation.org_chart,
        "organisation.collaboration_edges": scenario.organisation.collaboration_edges,
        "network.path": scenario.network.path if scenario.network is not None else None,
    }
    return {key: Path(path) for key, path in files.items() if path is not None}


def file_digests(scenario: Scenario) -> dict[str, str]:
    """A content fingerprint of each file the scenario reads (an org chart, edges)."""
    digests = {}
    for key, path in referenced_files(scenario).items():
        try:
            digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        except OSError as exc:
            raise InputError(f"{key}: cannot read '{path}' ({exc.strerror or exc})") from None
    return digests


def scenario_hash(scenario: Scenario, digests: dict[str, str] | None = None) -> str:
    """A stable fingerprint of everything a scenario says that a run reads, and of the
    files it reads: an org chart edited in place is another scenario. The search template
    changes no run (a search pins it itself), so results stored before it existed stay
    valid."""
    dump = scenario.model_dump(mode="json", exclude={"search"})
    digests = file_digests(scenario) if digests is None else digests
    text = json.dumps({"scenario": dump, "files": digests} if digests else dump, sort_keys=True)
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
    plans: list[str],
    samples: pd.DataFrame,
    replications: int,
    seed: int,
    *,
    per_world: bool = False,
) -> list[RunSpec]:
    """All runs, ordered replication-major so partial sweeps cover every plan evenly.
    Seeds: replication k's seed in every sample, or with `per_world` each sample's own
    (`world_seeds`)."""
    rows = [
        tuple((key, plain(value)) for key, value in row.items()) for _, row in samples.iterrows()
    ]
    if per_world:
        seeds = world_seeds(seed, len(rows), replications)
    else:
        seeds = np.tile(replication_seeds(seed, replications), (len(rows), 1))
    return [
        RunSpec(plan, sample, replication, int(seeds[sample, replication]), rows[sample])
        for replication in range(replications)
        for sample in range(len(rows))
        for plan in plans
    ]
