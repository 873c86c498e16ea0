"""Run every notebook top to bottom and save it with its outputs.

    python experiments/notebooks.py                 # all of notebooks/
    python experiments/notebooks.py 01-quickstart   # chosen ones

The notebooks are committed with their outputs (figures as PNG), so that a reader on a
code host sees what each shows; this regenerates them after the model changes. Each
runs in a fresh kernel from the notebooks folder, as a reader's would.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(path: Path) -> nbformat.NotebookNode:
    """The notebook at `path`, run in a fresh kernel, with its outputs."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    )
    client.execute()
    notebook.metadata.pop("widgets", None)
    return notebook


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help="notebooks to run, by name without .ipynb (default: all)"
    )
    args = parser.parse_args()
    paths = [NOTEBOOKS / f"{name}.ipynb" for name in args.names] or sorted(
        NOTEBOOKS.glob("*.ipynb")
    )
    for path in paths:
        nbformat.write(execute(path), path)
        print(f"{path.name}: {path.stat().st_size / 1e3:,.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
