"""`adoption scenario schema|reference|show`: what a scenario may contain, what it means
and what one resolves to."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from adoption.cli.common import add_scenario_arguments, scenario_from
from adoption.config import Scenario, scenario_yaml
from adoption.config.reference import scenario_reference, update_docs
from adoption.config.sizing import derived_sizes
from adoption.errors import InputError


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("scenario", help="inspect the scenario format")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    schema = actions.add_parser("schema", help="print the scenario JSON Schema")
    schema.set_defaults(handler=_schema)
    reference = actions.add_parser("reference", help="print the scenario reference (Markdown)")
    reference.add_argument(
        "--update",
        metavar="DOCS",
        type=Path,
        help="instead, rewrite DOCS/scenario-reference.md and the parameter tables of "
        "DOCS/model.md (between their markers) from the schema",
    )
    reference.set_defaults(handler=_reference)
    show = actions.add_parser("show", help="print the fully resolved scenario, defaults included")
    add_scenario_arguments(show)
    show.set_defaults(handler=_show)


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Scenario.model_json_schema(), indent=2))
    return 0


def _reference(args: argparse.Namespace) -> int:
    if args.update is None:
        print(scenario_reference(), end="")
        return 0
    if not (args.update / "model.md").is_file():
        raise InputError(f"--update {args.update}: no model.md there (give the docs folder)")
    try:
        written = update_docs(args.update)
    except ValueError as exc:
        raise InputError(f"--update {args.update / 'model.md'}: {exc}") from None
    for path in written:
        print(f"wrote {path}")
    return 0


def _show(args: argparse.Namespace) -> int:
    scenario = scenario_from(args)
    print(scenario_yaml(scenario), end="")
    print(sizes_comment(scenario), end="")
    return 0


def sizes_comment(scenario: Scenario) -> str:
    """YAML comment lines: the sizes a run derives for the teams the scenario leaves
    unset (null above), for its headcount."""
    from adoption.organisation import headcount_of

    headcount = headcount_of(scenario)
    derived = derived_sizes(scenario, headcount)
    if not derived:
        return ""
    lines = [
        f"# Sized to the organisation ({headcount:,} people; docs/model.md, 'Teams sized to "
        "the organisation'): a run uses"
    ]
    lines += [f"#   {path}: {value:,.6g}" for path, value in derived.items()]
    return "\n".join(lines) + "\n"
