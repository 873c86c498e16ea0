"""Time and peak memory of generating an organisation, by headcount.

    python benchmarks/organisation.py            # 1k, 10k, 100k, 1M
    python benchmarks/organisation.py 100000     # chosen sizes

Target (issue 2): 100,000 employees generate in under 10 s.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import measure_in_subprocess, peak_memory_mb, print_table

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


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(one(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or SIZES
    rows = [measure_in_subprocess(__file__, str(size)) for size in sizes]
    print_table(
        rows,
        [
            ("employees", "employees"),
            ("seconds", "generate (s)"),
            ("ties", "ties"),
            ("peak_mb", "peak memory (MB)"),
        ],
    )


if __name__ == "__main__":
    main(sys.argv[1:])
