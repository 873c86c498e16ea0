"""Shared fixtures: small scenarios and a way to run the CLI in-process."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from adoption.cli.main import main

REPO = Path(__file__).resolve().parents[1]


def interruptible() -> None:
    """`preexec_fn` of a command a test interrupts with SIGINT: Ctrl-C's default action,
    whatever the test run inherited (a shell starts background jobs with SIGINT ignored,
    and a command started with it ignored rightly keeps ignoring it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run `adoption ARGS...` in-process; returns exit code, stdout and stderr."""

    def run(*args: str) -> CliResult:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_console(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real `adoption` entry point in a subprocess (for exit codes and tracebacks)."""
    return subprocess.run(
        [sys.executable, "-m", "adoption", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def assert_clean_error(result, *fragments: str) -> None:
    """Exit code 2, one readable message containing `fragments`, no traceback."""
    code = getattr(result, "code", getattr(result, "returncode", None))
    err = getattr(result, "err", getattr(result, "stderr", ""))
    assert code == 2, (code, err)
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
