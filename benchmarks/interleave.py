"""Time a benchmark on a git revision and on the working tree, in turns, to compare speed.

    python benchmarks/interleave.py HEAD -- python benchmarks/default_run.py --repeats 3
    python benchmarks/interleave.py main~2 --rounds 5 -- python benchmarks/engine.py 100000

A change meant for speed is judged against the code before it on the same machine at
the same time: the machines are shared, and a figure measured an hour apart moves more
than most changes do (docs/performance.md has a first comparison of 3.1 against 2.3 s
that was the machine). The revision is checked out into a temporary git worktree; the
command runs in each tree with that tree's `adoption` first on the path, once untimed
to compile and cache each tree's kernels, then `--rounds` times each, alternating.
Every number in the last table row the command prints (the benchmarks' Markdown
tables) is compared: the median of each side, its range, and the working tree's change.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import print_table

REPO = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"^-?[\d,]*\.?\d+")


def last_row(output: str) -> list[str]:
    """The cells of the last Markdown table row in `output` (separator rows skipped)."""
    rows = [
        line
        for line in output.splitlines()
        if line.startswith("|") and not set(line) <= set("|-: ")
    ]
    if not rows:
        raise SystemExit(f"interleave: the command printed no table row:\n{output}")
    return [cell.strip() for cell in rows[-1].strip("|").split("|")]


def header(output: str) -> list[str]:
    """The cells of the first Markdown table row in `output` (its column names)."""
    for line in output.splitlines():
        if line.startswith("|"):
            return [cell.strip() for cell in line.strip("|").split("|")]
    return []


def number(cell: str) -> float | None:
    """The number a table cell starts with ("1,269", "15.9 M", "0.180"), or None."""
    found = NUMBER.match(cell)
    return float(found.group().replace(",", "")) if found else None


def run(command: list[str], tree: Path) -> str:
    """The command's output, run in `tree` with that tree's package first on the path."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(command, cwd=tree, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"interleave: {' '.join(command)} failed in {tree}:\n{done.stderr}")
    return done.stdout


def compare(revision: str, command: list[str], rounds: int) -> list[dict]:
    """Rows of the comparison table: each numeric column, each side's median and range."""
    with tempfile.TemporaryDirectory(prefix="interleave-") as folder:
        before = Path(folder) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(before), revision],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        try:
            trees = {revision: before, "working tree": REPO}
            for tree in trees.values():
                run(command, tree)  # compiles and caches that tree's kernels
            rows: dict[str, list[list[str]]] = {side: [] for side in trees}
            names: list[str] = []
            for _ in range(rounds):
                for side, tree in trees.items():
                    output = run(command, tree)
                    names = names or header(output)
                    rows[side].append(last_row(output))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(before)], cwd=REPO, check=False
            )
    table = []
    for column, name in enumerate(names):
        values = {side: [number(row[column]) for row in cells] for side, cells in rows.items()}
        if any(value is None for side in values.values() for value in side):
            continue
        old, new = (statistics.median(values[side]) for side in trees)
        table.append(
            {
                "column": name,
                "before": f"{old:g} ({min(values[revision]):g}-{max(values[revision]):g})",
                "after": f"{new:g} ({min(values['working tree']):g}-"
                f"{max(values['working tree']):g})",
                "change": f"{(new - old) / old:+.1%}" if old else "",
            }
        )
    return table


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        usage="python benchmarks/interleave.py REVISION [--rounds N] -- COMMAND...",
    )
    parser.add_argument("revision", help="the git revision to compare with (HEAD, main~2, ...)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each side")
    split = argv.index("--") if "--" in argv else len(argv)
    args, command = parser.parse_args(argv[:split]), argv[split + 1 :]
    if not command:
        parser.error("give the benchmark after --")
    table = compare(args.revision, command, args.rounds)
    columns = [
        ("column", "column"),
        ("before", f"{args.revision}: median (range)"),
        ("after", "working tree: median (range)"),
        ("change", "change"),
    ]
    print_table(table, columns)
    print(f"({args.rounds} rounds each, alternating: {' '.join(command)})")


if __name__ == "__main__":
    main(sys.argv[1:])
