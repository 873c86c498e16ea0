"""Wall time of `adoption explore` on the default scenario, by method and worker count.

    python benchmarks/explore.py                                  # the full default sizes
    python benchmarks/explore.py --morris 2 --sobol 0 --replications 1 --workers 1 2
    python benchmarks/explore.py --employees 1000 --horizon 365   # a scaled-down world

Three plans (big-bang, pilot-10, phased) over the default scenario's 8 uncertainties:
Morris screening with `--morris` trajectories (worlds = N × 9; default 10, as
`adoption explore`) and Sobol with `--sobol` base samples (worlds = N × 10; default
16, the largest that fits the 10-minute target on two cores), `--replications` each
(default 2). Prints wall time, runs
per second and the analysis time (reading the stored runs, no model runs), so that a
bigger design can be extrapolated at the measured runs per second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import print_reference, print_table

PLANS = ["big-bang", "pilot-10", "phased"]


def sweep(method: str, samples: int, replications: int, workers: int, overrides: list[str]):
    import adoption

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        exploration = adoption.explore(
            None,
            PLANS,
            samples=samples,
            replications=replications,
            method=method,
            executor=adoption.PoolExecutor(workers),
            overrides=overrides,
            out=folder,
        )
        total = time.perf_counter() - start
        # the analysis alone: a re-run reuses every stored run
        start = time.perf_counter()
        adoption.explore(
            None,
            PLANS,
            samples=samples,
            replications=replications,
            method=method,
            executor=adoption.SerialExecutor(),
            overrides=overrides,
            out=folder,
        )
        analysis = time.perf_counter() - start
    return len(exploration.samples), len(exploration.runs), total, analysis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--morris", type=int, default=10, help="Morris trajectories (default 10; 0: skip)"
    )
    parser.add_argument(
        "--sobol", type=int, default=16, help="Sobol base samples (default 16; 0: skip)"
    )
    parser.add_argument(
        "--replications", type=int, default=2, help="runs per plan and world (default 2)"
    )
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[2], help="worker counts to time (default 2)"
    )
    parser.add_argument("--employees", type=int, help="headcount (default: the scenario's 5,000)")
    parser.add_argument("--horizon", type=int, help="horizon in days (default: the scenario's 730)")
    args = parser.parse_args()
    overrides = []
    if args.employees:
        overrides.append(f"organisation.employees={args.employees}")
    if args.horizon:
        overrides.append(f"horizon_days={args.horizon}")
    rows = []
    for method, samples in (("morris", args.morris), ("sobol", args.sobol)):
        if samples <= 0:
            continue
        for workers in args.workers:
            worlds, runs, seconds, analysis = sweep(
                method, samples, args.replications, workers, overrides
            )
            rows.append(
                {
                    "method": f"{method} N={samples}",
                    "worlds": worlds,
                    "runs": f"{runs:,}",
                    "workers": workers,
                    "seconds": f"{seconds:.1f}",
                    "runs_per_second": f"{runs / seconds:.2f}",
                    "analysis": f"{analysis:.1f}",
                }
            )
    print_table(
        rows,
        [
            ("method", "design"),
            ("worlds", "worlds"),
            ("runs", "runs"),
            ("workers", "workers"),
            ("seconds", "wall (s)"),
            ("runs_per_second", "runs/s"),
            ("analysis", "analysis only (s)"),
        ],
    )
    print_reference()


if __name__ == "__main__":
    main()
