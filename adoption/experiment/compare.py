"""Comparing rollout plans: the main job of the product."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from adoption.config import Scenario, load_scenario
from adoption.config.loading import Overrides, ScenarioSource
from adoption.errors import InputError
from adoption.experiment.design import RunSpec, design_runs, validate_samples
from adoption.experiment.executors import Executor, PoolExecutor
from adoption.experiment.preflight import compared_plans, preflight
from adoption.experiment.runner import SERIES, RunRecord, RunTask
from adoption.experiment.sampling import sample_uncertainties
from adoption.experiment.statistics import (
    Target,
    bands,
    paired_differences,
    risk,
    summarise,
)
from adoption.experiment.store import ResultStore

HEADLINE = [
    "adoption_rate",
    "reach",
    "abandonment_rate",
    "burned",
    "net_value",
    "value",
    "cost",
    "overload_days",
    "peak_support_wait_days",
    "time_to_25pct_days",
    "time_to_50pct_days",
    "time_to_75pct_days",
]


@dataclass
class Comparison:
    """Plans × samples × replications, and what they say.

    `runs`: one row per run (plan, sample, replication, seed, sampled values, every
    metric); `summary`: per plan and metric, mean, sd and a 95% t interval; `paired`:
    each plan minus the baseline on matching replications; `risk`: per plan, the
    probability of missing the target; `timeseries`: per plan and day, mean and
    10/50/90th percentiles of the key series; `failures`: runs that raised, with their
    seeds and errors.
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

    def ranking(self) -> pd.DataFrame:
        """Plans best first by the target's metric, with intervals and the risk."""
        higher_is_better = self.target.comparison in (">=", ">")
        table = self.summary.pivot(index="plan", columns="metric", values="mean")
        order = table[self.target.metric].sort_values(ascending=not higher_is_better).index
        rows = []
        for plan in order:
            row = {"plan": plan}
            for metric in ("adoption_rate", "abandonment_rate", "net_value"):
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
        columns = [c for c in self.runs if c.startswith("abandoned_because_")]
        frame = self.runs.groupby("plan", sort=False)[columns].mean().reindex(self.plans)
        frame.columns = [c.removeprefix("abandoned_because_") for c in columns]
        return frame

    def table(self) -> str:
        """The ranking as aligned text for a terminal."""
        lines = [
            f"{'plan':<18} {'adoption (95% CI)':<24} {'abandonment':<22} "
            f"{'net value':<30} P(miss {self.target})"
        ]
        for _, row in self.ranking().iterrows():
            lines.append(
                f"{row['plan']:<18} "
                f"{row['adoption_rate']:6.1%} [{row['adoption_rate_low']:.1%}, "
                f"{row['adoption_rate_high']:.1%}]  "
                f"{row['abandonment_rate']:6.1%} [{row['abandonment_rate_low']:.1%}, "
                f"{row['abandonment_rate_high']:.1%}]  "
                f"{row['net_value']:>11,.0f} [{row['net_value_low']:,.0f}, "
                f"{row['net_value_high']:,.0f}]  "
                f"{row['p_miss']:5.1%} [{row['p_miss_low']:.0%}, {row['p_miss_high']:.0%}]"
            )
        return "\n".join(lines)


def _check_plans(scenario: Scenario, plans: list[str] | None) -> list[str]:
    if scenario.classic:
        # a textbook rule has no rollout plan: the one "plan" is the rule itself
        if plans not in (None, [scenario.behaviour.rule]):
            raise InputError(
                f"a '{scenario.behaviour.rule}' scenario has no rollout plans to compare"
            )
        return [scenario.behaviour.rule]
    if plans is None:
        return list(scenario.plans)
    unknown = [p for p in plans if p not in scenario.plans]
    if unknown:
        raise InputError(
            f"unknown plan(s) {', '.join(unknown)} (the scenario has: {', '.join(scenario.plans)})"
        )
    if len(set(plans)) != len(plans):
        raise InputError(f"plans repeat: {', '.join(plans)}")
    return list(plans)


def compare(
    scenario: ScenarioSource = None,
    plans: list[str] | None = None,
    replications: int = 30,
    samples: int = 1,
    seed: int = 0,
    executor: Executor | None = None,
    *,
    overrides: Overrides = None,
    out: str | Path | None = None,
    target: str | Target = "adoption_rate>=0.5",
    baseline: str | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Run every plan × uncertainty sample × replication and compare the plans.

    Common random numbers: replication k uses the same seed for every plan and sample
    j the same uncertain values. With `out`, every finished run is stored at once and
    a repeated call resumes, computing only what is missing. `on_run(done, total)` is
    called as runs finish. The default executor is a process pool over all cores.
    """
    if replications < 1 or samples < 1:
        raise InputError("replications and samples must be at least 1")
    if not isinstance(scenario, Scenario) or overrides:
        scenario = load_scenario(scenario, overrides)
    preflight(scenario, plans, target, baseline, out)
    plans = _check_plans(scenario, plans)
    baseline = baseline or plans[0]
    if baseline not in plans:
        raise InputError(f"baseline '{baseline}' is not among the compared plans")
    target = target if isinstance(target, Target) else Target.parse(target)
    if target.metric not in HEADLINE and not target.metric.startswith("abandoned_because_"):
        raise InputError(
            f"--target: unknown metric '{target.metric}' (try one of {', '.join(HEADLINE)})"
        )
    sampled = sample_uncertainties(scenario.uncertainties, samples, seed)
    validate_samples(scenario, sampled)
    specs = design_runs(plans, sampled, replications, seed)
    store = ResultStore(out, scenario, seed, samples) if out is not None else None
    records: dict[RunSpec, RunRecord] = {}
    if store is not None:
        records = store.load_finished(specs)
    reused = len(records)
    pending = [spec for spec in specs if spec not in records]
    if on_run:
        on_run(reused, len(specs))
    failures = []
    if pending:
        executor = executor or PoolExecutor()
        payload = scenario.model_dump_json()
        for record in executor.map(RunTask(payload, spec) for spec in pending):
            if record.failed:
                failures.append(record)
            else:
                records[record.spec] = record
                if store is not None:
                    store.save(record)
            if on_run:
                on_run(len(records) + len(failures), len(specs))
    finished = [records[spec] for spec in specs if spec in records]
    plans = compared_plans(plans, baseline, finished, failures)
    runs = _runs_table(finished)
    series = pd.concat(
        [record.series.assign(plan=record.spec.plan) for record in finished], ignore_index=True
    )
    metrics = HEADLINE + [c for c in runs if c.startswith("abandoned_because_")]
    comparison = Comparison(
        scenario=scenario,
        plans=plans,
        baseline=baseline,
        target=target,
        replications=replications,
        samples=sampled,
        runs=runs,
        summary=summarise(runs, metrics),
        paired=paired_differences(runs, metrics, baseline),
        risk=risk(runs, target),
        timeseries=bands(series, list(SERIES)),
        failures=failures,
        computed=len(finished) - reused,
        reused=reused,
    )
    if out is not None:
        from adoption.experiment.report import write_comparison

        write_comparison(comparison, Path(out))
    return comparison


def _runs_table(records: list[RunRecord]) -> pd.DataFrame:
    rows = []
    for record in records:
        spec = record.spec
        rows.append(
            {
                "plan": spec.plan,
                "sample": spec.sample,
                "replication": spec.replication,
                "seed": spec.seed,
                **dict(spec.values),
                **record.metrics,
            }
        )
    return pd.DataFrame(rows)
