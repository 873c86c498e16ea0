"""`adoption compare`: rank rollout plans with intervals, over replications and samples."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adoption.calibration.draws import posterior_forecast
from adoption.calibration.forecast import decide, posterior_diagnostics
from adoption.cli.common import (
    add_design_arguments,
    add_scenario_arguments,
    design_from,
    positive_int,
    scenario_from,
    sweep_executor,
)
from adoption.errors import InputError
from adoption.experiment.compare import compare
from adoption.experiment.decision_value import (
    MORE_WEEKS,
    can_value,
    check_weeks,
    decision_value,
    pilot_days,
)
from adoption.experiment.explain import explanation_table
from adoption.experiment.statistics import few_runs_warning
from adoption.experiment.switches import check_request, find_switches

EXIT_SOME_RUNS_FAILED = 1
POSTERIOR_SAMPLES = 20
"""Posterior draws a forecast compares the plans over, unless --samples says."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "compare", help="compare rollout plans over replications and uncertainties"
    )
    add_scenario_arguments(parser)
    add_design_arguments(
        parser,
        "comparison",
        replications=30,
        per="per plan",
        ranked="outcome the plans are ranked by",
    )
    parser.add_argument(
        "--samples",
        type=positive_int,
        help="uncertainty samples (default: 1; 20 posterior draws with --posterior)",
    )
    parser.add_argument(
        "--posterior",
        type=Path,
        metavar="DIR",
        help="forecast the remaining rollout from a calibration folder (adoption calibrate)",
    )
    parser.add_argument("--baseline", help="plan the others are paired against (default: first)")
    parser.add_argument(
        "--more-weeks",
        type=positive_int,
        metavar="N",
        help=f"with --posterior: the weeks of further telemetry whose value (EVSI) is "
        f"reported (1 to {MORE_WEEKS}; default {MORE_WEEKS}, what extending the pilot shows)",
    )
    parser.add_argument(
        "--switches",
        nargs="?",
        const="",
        metavar="FIELD,FIELD",
        help="what would change the answer: for each uncertainty and listed assumption (or "
        "the fields named), the value in its plausible range where the top two plans swap",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help=(
            "split each plan's NPV difference against the baseline into its parts by paired "
            "counterfactual runs (about three times the runs; why.csv with --out)"
        ),
    )
    parser.add_argument("--out", type=Path, help="result store and report directory (resumable)")
    parser.set_defaults(handler=_compare)


def switch_fields(text: str | None) -> list[str] | None:
    """The fields `--switches a,b` names (None: every uncertainty and listed assumption)."""
    if not text:
        return None
    return [name.strip() for name in text.split(",") if name.strip()] or None


def _compare(args: argparse.Namespace) -> int:
    if args.more_weeks is not None:
        if args.posterior is None:
            raise InputError("--more-weeks values further telemetry: give --posterior DIR")
        check_weeks(args.more_weeks)
    if args.switches is not None and args.posterior is not None:
        raise InputError("--switches varies the scenario as written: not with --posterior")
    if args.posterior is not None:
        if args.scenario is not None:
            raise InputError("--posterior: give a calibration folder or a scenario, not both")
        args.samples = args.samples or POSTERIOR_SAMPLES
        scenario, worlds = posterior_forecast(
            args.posterior, args.overrides, args.samples, args.seed
        )
    else:
        scenario, worlds = scenario_from(args), None
        args.samples = args.samples or 1
    design = design_from(args, args.samples, worlds)
    fields = switch_fields(args.switches)
    if args.switches is not None:
        count = len(design.plans) if design.plans is not None else len(scenario.plans)
        check_request(scenario, count, design.replications, design.samples, fields)
    with sweep_executor(args) as (executor, on_run):
        comparison = compare(
            scenario,
            design,
            baseline=args.baseline,
            explain=args.explain,
            executor=executor,
            out=args.out,
            on_run=on_run,
        )
        switches = (
            find_switches(comparison, fields, executor, on_run)
            if args.switches is not None
            else None
        )
        value = None
        if args.posterior is not None and can_value(comparison.plans):
            days = pilot_days(posterior_diagnostics(args.posterior), args.posterior)
            weeks = args.more_weeks or MORE_WEEKS
            value = decision_value(comparison, days, weeks, executor, on_run)
    runs = len(comparison.runs)
    print(
        f"{scenario.name}: {len(comparison.plans)} plans × {args.samples} sample(s) × "
        f"{args.replications} replications = {runs} runs"
        + (f" ({comparison.reused} reused from {args.out})" if comparison.reused else "")
    )
    print(f"ranked by {comparison.rank_by}")
    print(comparison.table())
    print(comparison.lead())
    caveat = few_runs_warning(args.replications * args.samples)
    if caveat:
        print(caveat, file=sys.stderr)
    if args.posterior is not None:
        print(decide(comparison).text())
        print(
            value.text()
            if value is not None
            else "the decision's value needs the proceed (or next-region) and extend-pilot plans"
        )
    if comparison.why is not None:
        print(explanation_table(comparison))
    if switches is not None:
        print(switches.text())
        if args.out is not None:
            switches.write(args.out)
    if args.out is not None:
        extra = ", why.csv" if comparison.why is not None else ""
        extra += ", switches.csv, switches.png" if switches is not None else ""
        print(
            f"\nwrote {args.out}/report.html, runs.parquet, summary.csv, paired.csv, figures{extra}"
        )
    for failure in comparison.failures:
        spec = failure.spec
        print(
            f"adoption: run failed: plan {spec.plan}, sample {spec.sample}, replication "
            f"{spec.replication}, seed {spec.seed}: {failure.error}",
            file=sys.stderr,
        )
    return EXIT_SOME_RUNS_FAILED if comparison.failures else 0
