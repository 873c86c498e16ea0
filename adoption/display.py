"""How results show themselves in a notebook (`_repr_html_`): the headline numbers with
their units and intervals, a small figure, and where to look next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adoption.outcomes import OUTCOMES
from adoption.templating import Markup, render

if TYPE_CHECKING:
    from adoption.calibration.calibrate import Calibration
    from adoption.experiment.comparison import Comparison
    from adoption.experiment.exploration import Exploration
    from adoption.result import SimulationResult

RUN_OUTCOMES = ("adoption_rate", "reach", "abandonment_rate", "burned", "npv", "npv_1y")


def _small(figure, width: float = 7.5, height: float = 3.8) -> str:
    figure.set_size_inches(width, height)
    figure.set_dpi(80)
    figure.tight_layout()
    return figure.data_uri()


def run_html(result: SimulationResult) -> str:
    """A run: what it was, its headline outcomes, its gates and its curve."""
    rows = [
        (OUTCOMES[name].label, OUTCOMES[name].show(result.metrics[name])) for name in RUN_OUTCOMES
    ]
    rows.append(("decision", str(result.metrics["decision"])))
    gates = result.events[result.events["kind"] == "gate"]
    return render(
        "run.html",
        title=f"{result.scenario_name} / plan {result.plan} / seed {result.seed}: "
        f"{result.headcount:,} people, {len(result.timeseries)} days",
        outcomes=rows,
        gates=[{"day": f"{g.day:.0f}", "detail": g.detail} for g in gates.itertuples()],
        figure=_small(result.plot.adoption()),
    )


def comparison_html(comparison: Comparison) -> str:
    """A comparison: the ranked table with intervals (the report's, in plain words with
    the currency), the verdict and the curves."""
    from adoption.experiment.report import verdict
    from adoption.experiment.tables import ranking

    runs = len(comparison.runs)
    return render(
        "comparison.html",
        title=f"{comparison.scenario.name}: {len(comparison.plans)} plans, {runs} runs, "
        f"ranked by {OUTCOMES[comparison.rank_by].label}",
        ranking=Markup(ranking(comparison).html()),  # every heading and cell escaped
        verdict=Markup(verdict(comparison)),  # names escaped by verdict()
        figure=_small(comparison.plot.adoption()),
    )


def exploration_html(exploration: Exploration) -> str:
    """An exploration: the answer in plain words and the robustness table, as the
    terminal and the report show it."""
    shown = exploration.robustness_shown()
    worlds = len(exploration.worlds) // max(len(exploration.plans), 1)
    return render(
        "exploration.html",
        title=f"{exploration.scenario.name}: {len(exploration.plans)} plans across {worlds} "
        f"sampled worlds ({exploration.method})",
        answer=exploration.summary(),
        headings=list(shown.columns),
        rows=shown.to_numpy().tolist(),
    )


def calibration_html(calibration: Calibration) -> str:
    """A calibration: each parameter's posterior against its prior, and the fit."""
    rows = [
        [
            row.parameter,
            f"{row.mean:.4g}",
            f"{row.q05:.4g} to {row.q95:.4g}",
            f"{row.sd:.3g} (prior {row.prior_sd:.3g})",
            "yes" if row.informed else "no",
        ]
        for row in calibration.summary.itertuples()
    ]
    generations = calibration.generations
    return render(
        "calibration.html",
        title=f"Calibrated to {calibration.plan}'s telemetry: {len(calibration.fit)} "
        f"parameter(s), {int(generations['simulations'].sum()):,} simulations",
        headings=["parameter", "posterior mean", "90% interval", "sd", "informed"],
        rows=rows,
        fit=f"The posterior predictive 90% band covers {calibration.coverage:.0%} of the "
        "observations.",
    )
