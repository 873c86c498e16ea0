"""Comparing rollout plans: the main job of the product."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from adoption.config import Scenario, load_scenario
from adoption.config.loading import Overrides, ScenarioSource
from adoption.errors import InputError
from adoption.experiment.comparison import DEFAULT_RANK_BY, Comparison
from adoption.experiment.design import (
    WORLD_SEEDING,
    RunSpec,
    check_size,
    design_runs,
    validate_samples,
)
from adoption.experiment.executors import Executor, PoolExecutor
from adoption.experiment.experiment_design import Design
from adoption.experiment.explain import explain as explain_parts
from adoption.experiment.preflight import compared_plans, preflight
from adoption.experiment.report import write_comparison
from adoption.experiment.runner import SERIES, RunRecord, RunTask
from adoption.experiment.sampling import comparison_samples, given_worlds, worlds_digest
from adoption.experiment.statistics import Target, bands, paired_differences, risk, summarise
from adoption.experiment.store import ResultStore
from adoption.outcomes import COMPARED


def check_plans(scenario: Scenario, plans: list[str] | None) -> list[str]:
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
    scenario: ScenarioSource,
    design: Design,
    *,
    overrides: Overrides = None,
    baseline: str | None = None,
    explain: bool = False,
    executor: Executor | None = None,
    out: str | Path | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Run every plan × world × replication of `design` and compare the plans.

    Common random numbers: every plan runs on the same seeds and world j on the same
    uncertain values. The scenario as written (one sample) gives replication k the same
    seed in every plan; sampled or given worlds each have their own replication seeds
    (`world_seeds`), shared by every plan in the world. With `out`, every finished run
    is stored at once and a repeated call resumes, computing only what is missing.
    `on_run(done, total)` is called as runs finish. The default executor is a process
    pool over all cores. With `explain`, each plan's NPV difference against the
    `baseline` (default: the first plan) is split into its parts by paired
    counterfactual runs (explain.py; about three more runs per run, not stored: a
    resumed comparison runs them again), as `comparison.why`.
    """
    plans, samples, replications, seed = (
        design.plan_list,
        design.samples,
        design.replications,
        design.seed,
    )
    check_size(len(plans) if plans else None, samples, replications)
    if not isinstance(scenario, Scenario) or overrides:
        scenario = load_scenario(scenario, overrides)
    preflight(scenario, plans, design.target, baseline, out)
    plans = check_plans(scenario, plans)
    check_size(len(plans), samples, replications)
    baseline = baseline or plans[0]
    if baseline not in plans:
        raise InputError(f"baseline '{baseline}' is not among the compared plans")
    if design.worlds is None:
        sampled, key = comparison_samples(scenario.uncertainties, samples, seed), samples
    else:
        sampled, _ = given_worlds(list(scenario.uncertainties), design.worlds)
        key = f"worlds:{worlds_digest(sampled)}"
    validate_samples(scenario, sampled)
    sampled_worlds = samples > 1
    specs = design_runs(plans, sampled, replications, seed, per_world=sampled_worlds)
    if sampled_worlds:
        key = f"{key}:{WORLD_SEEDING}"
    store = ResultStore(out, scenario, seed, key) if out is not None else None
    records, failures, reused = run_design(scenario, specs, store, executor, on_run, regret=True)
    finished = [records[spec] for spec in specs if spec in records]
    plans = compared_plans(plans, baseline, finished, failures)
    comparison = build_comparison(
        scenario,
        plans,
        baseline,
        design.target,
        replications,
        sampled,
        finished,
        failures,
        design.rank_by,
    )
    comparison.computed, comparison.reused = len(finished) - reused, reused
    if explain:
        explanation = explain_parts(scenario, comparison.runs, finished, baseline, executor)
        comparison.why, comparison.why_runs = explanation.parts, explanation.runs
        comparison.why_failures = explanation.failures
    if out is not None:
        write_comparison(comparison, Path(out))
    return comparison


def build_comparison(
    scenario: Scenario,
    plans: list[str],
    baseline: str,
    target: Target,
    replications: int,
    samples: pd.DataFrame,
    finished: list[RunRecord],
    failures: list[RunRecord],
    rank_by: str = DEFAULT_RANK_BY,
) -> Comparison:
    """What finished runs say: summaries, paired differences, risk and bands, over the
    headline outcomes, the causes of abandonment, the target's and the ranking's."""
    runs = runs_table(finished)
    series = pd.concat(
        [record.series.assign(plan=record.spec.plan) for record in finished], ignore_index=True
    )
    metrics = list(dict.fromkeys([*COMPARED, target.metric, rank_by]))
    return Comparison(
        scenario=scenario,
        plans=plans,
        baseline=baseline,
        target=target,
        replications=replications,
        samples=samples,
        runs=runs,
        summary=summarise(runs, metrics),
        paired=paired_differences(runs, metrics, baseline),
        risk=risk(runs, target),
        timeseries=bands(series, list(SERIES)),
        failures=list(failures),
        computed=len(finished),
        rank_by=rank_by,
    )


def run_design(
    scenario: Scenario,
    specs: list[RunSpec],
    store: ResultStore | None,
    executor: Executor | None,
    on_run: Callable[[int, int], None] | None = None,
    regret: bool = False,
) -> tuple[dict[RunSpec, RunRecord], list[RunRecord], int]:
    """Run every spec not already in the store, storing each as it finishes; with
    `regret`, each gated run with its first gate's counterfactuals (`gate_regret`).

    Returns the finished records by spec, the failed runs, and how many were reused.
    Shared by `compare` and `explore`: one store, one set of executors.
    """
    records: dict[RunSpec, RunRecord] = {}
    if store is not None:
        records = store.load_finished(specs)
    reused = len(records)
    pending = [spec for spec in specs if spec not in records]
    if on_run:
        on_run(reused, len(specs))
    failures: list[RunRecord] = []
    if pending:
        executor = executor or PoolExecutor()
        payload = scenario.model_dump_json()
        for record in executor.map(RunTask(payload, spec, regret) for spec in pending):
            if record.failed:
                failures.append(record)
            else:
                records[record.spec] = record
                if store is not None:
                    store.save(record)
            if on_run:
                on_run(len(records) + len(failures), len(specs))
    return records, failures, reused


def runs_table(records: list[RunRecord]) -> pd.DataFrame:
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
