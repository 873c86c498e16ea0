"""Every script a user runs says what it does and describes each option in `--help`."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import REPO

SCRIPTS = sorted(
    path
    for folder in ("experiments", "benchmarks")
    for path in (REPO / folder).glob("*.py")
    if path.name != "measure.py"  # a library the benchmarks share
)
OPTION = re.compile(r"^  (-\w, )?--[\w-]+")

pytestmark = pytest.mark.slow  # an interpreter per script, some importing the package


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_help_describes_the_script_and_every_option(script):
    completed = subprocess.run(
        [sys.executable, str(script), "--help"], cwd=REPO, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert any(len(line.split()) >= 4 for line in lines), "no description"
    for index, line in enumerate(lines):
        if not OPTION.match(line) or line.strip().startswith(("-h, --help", "--help")):
            continue
        described = len(line.strip()) > 0 and re.search(r"\s{2,}\S", line.strip())
        following = index + 1 < len(lines) and lines[index + 1].startswith(" " * 8)
        assert described or following, f"{script.name}: option without a description: {line}"
