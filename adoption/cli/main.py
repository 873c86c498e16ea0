"""Entry point of the `adoption` command."""

from __future__ import annotations

import argparse
import io
import signal
import sys
import threading
from collections.abc import Sequence

from adoption.cli import (
    calibrate_cmd,
    compare_cmd,
    explore_cmd,
    org_cmd,
    run_cmd,
    scenario_cmd,
    search_cmd,
    workshop_cmd,
)
from adoption.errors import InputError, RunsFailed

EXIT_RUNS_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one `adoption: error:` line like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.removeprefix("adoption").strip()
        where = f"{command}: " if command else ""
        hint = f"adoption {command} --help" if command else "adoption --help"
        self.exit(EXIT_USAGE, f"adoption: error: {where}{one_line(message)} (see {hint})\n")


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = Parser(
        prog="adoption",
        description="Simulate the rollout of an AI tool in an organisation and compare plans.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (
        compare_cmd,
        explore_cmd,
        search_cmd,
        run_cmd,
        scenario_cmd,
        org_cmd,
        calibrate_cmd,
        workshop_cmd,
    ):
        module.register(commands)
    return parser


def one_line(message: object) -> str:
    """The message with line breaks and other control characters escaped: an error is
    one line whatever a file or argument it quotes contains."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(message))


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops like Ctrl-C: workers stopped, store consistent


def tolerate_any_terminal() -> None:
    """Print what a terminal's encoding cannot show as escapes (`\\xe9`), not a traceback:
    names and messages hold '×', '—' and whatever a file contained."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; user errors print one line and return 2, never a traceback.

    Exit codes: 0 ok, 1 runs failed (or a file could not be written, or memory ran
    out), 2 bad input, 130 interrupted (Ctrl-C or SIGTERM).
    """
    tolerate_any_terminal()
    args = build_parser().parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"adoption: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except RunsFailed as exc:
        print(f"adoption: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_RUNS_FAILED
    except OSError as exc:
        target = f" '{exc.filename}'" if exc.filename else ""
        print(f"adoption: error: {one_line(exc.strerror or exc)}{target}", file=sys.stderr)
        return EXIT_RUNS_FAILED
    except MemoryError:
        print(
            "adoption: error: out of memory: this machine cannot hold the work asked for "
            "(fewer employees, replications, samples or --workers)",
            file=sys.stderr,
        )
        return EXIT_RUNS_FAILED
    except KeyboardInterrupt:
        print("adoption: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
