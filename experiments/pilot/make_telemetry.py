"""Make the example pilot's telemetry: the model run from hidden parameter values.

    .venv/bin/python experiments/pilot/make_telemetry.py [FOLDER]

writes telemetry.csv (weekly, per region: people with access, active users,
first-time users, people who stopped) and truth.json (the hidden values, so that a
calibration can be checked against them) to FOLDER (default: experiments/pilot).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from adoption.calibration.synthetic import synthetic_telemetry

HERE = Path(__file__).parent
SCENARIO = HERE / "scenario.yaml"
TRUTH = {
    "behaviour.try_per_year": 30.0,
    "behaviour.lapse_per_year": 1.5,
    "tool.production_accuracy": 0.78,
}
PLAN = "north-pilot"
WEEKS = 12
SEED = 2026


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    frame = synthetic_telemetry(SCENARIO, PLAN, TRUTH, weeks=WEEKS, seed=SEED, kind="region")
    frame.to_csv(folder / "telemetry.csv", index=False)
    (folder / "truth.json").write_text(
        json.dumps({"plan": PLAN, "weeks": WEEKS, "seed": SEED, "values": TRUTH}, indent=2) + "\n"
    )
    print(f"wrote {folder / 'telemetry.csv'} ({len(frame)} rows) and truth.json")


if __name__ == "__main__":
    main()
