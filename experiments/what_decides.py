"""What decides the plan: the winner and the top two's paired gap, one assumption at a time.

    python experiments/what_decides.py                  # docs/validation.md's table
    python experiments/what_decides.py --replications 2 --employees 500   # a quick look

For each assumption that flipped the default world's winner before (issue 19), every
plan of the default scenario runs at each of its values on the same seeds (common
random numbers), everything else as bundled. Prints, per value, the plan with the
highest mean NPV, the runner-up, and the paired NPV difference of the two with its 95%
interval: where the interval includes zero the two are a tie on this evidence.
"""

from __future__ import annotations

import argparse
import sys

import adoption
from adoption.experiment.statistics import t_interval

REGIONS = ("North", "South", "East", "West")
BEST_REGION = {
    region: {name: (0.04 if name == region else -0.04 / 3) for name in REGIONS}
    for region in REGIONS
}
"""The default offsets' spread (8 points) with one region 4 points up and the other
three sharing the rest, so that the mean production accuracy stays 70%."""

ASSUMPTIONS: dict[str, list[tuple[str, dict]]] = {
    "licence assignment": [
        ("with access", {"economics.licences.assign": "access"}),
        ("at first use", {"economics.licences.assign": "first_use"}),
    ],
    "licence price a seat-day": [
        (f"{price:g}", {"economics.licences.price_per_seat_day": price}) for price in (0, 1, 2)
    ],
    "try and reject a year": [
        (f"{pace:g}", {"behaviour.try_per_year": pace, "behaviour.reject_per_year": pace})
        for pace in (3, 6, 12)
    ],
    "horizon": [(f"{years} year(s)", {"horizon_days": 365 * years}) for years in (1, 2, 3)],
    "cost of a wrong use": [
        (f"{cost:g}", {"economics.cost_per_wrong_use": cost}) for cost in (2.5, 4.5, 7)
    ],
    "region with the best data": [
        (region, {"tool.region_accuracy_offset": offsets})
        for region, offsets in BEST_REGION.items()
    ],
    "pipeline build (engineer-days)": [
        (f"{days:g}", {"tool.pipeline.build_engineer_days": days}) for days in (0, 360, 720)
    ],
    "campaign awareness a year": [
        (f"{rate:g}", {"change_management.communications.campaign_awareness_per_year": rate})
        for rate in (20, 40, 80)
    ],
}


def decide(overrides: dict, replications: int, workers: int) -> dict:
    """The winner, the runner-up and their paired NPV difference under `overrides`."""
    comparison = adoption.compare(
        None,
        replications=replications,
        overrides=overrides,
        executor=adoption.PoolExecutor(workers),
    )
    npv = comparison.runs.pivot_table(index="replication", columns="plan", values="npv")
    first, second = npv.mean().sort_values(ascending=False).index[:2]
    mean, _, low, high, _ = t_interval((npv[first] - npv[second]).to_numpy())
    return {"winner": first, "runner_up": second, "gap": mean, "low": low, "high": high}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--replications", type=int, default=6, help="paired seeds per plan and value (default 6)"
    )
    parser.add_argument(
        "--employees", type=int, default=None, help="headcount (default: the scenario's 5,000)"
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--only", default=None, help="run only the assumption whose name contains this text"
    )
    args = parser.parse_args()
    base = {} if args.employees is None else {"organisation.employees": args.employees}
    print("| assumption | value | winner | runner-up | paired NPV gap (95% CI) |")
    print("|---|---|---|---|---|")
    for name, values in ASSUMPTIONS.items():
        if args.only and args.only not in name:
            continue
        for label, overrides in values:
            found = decide({**base, **overrides}, args.replications, args.workers)
            tie = " (a tie)" if found["low"] <= 0 <= found["high"] else ""
            print(
                f"| {name} | {label} | {found['winner']} | {found['runner_up']} | "
                f"{found['gap'] / 1e6:+.2f} M [{found['low'] / 1e6:+.2f}, "
                f"{found['high'] / 1e6:+.2f}]{tie} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
