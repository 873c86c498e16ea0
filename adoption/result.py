"""What one run returns: its time series, headline metrics and event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from adoption.engine.rollout import GateDecision
from adoption.outcomes import ABANDONMENT_CAUSES, ADOPTION_MILESTONES, OUTCOMES, time_to_name

if TYPE_CHECKING:
    from adoption.plotting import RunPlots


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
    decisions: tuple[GateDecision, ...] = ()

    def first_gate_decisions(self) -> tuple[str, ...]:
        """What the first gate to decide (the plan's first by day) decided, in order."""
        if not self.decisions:
            return ()
        first = self.decisions[0].gate
        return tuple(d.decision for d in self.decisions if d.gate == first)

    @property
    def plot(self) -> RunPlots:
        """The run's figures: `result.plot.adoption()`."""
        from adoption.plotting import RunPlots

        return RunPlots(self)

    def _repr_html_(self) -> str:
        from adoption.display import run_html

        return run_html(self)

    def __repr__(self) -> str:
        adoption = OUTCOMES["adoption_rate"].show(self.metrics.get("adoption_rate"))
        return (
            f"<SimulationResult {self.scenario_name} / plan {self.plan} / seed {self.seed}: "
            f"{self.headcount:,} people, {len(self.timeseries)} days, adoption {adoption}>"
        )

    def summary(self) -> str:
        """A short readable report: the metrics that matter and the gate decisions."""
        m = self.metrics

        def show(name: str, width: str = "") -> str:
            return OUTCOMES[name].show(m[name], width)

        lines = [
            f"{self.scenario_name} / plan {self.plan} / seed {self.seed}: "
            f"{self.headcount:,} people, {len(self.timeseries)} days",
            f"  adoption at horizon   {show('adoption_rate', '7')}   "
            f"(peak {show('peak_adoption_rate')})",
            f"  reach (ever tried)    {show('reach', '7')}",
            f"  abandonment           {show('abandonment_rate', '7')}   "
            f"({show('burned')} people burned)",
            f"  rejected outright     {show('rejection_rate', '7')}",
        ]
        for share in ADOPTION_MILESTONES:
            day = m[time_to_name(share)]
            lines.append(
                f"  time to {share:.0%} adoption  " + ("never" if day is None else f"day {day:.0f}")
            )
        lines += [
            f"  observed accuracy     {show('observed_accuracy', '7')}",
            f"  overload days         {show('overload_days', '7')}",
            f"  peak support wait     {show('peak_support_wait_days', '7')} days",
            f"  value                 {show('value', '12')}",
            f"  cost                  {show('cost', '12')}",
            f"  net value             {show('net_value', '12')}",
            f"  NPV                   {show('npv', '12')}   (first year {show('npv_1y')})",
            f"  decision              {m['decision']}",
        ]
        causes = {
            cause: m[name] for name, cause in ABANDONMENT_CAUSES.items() if m.get(name, 0) > 0
        }
        if causes:
            ranked = sorted(causes.items(), key=lambda item: -item[1])
            lines.append("  why people abandoned  " + ", ".join(f"{c} {s:.0%}" for c, s in ranked))
        gates = self.events[self.events["kind"] == "gate"]
        for _, event in gates.iterrows():
            lines.append(f"  gate day {event['day']:.0f}: {event['detail']}")
        return "\n".join(lines)
