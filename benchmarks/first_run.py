"""Time of the first run after an install: the engine's kernels compiled, then cached.

    python benchmarks/first_run.py                  # regional-pilot, 2 rounds
    python benchmarks/first_run.py --rounds 3 --plan big-bang

Each round gives numba an empty cache folder (`NUMBA_CACHE_DIR`) and makes two fresh
processes one after the other, each importing `adoption` and making one default run:
the first compiles the kernels the run needs and caches them (what a user's first
command after an install waits for), the second loads them from that cache (what every
later process pays). Prints the first process's import time, both processes'
first-run times, and the reference workload timed in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import measure_in_subprocess, print_reference, print_table


def measure(plan: str) -> dict:
    """This process's import time and its first default run's time."""
    started = time.perf_counter()
    from adoption import load_scenario, simulate

    imported = time.perf_counter()
    simulate(load_scenario(), plan, seed=1)
    return {"import": imported - started, "run": time.perf_counter() - imported}


def in_fresh_process(plan: str, cache: str) -> dict:
    """`measure` in a new process whose numba cache is the folder `cache`."""
    environment = {**os.environ, "NUMBA_CACHE_DIR": cache}
    return measure_in_subprocess(__file__, "--plan", plan, environment=environment)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="regional-pilot", help="plan to run")
    parser.add_argument("--rounds", type=int, default=2, help="rounds, each with an empty cache")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.plan)))
        return
    rows = []
    for round_number in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
            compiling = in_fresh_process(args.plan, cache)
            cached = in_fresh_process(args.plan, cache)
        rows.append(
            {
                "round": round_number,
                "import": f"{compiling['import']:.1f}",
                "compiling": f"{compiling['run']:.1f}",
                "cached": f"{cached['run']:.2f}",
            }
        )
    columns = [("round", "round"), ("import", "import (s)")]
    columns += [("compiling", "first run, compiling (s)"), ("cached", "first run, cached (s)")]
    print_table(rows, columns)
    print(f"(plan {args.plan}; each round an empty numba cache, then the same cache again)")
    print_reference()


if __name__ == "__main__":
    main()
