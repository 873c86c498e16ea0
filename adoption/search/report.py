"""A search's files: leaderboard, best-plan.yaml, trials, gate characteristics, figures,
the manifest, and a self-contained HTML report in compare's style (written last)."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from adoption.experiment.report import _table, page_head
from adoption.files import write_atomically
from adoption.inline import InlineFigure
from adoption.search.objectives import LABELS
from adoption.search.proposer import TPE_BATCH
from adoption.search.summary import (
    best_plan_yaml,
    convergence,
    gate_characteristics,
    leaderboard,
    pairing,
    slices,
)
from adoption.wording import money

if TYPE_CHECKING:
    from adoption.search.searching import Search

TRIAL_COLUMNS = (
    "plan",
    "phase",
    "sample",
    "replication",
    "seed",
    "npv",
    "adoption_rate",
    "abandonment_rate",
    "decision",
    "decision_day",
)


def trials_table(search: Search) -> pd.DataFrame:
    """Every run once: the plan, its parameters (a candidate's), the world and seed,
    whether it was a search or a fresh run, and its headline outcomes."""
    trials = search.trials
    phase = (trials["sample"] >= search.worlds) | (trials["replication"] >= search.replications)
    trials = trials.assign(phase=phase.map({True: "fresh", False: "search"}))
    columns = [c for c in TRIAL_COLUMNS if c in trials]
    uncertain = list(search.scenario.uncertainties)
    frame = trials[columns + [c for c in uncertain if c in trials]]
    parameters = pd.DataFrame(
        [{"plan": name, **c.parameters()} for name, c in search.candidates.items()]
    )
    if not parameters.empty:
        frame = frame.merge(parameters, on="plan", how="left")
    return frame.sort_values(["plan", "sample", "replication"], kind="stable")


def manifest(search: Search) -> dict:
    """What a search was: seed, budget, batch, design, objective, versions."""
    from adoption.search.searching import versions

    return {
        "seed": search.seed,
        "budget": search.budget,
        "proposer": search.proposer,
        "batch": TPE_BATCH if search.proposer == "tpe" else len(search.candidates),
        "worlds": search.worlds,
        "replications": search.replications,
        "objective": search.goal.objective,
        "target": str(search.goal.target),
        "requirements": [str(r) for r in search.goal.requirements],
        "halving": {"rate": search.schedule.rate, "pairs_per_rung": list(search.schedule.pairs)},
        "candidates": len(search.candidates),
        "invalid_candidates": len(search.proposal.invalid),
        "repeated_candidates": search.proposal.repeated,
        "runs_spent": search.runs_spent,
        "finalists": search.finals.finalists,
        "best": search.best,
        "indistinguishable": search.finals.indistinguishable,
        "tolerance": search.finals.tolerance,
        "bound_level": search.finals.level,
        "versions": versions(),
    }


def convergence_figure(search: Search) -> InlineFigure:
    """The best candidate's and best incumbent's score at each rung, by runs spent, and
    the winner's fresh estimate at the end."""
    table = convergence(search)
    fig = InlineFigure(figsize=(8, 4.5), dpi=110)
    ax = fig.add_subplot()
    ax.plot(table["runs_spent"], table["best_candidate_score"], "o-", label="best candidate")
    ax.plot(table["runs_spent"], table["best_incumbent_score"], "s--", label="best incumbent")
    board = leaderboard(search).set_index("plan")
    if search.goal.objective == "mean":
        ax.errorbar(
            [search.runs_spent],
            [board.loc[search.best, "npv"]],
            yerr=[
                [board.loc[search.best, "npv"] - board.loc[search.best, "npv_ci_low"]],
                [board.loc[search.best, "npv_ci_high"] - board.loc[search.best, "npv"]],
            ],
            fmt="D",
            color="black",
            label=f"{search.best} on fresh runs",
        )
    ax.set_xlabel("runs spent")
    ax.set_ylabel(LABELS[search.goal.objective])
    ax.set_title("Search convergence: successive halving rungs")
    ax.legend(loc="best")
    fig.tight_layout()
    return fig


def slices_figure(search: Search) -> InlineFigure:
    """One-factor slices: every candidate's first-rung score against its pilot share and
    its gate threshold (all candidates on the same pairs there)."""
    points = slices(search)
    fig = InlineFigure(figsize=(12, 4.2), dpi=110)
    panels = (
        ("pilot_share", "pilot share (random, stratified)", points["pilot_share"] > 0),
        ("gate_confidence", "business-case gate confidence", points["gate_confidence"] > 0),
        ("accuracy_threshold", "checked-accuracy threshold", points["accuracy_threshold"] > 0),
    )
    for position, (column, label, shown) in enumerate(panels, start=1):
        ax = fig.add_subplot(1, 3, position)
        chosen = points[shown] if not points.empty else points
        if not chosen.empty:
            ax.scatter(chosen[column], chosen["score"], s=14, alpha=0.7)
        ax.set_xlabel(label)
        if position == 1:
            ax.set_ylabel(f"{LABELS[search.goal.objective]} (first rung)")
    fig.suptitle("One-factor slices of the searched plans")
    fig.tight_layout()
    return fig


def report_html(search: Search, figures: dict[str, bytes]) -> str:
    """A self-contained page whose first paragraph says what to do and how sure it is."""
    board = leaderboard(search)
    gates = gate_characteristics(search)
    saved = pairing(search)
    best_set = search.finals.indistinguishable
    sure = (
        f"<b>{html.escape(search.best)}</b> is the clear winner on fresh runs"
        if search.finals.clear_winner
        else f"no clear winner: {', '.join(html.escape(p) for p in best_set)} are "
        "indistinguishable on fresh runs"
    )
    images = "".join(
        f'<figure><img alt="{name}" src="data:image/png;base64,'
        f'{base64.b64encode(data).decode()}"/></figure>'
        for name, data in figures.items()
    )
    invalid = len(search.proposal.invalid)
    head = page_head(f"Plan search: {search.scenario.name}")
    tolerance = money(search.finals.tolerance, search.scenario.economics.currency)
    shown = board.drop(columns=["description"])
    return f"""{head}<h1>Which plan pays best? {html.escape(search.scenario.name)}</h1>
<p class="answer">{sure} (objective: {html.escape(LABELS[search.goal.objective])}; tolerance
{tolerance} of NPV). Recommended: {html.escape(search.best_plan().description)}</p>
<p>{len(search.candidates)} candidates ({invalid} invalid proposals cost no run) and
{len(search.incumbents)} incumbent plans raced by successive halving over {search.worlds}
worlds × {search.replications} seeds ({len(search.race.rungs)} rungs, pairs per rung
{", ".join(str(p) for p in search.schedule.pairs)}); {len(search.finals.finalists)} finalists
re-run on {search.finals.pairs_used} fresh (world, seed) pairs never used in the search.
{search.runs_spent} of {search.budget} runs spent. Pairing: NPVs of two plans on the same pair
correlate {saved["mean_correlation"]:.2f} on average, which removed
{saved["variance_saved"]:.0%} of the variance of a difference.</p>
<h2>Leaderboard (fresh runs)</h2>{_table(shown)}
<p>The optimism gap is the search's mean NPV for a plan minus its mean on fresh runs:
the winner's curse, which selecting the best of many noisy estimates always has. A
finalist is ruled out when another is shown better by more than the tolerance
(one-sided bounds at {search.finals.level:.4f}, corrected for the comparisons and the
looks).</p>
<h2>The recommended plan's gate</h2>{_table(gates)}
<h2>best-plan.yaml</h2><pre>{html.escape(best_plan_yaml(search))}</pre>
<h2>Figures</h2>{images}
</body></html>
"""


def write_search(search: Search, directory: Path) -> list[Path]:
    """leaderboard.csv, best-plan.yaml, trials.csv, gates.csv, convergence.csv,
    invalid.csv, search.json, figures, and report.html last (its presence means the set
    is complete). The same search writes the same bytes whatever ran its runs."""
    figures = {
        "convergence.png": convergence_figure(search).png(),
        "slices.png": slices_figure(search).png(),
    }
    invalid = pd.DataFrame(
        [{**c.parameters(), "reason": reason} for c, reason in search.proposal.invalid]
    )
    files = {
        "leaderboard.csv": leaderboard(search).to_csv(index=False).encode(),
        "best-plan.yaml": best_plan_yaml(search).encode(),
        "trials.csv": trials_table(search).to_csv(index=False).encode(),
        "gates.csv": gate_characteristics(search).to_csv(index=False).encode(),
        "convergence.csv": convergence(search).to_csv(index=False).encode(),
        "invalid.csv": invalid.to_csv(index=False).encode(),
        "search.json": (json.dumps(manifest(search), indent=2) + "\n").encode(),
        **figures,
    }
    files["report.html"] = report_html(search, figures).encode()
    written = []
    for name, data in files.items():
        write_atomically(directory / name, data)
        written.append(directory / name)
    return written
