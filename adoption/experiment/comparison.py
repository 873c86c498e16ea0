"""What a comparison of rollout plans returns, and its ranking as a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from adoption.config import Scenario
from adoption.experiment.runner import RunRecord
from adoption.experiment.statistics import Target, t_interval
from adoption.outcomes import ABANDONMENT_CAUSES, OUTCOMES

if TYPE_CHECKING:
    from adoption.plotting import ComparisonPlots

SHOWN = ("npv", "adoption_rate", "abandonment_rate")
"""The outcomes a ranking shows, each with its 95% interval (terminal and report)."""

RANKED_BY = ("npv", "adoption_rate", "abandonment_rate")
"""The outcomes whose rankings `ranks()` sets side by side (with the risk of a miss)."""

DEFAULT_RANK_BY = "npv"

MISS = "chance of missing the target"
"""The heading, in reports and rankings, of the share of runs that miss the target."""

# terminal layout: per shown outcome, the column's width and the mean's width
_COLUMNS = {"npv": (38, ">11"), "adoption_rate": (24, "6"), "abandonment_rate": (22, "6")}


def shown_headings() -> list[str]:
    """Column headings of the shown outcomes: their labels, the first with "(95% CI)"."""
    return [
        OUTCOMES[name].label + (" (95% CI)" if index == 0 else "")
        for index, name in enumerate(SHOWN)
    ]


def _with_currency(name: str, heading: str, currency: str) -> str:
    """A money outcome's heading names its currency: "NPV (USD, 95% CI)", "NPV (USD)"."""
    if OUTCOMES[name].unit != "money":
        return heading
    if heading.endswith("(95% CI)"):
        return heading.replace("(95% CI)", f"({currency}, 95% CI)")
    return f"{heading} ({currency})"


def with_interval(name: str, row, width: str = "") -> str:
    """A ranking row's mean of outcome `name` and its interval, in the outcome's format."""
    outcome = OUTCOMES[name]
    return (
        f"{outcome.show(row[name], width)} "
        f"[{outcome.show(row[f'{name}_low'])}, {outcome.show(row[f'{name}_high'])}]"
    )


@dataclass(frozen=True)
class Lead:
    """The first plan against the second on `metric`, paired on the same seeds: the mean
    difference (first − second), its 95% interval, the pairs, how many of them the first
    won, and whether the interval excludes zero in the first's favour."""

    metric: str
    first: str
    second: str
    mean: float
    low: float
    high: float
    n: int
    wins: int
    clear: bool


@dataclass
class Comparison:
    """Plans × samples × replications, and what they say.

    `runs`: one row per run (plan, sample, replication, seed, sampled values, every
    metric); `summary`: per plan and metric, mean, sd and a 95% t interval; `paired`:
    each plan minus the baseline on matching replications; `risk`: per plan, the
    probability of missing the target; `timeseries`: per plan and day, mean and
    10/50/90th percentiles of the key series; `failures`: runs that raised, with their
    seeds and errors. With `compare(explain=True)`, `why`: each plan's NPV difference
    against the baseline split into its parts (explain.py), from `why_runs`
    counterfactual runs (`why_failures` failed).
    """

    scenario: Scenario
    plans: list[str]
    baseline: str
    target: Target
    replications: int
    samples: pd.DataFrame
    runs: pd.DataFrame
    summary: pd.DataFrame
    paired: pd.DataFrame
    risk: pd.DataFrame
    timeseries: pd.DataFrame
    failures: list[RunRecord] = field(default_factory=list)
    computed: int = 0
    reused: int = 0
    rank_by: str = DEFAULT_RANK_BY
    why: pd.DataFrame | None = None
    why_runs: int = 0
    why_failures: list[RunRecord] = field(default_factory=list)

    @property
    def plot(self) -> ComparisonPlots:
        """The comparison's figures: `.adoption()`, `.outcomes()`, `.money()`,
        `.paired()`, `.causes()`."""
        from adoption.plotting import ComparisonPlots

        return ComparisonPlots(self)

    def _repr_html_(self) -> str:
        from adoption.display import comparison_html

        return comparison_html(self)

    def __repr__(self) -> str:
        return (
            f"<Comparison {self.scenario.name}: {len(self.plans)} plans, {len(self.runs)} runs; "
            f"print(comparison.table()) for the ranking>"
        )

    def _order(self, metric: str) -> pd.Index:
        """Plans best first by `metric`, in its outcome's better direction."""
        table = self.summary.pivot(index="plan", columns="metric", values="mean")
        ascending = OUTCOMES[metric].direction == "lower"
        return table[metric].sort_values(ascending=ascending, kind="stable").index

    def ranks(self) -> pd.DataFrame:
        """Each plan's rank (1 = best) by NPV, adoption, abandonment and the risk of
        missing the target: where the rankings disagree, the choice of metric matters."""
        frame = pd.DataFrame(index=pd.Index(self.plans, name="plan"))
        for metric in RANKED_BY:
            order = list(self._order(metric))
            frame[OUTCOMES[metric].label] = [order.index(plan) + 1 for plan in self.plans]
        risk = self.risk.set_index("plan")["p_miss"].reindex(self.plans)
        frame[MISS] = risk.rank(method="min").astype(int).to_numpy()
        return frame.loc[list(self._order(self.rank_by))]

    def ranking(self) -> pd.DataFrame:
        """Plans best first by `rank_by` (in its outcome's better direction), with the
        shown outcomes' intervals and the risk of missing the target."""
        order = self._order(self.rank_by)
        rows = []
        for plan in order:
            row = {"plan": plan}
            for metric in SHOWN:
                line = self.summary[
                    (self.summary["plan"] == plan) & (self.summary["metric"] == metric)
                ].iloc[0]
                row[metric] = line["mean"]
                row[f"{metric}_low"] = line["ci_low"]
                row[f"{metric}_high"] = line["ci_high"]
            miss = self.risk[self.risk["plan"] == plan].iloc[0]
            row.update(
                p_miss=miss["p_miss"], p_miss_low=miss["ci_low"], p_miss_high=miss["ci_high"]
            )
            rows.append(row)
        return pd.DataFrame(rows)

    def decisions(self) -> pd.DataFrame:
        """How often each plan's last gate decision happened (share of runs)."""
        counts = self.runs.groupby("plan", sort=False)["decision"].value_counts(normalize=True)
        return counts.unstack(fill_value=0.0).reindex(self.plans)

    def causes(self) -> pd.DataFrame:
        """Mean share of abandonments by cause, per plan."""
        columns = [name for name in ABANDONMENT_CAUSES if name in self.runs]
        frame = self.runs.groupby("plan", sort=False)[columns].mean().reindex(self.plans)
        frame.columns = [ABANDONMENT_CAUSES[name] for name in columns]
        return frame

    def leading(self) -> Lead | None:
        """The first plan by `rank_by` against the second on the same random streams
        (None with one plan): the paired difference, its 95% interval and how often the
        first did better pair by pair."""
        order = list(self._order(self.rank_by))
        if len(order) < 2:
            return None
        first, second = order[:2]
        runs = self.runs.set_index(["sample", "replication"])
        difference = (
            runs[runs["plan"] == first][self.rank_by] - runs[runs["plan"] == second][self.rank_by]
        ).dropna()
        values = difference.to_numpy(float)
        mean, _, low, high, n = t_interval(values)
        higher = OUTCOMES[self.rank_by].higher_is_better is not False
        wins = int((values > 0).sum() if higher else (values < 0).sum())
        clear = n >= 2 and bool((low > 0) if higher else (high < 0))
        return Lead(self.rank_by, first, second, mean, low, high, n, wins, clear)

    def lead(self) -> str:
        """One line: how far the first plan by `rank_by` is ahead of the second on the
        same random streams, and whether that is a clear lead or a tie on this evidence."""
        lead = self.leading()
        if lead is None:
            return f"{self.plans[0]} is the only plan"
        if lead.n < 2:
            return f"{lead.first} leads {lead.second} on one paired run: too few runs to tell"
        outcome = OUTCOMES[self.rank_by]
        verdict = "a clear lead" if lead.clear else "a tie on this evidence"
        unit = f" {self.scenario.economics.currency}" if outcome.unit == "money" else ""
        of = " of" if unit else ""
        return (
            f"{lead.first} leads {lead.second} by {outcome.show(lead.mean)}{unit}{of} "
            f"{outcome.label} on the same seeds (95% CI {outcome.show(lead.low)} to "
            f"{outcome.show(lead.high)}{unit}, {lead.n} pairs): {verdict}"
        )

    def table(self) -> str:
        """The ranking as aligned text for a terminal."""
        currency = self.scenario.economics.currency
        headings = "".join(
            f"{_with_currency(name, heading, currency):<{_COLUMNS[name][0]}} "
            for name, heading in zip(SHOWN, shown_headings(), strict=True)
        )
        lines = [f"{'plan':<18} {headings}chance of missing the target ({self.target})"]
        for _, row in self.ranking().iterrows():
            cells = "".join(f"{with_interval(name, row, _COLUMNS[name][1])}  " for name in SHOWN)
            lines.append(
                f"{row['plan']:<18} {cells}"
                f"{row['p_miss']:5.1%} [{row['p_miss_low']:.0%}, {row['p_miss_high']:.0%}]"
            )
        return "\n".join(lines)
