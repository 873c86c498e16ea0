"""`adoption explore`: where each plan wins across sampled worlds, and which assumptions decide."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adoption.calibration.draws import posterior_forecast
from adoption.cli.common import (
    add_design_arguments,
    add_scenario_arguments,
    design_from,
    positive_int,
    scenario_from,
    sweep_executor,
)
from adoption.errors import InputError
from adoption.experiment.analysis import METHODS
from adoption.experiment.explore import DEFAULT_METHOD, explore
from adoption.outcomes import OUTCOMES

EXIT_SOME_RUNS_FAILED = 1


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explore",
        help="where each plan wins across sampled worlds, and which assumptions decide",
    )
    add_scenario_arguments(parser)
    add_design_arguments(
        parser,
        "exploration",
        replications=2,
        per="per plan and world",
        ranked="outcome regret is measured in",
    )
    parser.add_argument(
        "--samples",
        type=positive_int,
        default=10,
        help="Sobol base samples (worlds = N × (d+2)), Morris trajectories (N × (d+1)) "
        "or Latin hypercube worlds (default: 10)",
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
    design = design_from(args, args.samples, worlds)
    with sweep_executor(args) as (executor, on_run):
        exploration = explore(
            scenario, design, method=args.method, executor=executor, out=args.out, on_run=on_run
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
