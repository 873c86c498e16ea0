"""Time of one warm default run: the default scenario (5,000 people, 730 days), one plan.

    python benchmarks/default_run.py                        # regional-pilot, 4 seeds × 3
    python benchmarks/default_run.py --plan big-bang --seeds 8
    python benchmarks/default_run.py --processes 9          # the median of nine processes

Target (issue 20): at most 0.15 s. Prints the best of `--repeats` rounds, each the mean
over `--seeds` seeds, as wall time and as this process's CPU time (steadier on a shared
machine, where wall time moves with the other jobs), and the reference workload timed
in the same run. One untimed run first loads the compiled kernels and builds the
organisation (reused by the timed runs, as a sweep's worker does). On the shared
machines one process's figure moves by a fifth from one process to the next, while its
rounds agree (docs/performance.md): `--processes N` measures in N processes one after
another and prints the median and range of their figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import measure_in_subprocess, print_reference, print_table


def measure(plan: str, seeds: int, repeats: int) -> dict:
    """One process's figures: the best round's mean wall and CPU time a run."""
    from adoption import build_organisation, load_scenario, simulate

    scenario = load_scenario()
    organisation = build_organisation(scenario.organisation)
    simulate(scenario, plan, seed=0, organisation=organisation)
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        for seed in range(1, seeds + 1):
            simulate(scenario, plan, seed=seed, organisation=organisation)
        wall.append((time.perf_counter() - started) / seeds)
        cpu.append((time.process_time() - started_cpu) / seeds)
    return {
        "employees": scenario.organisation.employees,
        "days": scenario.horizon_days,
        "wall": min(wall),
        "cpu": min(cpu),
    }


def in_processes(arguments: argparse.Namespace) -> list[dict]:
    """`measure` in `arguments.processes` fresh processes, one after another."""
    options = ["--plan", arguments.plan, "--seeds", str(arguments.seeds)]
    options += ["--repeats", str(arguments.repeats)]
    return [measure_in_subprocess(__file__, *options) for _ in range(arguments.processes)]


def spread(values: list[float]) -> str:
    """One figure, or the median and range of several."""
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="regional-pilot", help="plan to run")
    parser.add_argument("--seeds", type=int, default=4, help="runs a round (seeds 1..N)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds (the best is shown)")
    parser.add_argument("--processes", type=int, default=1, help="processes, one after another")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.plan, args.seeds, args.repeats)))
        return
    figures = (
        in_processes(args) if args.processes > 1 else [measure(args.plan, args.seeds, args.repeats)]
    )
    row = {
        "plan": args.plan,
        "people": f"{figures[0]['employees']:,}",
        "days": figures[0]["days"],
        "wall": spread([figure["wall"] for figure in figures]),
        "cpu": spread([figure["cpu"] for figure in figures]),
    }
    columns = [("plan", "plan"), ("people", "people"), ("days", "days")]
    columns += [("wall", "one run, wall (s)"), ("cpu", "one run, CPU (s)")]
    print_table([row], columns)
    rounds = f"best of {args.repeats} rounds of {args.seeds} runs"
    if args.processes > 1:
        print(f"({rounds} in each of {args.processes} processes: median (range))")
    else:
        print(f"({rounds})")
    print_reference()


if __name__ == "__main__":
    main()
