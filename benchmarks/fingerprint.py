"""A fingerprint of the engine's numbers: change the code's speed, not its results.

    python benchmarks/fingerprint.py --save before.json      # on the old code
    python benchmarks/fingerprint.py --check before.json     # on the new code

For every plan of the bundled default scenario and seeds 0, 1 and 2, hashes the
headline metrics, every column of the daily series, the event log and everyone's
final state; and the same for runs that end in a withdrawal, which of the default
runs only the regional pilot's seed 2 does (its gate stops it at day 90): every gated
plan's runs with its first gate forced to proceed and to stop (the
counterfactuals `adoption compare` and the workshop pair with each gated run), and its
runs with a production accuracy low enough that its own gate stops it (one after
three pauses). `--check` names each (plan, seed, part) whose hash moved, and exits 1
if any did; hashes of a plan the saved fingerprint did not have are counted as new.
A restructuring that claims "numbers unchanged" passes this.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from adoption.config import Scenario
    from adoption.result import SimulationResult

SEEDS = (0, 1, 2)
STOPPING = {"tool.production_accuracy": 0.55}
"""Settings under which every gated default plan's own gate stops it on seeds 0-2
(regional-pilot's seed 0 after three pauses, at day 150)."""


def _digest(frame: pd.DataFrame) -> str:
    hashed = pd.util.hash_pandas_object(frame.astype(str), index=True).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()[:16]


def fingerprint(seeds: tuple[int, ...] = SEEDS, overrides: dict | None = None) -> dict[str, str]:
    """Hashes by `plan/seed/part`: metrics, each daily column, events and people; the
    withdrawal runs under `plan+variant/seed/part`."""
    from adoption import load_scenario
    from adoption.experiment.regret import ALTERNATIVES, forced_first_gate

    scenario = load_scenario(overrides=overrides)
    stopping = load_scenario(overrides={**(overrides or {}), **STOPPING})
    prints: dict[str, str] = {}
    for plan in scenario.plans:
        for seed in seeds:
            _hash_run(prints, scenario, plan, plan, seed)
    for plan in (name for name, chosen in scenario.plans.items() if chosen.gates):
        for decision in ALTERNATIVES:
            forced = forced_first_gate(scenario, plan, decision)
            for seed in seeds:
                _hash_run(prints, forced, plan, f"{plan}+first-gate-{decision}", seed)
        for seed in seeds:
            result = _hash_run(prints, stopping, plan, f"{plan}+stopped-by-its-gate", seed)
            if "withdrawn" not in set(result.events["kind"]):
                raise SystemExit(f"{plan}/{seed}: its gate no longer stops it; set STOPPING again")
    return prints


def _hash_run(
    prints: dict[str, str], scenario: Scenario, plan: str, name: str, seed: int
) -> SimulationResult:
    """Add one run's hashes under `name/seed/part`; return the run."""
    from adoption import simulate

    result = simulate(scenario, plan, seed=seed)
    key = f"{name}/{seed}"
    metrics = pd.DataFrame({"value": [repr(v) for v in result.metrics.values()]})
    metrics.index = list(result.metrics)
    prints[f"{key}/metrics"] = _digest(metrics)
    for column in result.timeseries.columns:
        prints[f"{key}/series/{column}"] = _digest(result.timeseries[[column]])
    prints[f"{key}/events"] = _digest(result.events)
    prints[f"{key}/people"] = _digest(result.people)
    prints[f"{key}/adoption"] = repr(float(np.round(result.metrics["adoption_rate"], 6)))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", metavar="FILE", help="write the fingerprint to FILE (JSON)")
    action.add_argument("--check", metavar="FILE", help="compare with a saved fingerprint")
    parser.add_argument(
        "--employees", type=int, default=None, help="headcount (default: the scenario's 5,000)"
    )
    args = parser.parse_args()
    overrides = None if args.employees is None else {"organisation.employees": args.employees}
    prints = fingerprint(overrides=overrides)
    if args.save:
        with open(args.save, "w") as file:
            json.dump(prints, file, indent=1, sort_keys=True)
        print(f"{len(prints)} hashes written to {args.save}")
        return 0
    with open(args.check) as file:
        saved = json.load(file)
    # a saved hash that changed or is gone has moved; a hash the saved run had no plan for
    # (a plan added since) is new, and moves nothing
    moved = sorted(k for k in saved if saved[k] != prints.get(k))
    new = sorted(prints.keys() - saved.keys())
    for key in moved:
        print(f"moved: {key}  {saved.get(key)} -> {prints.get(key)}")
    plans = sorted({key.split("/")[0] for key in new})
    print(
        f"{len(saved) - len(moved)} of {len(saved)} hashes unchanged"
        + (f"; {len(new)} new (plans {', '.join(plans)})" if new else "")
    )
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main())
