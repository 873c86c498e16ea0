"""Time of one warm default run: the default scenario (5,000 people, 730 days), one plan.

    python benchmarks/default_run.py                        # regional-pilot, 4 seeds × 3
    python benchmarks/default_run.py --plan big-bang --seeds 8

Target (issue 20): at most 0.15 s. Prints the best of `--repeats` rounds, each the mean
over `--seeds` seeds, as wall time and as this process's CPU time (steadier on a shared
machine, where wall time moves with the other jobs), and the reference workload timed
in the same run. One untimed run first loads the compiled kernels and builds the
organisation (reused by the timed runs, as a sweep's worker does).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import print_reference, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="regional-pilot", help="plan to run")
    parser.add_argument("--seeds", type=int, default=4, help="runs a round (seeds 1..N)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds (the best is shown)")
    args = parser.parse_args()

    from adoption import build_organisation, load_scenario, simulate

    scenario = load_scenario()
    organisation = build_organisation(scenario.organisation)
    simulate(scenario, args.plan, seed=0, organisation=organisation)
    wall, cpu = [], []
    for _ in range(args.repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        for seed in range(1, args.seeds + 1):
            simulate(scenario, args.plan, seed=seed, organisation=organisation)
        wall.append((time.perf_counter() - started) / args.seeds)
        cpu.append((time.process_time() - started_cpu) / args.seeds)
    row = {
        "plan": args.plan,
        "people": f"{scenario.organisation.employees:,}",
        "days": scenario.horizon_days,
        "wall": f"{min(wall):.3f}",
        "cpu": f"{min(cpu):.3f}",
    }
    columns = [("plan", "plan"), ("people", "people"), ("days", "days")]
    columns += [("wall", "one run, wall (s)"), ("cpu", "one run, CPU (s)")]
    print_table([row], columns)
    print(f"(best of {args.repeats} rounds of {args.seeds} runs)")
    print_reference()


if __name__ == "__main__":
    main()
