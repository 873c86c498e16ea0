"""Every command shown in the README and docs/ runs, in order, as a user would type it.

Console blocks (```console) hold `$ adoption ...` lines; the README's set-up block
holds the main command. Commands of one document run in one folder, in order, since
later ones may read what earlier ones wrote.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from tests.conftest import REPO

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def documented_commands(document) -> list[str]:
    return [
        line[2:]
        for block in CONSOLE_BLOCK.findall(document.read_text())
        for line in block.splitlines()
        if line.startswith("$ adoption ")
    ]


def setup_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text()
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", setup, re.S)]


def prepare(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "experiments").symlink_to(REPO / "experiments")


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_documented_commands_run(cli, document, tmp_path, monkeypatch):
    prepare(tmp_path, monkeypatch)
    for command in documented_commands(document):
        result = cli(*shlex.split(command)[1:])
        assert result.code == 0, f"{document.name}: {command}\n{result.err}"


def test_there_are_documented_commands():
    assert sum(len(documented_commands(d)) for d in DOCUMENTS) >= 10


def test_readme_setup_is_two_commands_and_ci_runs_the_same_tests():
    blocks = setup_blocks()
    assert len(blocks) == 2
    assert all(len(block.splitlines()) == 1 for block in blocks)
    assert blocks[1] in (REPO / ".ci" / "run").read_text()


@pytest.mark.slow
def test_readme_main_command_runs_on_the_default_scenario(cli, tmp_path, monkeypatch):
    prepare(tmp_path, monkeypatch)
    main_command = setup_blocks()[0].split("&&")[-1].strip()
    assert main_command.startswith(".venv/bin/adoption ")
    result = cli(*shlex.split(main_command)[1:])
    assert result.code == 0, result.err
    assert "6 plans × 1 sample(s) × 30 replications = 180 runs" in result.out
    assert (tmp_path / "out" / "compare" / "report.html").is_file()


def test_scenario_reference_is_current(cli):
    result = cli("scenario", "reference")
    assert result.code == 0
    assert (REPO / "docs" / "scenario-reference.md").read_text() == result.out, (
        "docs/scenario-reference.md is stale: adoption scenario reference > "
        "docs/scenario-reference.md"
    )


def test_documentation_site_builds_without_warnings(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "validation" / "index.html").is_file()
    # the API reference, generated from the docstrings, and the notebooks, rendered
    api = (tmp_path / "api" / "index.html").read_text()
    assert "adoption.compare" in api and "Run one plan of a scenario for one seed" in api
    assert (tmp_path / "notebooks" / "01-quickstart" / "index.html").is_file()


PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
CHECKS = {
    "README.md": (
        '\nassert result.metrics["adoption_rate"] >= 0\nassert len(comparison.runs) == 6 * 20'
    ),
}
"""What a document's snippets must have produced, checked after they ran."""


def python_documents() -> list:
    return [path for path in DOCUMENTS if PYTHON_BLOCK.search(path.read_text())]


@pytest.mark.slow
@pytest.mark.parametrize("document", python_documents(), ids=lambda path: path.name)
def test_python_snippets_run_as_a_plain_script(document, tmp_path):
    """Every Python snippet of a document, pasted in order into a plain file (no
    ``if __name__ == "__main__":`` guard) and run as a script, works: the pools'
    workers do not re-run the user's script."""
    (tmp_path / "experiments").symlink_to(REPO / "experiments")
    script = tmp_path / "snippets.py"
    code = "\n".join(PYTHON_BLOCK.findall(document.read_text()))
    script.write_text(code + CHECKS.get(document.name, "") + "\n")
    completed = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Traceback" not in completed.stderr


def test_there_are_python_snippets_to_run():
    assert {path.name for path in python_documents()} >= {"README.md", "explore.md"}
