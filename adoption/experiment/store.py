"""The result store: one Parquet shard per finished run, so a sweep resumes where it stopped.

A shard is written to a hidden temporary file and renamed into place, so a shard that
exists is complete whatever happened to the process (SIGKILL included); leftovers of
an interrupted write are removed on the next open. The manifest pins the scenario
and design: a directory never mixes the results of two scenarios.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from adoption.config import Scenario
from adoption.errors import InputError
from adoption.experiment.design import RunSpec, scenario_hash
from adoption.experiment.runner import RunRecord
from adoption.files import write_atomically

MANIFEST = "manifest.json"
SHARDS = "runs"
METRICS_KEY = b"adoption.metrics"
SPEC_KEY = b"adoption.spec"


class ResultStore:
    """A directory of finished runs for one scenario, seed and sample design."""

    def __init__(self, directory: str | Path, scenario: Scenario, seed: int, samples: int) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise InputError(f"--out: '{self.directory}' exists and is not a directory")
        self.shards = self.directory / SHARDS
        self.shards.mkdir(parents=True, exist_ok=True)
        self._pin(scenario, seed, samples)
        for leftover in self.shards.glob(".*.partial"):
            leftover.unlink()

    def _pin(self, scenario: Scenario, seed: int, samples: int) -> None:
        manifest = {
            "scenario_hash": scenario_hash(scenario),
            "seed": seed,
            "samples": samples,
            "scenario": scenario.model_dump(mode="json"),
        }
        path = self.directory / MANIFEST
        if path.exists():
            existing = json.loads(path.read_text())
            for key in ("scenario_hash", "seed", "samples"):
                if existing.get(key) != manifest[key]:
                    raise InputError(
                        f"{self.directory} holds results of another comparison "
                        f"({key} {existing.get(key)!r}, this one {manifest[key]!r}); "
                        "choose another --out directory or delete that one"
                    )
            return
        write_atomically(path, (json.dumps(manifest, indent=2) + "\n").encode())

    def _path(self, spec: RunSpec) -> Path:
        return self.shards / f"{spec.key}.parquet"

    def done(self, spec: RunSpec) -> bool:
        """Whether this run has a complete shard."""
        return self._path(spec).exists()

    def save(self, record: RunRecord) -> None:
        """Write a finished run's shard (failed runs are not stored: they run again)."""
        table = pa.Table.from_pandas(record.series, preserve_index=False)
        spec = record.spec
        metadata = {
            METRICS_KEY: json.dumps(record.metrics).encode(),
            SPEC_KEY: json.dumps(
                {
                    "plan": spec.plan,
                    "sample": spec.sample,
                    "replication": spec.replication,
                    "seed": spec.seed,
                    "values": dict(spec.values),
                }
            ).encode(),
        }
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        write_atomically(self._path(spec), sink.getvalue().to_pybytes())

    def load(self, spec: RunSpec) -> RunRecord:
        """A stored run back as a record."""
        table = pq.read_table(self._path(spec))
        metadata = table.schema.metadata
        metrics: dict[str, Any] = json.loads(metadata[METRICS_KEY])
        return RunRecord(spec=spec, metrics=metrics, series=table.to_pandas())
