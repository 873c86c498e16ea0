"""The plans of the remaining rollout, each starting with the pilot as it ran.

A forecast does not restart from the pilot's exact final state (the engine has no
snapshots yet): each candidate plan repeats the pilot's waves and gates up to the day
the pilot ended, then continues its own way. Run under posterior draws, the repeated
pilot reproduces the pilot's state in distribution, not the very people who adopted.
"""

from __future__ import annotations

from adoption.config import Scenario
from adoption.config.plans import Plan, Wave
from adoption.organisation import organisation_for

EXTENSION_DAYS = 56
"""How much longer `extend-pilot` runs the pilot before everyone else joins."""


def remaining_plans(scenario: Scenario, pilot: str, pilot_days: int) -> dict[str, Plan]:
    """proceed (everyone else the day after the pilot), next-region (if the pilot was
    regional: the next region), extend-pilot (everyone else 8 weeks later) and stop
    (nobody else; the pilot keeps its access)."""
    plan = scenario.plans[pilot]
    waves = [w for w in plan.waves if w.day < pilot_days]
    gates = [g for g in plan.gates if g.day < pilot_days]
    if not waves:
        waves = [plan.waves[0]]
    start = dict(gates=gates)
    plans = {
        "proceed": Plan(
            description=f"After the {pilot_days}-day pilot, everyone else gets access.",
            waves=[*waves, Wave(day=pilot_days, group="rest")],
            **start,
        )
    }
    regions = [w.name for w in waves if w.group == "region"]
    if regions:
        names = organisation_for(scenario).region_names
        following = [r for r in names if r not in regions]
        if following:
            plans["next-region"] = Plan(
                description=f"After the pilot, region {following[0]} joins.",
                waves=[*waves, Wave(day=pilot_days, group="region", name=following[0])],
                **start,
            )
    plans["extend-pilot"] = Plan(
        description=f"The pilot runs {EXTENSION_DAYS} days longer; then everyone else.",
        waves=[*waves, Wave(day=pilot_days + EXTENSION_DAYS, group="rest")],
        **start,
    )
    plans["stop"] = Plan(
        description="Nobody else gets access; the pilot's people keep theirs.",
        waves=waves,
        **start,
    )
    return plans
