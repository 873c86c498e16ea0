"""Big-bang against a 10% pilot and a regional pilot, on the default scenario.

The brief's worked example: the tool shows 95% in its proof of concept and about 70%
on production data, and its serving capacity was sized for the demo. The pilots' gates
(day 60: adoption at least 20%, observed accuracy at least 75%) catch the gap, pause
while fixes land, and size capacity from the load they measured before everyone else
arrives. The second comparison is the counter-case: a small data-quality gap and
capacity sized for everyone, where waiting buys little and costs value.

    python experiments/compare_rollouts.py --replications 30 --out out/compare-rollouts
"""

from __future__ import annotations

import argparse
from pathlib import Path

import adoption

PLANS = ["big-bang", "pilot-10", "regional-pilot"]
COUNTER_CASE = {
    "tool.production_accuracy": 0.92,
    "tool.infrastructure.capacity_requests_per_second": 20.0,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--replications", type=int, default=30, help="runs per plan and world (default 30)"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: one per core)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out/compare-rollouts"),
        help="folder for the runs, tables and figures (default out/compare-rollouts)",
    )
    args = parser.parse_args()
    executor = adoption.PoolExecutor(args.workers)
    cases = {
        "large-gap": ("95% demo, 70% production, demo-sized capacity", None),
        "small-gap": ("95% demo, 92% production, capacity for everyone", COUNTER_CASE),
    }
    for name, (label, overrides) in cases.items():
        comparison = adoption.compare(
            adoption.load_scenario(None, overrides),
            PLANS,
            replications=args.replications,
            executor=executor,
            out=args.out / name,
        )
        print(f"\n== {name}: {label}")
        print(comparison.table())
        paired = comparison.paired.set_index(["plan", "metric"])
        for plan in PLANS[1:]:
            for metric in ("adoption_rate", "net_value"):
                row = paired.loc[(plan, metric)]
                print(
                    f"  {plan} - big-bang, {metric}: {row['difference']:+,.3f} "
                    f"[{row['ci_low']:+,.3f}, {row['ci_high']:+,.3f}]"
                )
        print(f"  report: {args.out / name / 'report.html'}")


if __name__ == "__main__":
    main()
