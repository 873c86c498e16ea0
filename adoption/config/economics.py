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
        3.0, ge=0, description="money a correct use is worth (time saved)"
    )
    cost_per_wrong_use: float = Field(
        4.5,
        ge=0,
        description=(
            "money a wrong answer costs: noticing, checking and redoing the work, and the "
            "errors that slip through (raise it for high-stakes decisions)"
        ),
    )
    cost_per_use: float = Field(0.02, ge=0, description="money per use (inference)")
    licence_per_seat_day: float = Field(
        1.0, ge=0, description="licence money per person with access, per day"
    )
    working_days_per_year: float = Field(
        230.0, gt=0, le=365, description="days a year on which people work and use the tool"
    )
    discount_rate_per_year: float = Field(
        0.08, ge=0, le=1, description="discount rate of the net present value (per year)"
    )
    programme_cost_per_day: float = Field(
        500.0, ge=0, description="fixed cost of running the programme, per day while it runs"
    )
    launch_cost: float = Field(25_000.0, ge=0, description="one-off cost at the first wave")

    def break_even_accuracy(self) -> float:
        """The accuracy at which a use earns what it costs: a·value = (1 − a)·error + cost."""
        earned = self.value_per_successful_use + self.cost_per_wrong_use
        if earned <= 0:
            return 1.0
        return min(1.0, (self.cost_per_wrong_use + self.cost_per_use) / earned)
