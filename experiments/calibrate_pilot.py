"""Calibrate the example pilot and forecast the rest of the rollout.

    .venv/bin/python experiments/calibrate_pilot.py                 # default budget
    .venv/bin/python experiments/calibrate_pilot.py --population 30 --generations 3 \
        --samples 4 --replications 1 --workers 2 --out out/pilot    # a quick look

Reads experiments/pilot/telemetry.csv (12 weeks, per region, made by
experiments/pilot/make_telemetry.py from the hidden values in truth.json), fits three
parameters by ABC-SMC, prints the posterior beside the truth, then compares the plans
of the remaining rollout under the posterior and prints the go/no-go recommendation.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import adoption
from adoption.calibration.draws import posterior_worlds
from adoption.calibration.forecast import decide

HERE = Path(__file__).parent / "pilot"
FIT = ["behaviour.try_per_year", "behaviour.lapse_per_year", "tool.production_accuracy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--population", type=int, default=100, help="ABC-SMC particles a generation (default 100)"
    )
    parser.add_argument(
        "--generations", type=int, default=5, help="ABC-SMC generations (default 5)"
    )
    parser.add_argument(
        "--samples", type=int, default=20, help="posterior draws per plan (default 20)"
    )
    parser.add_argument(
        "--replications", type=int, default=5, help="runs per posterior draw and plan (default 5)"
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--target",
        default="adoption_rate>=0.4",
        help="success criterion whose risk of a miss is reported (default adoption_rate>=0.4)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out/pilot"),
        help="folder for the calibration and the forecast (default out/pilot)",
    )
    args = parser.parse_args()

    truth = json.loads((HERE / "truth.json").read_text())
    calibration = adoption.calibrate(
        HERE / "scenario.yaml",
        HERE / "telemetry.csv",
        FIT,
        args.out / "calibration",
        plan=truth["plan"],
        population=args.population,
        generations=args.generations,
        workers=args.workers,
    )
    print("== posterior (truth in brackets)")
    for row in calibration.summary.itertuples():
        print(
            f"{row.parameter}: {row.mean:.3g} [{truth['values'][row.parameter]:.3g}], "
            f"90% CI {row.q05:.3g} to {row.q95:.3g}"
            + ("" if row.informed else " - not informed by the telemetry")
        )
    print(f"predictive coverage {calibration.coverage:.0%}")

    print("== forecast of the remaining rollout")
    comparison = adoption.compare(
        calibration.scenario,
        worlds=posterior_worlds(calibration.scenario, calibration.fit, args.samples, seed=0),
        replications=args.replications,
        executor=adoption.PoolExecutor(args.workers),
        target=args.target,
        out=args.out / "forecast",
    )
    print(comparison.table())
    print(decide(comparison).text())


if __name__ == "__main__":
    main()
