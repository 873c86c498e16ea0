"""A comparison's tables as a reader reads them: plain-words headers, shares as
percentages, money with its currency, and each header's meaning for hover.

The report (`adoption compare`'s report.html and the workshop's export) and the
workshop's screen draw these same tables; every number comes from the `Comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from adoption.engine.ledger import COST_CATEGORIES
from adoption.experiment.comparison import MISS, Comparison
from adoption.outcomes import OUTCOMES
from adoption.templating import render
from adoption.wording import GLOSSARY, money, percent, show, target_words

RANKED = {"npv": "npv", "adoption_rate": "adoption", "abandonment_rate": "abandonment"}
"""The outcomes a ranking shows, and their glossary entries."""


@dataclass(frozen=True)
class Table:
    """Rows of text under headings, and what a heading means (shown on hover)."""

    frame: pd.DataFrame
    titles: dict[str, str]

    def html(self) -> str:
        """The table as HTML, every heading and cell escaped."""
        rows = [[str(value) for value in row] for row in self.frame.itertuples(index=False)]
        head = [str(column) for column in self.frame.columns]
        return render("titled_table.html", head=head, rows=rows, titles=self.titles)


def currency_of(comparison: Comparison, currency: str | None = None) -> str:
    """The money unit a reader sees: `currency` where given (the workshop's
    `--currency`), else the comparison's scenario's `economics.currency`."""
    return currency or comparison.scenario.economics.currency


def interval(metric: str, mean: float, low: float, high: float, currency: str) -> str:
    """A mean and its 95% interval: "−1.7 M US$ (−2.0 M US$ to −1.4 M US$)"."""
    return (
        f"{show(metric, mean, currency)} "
        f"({show(metric, low, currency)} to {show(metric, high, currency)})"
    )


def miss_title(comparison: Comparison, currency: str) -> str:
    """What the chance of missing the target counts, naming the target in words."""
    return f"{GLOSSARY['target']} The target: {target_words(comparison.target, currency)}."


def ranking(comparison: Comparison, currency: str | None = None) -> Table:
    """Plans best first: NPV, adoption and abandonment with 95% intervals, and the chance
    of missing the target."""
    currency = currency_of(comparison, currency)
    frame = comparison.ranking()
    shown = pd.DataFrame({"plan": frame["plan"]})
    titles = {}
    for name, entry in RANKED.items():
        heading = f"{OUTCOMES[name].label} (95% interval)"
        titles[heading] = f"{GLOSSARY[entry]} {GLOSSARY['interval']}"
        shown[heading] = [
            interval(name, row[name], row[f"{name}_low"], row[f"{name}_high"], currency)
            for _, row in frame.iterrows()
        ]
    heading = f"{MISS} ({target_words(comparison.target, currency)})"
    titles[heading] = miss_title(comparison, currency)
    shown[heading] = [
        f"{percent(row.p_miss)} ({percent(row.p_miss_low)} to {percent(row.p_miss_high)})"
        for row in frame.itertuples()
    ]
    return Table(shown, titles)


def ranks(comparison: Comparison, currency: str | None = None) -> Table:
    """Each plan's place (1 = best) by NPV, adoption, abandonment and the chance of
    missing the target, side by side."""
    currency = currency_of(comparison, currency)
    frame = comparison.ranks().reset_index()
    titles = {OUTCOMES[name].label: GLOSSARY[entry] for name, entry in RANKED.items()}
    titles[MISS] = miss_title(comparison, currency)
    titles["plan"] = GLOSSARY["ranks"]
    return Table(frame, titles)


def money_by_category(comparison: Comparison, currency: str | None = None) -> Table:
    """Value and each cost category with any spending, mean per run, with the currency."""
    currency = currency_of(comparison, currency)
    names = ["value", *(f"cost_{category}" for category in COST_CATEGORIES)]
    means = comparison.runs.groupby("plan", sort=False)[names].mean()
    means = means.loc[:, (means != 0).any()].reindex(comparison.plans)
    shown = pd.DataFrame({"plan": means.index})
    titles = {"plan": GLOSSARY["money"]}
    for name in means.columns:
        shown[OUTCOMES[name].label] = [money(value, currency) for value in means[name]]
        titles[OUTCOMES[name].label] = OUTCOMES[name].description
    return Table(shown, titles)


def licences(comparison: Comparison, currency: str | None = None) -> Table:
    """Seat-days paid and what a day of real use cost in licences, mean per run."""
    currency = currency_of(comparison, currency)
    means = comparison.runs.groupby("plan", sort=False)[
        ["seat_days", "cost_licences", "licence_cost_per_active_user_day"]
    ].mean()
    means = means.reindex(comparison.plans)
    per_day = OUTCOMES["licence_cost_per_active_user_day"]
    shown = pd.DataFrame(
        {
            "plan": means.index,
            OUTCOMES["seat_days"].label: [f"{value:,.0f}" for value in means["seat_days"]],
            OUTCOMES["cost_licences"].label: [
                money(value, currency) for value in means["cost_licences"]
            ],
            per_day.label: [
                f"{per_day.show(value)} {currency}" if pd.notna(value) else "n/a"
                for value in means["licence_cost_per_active_user_day"]
            ],
        }
    )
    titles = {
        OUTCOMES[name].label: OUTCOMES[name].description
        for name in ("seat_days", "cost_licences", "licence_cost_per_active_user_day")
    }
    return Table(shown, titles)


def paired(comparison: Comparison, currency: str | None = None) -> Table:
    """Each plan minus the baseline, paired on the same random streams, with 95%
    intervals, for the outcomes a ranking shows."""
    currency = currency_of(comparison, currency)
    rows = comparison.paired[comparison.paired["metric"].isin(list(RANKED))]
    shown = pd.DataFrame(
        {
            "plan": rows["plan"],
            "against": rows["baseline"],
            "outcome": [OUTCOMES[name].label for name in rows["metric"]],
            "difference (plan − against)": [
                show(r.metric, r.difference, currency) for r in rows.itertuples()
            ],
            "95% interval": [
                f"{show(r.metric, r.ci_low, currency)} to {show(r.metric, r.ci_high, currency)}"
                for r in rows.itertuples()
            ],
            "paired runs": rows["n"].astype(int),
        }
    )
    titles = {
        "difference (plan − against)": GLOSSARY["paired"],
        "95% interval": GLOSSARY["interval"],
        "paired runs": GLOSSARY["paired"],
    }
    return Table(shown, titles)


def shares(frame: pd.DataFrame, entry: str) -> Table:
    """A table of shares (0–1) per plan as percentages, every heading explained by the
    glossary's `entry`."""
    shown = frame.map(lambda value: percent(value, 1)).reset_index()
    shown.columns = [str(column) for column in shown.columns]
    return Table(shown, dict.fromkeys(shown.columns[1:], GLOSSARY[entry]))


def decisions(comparison: Comparison) -> Table:
    """The last gate decision, as percentages of runs."""
    return shares(comparison.decisions(), "decisions")


def causes(comparison: Comparison) -> Table:
    """Abandonment by cause, as percentages of abandonments."""
    return shares(comparison.causes(), "causes")
