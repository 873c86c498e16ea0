"""`adoption calibrate`: fit scenario parameters to a pilot's telemetry (ABC-SMC)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adoption.calibration import calibrate
from adoption.cli.common import (
    add_scenario_arguments,
    non_negative_int,
    positive_int,
    scenario_from,
)
from adoption.experiment.executors import DaskExecutor


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "calibrate", help="fit scenario parameters to a pilot's telemetry (ABC-SMC)"
    )
    add_scenario_arguments(parser)
    parser.add_argument(
        "--telemetry", required=True, type=Path, help="the pilot's telemetry (CSV or Parquet)"
    )
    parser.add_argument(
        "--fit",
        required=True,
        metavar="PATH,...",
        help="comma-separated scenario fields to fit; each needs a prior in 'uncertainties'",
    )
    parser.add_argument("--plan", help="the plan the pilot ran (default: the scenario's first)")
    parser.add_argument("--start", help="the pilot's first day (YYYY-MM-DD), for dated rows")
    parser.add_argument("--population", type=positive_int, default=100, help="particles")
    parser.add_argument("--generations", type=positive_int, default=5, help="ABC-SMC rounds")
    parser.add_argument(
        "--draws", type=positive_int, default=50, help="posterior draws of the predictive check"
    )
    parser.add_argument(
        "--no-adjustment",
        dest="adjust",
        action="store_false",
        help="keep the last population as accepted (no regression adjustment)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, default=1, help="local processes")
    where.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler, tcp://host:port")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="calibration seed")
    parser.add_argument("--out", type=Path, required=True, help="folder for the results")
    parser.set_defaults(handler=_calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    scenario = scenario_from(args)

    def on_generation(t: int, epsilon: float, rate: float) -> None:
        if sys.stderr.isatty():
            print(f"generation {t}: epsilon {epsilon:.3g}, acceptance {rate:.2f}", file=sys.stderr)

    executor = DaskExecutor(args.scheduler) if args.scheduler else None
    try:
        calibration = calibrate(
            scenario,
            args.telemetry,
            args.fit,
            args.out,
            plan=args.plan,
            population=args.population,
            generations=args.generations,
            predictive=args.draws,
            workers=args.workers,
            seed=args.seed,
            start=args.start,
            adjust=args.adjust,
            executor=executor,
            on_generation=on_generation,
        )
    finally:
        if executor is not None:
            executor.close()
    print(f"{scenario.name}: calibrated to {args.telemetry} (pilot plan {calibration.plan})")
    print(calibration.table())
    print(
        f"\nwrote {args.out}/posterior.parquet, summary.csv, diagnostics.json, "
        "predictive.csv, predictive.png, calibrated.yaml"
    )
    print(f"forecast: adoption compare --posterior {args.out}")
    return 0
