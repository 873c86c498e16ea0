"""Time and peak memory of one 365-day run, by headcount.

    python benchmarks/engine.py                 # 1k, 5k, 10k, 100k, 1M
    python benchmarks/engine.py 5000 100000     # chosen sizes

Targets (issue 20), single process on the 2-core machines: 100,000 people at 25 M
person-days a second or more and at most 1 GB; 1,000,000 people at most 40 s and 4 GB
(issue 3 asked 7 s and 120 s). Times include building the organisation; the plan is big-bang
(everyone at once: the heaviest load), with capacity, trainers and support agents
scaled with headcount so that a large organisation behaves like the default one
instead of collapsing under a desk sized for 5,000 people. A two-day run on a tiny
organisation goes first, untimed: it loads the compiled kernels, which every process
does once (`first_call` is that one-off cost, in seconds).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import by_headcount, peak_memory_mb

SIZES = [1_000, 5_000, 10_000, 100_000, 1_000_000]
DAYS = 365


def one(employees: int) -> dict:
    from adoption import load_scenario, simulate

    start = time.perf_counter()
    simulate(load_scenario(overrides={"organisation.employees": 50}), "big-bang", days=2)
    first_call = time.perf_counter() - start
    scale = employees / 5000
    scenario = load_scenario(
        overrides={
            "organisation.employees": employees,
            "tool.infrastructure.capacity_requests_per_second": 0.4 * scale,
            "tool.infrastructure.max_capacity_requests_per_second": 100 * scale,
            "change_management.training.trainers": max(1, round(3 * scale)),
            "change_management.support.agents": max(1, round(3 * scale)),
        }
    )
    start = time.perf_counter()
    result = simulate(scenario, "big-bang", seed=1, days=DAYS)
    seconds = time.perf_counter() - start
    return {
        "employees": f"{employees:,}",
        "seconds": f"{seconds:.2f}",
        "person_days_per_second": f"{employees * DAYS / seconds / 1e6:.1f} M",
        "peak_mb": f"{peak_memory_mb():.0f}",
        "adoption": f"{result.metrics['adoption_rate']:.3f}",
        "first_call": f"{first_call:.2f}",
    }


COLUMNS = [
    ("employees", "employees"),
    ("seconds", "run (s)"),
    ("person_days_per_second", "person-days/s"),
    ("peak_mb", "peak memory (MB)"),
    ("adoption", "adoption at day 365"),
    ("first_call", "first call (s)"),
]


def main(argv: list[str]) -> None:
    by_headcount(__file__, argv, one, SIZES, COLUMNS)


if __name__ == "__main__":
    main(sys.argv[1:])
