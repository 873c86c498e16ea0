"""`adoption search`: search the plan template for the plan that pays best across worlds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adoption.calibration.forecast import posterior_scenario
from adoption.cli.common import (
    add_design_arguments,
    add_scenario_arguments,
    design_from,
    positive_int,
    scenario_from,
    sweep_executor,
)
from adoption.errors import InputError
from adoption.search.objectives import DEFAULT_OBJECTIVE, OBJECTIVES
from adoption.search.searching import DEFAULT_PROPOSER, DEFAULT_TARGET, PROPOSERS, search
from adoption.search.summary import verdict

EXIT_SOME_RUNS_FAILED = 1
SHOWN = ("plan", "origin", "npv", "npv_ci_low", "npv_ci_high", "optimism_gap", "runs_spent")
"""The leaderboard's columns printed on the terminal (leaderboard.csv has them all)."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "search", help="search the plan template for the plan that pays best across worlds"
    )
    add_scenario_arguments(parser)
    parser.add_argument(
        "--budget", type=positive_int, default=300, help="runs in all (default: 300)"
    )
    parser.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default=DEFAULT_OBJECTIVE,
        help=f"mean NPV, 10th-percentile NPV, share meeting the target and requirements, "
        f"or maximum regret (default: {DEFAULT_OBJECTIVE})",
    )
    parser.add_argument(
        "--require",
        action="append",
        default=[],
        metavar="METRIC<=VALUE",
        help="a requirement on a plan's mean, checked on fresh runs, e.g. "
        "abandonment_rate<=0.1 (repeatable)",
    )
    parser.add_argument(
        "--worlds", type=positive_int, default=8, help="sampled worlds (default: 8)"
    )
    parser.add_argument(
        "--posterior",
        type=Path,
        metavar="DIR",
        help="draw the worlds from a calibration folder's posterior (adoption calibrate)",
    )
    add_design_arguments(
        parser,
        "search",
        replications=2,
        per="seeds per world",
        target=DEFAULT_TARGET,
        meeting="what a run should meet, for satisfice",
    )
    parser.add_argument(
        "--proposer",
        choices=PROPOSERS,
        default=DEFAULT_PROPOSER,
        help="space-filling Halton points, or Optuna's TPE in fixed batches (needs "
        f"adoption[search]; default: {DEFAULT_PROPOSER})",
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="result store and report directory (resumable)"
    )
    parser.set_defaults(handler=_search)


def _search(args: argparse.Namespace) -> int:
    if args.posterior is not None:
        if args.scenario is not None:
            raise InputError("--posterior: give a calibration folder or a scenario, not both")
        scenario = posterior_scenario(args.posterior, args.overrides)
    else:
        scenario = scenario_from(args)
    design = design_from(args, args.worlds)
    with sweep_executor(args) as (executor, on_run):
        result = search(
            scenario,
            design,
            budget=args.budget,
            objective=args.objective,
            requirements=args.require,
            proposer=args.proposer,
            executor=executor,
            out=args.out,
            on_run=lambda spent: on_run(spent, args.budget),
        )
    print(
        f"{scenario.name}: {len(result.candidates)} candidates "
        f"({len(result.proposal.invalid)} invalid proposals cost no run) and "
        f"{len(result.incumbents)} incumbents on {args.worlds} worlds × {args.replications} "
        f"seeds; {result.runs_spent} of {args.budget} runs"
        + (f" ({result.reused} reused from {args.out})" if result.reused else "")
    )
    board = result.leaderboard()
    print(board[list(SHOWN)].to_string(index=False, float_format=lambda x: f"{x:,.0f}"))
    print(verdict(result))
    print(f"\nwrote {args.out}/report.html, leaderboard.csv, best-plan.yaml, trials.csv, figures")
    for failure in result.failures:
        spec = failure.spec
        print(
            f"adoption: run failed: plan {spec.plan}, sample {spec.sample}, replication "
            f"{spec.replication}, seed {spec.seed}: {failure.error}",
            file=sys.stderr,
        )
    return EXIT_SOME_RUNS_FAILED if result.failures else 0
