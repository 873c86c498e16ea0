"""Every command shown in the README and docs/ runs (console blocks, `$ adoption ...`)."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import REPO

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def documented_commands() -> list[tuple[str, str]]:
    commands = []
    for document in DOCUMENTS:
        for block in CONSOLE_BLOCK.findall(document.read_text()):
            for line in block.splitlines():
                if line.startswith("$ adoption "):
                    commands.append((document.name, line[2:]))
    return commands


def test_there_are_documented_commands():
    assert len(documented_commands()) >= 5


@pytest.mark.parametrize(("document", "command"), documented_commands())
def test_documented_command_runs(cli, document, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "experiments").symlink_to(REPO / "experiments")
    # commands in a document may build on each other's outputs: run the earlier ones first
    for earlier_document, earlier in documented_commands():
        if (earlier_document, earlier) == (document, command):
            break
        if earlier_document == document:
            cli(*shlex.split(earlier)[1:])
    result = cli(*shlex.split(command)[1:])
    assert result.code == 0, f"{document}: {command}\n{result.err}"


def test_readme_setup_is_two_commands_and_ci_runs_the_same_tests():
    readme = (REPO / "README.md").read_text()
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", setup, re.S)
    assert len(blocks) == 2
    assert all(len(block.strip().splitlines()) == 1 for block in blocks)
    test_command = blocks[1].strip()
    assert test_command in (REPO / ".ci" / "run").read_text()
