"""Arguments shared by the commands that take a scenario."""

from __future__ import annotations

import argparse

from adoption.config import Scenario, load_scenario


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
