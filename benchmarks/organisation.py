"""Time and peak memory of generating an organisation, by headcount.

    python benchmarks/organisation.py            # 1k, 10k, 100k, 1M
    python benchmarks/organisation.py 100000     # chosen sizes

Target (issue 2): 100,000 employees generate in under 10 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import by_headcount, peak_memory_mb

SIZES = [1_000, 10_000, 100_000, 1_000_000]


def one(employees: int) -> dict:
    from adoption.config import load_scenario
    from adoption.organisation import generate_organisation

    config = load_scenario(overrides={"organisation.employees": employees}).organisation
    start = time.perf_counter()
    org = generate_organisation(config)
    seconds = time.perf_counter() - start
    return {
        "employees": f"{employees:,}",
        "seconds": f"{seconds:.2f}",
        "ties": f"{org.adjacency.nnz // 2:,}",
        "peak_mb": f"{peak_memory_mb():.0f}",
    }


COLUMNS = [
    ("employees", "employees"),
    ("seconds", "generate (s)"),
    ("ties", "ties"),
    ("peak_mb", "peak memory (MB)"),
]


def main(argv: list[str]) -> None:
    by_headcount(__file__, argv, one, SIZES, COLUMNS)


if __name__ == "__main__":
    main(sys.argv[1:])
