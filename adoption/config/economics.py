"""Scenario section `economics`: what a use is worth and what the programme costs.

Costs tied to a lever live beside it (training per seat, support per agent-day,
capacity per request-per-second-day, retraining, engineer-days); these are the rest.
"""

from __future__ import annotations

from pydantic import Field

from adoption.config.base import Section


class EconomicsConfig(Section):
    """Value of use and the costs not tied to one lever (money units)."""

    value_per_successful_use: float = Field(
        3.0, ge=0, description="money a successful use is worth (time saved)"
    )
    cost_per_use: float = Field(0.02, ge=0, description="money per use (inference)")
    programme_cost_per_day: float = Field(
        500.0, ge=0, description="fixed cost of running the programme, per day while it runs"
    )
    launch_cost: float = Field(25_000.0, ge=0, description="one-off cost at the first wave")
