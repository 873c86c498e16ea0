"""Exploring plans across sampled worlds: where each plan wins, and which assumptions decide.

`explore` runs every plan × sampled world × replication on the same store, executors,
preflight checks and common random numbers as `compare`, then `analyse` reads the
finished runs (it never runs the model, and can be re-run on a finished sweep).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from adoption.config import Scenario, load_scenario
from adoption.config.loading import Overrides, ScenarioSource
from adoption.errors import InputError
from adoption.experiment import analysis
from adoption.experiment.compare import check_plans, run_design, runs_table
from adoption.experiment.design import (
    WORLD_SEEDING,
    check_size,
    design_runs,
    validate_samples,
)
from adoption.experiment.executors import Executor
from adoption.experiment.experiment_design import Design
from adoption.experiment.exploration import Exploration
from adoption.experiment.explore_report import write_exploration
from adoption.experiment.preflight import compared_plans, preflight
from adoption.experiment.sampling import given_design
from adoption.experiment.store import ResultStore
from adoption.outcomes import OUTCOMES

DEFAULT_METHOD = "morris"


def explore_samples(
    scenario: Scenario, method: str, samples: int, seed: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """The sampled worlds (one row each, one column per uncertainty, in design order) and
    the unit-cube design points they come from."""
    names = list(scenario.uncertainties)
    points = analysis.unit_design(method, names, samples, seed)
    probabilities = analysis.to_probabilities(points)
    frame = pd.DataFrame(
        {
            key: scenario.uncertainties[key].quantile(probabilities[:, column])
            for column, key in enumerate(names)
        }
    )
    frame.index.name = "sample"
    return frame, points


def explore(
    scenario: ScenarioSource,
    design: Design,
    *,
    method: str = DEFAULT_METHOD,
    overrides: Overrides = None,
    executor: Executor | None = None,
    out: str | Path | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> Exploration:
    """Run every plan in every world of `design` (`replications` each) and analyse where
    each plan wins. The design's `samples` are Sobol base samples (worlds = samples ×
    (d + 2)), Morris trajectories (samples × (d + 1)), or Latin hypercube worlds, by
    `method`. Each world has its own replication seeds, shared by every plan in it
    (`world_seeds`). With `out`, runs are stored as they finish and a repeated call
    resumes; the files and report.html are written there. The design's given `worlds`
    (e.g. joint posterior draws, one row a world) are run as given instead of sampled,
    analysed as a sample (`method` "lhs")."""
    plans, replications, seed = design.plan_list, design.replications, design.seed
    if method not in analysis.METHODS:
        raise InputError(f"--method: '{method}' is not one of {', '.join(analysis.METHODS)}")
    if not isinstance(scenario, Scenario) or overrides:
        scenario = load_scenario(scenario, overrides)
    count = analysis.design_rows(method, design.samples, len(scenario.uncertainties))
    count = count if design.worlds is None else design.samples
    check_size(len(plans) if plans else None, count, replications)
    preflight(scenario, plans, design.target, None, out)
    plans = check_plans(scenario, plans)
    check_size(len(plans), count, replications)
    if design.worlds is None:
        sampled, points = explore_samples(scenario, method, design.samples, seed)
        key = f"{method}:{design.samples}"
    else:
        sampled, points, key = given_design(list(scenario.uncertainties), method, design.worlds)
    validate_samples(scenario, sampled)
    specs = design_runs(plans, sampled, replications, seed, per_world=True)
    key = f"{key}:{WORLD_SEEDING}"
    store = ResultStore(out, scenario, seed, key) if out is not None else None
    records, failures, reused = run_design(scenario, specs, store, executor, on_run)
    finished = [records[spec] for spec in specs if spec in records]
    plans = compared_plans(plans, plans[0], finished, failures)
    compared = replace(design, plans=plans)
    exploration = analyse(scenario, compared, method, sampled, points, runs_table(finished))
    exploration.failures = failures
    exploration.computed = len(finished) - reused
    exploration.reused = reused
    if out is not None:
        write_exploration(exploration, Path(out))
    return exploration


def analyse(
    scenario: Scenario,
    design: Design,
    method: str,
    sampled: pd.DataFrame,
    points: np.ndarray,
    runs: pd.DataFrame,
) -> Exploration:
    """Every analysis of a finished sweep's runs of `design`'s plans, those that finished
    (no model runs)."""
    plans, target, rank_by, seed = design.plan_list, design.target, design.rank_by, design.seed
    replications = design.replications
    direction = OUTCOMES[rank_by].higher_is_better
    higher = True if direction is None else direction
    names = list(sampled.columns)
    means = analysis.world_means(runs, rank_by).reindex(columns=plans)
    complete = means.dropna().index  # worlds every plan finished in
    means = means.loc[complete]
    target_means = analysis.world_means(runs, target.metric).reindex(columns=plans).loc[complete]
    meets = target_means.apply(target.met)
    regret = analysis.regrets(means, higher)
    won = analysis.winners(means, higher)
    robust = analysis.robustness(means, meets, higher)
    best = analysis.most_robust(robust, higher)
    worlds = _worlds_table(sampled.loc[complete], means, regret, won, meets, rank_by)
    ranked = robust.sort_values("mean", ascending=not higher)["plan"].tolist()
    leaders = (ranked[0], ranked[1]) if len(ranked) > 1 else None

    # sensitivity needs every design point: Sobol and Morris read y in design order
    full = len(complete) == len(sampled)
    sensitivity, noise = [], []
    responses = {plan: means[plan] for plan in plans}
    if leaders is not None:
        responses[f"{leaders[0]} - {leaders[1]}"] = means[leaders[0]] - means[leaders[1]]
    paired = runs.pivot_table(index=["sample", "replication"], columns="plan", values=rank_by)
    replication_noise = np.nan  # in the world means of the leaders' difference
    for name, y in responses.items():
        if full:
            table = analysis.sensitivity_indices(
                method, names, points, y.to_numpy(float), seed=seed
            )
            sensitivity.append(table.assign(response=name, metric=rank_by))
        if " - " in name:
            first, second = leaders
            response = (paired[first] - paired[second]).dropna().rename("y").reset_index()
            column = "y"
            replication_noise = analysis.replication_noise(response, column)
        else:
            response, column = runs[runs["plan"] == name], rank_by
        noise.append(
            {
                "response": name,
                "metric": rank_by,
                "noise_share": analysis.noise_share(response, column),
                "noise_share_of_means": analysis.mean_noise_share(response, column),
            }
        )
    sensitivity = pd.concat(sensitivity, ignore_index=True) if sensitivity else pd.DataFrame()
    boxes, trajectories = _discover(sampled.loc[complete], means, target_means, target, leaders)
    voi = analysis.value_of_information(
        sampled.loc[complete], means, higher, replication_noise, replications, seed
    )
    return Exploration(
        scenario=scenario,
        plans=plans,
        method=method,
        rank_by=rank_by,
        target=target,
        replications=replications,
        samples=sampled,
        points=points,
        runs=runs,
        worlds=worlds,
        robustness=robust,
        best=best,
        sensitivity=sensitivity,
        boxes=boxes,
        trajectories=trajectories,
        voi=voi,
        noise=pd.DataFrame(noise),
        leaders=leaders,
    )


def _worlds_table(sampled, means, regret, won, meets, metric) -> pd.DataFrame:
    rows = []
    for plan in means.columns:
        rows.append(
            sampled.assign(
                plan=plan,
                **{metric: means[plan]},
                regret=regret[plan],
                won=(won == plan),
                meets_target=meets[plan],
                winner=won,
            ).reset_index()
        )
    return pd.concat(rows, ignore_index=True)


def _discover(sampled, means, target_means, target, leaders):
    rows, trajectories = [], {}
    questions = []
    if leaders is not None:
        first, second = leaders
        questions.append((f"{first} beats {second}", (means[first] > means[second]).to_numpy()))
        questions.append((f"{second} beats {first}", (means[second] > means[first]).to_numpy()))
        misses = ~target.met(target_means[first]).to_numpy(bool)
        questions.append((f"{first} misses {target}", misses))
    else:
        only = means.columns[0]
        questions.append((f"{only} misses {target}", ~target.met(target_means[only]).to_numpy()))
    for question, cases in questions:
        box = analysis.prim_box(sampled, cases)
        trajectories[question] = box.trajectory
        base = {
            "question": question,
            "share_of_worlds": float(np.mean(cases)),
            "coverage": box.coverage,
            "density": box.density,
            "mass": box.mass,
            "conditions": box.describe(),
        }
        if not box.limits:
            rows.append({**base, "uncertainty": "", "low": np.nan, "high": np.nan, "kept": True})
        for name, (low, high) in box.peeled.items():
            kept = name in box.limits
            rows.append(
                {**base, "uncertainty": name, "low": low, "high": high, "kept": kept}
                | {"quasi_p": box.quasi_p[name]}
            )
    return pd.DataFrame(rows), trajectories
