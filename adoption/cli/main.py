"""Entry point of the `adoption` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from adoption.cli import compare_cmd, org_cmd, run_cmd, scenario_cmd
from adoption.errors import InputError

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="adoption",
        description="Simulate the rollout of an AI tool in an organisation and compare plans.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (compare_cmd, run_cmd, scenario_cmd, org_cmd):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; user errors print one line and return 2, never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"adoption: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        target = f" '{exc.filename}'" if exc.filename else ""
        print(f"adoption: error: {exc.strerror or exc}{target}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("adoption: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
