"""Scenario section `economics`: what a use is worth and what the programme costs.

Costs tied to a lever live beside it (training per seat, support per agent-day,
capacity per request-per-second-day, retraining, engineer-days); these are the rest.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from adoption.config.base import Section


class LicencesConfig(Section):
    """Seats of the tool: when a person gets one, when it is taken back, what it costs.

    Defaults follow the vendors' terms as commonly published (Microsoft 365 Copilot: an
    annual per-user subscription at US$30 a user a month, licences assigned to named
    users by an administrator and reassignable to another user; an assumption to check
    against your contract). Seats are a pool the organisation buys for a term:
    a seat taken back from one person is given to the next who needs one within the
    term it is paid for, and a term ends without renewal only for a seat nobody holds.
    """

    assign: Literal["access", "first_use"] = Field(
        "first_use",
        description=(
            "when a person gets a seat: when their wave gives them access, or when they "
            "first try the tool (requested then, usable `provision_days` later); "
            "assumption: seats on request, as licences are commonly handed out once a "
            "subscription is bought"
        ),
    )
    provision_days: float = Field(
        2.0,
        ge=0,
        le=365,
        description=(
            "days from asking for a seat to being able to use it (approval and licence "
            "assignment; the person makes no use and no decision meanwhile); assumption: "
            "a working day to approve, plus the day vendors commonly say a licence may "
            "take to appear"
        ),
    )
    reclaim_idle_days: float | None = Field(
        30.0,
        gt=0,
        le=3650,
        description=(
            "days without a single use after which a seat is taken back (lapsed, "
            "abandoned, refusing or never using); a person who comes back asks again "
            "and waits `provision_days` (none: seats are never taken back); assumption: "
            "vendors' admin centres report each user's last activity, commonly read over "
            "30 days"
        ),
    )
    commitment_days: float = Field(
        365.0,
        ge=0,
        le=3650,
        description=(
            "the term a seat is bought for: it is paid to the end of its term even if "
            "taken back (0: paid only while someone holds it); vendor terms as commonly "
            "published: annual subscriptions"
        ),
    )
    price_per_seat_day: float = Field(
        1.0,
        ge=0,
        description=(
            "money per paid seat per day: Microsoft 365 Copilot's list price, US$30 per "
            "user per month (Microsoft, 2023)"
        ),
    )


class EconomicsConfig(Section):
    """Value of use and the costs not tied to one lever (money units)."""

    currency: str = Field(
        "USD",
        pattern=r"^[A-Za-z$€£¥]{1,8}$",
        description=(
            "the unit every amount of money is in, as reports name it: US dollars by "
            "default, the unit of the licence price (US$30 a user a month)"
        ),
    )
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
    licences: LicencesConfig = Field(
        default_factory=LicencesConfig,
        description="seats: when people get them, when they are taken back, their price",
    )
    working_days_per_year: float = Field(
        230.0, gt=0, le=365, description="days a year on which people work and use the tool"
    )
    discount_rate_per_year: float = Field(
        0.08, ge=0, le=1, description="discount rate of the net present value (per year)"
    )
    programme_cost_per_day: float | None = Field(
        None,
        ge=0,
        description="cost of running the programme office, per day while it runs (none: "
        "sized to headcount, 100 per 1,000 employees)",
    )
    launch_cost: float | None = Field(
        None,
        ge=0,
        description="one-off cost at the first wave (none: sized to headcount, 5,000 per 1,000 "
        "employees)",
    )

    @model_validator(mode="before")
    @classmethod
    def _licence_price_moved(cls, data: Any) -> Any:
        if isinstance(data, dict) and "licence_per_seat_day" in data:
            raise ValueError(
                "licence_per_seat_day has moved to economics.licences.price_per_seat_day; "
                "to pay for everyone with access for the whole run, as it did, also set "
                "economics.licences.assign: access, reclaim_idle_days: null and "
                "commitment_days: 0"
            )
        return data

    def break_even_accuracy(self) -> float:
        """The accuracy at which a use earns what it costs: a·value = (1 − a)·error + cost."""
        earned = self.value_per_successful_use + self.cost_per_wrong_use
        if earned <= 0:
            return 1.0
        return min(1.0, (self.cost_per_wrong_use + self.cost_per_use) / earned)
