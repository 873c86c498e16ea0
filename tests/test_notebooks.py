"""The notebooks run top to bottom (they are committed without outputs)."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # each notebook runs end to end in a kernel

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_all_notebooks_are_there():
    assert [path.stem for path in NOTEBOOKS] == [
        "01-quickstart",
        "02-compare-rollouts",
        "03-your-organisation",
        "04-classic-models",
        "05-explore",
        "06-calibrate-pilot",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs(path):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    ).execute()
