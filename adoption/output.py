"""Writing a run's results to a directory, each file complete or absent."""

from __future__ import annotations

import json
from pathlib import Path

from adoption.files import write_atomically
from adoption.plots import adoption_figure
from adoption.result import SimulationResult


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
            (json.dumps(metrics, indent=2) + "\n").encode(),
        ),
    ]
