"""An exploration's files: worlds, robustness, sensitivity, boxes, VOI, figures, report.html."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
import pandas as pd

from adoption.experiment import analysis
from adoption.experiment.report import _parquet_bytes, _table, page_head
from adoption.files import write_atomically
from adoption.inline import InlineFigure
from adoption.outcomes import OUTCOMES

if TYPE_CHECKING:
    from adoption.experiment.exploration import Exploration


def sensitivity_figure(exploration: Exploration) -> InlineFigure:
    """Sobol total/first-order (or Morris mu*) bars per response."""
    table = exploration.sensitivity
    responses = list(dict.fromkeys(table["response"])) if not table.empty else []
    fig = InlineFigure(figsize=(11, 2.2 + 1.6 * max(len(responses), 1)), dpi=100)
    if not responses:
        fig.text(0.5, 0.5, "no sensitivity indices (incomplete design)", ha="center")
        return fig
    column = analysis.importance_column(exploration.method)
    for index, response in enumerate(responses):
        ax = fig.add_subplot(len(responses), 1, index + 1)
        mine = table[table["response"] == response].sort_values(column)
        y = np.arange(len(mine))
        if exploration.method == "sobol":
            ax.barh(y + 0.2, mine["ST"], 0.4, xerr=mine["ST_conf"], label="total", color="#3182bd")
            ax.barh(y - 0.2, mine["S1"], 0.4, xerr=mine["S1_conf"], label="first", color="#9ecae1")
            ax.legend(loc="lower right", fontsize=7)
        else:
            conf = mine.get(f"{column}_conf")
            ax.barh(y, mine[column], xerr=conf, color="#3182bd")
        ax.set_yticks(y, mine["uncertainty"], fontsize=7)
        ax.set_title(f"{response}: {column}", fontsize=9)
    fig.tight_layout()
    return fig


def regret_figure(exploration: Exploration) -> InlineFigure:
    """The distribution of each plan's regret across worlds."""
    fig = InlineFigure(figsize=(9, 4), dpi=100)
    ax = fig.add_subplot()
    data = [
        exploration.worlds.loc[exploration.worlds["plan"] == plan, "regret"].to_numpy()
        for plan in exploration.plans
    ]
    ax.boxplot(data, tick_labels=exploration.plans)
    ax.set_ylabel(f"regret in {OUTCOMES[exploration.rank_by].label}")
    ax.set_title("Regret per plan across sampled worlds (0 = best in that world)")
    fig.tight_layout()
    return fig


def box_figure(exploration: Exploration) -> InlineFigure:
    """The leaders' worlds on the two most important uncertainties, won/lost, with the box."""
    fig = InlineFigure(figsize=(6.5, 5), dpi=100)
    ax = fig.add_subplot()
    if exploration.leaders is None:
        return fig
    first, second = exploration.leaders
    numeric = [
        name
        for name in exploration.ranked(f"{first} - {second}")
        if np.issubdtype(exploration.samples[name].dtype, np.number)
    ][:2]
    if len(numeric) < 2:
        return fig
    x_name, y_name = numeric
    wide = exploration.worlds.pivot_table(
        index="sample", columns="plan", values=exploration.rank_by
    )
    sampled = exploration.samples.loc[wide.index]
    wins = (wide[first] > wide[second]).to_numpy()
    ax.scatter(
        sampled[x_name][wins], sampled[y_name][wins], s=10, c="#2ca25f", label=f"{first} wins"
    )
    ax.scatter(
        sampled[x_name][~wins], sampled[y_name][~wins], s=10, c="#de2d26", label=f"{second} wins"
    )
    box = exploration.box(f"{first} beats {second}")
    limits = {row.uncertainty: (row.low, row.high) for row in box.itertuples() if row.uncertainty}
    if limits:
        (x0, x1) = limits.get(x_name, (sampled[x_name].min(), sampled[x_name].max()))
        (y0, y1) = limits.get(y_name, (sampled[y_name].min(), sampled[y_name].max()))
        ax.add_patch(mpl.patches.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, lw=2))
    ax.set_xlabel(x_name)
    ax.set_ylabel(y_name)
    ax.set_title(f"PRIM box: where {first} beats {second}", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def peeling_figure(exploration: Exploration) -> InlineFigure:
    """Coverage against density along each PRIM peeling trajectory."""
    fig = InlineFigure(figsize=(6.5, 5), dpi=100)
    ax = fig.add_subplot()
    for question, trajectory in exploration.trajectories.items():
        if len(trajectory):
            ax.plot(trajectory["coverage"], trajectory["density"], marker=".", label=question)
    ax.set_xlabel("coverage")
    ax.set_ylabel("density")
    ax.set_title("PRIM peeling trajectories", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def report_html(exploration: Exploration, figures: dict[str, bytes]) -> str:
    """A self-contained page, whose first paragraph answers the question."""
    scenario = exploration.scenario
    ranges = "".join(
        f"<li>{html.escape(key)}: {html.escape(_range(u))}</li>"
        for key, u in scenario.uncertainties.items()
    )
    images = "".join(
        f'<figure><img alt="{name}" src="data:image/png;base64,'
        f'{base64.b64encode(data).decode()}"/></figure>'
        for name, data in figures.items()
    )
    worlds = len(exploration.samples)
    failures = (
        f"<p class='warn'>{len(exploration.failures)} run(s) failed and are left out.</p>"
        if exploration.failures
        else ""
    )
    head = page_head(f"Decisions under uncertainty: {scenario.name}")
    return f"""{head}<h1>Which plan, whatever the world? {html.escape(scenario.name)}</h1>
<p class="answer">{exploration.summary(html_escape=True)}</p>
<p>{worlds} worlds sampled by {exploration.method} × {exploration.replications}
replication(s) × {len(exploration.plans)} plans over {scenario.horizon_days} days;
every plan sees the same worlds and, within a world, the same random streams (each world
has its own). Uncertain:</p><ul>{ranges}</ul>
{failures}
<h2>Robustness ({html.escape(OUTCOMES[exploration.rank_by].label)})</h2>
{_table(exploration.robustness_shown())}
<h2>Sensitivity (replication means; noise share below)</h2>{_table(exploration.sensitivity)}
{_table(exploration.noise)}
<h2>Scenario discovery (PRIM)</h2>{_table(exploration.boxes)}
<h2>Value of information (EVPPI)</h2>{_table(exploration.voi_shown())}
<h2>Figures</h2>{images}
</body></html>
"""


def _range(uncertainty) -> str:
    kind = uncertainty.distribution
    if kind == "uniform":
        return f"uniform {uncertainty.low:g} to {uncertainty.high:g}"
    if kind == "triangular":
        return f"triangular {uncertainty.low:g}, {uncertainty.mode:g}, {uncertainty.high:g}"
    if kind in ("normal", "lognormal"):
        return f"{kind} mean {uncertainty.mean:g}, sd {uncertainty.sd:g}"
    return "one of " + ", ".join(str(v) for v in uncertainty.values)


def write_exploration(exploration: Exploration, directory: Path) -> list[Path]:
    """worlds.parquet, robustness.csv, sensitivity.csv, boxes.csv, voi.csv, noise.csv,
    peeling.csv, figures, and report.html last (its presence means the set is complete)."""
    figures = {
        "sensitivity.png": sensitivity_figure(exploration).png(),
        "regret.png": regret_figure(exploration).png(),
        "prim_box.png": box_figure(exploration).png(),
        "peeling.png": peeling_figure(exploration).png(),
    }
    peeling = [
        trajectory.assign(question=question)
        for question, trajectory in exploration.trajectories.items()
    ]
    files = {
        "worlds.parquet": _parquet_bytes(exploration.worlds),
        "robustness.csv": exploration.robustness.to_csv(index=False).encode(),
        "sensitivity.csv": exploration.sensitivity.to_csv(index=False).encode(),
        "noise.csv": exploration.noise.to_csv(index=False).encode(),
        "boxes.csv": exploration.boxes.to_csv(index=False).encode(),
        "peeling.csv": (pd.concat(peeling, ignore_index=True) if peeling else pd.DataFrame())
        .to_csv(index=False)
        .encode(),
        "voi.csv": exploration.voi.to_csv(index=False).encode(),
        **figures,
    }
    files["report.html"] = report_html(exploration, figures).encode()
    written = []
    for name, data in files.items():
        write_atomically(directory / name, data)
        written.append(directory / name)
    return written
