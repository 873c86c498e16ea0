"""What one run returns: its time series, headline metrics and event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class SimulationResult:
    """One run of one plan for one seed.

    `timeseries` has one row per step; `metrics` the headline numbers; `events` the
    waves, gate decisions (with what they measured), outages, retrains, fixes and
    scale-ups; `costs` the total cost by category; `people` everyone's final state
    beside their role, team, department, region and team resistance.
    """

    scenario_name: str
    plan: str
    seed: int
    headcount: int
    timeseries: pd.DataFrame
    metrics: dict[str, Any]
    events: pd.DataFrame
    costs: dict[str, float] = field(default_factory=dict)
    people: pd.DataFrame | None = None

    def summary(self) -> str:
        """A short readable report: the metrics that matter and the gate decisions."""
        m = self.metrics
        lines = [
            f"{self.scenario_name} / plan {self.plan} / seed {self.seed}: "
            f"{self.headcount:,} people, {len(self.timeseries)} days",
            f"  adoption at horizon   {m['adoption_rate']:7.1%}   "
            f"(peak {m['peak_adoption_rate']:.1%})",
            f"  reach (ever tried)    {m['reach']:7.1%}",
            f"  abandonment           {m['abandonment_rate']:7.1%}   "
            f"({m['burned']:,} people burned)",
            f"  rejected outright     {m['rejection_rate']:7.1%}",
        ]
        for pct in (25, 50, 75):
            day = m[f"time_to_{pct}pct_days"]
            lines.append(
                f"  time to {pct}% adoption  " + ("never" if day is None else f"day {day:.0f}")
            )
        accuracy = m["observed_accuracy"]
        lines += [
            "  observed accuracy     " + ("n/a" if accuracy is None else f"{accuracy:7.1%}"),
            f"  overload days         {m['overload_days']:7d}",
            f"  peak support wait     {m['peak_support_wait_days']:7.1f} days",
            f"  value                 {m['value']:12,.0f}",
            f"  cost                  {m['cost']:12,.0f}",
            f"  net value             {m['net_value']:12,.0f}",
            f"  decision              {m['decision']}",
        ]
        causes = {
            key.removeprefix("abandoned_because_"): share
            for key, share in m.items()
            if key.startswith("abandoned_because_") and share > 0
        }
        if causes:
            ranked = sorted(causes.items(), key=lambda item: -item[1])
            lines.append("  why people abandoned  " + ", ".join(f"{c} {s:.0%}" for c, s in ranked))
        gates = self.events[self.events["kind"] == "gate"]
        for _, event in gates.iterrows():
            lines.append(f"  gate day {event['day']:.0f}: {event['detail']}")
        return "\n".join(lines)
