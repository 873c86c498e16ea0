"""The headline card: the one sentence a facilitator reads aloud, and when it may be read.

While runs arrive the ranking can change leader from one run to the next, so the card
says "provisional" until the ranking is settled: the first two plans' paired interval
(`Comparison.leading`) excludes zero, every plan's NPV interval lies below zero, or
every run is in. Settled, it says one of: "X is best by …", "a tie on this evidence: …"
or "no plan pays: …", with how sure (the paired interval, the pairs won) and, for the
plan it names, the chance of missing the room's target and how often its gates
stopped the project.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from adoption.experiment.comparison import Comparison
from adoption.outcomes import OUTCOMES
from adoption.wording import CURRENCY, percent, show, target_words

PROVISIONAL, BEST, TIE, NONE_PAYS, ONLY = "provisional", "best", "tie", "no plan pays", "only"


@dataclass(frozen=True)
class Headline:
    """What the card shows: its kind, one sentence, and how sure (plain words)."""

    kind: str
    title: str
    sure: str
    runs: str
    target: str
    stops: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def headline(
    comparison: Comparison,
    done: int,
    total: int,
    state: str,
    currency: str = CURRENCY,
) -> Headline:
    """The card for `comparison`: `done` of `total` runs in, the job `state` (queued,
    running, done, cancelled: a cancelled job's runs are partial, never all in)."""
    all_in = state == "done" and done >= total
    partial = ", partial: the run was cancelled" if state == "cancelled" else ""
    runs = f"{done} of {total} runs in{partial}"
    ranking = comparison.ranking()
    metric = comparison.rank_by
    label = OUTCOMES[metric].label
    lead = comparison.leading()
    npv_high = ranking["npv_high"].to_numpy(float)
    # "surely" needs two plans or more, each with an interval (two runs or more)
    measured = lead is not None and bool(np.all(np.isfinite(npv_high)))
    none_pays_surely = measured and bool(np.all(npv_high < 0))
    best = ranking.iloc[0]
    target, stops = _target_and_stops(comparison, best["plan"], currency)
    settled = all_in or none_pays_surely or (lead is not None and lead.clear)
    if not settled:
        so_far = (
            f"so far {lead.first} is ahead of {lead.second} on {label}, but the two are "
            "not yet told apart"
            if lead is not None
            else f"so far {best['plan']}'s {label} is {show(metric, best[metric], currency)}"
        )
        return Headline(PROVISIONAL, f"Provisional: {so_far}.", "", runs, target, stops)
    if bool(np.all(ranking["npv"].to_numpy(float) < 0)):
        surely = int((npv_high < 0).sum())
        title = (
            f"No plan pays: every plan loses money; the smallest loss is {best['plan']}'s, "
            f"NPV {show('npv', best['npv'], currency)}."
        )
        sure = (
            f"{surely} of {len(ranking)} plans lose money even at the top of their 95% interval "
            f"(best case for {best['plan']}: {show('npv', best['npv_high'], currency)})."
        )
        return Headline(NONE_PAYS, title, sure, runs, target, stops)
    if lead is None:
        title = f"{best['plan']} pays: NPV {show('npv', best['npv'], currency)}."
        sure = (
            f"95% interval {show('npv', best['npv_low'], currency)} to "
            f"{show('npv', best['npv_high'], currency)}."
        )
        return Headline(ONLY, title, sure, runs, target, stops)
    gap = show(metric, abs(lead.mean), currency)
    interval = f"{show(metric, lead.low, currency)} to {show(metric, lead.high, currency)}"
    won = f"{lead.first} did better in {lead.wins} of {lead.n} paired runs"
    if lead.clear:
        title = f"{lead.first} is best by {gap} {label} over {lead.second}."
        sure = f"Sure on this evidence: paired 95% interval {interval}, above zero; {won}."
        return Headline(BEST, title, sure, runs, target, stops)
    title = (
        f"A tie on this evidence: {lead.first} and {lead.second} differ by {gap} {label}, "
        "and the runs cannot tell which is better."
    )
    sure = f"Paired 95% interval {interval} includes zero; {won}."
    return Headline(TIE, title, sure, runs, target, stops)


def _target_and_stops(comparison: Comparison, plan: str, currency: str) -> tuple[str, str]:
    """For `plan`: its chance of missing the target, and how often a gate stopped it."""
    risk = comparison.risk.set_index("plan").loc[plan]
    target = (
        f"{plan} misses the target ({target_words(comparison.target, currency)}) in "
        f"{percent(risk['p_miss'])} of runs (95% interval {percent(risk['ci_low'])} to "
        f"{percent(risk['ci_high'])})."
    )
    decisions = comparison.runs[comparison.runs["plan"] == plan]["decision"]
    if (decisions == "none").all():
        return target, f"{plan} has no gate: nothing stops it."
    stopped = float((decisions == "stop").mean())
    stops = f"{plan}'s gates stopped the project in {percent(stopped)} of runs."
    return target, stops
