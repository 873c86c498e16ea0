"""Arguments shared by the commands that take a scenario."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from adoption.config import Scenario, load_scenario
from adoption.errors import InputError
from adoption.experiment.comparison import DEFAULT_RANK_BY
from adoption.experiment.executors import DaskExecutor, Executor, PoolExecutor
from adoption.experiment.experiment_design import Design
from adoption.experiment.statistics import DEFAULT_TARGET


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """SCENARIO (optional: the bundled default) and repeated --set key.path=value."""
    parser.add_argument(
        "scenario",
        nargs="?",
        help="scenario YAML file (default: the bundled default scenario)",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override one scenario field, e.g. --set organisation.employees=20000 (repeatable)",
    )


def scenario_from(args: argparse.Namespace) -> Scenario:
    """The validated scenario the arguments name."""
    return load_scenario(args.scenario, args.overrides)


def non_negative_int(text: str) -> int:
    """argparse type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    value = non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("expected a number > 0, got 0")
    return value


def check_folder(path: Path, option: str) -> None:
    """Refuse, before any work, a folder argument that names a file (or lies under one)."""
    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                what = "is a file" if place == path else f"lies under the file '{place}'"
                raise InputError(f"{option} {path}: {what}, not a folder")
            return


def add_design_arguments(
    parser: argparse.ArgumentParser,
    experiment: str,
    *,
    replications: int,
    per: str,
    ranked: str | None = None,
    target: str = DEFAULT_TARGET,
    meeting: str = "any numeric outcome",
) -> None:
    """The arguments every experiment command takes for its `Design` but the worlds:
    --replications (default `replications`, counted `per`), --seed, --target (default
    `target`, described by `meeting`), and, where it ranks given plans, --plans and
    --rank-by (`ranked`: what the outcome is for); then --workers or --scheduler."""
    if ranked is not None:
        parser.add_argument("--plans", help="comma-separated plan names (default: all)")
    parser.add_argument(
        "--replications",
        type=positive_int,
        default=replications,
        help=f"{per} (default: {replications})",
    )
    parser.add_argument("--seed", type=non_negative_int, default=0, help=f"{experiment} seed")
    parser.add_argument(
        "--target",
        default=target,
        help=f"METRIC>=VALUE (or <=, >, <), {meeting} (default: {target})",
    )
    if ranked is not None:
        parser.add_argument(
            "--rank-by",
            default=DEFAULT_RANK_BY,
            metavar="OUTCOME",
            help=f"{ranked} (default: {DEFAULT_RANK_BY}), e.g. adoption_rate",
        )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, help="local processes (default: cores)")
    where.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler, tcp://host:port")


def design_from(
    args: argparse.Namespace, samples: int, worlds: pd.DataFrame | None = None
) -> Design:
    """The `Design` the arguments of `add_design_arguments` ask for, with its worlds:
    `samples` sampled, or the `worlds` given."""
    ranked = hasattr(args, "rank_by")
    return Design(
        plans=plans_from(args) if ranked else None,
        replications=args.replications,
        samples=samples,
        seed=args.seed,
        target=args.target,
        rank_by=args.rank_by if ranked else DEFAULT_RANK_BY,
        worlds=worlds,
    )


def plans_from(args: argparse.Namespace) -> list[str] | None:
    """The plans `--plans a,b,c` names (None: all the scenario's)."""
    if args.plans is None:
        return None
    plans = [p.strip() for p in args.plans.split(",") if p.strip()]
    if not plans:
        raise InputError(f"--plans {args.plans!r}: name at least one plan")
    return plans


@contextmanager
def sweep_executor(
    args: argparse.Namespace,
) -> Iterator[tuple[Executor, Callable[[int, int], None]]]:
    """The executor `--workers`/`--scheduler` asks for and a progress callback for a
    terminal; both are closed when the sweep ends, however it ends."""
    executor = DaskExecutor(args.scheduler) if args.scheduler else PoolExecutor(args.workers)
    progress = tqdm(
        desc="runs", unit="run", disable=not sys.stderr.isatty(), leave=False, smoothing=0.1
    )

    def on_run(done: int, total: int) -> None:
        progress.total = total
        progress.n = done
        progress.refresh()

    try:
        yield executor, on_run
    finally:
        progress.close()
        if isinstance(executor, DaskExecutor):
            executor.close()
