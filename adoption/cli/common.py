"""Arguments shared by the commands that take a scenario."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from adoption.config import Scenario, load_scenario
from adoption.errors import InputError
from adoption.experiment.executors import DaskExecutor, Executor, PoolExecutor


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
