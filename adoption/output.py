"""Writing a run's results to a directory, each file complete or absent."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from adoption.plots import adoption_figure
from adoption.result import SimulationResult


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary sibling and rename, so `path` is whole or missing."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def write_run(result: SimulationResult, directory: str | Path) -> list[Path]:
    """timeseries.csv, events.csv, adoption.png, then metrics.json (written last)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    metrics = {
        "scenario": result.scenario_name,
        "plan": result.plan,
        "seed": result.seed,
        "headcount": result.headcount,
        **result.metrics,
        "costs": result.costs,
    }
    return [
        write_atomically(
            directory / "timeseries.csv",
            lambda p: result.timeseries.to_csv(p, index=False),
        ),
        write_atomically(directory / "events.csv", lambda p: result.events.to_csv(p, index=False)),
        write_atomically(
            directory / "adoption.png", lambda p: adoption_figure(result).savefig(p, format="png")
        ),
        write_atomically(
            directory / "metrics.json",
            lambda p: p.write_text(json.dumps(metrics, indent=2) + "\n"),
        ),
    ]
