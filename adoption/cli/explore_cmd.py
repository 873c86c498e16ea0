"""`adoption explore`: where each plan wins across sampled worlds, and which assumptions decide."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adoption.calibration.draws import posterior_forecast
from adoption.cli.common import (
    add_scenario_arguments,
    non_negative_int,
    plans_from,
    positive_int,
    scenario_from,
    sweep_executor,
)
from adoption.errors import InputError
from adoption.experiment.analysis import METHODS
from adoption.experiment.comparison import DEFAULT_RANK_BY
from adoption.experiment.explore import DEFAULT_METHOD, explore
from adoption.experiment.statistics import DEFAULT_TARGET
from adoption.outcomes import OUTCOMES

EXIT_SOME_RUNS_FAILED = 1


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explore",
        help="where each plan wins across sampled worlds, and which assumptions decide",
    )
    add_scenario_arguments(parser)
    parser.add_argument("--plans", help="comma-separated plan names (default: all)")
    parser.add_argument(
        "--samples",
        type=positive_int,
        default=10,
        help="Sobol base samples (worlds = N × (d+2)), Morris trajectories (N × (d+1)) "
        "or Latin hypercube worlds (default: 10)",
    )
    parser.add_argument(
        "--replications", type=positive_int, default=2, help="per plan and world (default: 2)"
    )
    parser.add_argument(
        "--method",
        choices=METHODS,
        help=f"sampling and sensitivity method (default: {DEFAULT_METHOD}; lhs with --posterior)",
    )
    parser.add_argument(
        "--posterior",
        type=Path,
        metavar="DIR",
        help="explore the remaining rollout over a calibration folder's joint posterior "
        "(--samples draws, whole particles; adoption calibrate)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, help="local processes (default: cores)")
    where.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler, tcp://host:port")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="exploration seed")
    parser.add_argument(
        "--target",
        default=DEFAULT_TARGET,
        help=f"METRIC>=VALUE (or <=, >, <), any numeric outcome (default: {DEFAULT_TARGET})",
    )
    parser.add_argument(
        "--rank-by",
        default=DEFAULT_RANK_BY,
        metavar="OUTCOME",
        help="outcome regret is measured in (default: npv), e.g. adoption_rate",
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="result store and report directory (resumable)"
    )
    parser.set_defaults(handler=_explore)


def _explore(args: argparse.Namespace) -> int:
    if args.posterior is not None:
        if args.scenario is not None:
            raise InputError("--posterior: give a calibration folder or a scenario, not both")
        args.method = args.method or "lhs"
        scenario, worlds = posterior_forecast(
            args.posterior, args.overrides, args.samples, args.seed
        )
    else:
        args.method = args.method or DEFAULT_METHOD
        scenario, worlds = scenario_from(args), None
    plans = plans_from(args)
    with sweep_executor(args) as (executor, on_run):
        exploration = explore(
            scenario,
            plans,
            samples=args.samples,
            replications=args.replications,
            method=args.method,
            seed=args.seed,
            executor=executor,
            out=args.out,
            target=args.target,
            rank_by=args.rank_by,
            worlds=worlds,
            on_run=on_run,
        )
    worlds = len(exploration.samples)
    runs = len(exploration.runs)
    print(
        f"{scenario.name}: {len(exploration.plans)} plans × {worlds} worlds ({args.method}) × "
        f"{args.replications} replications = {runs} runs"
        + (f" ({exploration.reused} reused from {args.out})" if exploration.reused else "")
    )
    print(f"robustness in {OUTCOMES[exploration.rank_by].label}")
    print(exploration.table())
    print()
    print(exploration.summary())
    print(
        f"\nwrote {args.out}/report.html, worlds.parquet, robustness.csv, sensitivity.csv, "
        "boxes.csv, voi.csv, figures"
    )
    for failure in exploration.failures:
        spec = failure.spec
        print(
            f"adoption: run failed: plan {spec.plan}, sample {spec.sample}, replication "
            f"{spec.replication}, seed {spec.seed}: {failure.error}",
            file=sys.stderr,
        )
    return EXIT_SOME_RUNS_FAILED if exploration.failures else 0
