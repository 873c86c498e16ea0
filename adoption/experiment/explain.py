"""Why each plan's NPV differs from the baseline's: the difference split into its parts.

For every compared run, the same plan and the baseline run again on the same seed in
each counterfactual world of counterfactuals.py (the pipeline ready at launch, nothing
to learn, capacity sized before launch, every gate proceeding). A mechanism's part of
plan P's difference D = NPV(P) − NPV(baseline) is what the counterfactual takes away
from it: D − (NPV(P′) − NPV(baseline′)), paired by seed. What the parts do not account
for — value arriving later, and what the mechanisms share — is the remainder, so that
parts and remainder add up to D in every run, by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from adoption.config import Scenario
from adoption.experiment.counterfactuals import COUNTERFACTUALS
from adoption.experiment.executors import Executor, PoolExecutor
from adoption.experiment.runner import RunRecord, RunTask
from adoption.experiment.statistics import t_interval

TOTAL = "total difference"
REMAINDER = "the rest: when value arrives, and what the parts share"
KEY = ["sample", "replication"]

if TYPE_CHECKING:
    from adoption.experiment.comparison import Comparison


@dataclass
class Explanation:
    """The parts of each plan's NPV difference against the baseline (`parts`, one row per
    plan and part, with the paired mean, its 95% interval and the pairs), and the
    counterfactual runs that failed (left out of their pairs)."""

    parts: pd.DataFrame
    runs: int
    failures: list[RunRecord]


def counterfactual_runs(
    scenario: Scenario, finished: list[RunRecord], executor: Executor | None = None
) -> tuple[pd.DataFrame, list[RunRecord], int]:
    """Each finished run's NPV in every counterfactual world (its own NPV where the
    counterfactual changes nothing in it): columns plan, sample, replication, one per
    counterfactual; the failed runs; and how many runs were made."""
    base = {
        (record.spec.plan, record.spec.sample, record.spec.replication): record
        for record in finished
    }
    payload = scenario.model_dump_json()
    tasks = [
        RunTask(payload, record.spec, counterfactual=name)
        for record in finished
        for name in COUNTERFACTUALS
    ]
    rows: dict[tuple[str, int, int], dict[str, float]] = {}
    failures: list[RunRecord] = []
    made = 0
    for record in (executor or PoolExecutor()).map(tasks):
        key = (record.spec.plan, record.spec.sample, record.spec.replication)
        if record.failed:
            failures.append(record)
            continue
        if record.metrics.get("applies") is False:
            npv = base[key].metrics["npv"]
        else:
            made += 1
            npv = record.metrics["npv"]
        rows.setdefault(key, {})[record.counterfactual] = npv
    frame = pd.DataFrame(
        [
            {"plan": plan, "sample": sample, "replication": replication, **values}
            for (plan, sample, replication), values in rows.items()
        ],
        columns=["plan", *KEY, *COUNTERFACTUALS],
    )
    return frame, failures, made


def decompose(
    runs: pd.DataFrame, counterfactual: pd.DataFrame, baseline: str, currency: str
) -> pd.DataFrame:
    """Each plan's paired NPV difference against `baseline` and its parts: per pair, a
    part is the difference less the difference in its counterfactual world; the
    remainder is the difference less the parts."""
    actual = runs.set_index(["plan", *KEY])["npv"]
    worlds = (
        counterfactual.set_index(["plan", *KEY])
        .reindex(index=actual.index, columns=list(COUNTERFACTUALS))
        .astype(float)
    )
    rows = []
    for plan in dict.fromkeys(runs["plan"]):
        if plan == baseline:
            continue
        difference = actual.loc[plan] - actual.loc[baseline]
        parts = {
            COUNTERFACTUALS[name].part: difference
            - (worlds[name].loc[plan] - worlds[name].loc[baseline]).reindex(difference.index)
            for name in COUNTERFACTUALS
        }
        remainder = difference - sum(parts.values())
        for part, values in {TOTAL: difference, **parts, REMAINDER: remainder}.items():
            mean, _, low, high, n = t_interval(values.to_numpy(float))
            rows.append(
                {
                    "plan": plan,
                    "baseline": baseline,
                    "part": part,
                    "difference": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "n": n,
                    "currency": currency,
                }
            )
    return pd.DataFrame(rows)


def explain(
    scenario: Scenario,
    runs: pd.DataFrame,
    finished: list[RunRecord],
    baseline: str,
    executor: Executor | None = None,
) -> Explanation:
    """The parts of every plan's NPV difference against `baseline`, from paired
    counterfactual runs of the comparison's finished runs (`runs` is its table)."""
    worlds, failures, made = counterfactual_runs(scenario, finished, executor)
    parts = decompose(runs, worlds, baseline, scenario.economics.currency)
    return Explanation(parts=parts, runs=made, failures=failures)


def explanation_table(comparison: Comparison) -> str:
    """The parts of each plan's difference against the baseline, as text for a terminal."""
    why = comparison.why
    currency = why["currency"].iloc[0] if len(why) else ""
    lines = [f"\nwhy, against {comparison.baseline} ({currency} a run, 95% CI, paired seeds):"]
    for plan, rows in why.groupby("plan", sort=False):
        lines.append(f"  {plan}")
        for row in rows.itertuples():
            lines.append(
                f"    {row.part:<56} {row.difference:>+12,.0f} "
                f"[{row.ci_low:+,.0f}, {row.ci_high:+,.0f}]"
            )
    if comparison.why_failures:
        lines.append(f"  ({len(comparison.why_failures)} counterfactual run(s) failed, left out)")
    return "\n".join(lines)
