"""The notebooks are committed with their outputs, show figures, stay small, and still
run top to bottom (`python experiments/notebooks.py` regenerates them)."""

from __future__ import annotations

import nbformat
import pytest

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
MAX_BYTES = 3_000_000
"""All the notebooks together, outputs included."""


def test_all_notebooks_are_there():
    assert [path.stem for path in NOTEBOOKS] == [
        "01-quickstart",
        "02-compare-rollouts",
        "03-your-organisation",
        "04-classic-models",
        "05-explore",
        "06-calibrate-pilot",
        "07-search",
    ]


def outputs(notebook) -> list:
    return [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_a_committed_notebook_shows_its_outputs_and_figures(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.outputs for cell in code), "a code cell was committed without its output"
    assert not [o for o in outputs(notebook) if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs(notebook)), "no figure"
    # no figure shown as its text description only
    for output in outputs(notebook):
        text = output.get("data", {}).get("text/plain", "")
        if text.startswith("<") and "Figure size" in text:
            assert "image/png" in output["data"], text


def test_the_notebooks_stay_small():
    assert sum(path.stat().st_size for path in NOTEBOOKS) <= MAX_BYTES


def test_the_quickstart_shows_something_happen():
    """People adopt, some abandon, and the lever moves abandonment by a visible amount."""
    notebook = nbformat.read(REPO / "notebooks" / "01-quickstart.ipynb", as_version=4)
    text = "".join(o.get("text", "") for o in outputs(notebook))
    assert "abandonment:" in text and "points lower" in text
    lower = float(text.split("(")[-1].split(" points lower")[0])
    assert lower >= 5.0


@pytest.mark.slow  # each notebook runs end to end in a kernel
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs(path):
    from experiments.notebooks import execute

    executed = execute(path)
    assert not [o for o in outputs(executed) if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs(executed))
