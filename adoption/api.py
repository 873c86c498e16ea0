"""The public experiment functions: `adoption.compare`, `adoption.explore`, `adoption.search`.

Each takes the keyword arguments users know (plans, replications, samples, seed, target,
...) or one `design=Design(...)` holding them, not both, and runs the experiment layer's
function on that `Design`. A keyword left out keeps the function's default design's value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from adoption.config.loading import Overrides, ScenarioSource
from adoption.experiment import compare as comparing
from adoption.experiment import explore as exploring
from adoption.experiment.comparison import Comparison
from adoption.experiment.executors import Executor
from adoption.experiment.experiment_design import Design, design_of
from adoption.experiment.exploration import Exploration
from adoption.experiment.explore import DEFAULT_METHOD
from adoption.experiment.statistics import Target
from adoption.search import searching
from adoption.search.objectives import DEFAULT_OBJECTIVE
from adoption.search.searching import DEFAULT_PROPOSER, Search

COMPARE = Design(replications=30, samples=1)
"""`compare`'s design unless told otherwise: the scenario as written, 30 replications."""
EXPLORE = Design(samples=10, replications=2)
"""`explore`'s: 10 base samples of the method, 2 replications in each world."""
SEARCH = Design(samples=8, replications=2, target=searching.DEFAULT_TARGET)
"""`search`'s: 8 sampled worlds × 2 seeds; satisfice counts runs with a positive NPV."""


def compare(
    scenario: ScenarioSource = None,
    plans: list[str] | None = None,
    replications: int | None = None,
    samples: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    *,
    design: Design | None = None,
    overrides: Overrides = None,
    out: str | Path | None = None,
    target: str | Target | None = None,
    baseline: str | None = None,
    rank_by: str | None = None,
    worlds: pd.DataFrame | None = None,
    on_run: Callable[[int, int], None] | None = None,
    explain: bool = False,
) -> Comparison:
    """Run every plan × world × replication and compare the plans (defaults: all plans,
    30 replications, the scenario as written, seed 0, target adoption_rate>=0.5, ranked
    by npv); `design=Design(...)` instead of plans ... worlds.

    Common random numbers: every plan runs on the same seeds and world j on the same
    uncertain values; `samples` > 1 samples worlds from the scenario's uncertainties and
    `worlds` (one row a world, e.g. joint posterior draws) gives them. With `out`, every
    finished run is stored at once and a repeated call resumes. `on_run(done, total)` is
    called as runs finish; the default executor is a process pool over all cores. With
    `explain`, each plan's NPV difference against the `baseline` (default: the first
    plan) is split into its parts by paired counterfactual runs, as `comparison.why`.
    """
    chosen = design_of(
        design,
        COMPARE,
        plans=plans,
        replications=replications,
        samples=samples,
        seed=seed,
        target=target,
        rank_by=rank_by,
        worlds=worlds,
    )
    return comparing.compare(
        scenario,
        chosen,
        overrides=overrides,
        baseline=baseline,
        explain=explain,
        executor=executor,
        out=out,
        on_run=on_run,
    )


def explore(
    scenario: ScenarioSource = None,
    plans: list[str] | None = None,
    samples: int | None = None,
    replications: int | None = None,
    method: str = DEFAULT_METHOD,
    seed: int | None = None,
    executor: Executor | None = None,
    *,
    design: Design | None = None,
    overrides: Overrides = None,
    out: str | Path | None = None,
    target: str | Target | None = None,
    rank_by: str | None = None,
    worlds: pd.DataFrame | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> Exploration:
    """Run every plan in every sampled world and analyse where each plan wins (defaults:
    all plans, 10 samples, 2 replications, seed 0, target adoption_rate>=0.5, regret in
    npv); `design=Design(...)` instead of plans ... worlds.

    `samples`: Sobol base samples (worlds = samples × (d + 2)), Morris trajectories
    (samples × (d + 1)), or Latin hypercube worlds, by `method`. Each world has its own
    replication seeds, shared by every plan in it. With `out`, runs are stored as they
    finish, a repeated call resumes, and the files and report.html are written there.
    `worlds` (e.g. joint posterior draws, one row a world) are run as given, analysed as
    a sample (`method` "lhs").
    """
    chosen = design_of(
        design,
        EXPLORE,
        plans=plans,
        replications=replications,
        samples=samples,
        seed=seed,
        target=target,
        rank_by=rank_by,
        worlds=worlds,
    )
    return exploring.explore(
        scenario,
        chosen,
        method=method,
        overrides=overrides,
        executor=executor,
        out=out,
        on_run=on_run,
    )


def search(
    scenario: ScenarioSource = None,
    budget: int = 300,
    objective: str = DEFAULT_OBJECTIVE,
    target: str | Target | None = None,
    requirements: Sequence[str] = (),
    worlds: int | None = None,
    replications: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    *,
    design: Design | None = None,
    proposer: str = DEFAULT_PROPOSER,
    overrides: Overrides = None,
    out: str | Path | None = None,
    on_run: Callable[[int], None] | None = None,
) -> Search:
    """Search the scenario's plan template (its `search` section) for the best plan
    (defaults: 8 worlds × 2 seeds, seed 0, target npv>=0); `design=Design(samples=...,
    replications=..., seed=..., target=...)` instead of target, worlds, replications and
    seed.

    Every candidate runs on the same (world, seed) pairs; successive halving spends the
    search's share of `budget` runs; the finalists and the best incumbent are re-run on
    fresh worlds and seeds. `proposer`: "halton" or "tpe" (the `search` extra). With
    `out`, every run is stored as it finishes and a repeated call resumes.
    `on_run(spent)` is called as runs finish.
    """
    chosen = design_of(
        design,
        SEARCH,
        {"samples": "worlds"},
        samples=worlds,
        replications=replications,
        seed=seed,
        target=target,
    )
    return searching.search(
        scenario,
        chosen,
        budget=budget,
        objective=objective,
        requirements=requirements,
        proposer=proposer,
        overrides=overrides,
        executor=executor,
        out=out,
        on_run=on_run,
    )
