"""Scenario section `economics`: what a use is worth and what the programme costs.

Costs tied to a lever live beside it (training per seat, support per agent-day,
capacity per request-per-second-day, retraining, engineer-days); these are the rest.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from adoption.config.base import Section
from adoption.config.lever import lever


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
            "when a person gets a seat: when their wave gives them access, or when "
            "they first try the tool (requested then, usable `provision_days` later)"
        ),
        json_schema_extra=lever(
            "when a person gets a licence seat",
            "",
            "economics",
            (
                "assumption: once a subscription is bought, seats are commonly handed out on "
                "request; `access` gives everyone with access a seat (the accounting before "
                "seats)"
            ),
        ),
    )
    provision_days: float = Field(
        2.0,
        ge=0,
        le=365,
        description=(
            "days from asking for a seat to being able to use it (approval and "
            "licence assignment; the person makes no use and no decision meanwhile)"
        ),
        json_schema_extra=lever(
            "days from asking for a seat to using it",
            "days",
            "economics",
            (
                "assumption: a working day to approve a request plus the day "
                "vendors commonly say a newly assigned licence may take to appear"
            ),
        ),
    )
    reclaim_idle_days: float | None = Field(
        30.0,
        gt=0,
        le=3650,
        description=(
            "days without a single use after which a seat is taken back (lapsed, "
            "abandoned, refusing or never using); a person who comes back asks again "
            "and waits `provision_days` (none: seats are never taken back)"
        ),
        json_schema_extra=lever(
            "idle days after which a seat is taken back",
            "days",
            "economics",
            (
                "assumption: vendors' admin centres report each user's last "
                "activity, and licences are reassigned from users inactive over a period "
                "commonly read as 30 days; null never takes seats back"
            ),
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
        json_schema_extra=lever(
            "term a seat is bought for",
            "days",
            "economics",
            (
                "vendor terms as commonly published: Microsoft 365 Copilot is sold "
                "as an annual per-user subscription (GitHub Copilot Business is billed "
                "monthly: 30); an assumption to check against your contract"
            ),
        ),
    )
    price_per_seat_day: float = Field(
        1.0,
        ge=0,
        description=("money per paid seat per day"),
        json_schema_extra=lever(
            "licence price",
            "money per seat per day",
            "economics",
            "Microsoft 365 Copilot's list price, US$30 per user per month (Microsoft, 2023)",
            plausible=(0.5, 2.0),
            key=True,
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
        json_schema_extra=lever(
            "currency of every amount",
            "",
            "economics",
            "the unit of the sourced licence price (Microsoft 365 Copilot, US$30 a user a month)",
        ),
    )
    value_per_successful_use: float = Field(
        3.0,
        ge=0,
        description="money a correct use is worth (time saved)",
        json_schema_extra=lever(
            "value of a correct use (time saved)",
            "money per correct use",
            "economics",
            (
                "assumption (illustrative): the value of a correct use is rarely "
                "measured before launch (the default scenario samples 2–4.5)"
            ),
            plausible=(2.0, 4.5),
            key=True,
        ),
    )
    cost_per_wrong_use: float = Field(
        4.5,
        ge=0,
        description=(
            "money a wrong answer costs: noticing, checking and redoing the work, and the "
            "errors that slip through (raise it for high-stakes decisions)"
        ),
        json_schema_extra=lever(
            "cost of a wrong answer",
            "money per wrong use",
            "economics",
            (
                "assumption: a wrong answer costs the time to notice, check and "
                "redo the work (1.5 × a correct use's value, a break-even accuracy "
                "of about 60%); raise it for high-stakes decisions (the default "
                "scenario samples 2.5–7)"
            ),
            plausible=(2.5, 7.0),
            key=True,
        ),
    )
    cost_per_use: float = Field(
        0.02,
        ge=0,
        description="money per use (inference)",
        json_schema_extra=lever(
            "running cost of one use (inference)",
            "money per use",
            "economics",
            (
                "assumption (illustrative production price): the source's 5–10× "
                "production-over-PoC multiplier is in it"
            ),
        ),
    )
    licences: LicencesConfig = Field(
        default_factory=LicencesConfig,
        description="seats: when people get them, when they are taken back, their price",
    )
    working_days_per_year: float = Field(
        230.0,
        gt=0,
        le=365,
        description="days a year on which people work and use the tool",
        json_schema_extra=lever(
            "working days a year",
            "days per year",
            "economics",
            "assumption: 52 weeks × 5 days less leave and public holidays",
        ),
    )
    discount_rate_per_year: float = Field(
        0.08,
        ge=0,
        le=1,
        description="discount rate of the net present value (per year)",
        json_schema_extra=lever(
            "discount rate of the net present value",
            "per year",
            "economics",
            "assumption: a typical corporate cost of capital",
        ),
    )
    programme_cost_per_day: float | None = Field(
        None,
        ge=0,
        description="cost of running the programme office, per day while it runs (none: "
        "sized to headcount, 100 per 1,000 employees)",
        json_schema_extra=lever(
            "programme office budget",
            "money per day",
            "plan and gates",
            (
                "assumption: the 5,000-person default kept per employee at every "
                "size (docs/model.md, Teams sized to the organisation): 100 per "
                "1,000 employees"
            ),
        ),
    )
    launch_cost: float | None = Field(
        None,
        ge=0,
        description="one-off cost at the first wave (none: sized to headcount, 5,000 per 1,000 "
        "employees)",
        json_schema_extra=lever(
            "launch budget (one-off, at the first wave)",
            "money",
            "plan and gates",
            (
                "assumption: the 5,000-person default kept per employee at every "
                "size (docs/model.md, Teams sized to the organisation): 5,000 per "
                "1,000 employees"
            ),
        ),
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
