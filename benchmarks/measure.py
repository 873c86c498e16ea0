"""Run one measurement in a fresh process and report its wall time and peak memory.

Each size runs in its own interpreter so that peak resident memory (ru_maxrss) is
that size's alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable


def measure_in_subprocess(script: str, *args: str, environment: dict | None = None) -> dict:
    """Run `python SCRIPT --one ARGS...` (in `environment`, else this one's); the script
    prints one JSON object last."""
    completed = subprocess.run(
        [sys.executable, script, "--one", *args],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def reference_seconds() -> float:
    """Seconds a fixed workload takes on this machine now (the best of three).

    The machines are shared and their speed moves with load: printed beside a
    benchmark's figures, this says how busy the machine was. The workload mixes what
    a run does: NumPy passes over a million numbers and an interpreted loop.
    """
    import time

    import numpy as np

    values = np.random.default_rng(0).random(1_000_000)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(20):
            np.sort(values)
        total = 0
        for number in range(2_000_000):
            total += number & 7
        best = min(best, time.perf_counter() - start)
    return best


def print_reference() -> None:
    """Print the machine's reference time (see `reference_seconds`)."""
    print(f"reference workload: {reference_seconds():.2f} s (lower is a quieter machine)")


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(rows: list[dict], columns: list[tuple[str, str]]) -> None:
    """Print rows as a Markdown table (paste straight into docs/performance.md)."""
    print("| " + " | ".join(title for _, title in columns) + " |")
    print("|" + "|".join("---:" for _ in columns) + "|")
    for row in rows:
        print("| " + " | ".join(str(row[key]) for key, _ in columns) + " |")


def by_headcount(
    script: str,
    argv: list[str],
    one: Callable[[int], dict],
    default_sizes: list[int],
    columns: list[tuple[str, str]],
) -> None:
    """The shared main of the per-headcount benchmarks.

    `script --one N` measures size N in this process and prints its row as JSON;
    otherwise every size (argv, or the defaults) runs in a fresh subprocess and the
    rows are printed as a table.
    """
    if argv[:1] in (["-h"], ["--help"]):
        print(sys.modules["__main__"].__doc__)
        return
    if argv[:1] == ["--one"]:
        print(json.dumps(one(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or default_sizes
    print_table([measure_in_subprocess(script, str(size)) for size in sizes], columns)
    print_reference()
