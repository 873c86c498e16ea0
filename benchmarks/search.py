"""Wall time of a plan search on the default scenario.

    python benchmarks/search.py                                     # the target budget
    python benchmarks/search.py --budget 120 --employees 500 --workers 1 2

Target (issue 25): a 2,000-run search on the default scenario (5,000 people, two years,
8 worlds × 2 seeds) in at most 5 minutes on two cores, after the engine-speed issue.
Prints wall time, runs spent and time per run by worker count.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import print_reference, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=2000, help="runs (default 2,000)")
    parser.add_argument("--employees", type=int, help="organisation size (default: 5,000)")
    parser.add_argument("--worlds", type=int, default=8, help="worlds (default 8)")
    parser.add_argument("--replications", type=int, default=2, help="seeds (default 2)")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[2], help="worker counts to time (default 2)"
    )
    args = parser.parse_args()
    import adoption

    overrides = {"organisation.employees": args.employees} if args.employees else None
    rows = []
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            result = adoption.search(
                None,
                budget=args.budget,
                worlds=args.worlds,
                replications=args.replications,
                executor=adoption.PoolExecutor(workers),
                overrides=overrides,
                out=out,
            )
            wall = time.perf_counter() - start
        rows.append(
            {
                "workers": workers,
                "budget": f"{args.budget:,}",
                "runs": f"{result.runs_spent:,}",
                "candidates": f"{len(result.candidates)}",
                "wall": f"{wall:.1f}",
                "per": f"{1000 * wall / max(result.runs_spent, 1):.0f}",
            }
        )
    print_table(
        rows,
        [
            ("workers", "workers"),
            ("budget", "budget (runs)"),
            ("runs", "runs spent"),
            ("candidates", "candidates"),
            ("wall", "wall (s)"),
            ("per", "ms per run"),
        ],
    )
    print_reference()


if __name__ == "__main__":
    main()
