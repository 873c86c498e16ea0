"""Every per-run outcome, declared once: name, meaning, unit, which way is better, format.

In the spirit of EMA Workbench's `ScalarOutcome`. `run_metrics` (metrics.py) produces
exactly these names; comparisons summarise the headline ones and the abandonment
causes, targets must name a numeric one, and tables, figures and reports take their
labels, formats and directions from here. To add an outcome, add an entry to
`OUTCOMES` (in the order it should be reported) and compute it in `run_metrics`.

A low layer: it imports nothing from adoption but the engine's list of causes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from adoption.engine.ledger import COST_CATEGORIES
from adoption.engine.states import CAUSES

Direction = Literal["higher", "lower"]

ADOPTION_MILESTONES = (0.25, 0.50, 0.75)
"""Shares of headcount active whose first day is an outcome (`time_to_25pct_days`, ...)."""


@dataclass(frozen=True)
class Outcome:
    """One number (or label) a run produces.

    `direction`: whether a higher or a lower value is better, or None where neither is
    (counts and shares that describe rather than judge). `format`: a format spec for
    the value, without width (``".1%"``, ``",.0f"``); `label`: a few words for tables,
    figures and text. `headline`: shown by comparisons (summary, paired differences).
    """

    name: str
    description: str
    unit: str
    direction: Direction | None
    format: str
    label: str
    headline: bool = False
    numeric: bool = True

    @property
    def higher_is_better(self) -> bool | None:
        return None if self.direction is None else self.direction == "higher"

    def show(self, value: Any, width: str = "", missing: str = "n/a") -> str:
        """`value` formatted (right-aligned in `width`, e.g. ``"7"`` or ``">11"``)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return missing
        return format(value, f"{width}{self.format}")


def time_to_name(share: float) -> str:
    """The outcome name of the first day `share` of headcount is active."""
    return f"time_to_{round(share * 100)}pct_days"


SHARE, MONEY = ".1%", ",.0f"

_DECLARED = [
    # headline: what comparisons summarise, in the order they report it
    Outcome(
        "adoption_rate",
        "active users / headcount at the horizon",
        "share",
        "higher",
        SHARE,
        "adoption",
        headline=True,
    ),
    Outcome(
        "reach",
        "people who ever tried / headcount",
        "share",
        "higher",
        SHARE,
        "reach",
        headline=True,
    ),
    Outcome(
        "abandonment_rate",
        "abandoned at the horizon / people who ever tried",
        "share",
        "lower",
        SHARE,
        "abandonment",
        headline=True,
    ),
    Outcome(
        "burned",
        "people who abandoned at least once",
        "people",
        "lower",
        ",d",
        "burned",
        headline=True,
    ),
    Outcome(
        "npv",
        "net present value: value − cost by day, discounted at economics.discount_rate_per_year",
        "money",
        "higher",
        MONEY,
        "NPV",
        headline=True,
    ),
    Outcome(
        "npv_1y",
        "net present value of the first 365 days",
        "money",
        "higher",
        MONEY,
        "NPV, first year",
        headline=True,
    ),
    Outcome("net_value", "value − cost", "money", "higher", MONEY, "net value", headline=True),
    Outcome(
        "value",
        "value delivered by uses of the tool",
        "money",
        "higher",
        MONEY,
        "value",
        headline=True,
    ),
    Outcome("cost", "total cost, all categories", "money", "lower", MONEY, "cost", headline=True),
    Outcome(
        "overload_days",
        "days with peak utilisation ≥ 1",
        "days",
        "lower",
        "d",
        "overload days",
        headline=True,
    ),
    Outcome(
        "peak_support_wait_days",
        "longest expected wait for support",
        "days",
        "lower",
        ".1f",
        "peak support wait",
        headline=True,
    ),
    *(
        Outcome(
            time_to_name(share),
            f"first day active / headcount ≥ {share:.0%} (None if never)",
            "days",
            "lower",
            ".0f",
            f"time to {share:.0%} adoption",
            headline=True,
        )
        for share in ADOPTION_MILESTONES
    ),
    # the others, in the order run_metrics computes them
    Outcome(
        "rejection_rate",
        "rejecting / headcount at the horizon",
        "share",
        "lower",
        SHARE,
        "rejected outright",
    ),
    Outcome(
        "peak_adoption_rate",
        "highest daily active / headcount",
        "share",
        "higher",
        SHARE,
        "peak adoption",
    ),
    Outcome("uses", "uses of the tool over the run", "uses", "higher", ",d", "uses"),
    Outcome(
        "observed_accuracy",
        "successful / served uses (None if none was served)",
        "share",
        "higher",
        SHARE,
        "observed accuracy",
    ),
    Outcome(
        "decision",
        "the last gate's outcome (proceed, pause, stop) or none",
        "",
        None,
        "s",
        "decision",
        numeric=False,
    ),
    Outcome("gate_pauses", "gate decisions to pause", "gates", None, "d", "gate pauses"),
    Outcome(
        "decision_day",
        "day of the last gate decision (None without gates)",
        "days",
        None,
        ".0f",
        "decision day",
    ),
    Outcome(
        "gate_pause_reasons",
        "what the gates paused on, by criterion and count (e.g. 'accuracy x2'), or none",
        "",
        None,
        "s",
        "gate paused on",
        numeric=False,
    ),
    Outcome(
        "gate_accuracy",
        "the organisation's accuracy as the last gate decision estimated it (None without "
        "gates): the checked uses by data segment, weighted by headcount",
        "share",
        None,
        SHARE,
        "accuracy the gate estimated",
    ),
    Outcome(
        "gate_pilot_accuracy",
        "the pilot's own accuracy on the uses checked for the last gate decision",
        "share",
        None,
        SHARE,
        "accuracy the pilot showed",
    ),
    Outcome(
        "gate_true_accuracy",
        "everyone's accuracy on the day of the last gate decision (what the gate estimated)",
        "share",
        None,
        SHARE,
        "true accuracy at the gate",
    ),
    Outcome(
        "gate_regret",
        "NPV the first gate's decisions lost against the better of stopping and proceeding "
        "at its first measurement (paired runs on the same seed; None without gates)",
        "money",
        "lower",
        MONEY,
        "gate regret",
    ),
    Outcome(
        "gate_pause_cost",
        "NPV the first gate's pauses cost against taking its final decision at its first "
        "measurement (paired runs; None without pauses)",
        "money",
        "lower",
        MONEY,
        "cost of the gate's pauses",
    ),
    Outcome(
        "seat_days",
        "licence seat-days paid for (held, or free within a paid term)",
        "seat-days",
        "lower",
        ",.0f",
        "seat-days paid",
    ),
    Outcome(
        "licence_cost_per_active_user_day",
        "licence cost / active user-days (None if nobody was active): what a day of real "
        "use pays in licences",
        "money",
        "lower",
        ".2f",
        "licence cost per active user-day",
    ),
    *(
        Outcome(
            f"cost_{category}",
            f"money spent on {category} over the run",
            "money",
            "lower",
            MONEY,
            f"cost of {category}",
        )
        for category in COST_CATEGORIES
    ),
    *(
        Outcome(
            f"abandoned_because_{cause}",
            f"share of abandonments attributed to {cause}",
            "share",
            None,
            SHARE,
            f"abandoned for {cause}",
        )
        for cause in CAUSES
    ),
    *(
        Outcome(
            f"lapsed_because_{cause}",
            f"share of lapses attributed to {cause}",
            "share",
            None,
            SHARE,
            f"lapsed for {cause}",
        )
        for cause in CAUSES
    ),
]

OUTCOMES: dict[str, Outcome] = {outcome.name: outcome for outcome in _DECLARED}
"""Every outcome of a run, by name, in the order they are reported (headline first)."""

HEADLINE: tuple[str, ...] = tuple(name for name, o in OUTCOMES.items() if o.headline)
"""What a comparison summarises and pairs, besides the abandonment causes."""

ABANDONMENT_CAUSES: dict[str, str] = {f"abandoned_because_{cause}": cause for cause in CAUSES}
"""Outcome name → cause, for the shares of abandonments by cause."""

COMPARED: tuple[str, ...] = HEADLINE + tuple(ABANDONMENT_CAUSES)
"""The outcomes a comparison summarises (mean and interval per plan) and pairs."""

NUMERIC: tuple[str, ...] = tuple(name for name, o in OUTCOMES.items() if o.numeric)
"""The outcomes a target can name."""
