"""`adoption.search`: the rollout plan that pays best across what we cannot know, with how
sure the search is (the set of plans indistinguishable from the best, the optimism gap)."""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from adoption.arguments import whole_number
from adoption.config import Scenario, load_scenario
from adoption.config.loading import Overrides, ScenarioSource
from adoption.config.plans import Plan
from adoption.errors import InputError
from adoption.experiment.comparison import DEFAULT_RANK_BY
from adoption.experiment.design import MAX_RUNS, check_size, validate_samples
from adoption.experiment.executors import Executor, PoolExecutor, WarmPool
from adoption.experiment.experiment_design import Design
from adoption.experiment.preflight import preflight
from adoption.experiment.statistics import Target
from adoption.experiment.store import ResultStore
from adoption.organisation import build_organisation
from adoption.search.evaluation import Evaluator
from adoption.search.finalists import MIN_FRESH_PAIRS, Finals, run_finals
from adoption.search.objectives import DEFAULT_OBJECTIVE, Goal, check_objective, least_pairs
from adoption.search.pairs import Pair, fresh_pairs, search_pairs, world_samples
from adoption.search.proposer import Proposal, propose, propose_tpe, require_optuna
from adoption.search.racing import Race, Schedule, race, schedule
from adoption.search.template import Candidate, Template, plan_key

DEFAULT_TARGET = "npv>=0"
PROPOSERS = ("halton", "tpe")
DEFAULT_PROPOSER = "halton"
FRESH_REPLICATIONS_MAX = 4
"""The finalists' fresh seeds per world, at most this many times the search's."""


@dataclass
class Search:
    """What a search found: its evidence, its finalists on fresh runs, and its pick."""

    scenario: Scenario
    goal: Goal
    budget: int
    seed: int
    worlds: int
    replications: int
    schedule: Schedule
    proposal: Proposal
    incumbents: list[str]
    plans: dict[str, Plan]
    race: Race
    finals: Finals
    trials: pd.DataFrame
    minimums: dict[int, float]  # each world's business minimum, by sample
    runs_spent: int
    proposer: str = DEFAULT_PROPOSER
    reused: int = 0
    failures: list = field(default_factory=list)

    @property
    def best(self) -> str:
        """The recommended plan: the best on the fresh runs."""
        return self.finals.best

    @property
    def candidates(self) -> dict[str, Candidate]:
        return self.proposal.candidates

    def best_plan(self) -> Plan:
        return self.plans[self.best]

    def leaderboard(self) -> pd.DataFrame:
        from adoption.search.summary import leaderboard

        return leaderboard(self)


def parse_goal(objective: str, target: str | Target, requirements: Sequence[str]) -> Goal:
    """The objective with its parsed target and requirements (each METRIC<=VALUE...)."""
    check_objective(objective)
    if isinstance(requirements, str):
        requirements = [requirements]
    parsed = []
    for text in requirements:
        if isinstance(text, Target):
            parsed.append(text)
            continue
        if not isinstance(text, str):
            raise InputError(
                f"--require: expected a text such as 'abandonment_rate<=0.1', got {text!r}"
            )
        try:
            parsed.append(Target.parse(text))
        except InputError as error:
            raise InputError(str(error).replace("--target", "--require")) from None
    target = target if isinstance(target, Target) else Target.parse(target)
    return Goal(objective, target, tuple(parsed))


def business_minimums(scenario: Scenario, pairs: list[Pair]) -> dict[int, float]:
    """Each world's business minimum (it moves with the value and cost of a use)."""
    minimums = {}
    for pair in pairs:
        if pair.sample not in minimums:
            minimums[pair.sample] = load_scenario(scenario, dict(pair.values)).business_minimum
    return minimums


def search(
    scenario: ScenarioSource,
    design: Design,
    *,
    budget: int = 300,
    objective: str = DEFAULT_OBJECTIVE,
    requirements: Sequence[str] = (),
    proposer: str = DEFAULT_PROPOSER,
    overrides: Overrides = None,
    executor: Executor | None = None,
    out: str | Path | None = None,
    on_run: Callable[[int], None] | None = None,
) -> Search:
    """Search the scenario's plan template (its `search` section) for the best plan.

    The design's `samples` (worlds) × `replications` (world, seed) pairs are fixed up
    front and every candidate runs on the same ones; successive halving spends the
    search's share of `budget` runs; the finalists and the best incumbent are re-run on
    fresh worlds and seeds. The design's target is what satisfice counts. `proposer`:
    "halton" (space-filling, all candidates at once) or "tpe" (Optuna's TPE in fixed
    batches, told each batch's first-rung scores; the `search` extra). With `out`,
    every run is stored as it finishes and a repeated call resumes; the files are the
    same whatever the executor. `on_run(spent)` is called as runs finish.
    """
    check_searchable(design)
    budget = whole_number(budget, "budget", 1)
    worlds, replications, seed = design.samples, design.replications, design.seed
    if budget > MAX_RUNS:
        raise InputError(
            f"--budget: {budget:,} runs is more than the {MAX_RUNS:,} one search may hold"
        )
    check_size(None, worlds, replications * (1 + FRESH_REPLICATIONS_MAX))
    goal = parse_goal(objective, design.target, requirements)
    if proposer not in PROPOSERS:
        raise InputError(f"--proposer: '{proposer}' is not one of {', '.join(PROPOSERS)}")
    if proposer == "tpe":
        require_optuna()  # before any work
    if not isinstance(scenario, Scenario) or overrides:
        scenario = load_scenario(scenario, overrides)
    if scenario.classic:
        raise InputError(f"a '{scenario.behaviour.rule}' scenario has no rollout plans to search")
    preflight(scenario, None, goal.target, None, out)
    setup = plan_search(scenario, goal, budget, design, proposer)
    # Halton's candidate k is the same whatever the budget; TPE's depend on the budget
    pin = f"search:{worlds}x{replications}:{template_digest(scenario)}"
    pin += f":tpe:{budget}" if proposer == "tpe" else ""
    store = ResultStore(out, scenario, seed, pin) if out is not None else None
    with _kept_warm(executor) as runner:
        evaluator = Evaluator(scenario, runner, store, on_run)
        if proposer == "tpe":
            setup = guided(setup, evaluator)
        evaluator.add(setup.proposal.plans)
        result = run_search(setup, evaluator)
    if out is not None:
        from adoption.search.report import write_search

        write_search(result, Path(out))
    return result


def check_searchable(design: Design) -> None:
    """A search proposes its plans, samples its worlds and ranks by its objective: a
    design that names any of these is refused."""
    if design.plans is not None:
        raise InputError("design.plans: a search proposes its own plans; leave plans out")
    if design.worlds is not None:
        raise InputError(
            "design.worlds: a search samples its worlds (give a posterior scenario for "
            "calibrated worlds); leave worlds out"
        )
    if design.rank_by != DEFAULT_RANK_BY:
        raise InputError(
            f"design.rank_by: a search ranks by its objective, not '{design.rank_by}'; "
            "leave rank_by out"
        )


@dataclass(frozen=True)
class Setup:
    """Everything a search fixes before its first run."""

    scenario: Scenario
    goal: Goal
    budget: int
    design: Design
    pairs: list[Pair]
    fresh: list[Pair]
    schedule: Schedule
    proposal: Proposal
    tolerance: float
    template: Template
    proposer: str

    @property
    def anchored(self) -> bool:
        """Whether the incumbents race every rung and all reach the finals: regret is
        measured against them."""
        return self.goal.objective == "regret"


def plan_search(
    scenario: Scenario,
    goal: Goal,
    budget: int,
    design: Design,
    proposer: str = DEFAULT_PROPOSER,
) -> Setup:
    """The pairs, the halving and (Halton) the candidates; an InputError before any run if
    the budget cannot race the incumbents or re-run the finalists."""
    worlds, replications, seed = design.samples, design.replications, design.seed
    space = scenario.search
    organisation = build_organisation(scenario.organisation)
    uncertainties = scenario.uncertainties
    pairs = search_pairs(uncertainties, worlds, replications, seed)
    fresh_replications = FRESH_REPLICATIONS_MAX * replications
    fresh = fresh_pairs(uncertainties, worlds, fresh_replications, seed, worlds, replications)
    for is_fresh in (False, True):
        validate_samples(scenario, world_samples(uncertainties, worlds, seed, fresh=is_fresh))
    incumbents = len(scenario.plans)
    anchored = goal.objective == "regret"
    final_count = space.finalists + (incumbents if anchored else 1)
    search_budget = int(budget * space.search_share)
    if budget - search_budget < MIN_FRESH_PAIRS * final_count:
        raise InputError(
            f"--budget: {budget} runs leave {budget - search_budget} for the finalists "
            f"(search.search_share {space.search_share:g}), fewer than {MIN_FRESH_PAIRS} fresh "
            f"runs for each of {final_count}; raise --budget"
        )
    halving = schedule(
        len(pairs),
        space.halving_rate,
        search_budget,
        incumbents,
        space.finalists + 1,
        anchored,
        least_pairs(goal.objective, worlds),
    )
    template = Template(scenario, organisation)
    if proposer == "halton":
        proposal = propose(template, halving.entries - incumbents, seed, taken_keys(scenario))
        halving = replace(halving, entries=incumbents + len(proposal.candidates))
    else:
        proposal = Proposal()  # proposed while running: see `guided`
    money = goal.objective != "satisfice"
    tolerance = space.tolerance_per_employee * organisation.size if money else 0.0
    return Setup(
        scenario,
        goal,
        budget,
        design,
        pairs,
        fresh,
        halving,
        proposal,
        tolerance,
        template,
        proposer,
    )


def template_digest(scenario: Scenario) -> str:
    """A fingerprint of the search template: candidate k's plan depends on it."""
    text = json.dumps(scenario.search.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def taken_keys(scenario: Scenario) -> set[str]:
    """The scenario's own plans, which no candidate repeats."""
    return {plan_key(plan) for plan in scenario.plans.values()}


def guided(setup: Setup, evaluator: Evaluator) -> Setup:
    """The setup with candidates proposed by TPE, each batch run on the first rung's
    pairs (runs the halving reuses) and scored by the objective (regret, relative to the
    plans compared, is guided by mean NPV instead)."""
    first = setup.pairs[: setup.schedule.pairs[0]]
    guide = replace(setup.goal, objective="mean") if setup.anchored else setup.goal

    def judge(plans: dict[str, Plan]) -> dict[str, float]:
        if not plans:
            return {}
        evaluator.add(plans)
        scores = guide.scores(evaluator.run(list(plans), first))
        return {name: float(scores[name]) for name in scores.index}

    incumbents = len(setup.scenario.plans)
    proposal = propose_tpe(
        setup.template,
        setup.schedule.entries - incumbents,
        setup.design.seed,
        taken_keys(setup.scenario),
        judge,
    )
    halving = replace(setup.schedule, entries=incumbents + len(proposal.candidates))
    return replace(setup, proposal=proposal, schedule=halving)


@contextmanager
def _kept_warm(executor: Executor | None) -> Iterator[Executor]:
    """The executor to run on: a local pool is kept warm across the search's many small
    sweeps (each rung, each block of fresh runs) instead of started for each."""
    if executor is not None and not isinstance(executor, PoolExecutor):
        yield executor
        return
    pool = WarmPool(executor.workers if executor is not None else None)
    try:
        yield pool
    finally:
        pool.close()


def run_search(setup: Setup, evaluator: Evaluator) -> Search:
    """Race the entries, then re-run the finalists on fresh pairs."""
    scenario, goal = setup.scenario, setup.goal
    incumbents = list(scenario.plans)
    raced = race(
        incumbents + list(setup.proposal.candidates),
        setup.pairs,
        setup.schedule,
        goal,
        evaluator.run,
        lambda: evaluator.runs_spent,
        tuple(incumbents) if setup.anchored else (),
    )
    leaders = raced.leaders()
    finalists = [name for name in leaders if name not in incumbents][: scenario.search.finalists]
    chosen = [name for name in leaders if name in incumbents]
    finalists += chosen if setup.anchored else chosen[:1]
    finals = run_finals(
        finalists,
        setup.fresh,
        block=setup.design.samples,
        first_blocks=setup.design.replications,
        budget=max(0, setup.budget - evaluator.runs_spent),
        goal=goal,
        tolerance=setup.tolerance,
        run=evaluator.run,
        seed=setup.design.seed,
    )
    return Search(
        scenario=scenario,
        goal=goal,
        budget=setup.budget,
        seed=setup.design.seed,
        worlds=setup.design.samples,
        replications=setup.design.replications,
        schedule=setup.schedule,
        proposal=setup.proposal,
        incumbents=incumbents,
        plans=evaluator.plans,
        race=raced,
        finals=finals,
        trials=evaluator.trials(),
        minimums=business_minimums(scenario, [*setup.pairs, *setup.fresh]),
        runs_spent=evaluator.runs_spent,
        proposer=setup.proposer,
        reused=evaluator.reused,
        failures=evaluator.failures,
    )


def versions() -> dict[str, str]:
    """The versions a search's numbers depend on, for its manifest."""
    from importlib.metadata import version

    import scipy

    return {
        "adoption": version("adoption"),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "python": platform.python_version(),
    }
