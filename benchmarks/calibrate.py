"""Wall time of a calibration: 3 parameters on the example's 500-person, 12-week pilot;
with --coverage, the simulation-based check's coverage at another organisation size.

    python benchmarks/calibrate.py                                  # the target budget
    python benchmarks/calibrate.py --population 30 --generations 3 --workers 1 2
    python benchmarks/calibrate.py --coverage 400 --population 60 --generations 3

Target (issue 13): at most 10 minutes on two cores at the default budget (100
particles, 5 generations). Prints wall time, simulations and time per simulation by
worker count; a smaller budget scales by its number of simulations. --coverage N runs
tests/calibration/test_sharpness.py's simulation-based check (its 20 truths and seeds)
on its regional pilot with N people and prints how many 90% intervals held the truth.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # the tests' pilot scenario

from measure import print_reference, print_table

PILOT = Path(__file__).resolve().parents[1] / "experiments" / "pilot"
FIT = ["behaviour.try_per_year", "behaviour.lapse_per_year", "tool.production_accuracy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=100, help="particles (default 100)")
    parser.add_argument("--generations", type=int, default=5, help="generations (default 5)")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[2], help="worker counts to time (default 2)"
    )
    parser.add_argument(
        "--coverage", type=int, metavar="PEOPLE", help="the simulation-based check at this size"
    )
    args = parser.parse_args()
    if args.coverage:
        print_coverage(args.coverage, args.population, args.generations, args.workers[0])
        return
    import adoption

    rows = []
    for workers in args.workers:
        start = time.perf_counter()
        calibration = adoption.calibrate(
            PILOT / "scenario.yaml",
            PILOT / "telemetry.csv",
            FIT,
            population=args.population,
            generations=args.generations,
            workers=workers,
        )
        wall = time.perf_counter() - start
        simulations = int(calibration.generations["simulations"].sum()) + 50  # + predictive draws
        rows.append(
            {
                "workers": workers,
                "budget": f"{args.population} × {args.generations}",
                "simulations": f"{simulations:,}",
                "wall": f"{wall:.1f}",
                "per": f"{1000 * wall / simulations:.1f}",
            }
        )
    print_table(
        rows,
        [
            ("workers", "workers"),
            ("budget", "particles × generations"),
            ("simulations", "simulations"),
            ("wall", "wall (s)"),
            ("per", "ms per simulation"),
        ],
    )
    print_reference()


def print_coverage(employees: int, population: int, generations: int, workers: int) -> None:
    """The simulation-based check of tests/calibration/test_sharpness.py with `employees`
    people: intervals that held the truth, per parameter, and the misses."""
    from adoption.calibration.coverage import coverage_over_prior
    from adoption.config import load_scenario
    from tests.calibration.conftest import REGIONAL, REGIONAL_MEASURES

    organisation = {**REGIONAL["organisation"], "employees": employees}
    coverage = coverage_over_prior(
        load_scenario({**REGIONAL, "organisation": organisation}),
        "north-pilot",
        list(REGIONAL["uncertainties"]),
        measures=REGIONAL_MEASURES,
        predictive=1,
        workers=workers,
        population=population,
        generations=generations,
    )
    print(f"{employees} people, {population} × {generations}, {workers} worker(s): {coverage}")
    for miss in coverage.missed:
        print(
            f"  truth {miss.truth_index}: {miss.parameter} {miss.truth:.4g} outside "
            f"{miss.q05:.4g} to {miss.q95:.4g}"
        )
    print_reference()


if __name__ == "__main__":
    main()
