"""Figures of a comparison: adoption over time, outcomes, money, paired differences and
why people left. The report, the workshop and `comparison.plot` draw the same ones."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import PercentFormatter

from adoption.experiment.comparison import Comparison
from adoption.experiment.tables import currency_of
from adoption.inline import InlineFigure
from adoption.outcomes import OUTCOMES
from adoption.wording import money, target_words

PAIRED = ("npv", "adoption_rate", "abandonment_rate")
"""The outcomes whose paired differences `paired_figure` shows."""


def _colour(index: int):
    return mpl.colormaps["tab10"](index % 10)


def adoption_curves_figure(comparison: Comparison) -> InlineFigure:
    """Active users per plan over time: mean line, 10th–90th percentile band."""
    fig = InlineFigure(figsize=(10, 5.5), dpi=110)
    ax = fig.add_subplot()
    colours = mpl.colormaps["tab10"]
    for index, plan in enumerate(comparison.plans):
        band = comparison.timeseries[comparison.timeseries["plan"] == plan]
        colour = colours(index % 10)
        ax.fill_between(
            band["day"],
            band["active_p10"],
            band["active_p90"],
            color=colour,
            alpha=0.2,
            linewidth=0,
        )
        ax.plot(band["day"], band["active_mean"], color=colour, label=plan)
    ax.set_xlabel("day")
    ax.set_ylabel("active users")
    ax.set_title("Active users: mean and 10th–90th percentile across runs")
    ax.legend(loc="upper left")
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    return fig


def outcomes_figure(comparison: Comparison, currency: str | None = None) -> InlineFigure:
    """Abandonment, NPV and the chance of missing the target, per plan, with 95% intervals,
    titled in plain words: shares as percentages, money in `currency` (else the
    scenario's)."""
    currency = currency_of(comparison, currency)
    fig = InlineFigure(figsize=(13, 4.5), dpi=110)
    summary = comparison.summary.set_index(["plan", "metric"])
    for position, metric in enumerate(("abandonment_rate", "npv"), start=1):
        ax = fig.add_subplot(1, 3, position)
        rows = [summary.loc[(plan, metric)] for plan in comparison.plans]
        means = [row["mean"] for row in rows]
        errors = np.clip(
            [
                [row["mean"] - row["ci_low"] for row in rows],
                [row["ci_high"] - row["mean"] for row in rows],
            ],
            0.0,
            None,
        )
        ax.bar(comparison.plans, means, yerr=errors, capsize=4, color="#6baed6")
        if metric == "npv":
            ax.set_title(f"NPV, {currency} (95% interval)")
            ax.yaxis.set_major_formatter(lambda value, _: money(value, currency))
        else:
            ax.set_title(f"{OUTCOMES[metric].label} (95% interval)")
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.tick_params(axis="x", rotation=30)
    ax = fig.add_subplot(1, 3, 3)
    risk = comparison.risk.set_index("plan").loc[comparison.plans]
    ax.bar(
        comparison.plans,
        risk["p_miss"],
        yerr=np.clip([risk["p_miss"] - risk["ci_low"], risk["ci_high"] - risk["p_miss"]], 0, None),
        capsize=4,
        color="#fc8d59",
    )
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(f"chance of missing the target\n({target_words(comparison.target, currency)})")
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    return fig


def money_figure(comparison: Comparison) -> InlineFigure:
    """Money by plan: the mean cumulative net value by day (undiscounted), and the NPV
    with its 95% interval."""
    fig = InlineFigure(figsize=(12, 4.5), dpi=110)
    curves, bars = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    series = comparison.timeseries
    for index, plan in enumerate(comparison.plans):
        band = series[series["plan"] == plan]
        net = (band["value_mean"] - band["cost_mean"]).cumsum()
        curves.plot(band["day"], net / 1e6, color=_colour(index), label=plan)
    curves.axhline(0, color="black", linewidth=0.8)
    curves.set_xlabel("day")
    curves.set_ylabel("millions (money units)")
    curves.set_title("Cumulative net value, mean across runs (undiscounted)")
    curves.legend(loc="lower left")
    summary = comparison.summary.set_index(["plan", "metric"])
    rows = [summary.loc[(plan, "npv")] for plan in comparison.plans]
    means = np.array([row["mean"] for row in rows]) / 1e6
    errors = np.clip(
        [
            [(row["mean"] - row["ci_low"]) / 1e6 for row in rows],
            [(row["ci_high"] - row["mean"]) / 1e6 for row in rows],
        ],
        0.0,
        None,
    )
    bars.bar(
        comparison.plans,
        means,
        yerr=errors,
        capsize=4,
        color=[_colour(i) for i in range(len(comparison.plans))],
    )
    bars.axhline(0, color="black", linewidth=0.8)
    bars.set_ylabel("millions (money units)")
    bars.set_title("NPV (95% CI)")
    bars.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    return fig


def paired_figure(comparison: Comparison) -> InlineFigure:
    """Each plan minus the baseline on the same random streams, with 95% intervals: a
    bar whose interval crosses zero is no clear difference."""
    paired = comparison.paired.set_index(["plan", "metric"])
    others = [plan for plan in comparison.plans if plan != comparison.baseline]
    fig = InlineFigure(figsize=(12, 0.9 + 0.5 * max(len(others), 1) + 1.2), dpi=110)
    for position, metric in enumerate(PAIRED, start=1):
        ax = fig.add_subplot(1, len(PAIRED), position)
        outcome = OUTCOMES[metric]
        # money in millions, shares in percentage points
        factor = {"money": 1e-6, "share": 100.0}.get(outcome.unit, 1.0)
        for row, plan in enumerate(others):
            if (plan, metric) not in paired.index:
                continue
            line = paired.loc[(plan, metric)]
            mean, low, high = (line[key] * factor for key in ("difference", "ci_low", "ci_high"))
            ax.errorbar(
                mean,
                row,
                xerr=[[mean - low], [high - mean]],
                fmt="o",
                color="black" if low > 0 or high < 0 else "grey",
                capsize=4,
            )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(others)), others if position == 1 else [""] * len(others))
        ax.set_ylim(-0.7, len(others) - 0.3)
        unit = {"money": " (millions)", "share": " (points)"}.get(outcome.unit, "")
        ax.set_title(f"{outcome.label}{unit}")
    fig.suptitle(f"Paired difference against {comparison.baseline} (95% CI; grey: not clear)")
    fig.tight_layout()
    return fig


def causes_figure(comparison: Comparison) -> InlineFigure:
    """Why people left, by plan: the mean share of abandonments by cause."""
    causes = comparison.causes().fillna(0.0)
    fig = InlineFigure(figsize=(10, 4.5), dpi=110)
    ax = fig.add_subplot()
    bottom = np.zeros(len(causes))
    for index, cause in enumerate(causes.columns):
        ax.bar(causes.index, causes[cause] * 100, bottom=bottom, color=_colour(index), label=cause)
        bottom += causes[cause].to_numpy() * 100
    ax.set_ylabel("% of abandonments")
    ax.set_title("Why people abandoned, by plan (cause attributed to the lapse that led there)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    return fig
