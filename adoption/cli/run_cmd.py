"""`adoption run`: one plan, one seed, with a readable summary and optional files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from adoption.cli.common import (
    add_scenario_arguments,
    non_negative_int,
    positive_int,
    scenario_from,
)
from adoption.config.scenario import check_days
from adoption.errors import InputError
from adoption.output import write_run
from adoption.simulate import simulate


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("run", help="simulate one rollout plan and summarise it")
    add_scenario_arguments(parser)
    parser.add_argument("--plan", help="plan name (default: the scenario's first plan)")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="random seed")
    parser.add_argument("--days", type=positive_int, help="simulated days (default: horizon)")
    parser.add_argument("--out", type=Path, help="write timeseries, metrics, events and a plot")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    scenario = scenario_from(args)
    if args.plan is not None and args.plan not in scenario.plans:
        raise InputError(
            f"--plan: unknown plan '{args.plan}' (the scenario has: {', '.join(scenario.plans)})"
        )
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise InputError(f"--out: '{args.out}' exists and is not a directory")
    days = check_days(scenario, args.days)
    with tqdm(
        total=round(days / scenario.step_days),
        desc=f"plan {args.plan or next(iter(scenario.plans))}",
        unit="day",
        disable=not sys.stderr.isatty(),
        leave=False,
    ) as progress:
        result = simulate(
            scenario, args.plan, seed=args.seed, days=args.days, on_step=lambda _: progress.update()
        )
    print(result.summary())
    if args.out is not None:
        written = write_run(result, args.out)
        print("\nwrote " + ", ".join(str(path) for path in written))
    return 0
