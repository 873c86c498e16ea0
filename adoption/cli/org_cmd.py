"""`adoption org generate|inspect`: make, load and look at organisations."""

from __future__ import annotations

import argparse
from pathlib import Path

from adoption.cli.common import (
    add_scenario_arguments,
    check_folder,
    non_negative_int,
    scenario_from,
)
from adoption.config import load_scenario
from adoption.errors import InputError
from adoption.organisation import (
    Organisation,
    build_organisation,
    load_org_chart,
    write_organisation,
)
from adoption.organisation.plot import plot_organisation, plot_path
from adoption.organisation.stats import describe


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("org", help="generate, load and inspect organisations")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    generate = actions.add_parser("generate", help="write org.csv and edges.csv")
    add_scenario_arguments(generate)
    generate.add_argument("--seed", type=non_negative_int, help="organisation seed")
    generate.add_argument("--out", required=True, type=Path, help="directory to write into")
    generate.set_defaults(handler=_generate)

    inspect = actions.add_parser("inspect", help="headcounts, teams and network statistics")
    inspect.add_argument(
        "source", nargs="?", help="scenario YAML or org chart CSV (default: the default scenario)"
    )
    inspect.add_argument("--edges", type=Path, help="collaboration edge list, with an org chart")
    inspect.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override one scenario field",
    )
    inspect.add_argument("--seed", type=non_negative_int, help="organisation seed")
    inspect.add_argument("--plot", type=Path, metavar="FILE", help="draw the network to FILE")
    inspect.set_defaults(handler=_inspect)


def _generate(args: argparse.Namespace) -> int:
    check_folder(args.out, "--out")
    org = build_organisation(scenario_from(args).organisation, args.seed)
    chart, edges = write_organisation(org, args.out)
    print(f"wrote {chart} ({org.size:,} people) and {edges} ({org.adjacency.nnz // 2:,} ties)")
    return 0


def _organisation(args: argparse.Namespace) -> Organisation:
    if args.source and args.source.lower().endswith(".csv"):
        config = load_scenario(None, args.overrides).organisation
        return load_org_chart(args.source, config, args.edges, args.seed)
    if args.edges:
        raise InputError("--edges goes with an org chart CSV, not a scenario")
    return build_organisation(load_scenario(args.source, args.overrides).organisation, args.seed)


def _inspect(args: argparse.Namespace) -> int:
    plot = plot_path(args.plot) if args.plot else None
    org = _organisation(args)
    print(describe(org))
    if plot:
        print(f"\nwrote {plot_organisation(org, plot)}")
    return 0
