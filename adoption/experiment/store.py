"""The result store: one Parquet shard per finished run, so a sweep resumes where it stopped.

A shard is written to a hidden temporary file and renamed into place, so a shard that
exists is complete whatever happened to the process (SIGKILL included); leftovers of
an interrupted write are removed on the next open, and a shard that cannot be read
(a disk fault, a hand edit) is removed and its run computed again. The manifest pins
the scenario, the content of the files it reads, and the design: a directory never
mixes the results of two scenarios. Nothing is written until the first run is stored,
so a sweep refused or failed in full leaves the directory as it found it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from adoption.config import Scenario
from adoption.errors import InputError
from adoption.experiment.design import RunSpec, file_digests, scenario_hash
from adoption.experiment.runner import RunRecord
from adoption.files import write_atomically

MANIFEST = "manifest.json"
SHARDS = "runs"
METRICS_KEY = b"adoption.metrics"
SPEC_KEY = b"adoption.spec"


class ResultStore:
    """A directory of finished runs for one scenario, seed and sample design (`samples`:
    a comparison's sample count, or an exploration's ``"method:N"``)."""

    def __init__(
        self, directory: str | Path, scenario: Scenario, seed: int, samples: int | str
    ) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise InputError(f"--out: '{self.directory}' exists and is not a directory")
        self.shards = self.directory / SHARDS
        digests = file_digests(scenario)
        self.manifest = {
            "scenario_hash": scenario_hash(scenario, digests),
            "seed": seed,
            "samples": samples,
            "files": digests,
            "scenario": scenario.model_dump(mode="json"),
        }
        self.pinned = self._check_pin()
        (self.directory / f".{MANIFEST}.partial").unlink(missing_ok=True)
        if self.shards.is_dir():
            for leftover in self.shards.glob(".*.partial"):
                leftover.unlink(missing_ok=True)

    def _stored(self) -> bool:
        return self.shards.is_dir() and any(self.shards.glob("*.parquet"))

    def _check_pin(self) -> bool:
        """Whether the directory is already pinned to this comparison; an `InputError`
        if it holds runs of another one."""
        path = self.directory / MANIFEST
        if not path.exists():
            return False
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(existing, dict):
                raise ValueError("not a JSON object")
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(
                f"{path} is corrupt ({exc}); it pins what the stored runs belong to, so "
                "they cannot be trusted: choose another --out directory or delete that one"
            ) from None
        for key in ("scenario_hash", "seed", "samples"):
            if existing.get(key) != self.manifest[key]:
                if not self._stored():
                    return False  # a manifest without runs pins nothing: replace it
                changed = [
                    name
                    for name, digest in self.manifest["files"].items()
                    if (existing.get("files") or {}).get(name) not in (None, digest)
                ]
                detail = (
                    f"the content of {', '.join(changed)} changed"
                    if key == "scenario_hash" and changed
                    else f"{key} {existing.get(key)!r}, this one {self.manifest[key]!r}"
                )
                raise InputError(
                    f"{self.directory} holds results of another comparison ({detail}); "
                    "choose another --out directory or delete that one"
                )
        return True

    def _pin(self) -> None:
        self.shards.mkdir(parents=True, exist_ok=True)
        data = (json.dumps(self.manifest, indent=2) + "\n").encode()
        write_atomically(self.directory / MANIFEST, data)
        self.pinned = True

    def _path(self, spec: RunSpec) -> Path:
        return self.shards / f"{spec.key}.parquet"

    def done(self, spec: RunSpec) -> bool:
        """Whether this run has a complete shard."""
        return self._path(spec).exists()

    def load_finished(self, specs: list[RunSpec]) -> dict[RunSpec, RunRecord]:
        """The stored runs among `specs`; an unreadable shard is removed (it runs again)."""
        records = {}
        for spec in specs:
            if not self.done(spec):
                continue
            try:
                records[spec] = self.load(spec)
            except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
                self._path(spec).unlink(missing_ok=True)
        return records

    def save(self, record: RunRecord) -> None:
        """Write a finished run's shard (failed runs are not stored: they run again)."""
        if not self.pinned:
            self._pin()
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
        if not isinstance(metrics, dict):
            raise ValueError(f"{self._path(spec)}: metrics are not a mapping")
        return RunRecord(spec=spec, metrics=metrics, series=table.to_pandas())
