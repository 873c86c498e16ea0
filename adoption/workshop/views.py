"""What the room sees of a comparison, drawn from a `Comparison` or `simulate()`'s runs.

Every number comes from `adoption.experiment` (the comparison, its verdict, the
report's figures) or from `simulate()`: the functions here only draw. Figures are SVG
text, tables HTML from the package's autoescaping templates (`adoption.templating`),
so the page needs no script or font from anywhere else. The live
model is sent as data and drawn by the page (`adoption.workshop.live`).
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from adoption.experiment import tables
from adoption.experiment.comparison import Comparison
from adoption.experiment.figures import adoption_curves_figure, outcomes_figure
from adoption.experiment.statistics import t_interval
from adoption.experiment.tables import RANKED
from adoption.outcomes import OUTCOMES
from adoption.templating import render
from adoption.wording import CURRENCY, GLOSSARY, show

COLOURS = mpl.colormaps["tab10"]


def svg(fig: Figure) -> str:
    """A figure as inline SVG text (fonts as paths: nothing to load)."""
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def table(
    frame: pd.DataFrame,
    percent: bool = False,
    index: bool = True,
    titles: dict[str, str] | None = None,
) -> str:
    """A small HTML table, every header and cell escaped; `titles` explain headers on
    hover (the glossary), and shares show as percentages where `percent`."""
    frame = frame.reset_index() if index else frame

    def shown(value: object) -> str:
        if isinstance(value, float | np.floating):
            return f"{value:.1%}" if percent else f"{value:,.3g}"
        return str(value)

    rows = [[shown(value) for value in row] for row in frame.itertuples(index=False)]
    head = [str(column) for column in frame.columns]
    return render("titled_table.html", head=head, rows=rows, titles=titles or {})


def curves(comparison: Comparison, pinned: Comparison | None = None) -> str:
    """Active users per plan, mean and 10–90% band (the report's figure); with a pinned
    comparison, its means dashed as "A"."""
    fig = adoption_curves_figure(comparison)
    fig.set_size_inches(9, 4.2)
    ax = fig.axes[0]
    if pinned is not None:
        for index, plan in enumerate(pinned.plans):
            band = pinned.timeseries[pinned.timeseries["plan"] == plan]
            ax.plot(
                band["day"],
                band["active_mean"],
                color=COLOURS(index % 10),
                linestyle="--",
                label=f"A: {plan}",
            )
        ax.legend(loc="upper left", fontsize="small")
        ax.set_title("Active users (B solid with 10–90% band, A dashed)")
    return svg(fig)


def money(comparison: Comparison, currency: str = CURRENCY) -> tuple[str, dict[str, float | None]]:
    """Cumulative value and cost per plan (means across runs) and the break-even day,
    the first day cumulative value reaches cumulative cost; and the NPV with 95% CIs."""
    fig = Figure(figsize=(9, 4.2), dpi=100)
    ax = fig.add_subplot()
    breakeven: dict[str, float | None] = {}
    for index, plan in enumerate(comparison.plans):
        band = comparison.timeseries[comparison.timeseries["plan"] == plan]
        value = band["value_mean"].cumsum().to_numpy()
        cost = band["cost_mean"].cumsum().to_numpy()
        days = band["day"].to_numpy()
        colour = COLOURS(index % 10)
        ax.plot(days, value, color=colour, label=f"{plan}: value")
        ax.plot(days, cost, color=colour, linestyle=":", label=f"{plan}: cost")
        ahead = np.flatnonzero((value >= cost) & (value > 0))
        breakeven[plan] = float(days[ahead[0]]) if len(ahead) else None
        if len(ahead):
            ax.axvline(days[ahead[0]], color=colour, alpha=0.4)
    ax.set_xlabel("day")
    ax.set_ylabel(f"cumulative {currency}")
    ax.set_title("Cumulative value (solid) and cost (dotted); vertical line: break-even")
    ax.legend(fontsize="x-small", ncol=2, loc="upper left")
    fig.tight_layout()
    return svg(fig), breakeven


def outcomes(comparison: Comparison, currency: str = CURRENCY) -> str:
    """The report's abandonment, NPV and risk bars with 95% intervals, in the room's words
    (shares as percentages, money in its currency, the target in words)."""
    return svg(outcomes_figure(comparison, currency))


def causes(comparison: Comparison) -> str:
    """Abandonment by cause, as percentages of abandonments (the report's table)."""
    return tables.causes(comparison).html()


def decisions(comparison: Comparison) -> str:
    """The last gate decision, as percentages of runs (the report's table)."""
    return tables.decisions(comparison).html()


def gate_events(events_by_plan: dict[str, pd.DataFrame]) -> str:
    """The gates of one run per plan, with what they measured (the event log's words)."""
    rows = []
    for plan, events in events_by_plan.items():
        gates = events[events["kind"].str.contains("gate|wave", regex=True)]
        rows.extend((plan, row.day, row.kind, row.detail) for row in gates.itertuples())
    frame = pd.DataFrame(rows, columns=["plan", "day", "event", "what it measured / did"])
    return table(frame, index=False)


def by_group(people_by_plan: dict[str, pd.DataFrame], column: str) -> str:
    """Share of people active at the horizon per region or department (one run a plan)."""
    shares = pd.DataFrame(
        {
            plan: people.assign(active=people["state"] == "active")
            .groupby(column, observed=True)["active"]
            .mean()
            for plan, people in people_by_plan.items()
        }
    )
    return table(shares, percent=True)


def ranking(comparison: Comparison, currency: str = CURRENCY) -> str:
    """Plans best first: NPV, adoption and abandonment with 95% intervals, and the chance
    of missing the room's target, every header explained on hover (the report's table)."""
    return tables.ranking(comparison, currency).html()


def pinned_difference(a: Comparison, b: Comparison, currency: str = CURRENCY) -> pd.DataFrame:
    """B minus A per plan both ran, paired on the replication (the same seeds when the
    seed and replications match), for NPV, adoption and abandonment, with 95% CIs."""
    rows = []
    for plan in [p for p in b.plans if p in a.plans]:
        left = a.runs[a.runs["plan"] == plan].set_index(["sample", "replication"])
        right = b.runs[b.runs["plan"] == plan].set_index(["sample", "replication"])
        common = left.index.intersection(right.index)
        for name in RANKED:
            diff = (right.loc[common, name] - left.loc[common, name]).to_numpy(float)
            mean, _, low, high, n = t_interval(diff)
            rows.append(
                {
                    "plan": plan,
                    "outcome": OUTCOMES[name].label,
                    "B − A": show(name, mean, currency),
                    "95% interval": f"{show(name, low, currency)} to {show(name, high, currency)}",
                    "paired runs": n,
                }
            )
    return pd.DataFrame(rows)


PINNED_TITLES = {
    "B − A": GLOSSARY["paired"],
    "95% interval": GLOSSARY["interval"],
    "paired runs": GLOSSARY["paired"],
}
