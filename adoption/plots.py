"""Figures of one run: people per state over time, with the rollout's events marked."""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.figure import Figure

from adoption.engine.states import STATE_NAMES
from adoption.inline import InlineFigure
from adoption.outcomes import OUTCOMES
from adoption.result import SimulationResult

STATE_COLOURS = {
    "no_access": "#d9d9d9",
    "unaware": "#bdd7e7",
    "aware": "#6baed6",
    "trying": "#fdd49e",
    "active": "#31a354",
    "lapsed": "#fc8d59",
    "abandoned": "#d7301f",
    "rejecting": "#7a0177",
}


def adoption_figure(result: SimulationResult) -> Figure:
    """Stacked people per state by day; waves (lines), gates (labels), outages (spans)."""
    series = result.timeseries
    fig = InlineFigure(figsize=(11, 6), dpi=110)
    ax = fig.add_subplot()
    ax.stackplot(
        series["day"],
        [series[state] for state in STATE_NAMES],
        labels=[state.replace("_", " ") for state in STATE_NAMES],
        colors=[STATE_COLOURS[state] for state in STATE_NAMES],
        linewidth=0,
    )
    events = result.events
    for day in events.loc[events["kind"] == "wave", "day"]:
        ax.axvline(day, color="black", linewidth=1, linestyle="--")
    for _, outage in events[events["kind"] == "outage"].iterrows():
        ax.axvspan(outage["day"], outage["day"] + 1, color="black", alpha=0.15, linewidth=0)
    top = result.headcount
    for _, gate in events[events["kind"] == "gate"].iterrows():
        decision = gate["detail"].split(" ", 1)[0].rstrip(":")
        ax.annotate(
            f"gate: {decision}",
            (gate["day"], top),
            xytext=(3, -14),
            textcoords="offset points",
            fontsize=8,
            rotation=90,
            va="top",
        )
        ax.axvline(gate["day"], color="purple", linewidth=1.5)
    ax.set_xlim(series["day"].min(), series["day"].max())
    ax.set_ylim(0, top)
    ax.set_xlabel("day")
    ax.set_ylabel("people")
    adoption = OUTCOMES["adoption_rate"]
    ax.set_title(
        f"{result.scenario_name}: plan {result.plan}, seed {result.seed} — "
        f"{adoption.label} {result.metrics[adoption.name]:.0%} at day {series['day'].iloc[-1]:.0f}"
    )
    handles, labels = ax.get_legend_handles_labels()
    handles += [
        mpl.lines.Line2D([], [], color="black", linestyle="--"),
        mpl.lines.Line2D([], [], color="purple"),
        mpl.patches.Patch(color="black", alpha=0.15),
    ]
    labels += ["wave", "gate", "outage"]
    ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig
