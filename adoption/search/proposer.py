"""The seeded space-filling proposer: candidates spread evenly over the template, each one
a distinct, valid plan; invalid and repeated points are counted and cost no run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from adoption.config.plans import Plan
from adoption.errors import InputError
from adoption.search.template import Candidate, Template, plan_key

ATTEMPTS_PER_CANDIDATE = 20
"""Points drawn per candidate wanted before the proposer gives up (a template whose points
are mostly invalid or repeated is small or badly bounded)."""


@dataclass
class Proposal:
    """The candidates proposed, by name, and the points that gave no new valid plan."""

    candidates: dict[str, Candidate] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    invalid: list[tuple[Candidate, str]] = field(default_factory=list)
    repeated: int = 0


def propose(template: Template, count: int, seed: int, taken: set[str]) -> Proposal:
    """Up to `count` new candidates from a scrambled Halton sequence seeded by `seed`.

    A point is decoded, turned into a plan and validated; invalid plans, and plans equal
    to one already proposed or in `taken` (the incumbents' keys), are skipped and counted.
    """
    from scipy.stats import qmc  # here, not at the top: test_imports.py

    proposal = Proposal()
    seen = set(taken)
    dimensions = template.dimensions
    sampler = (
        qmc.Halton(d=dimensions, scramble=True, seed=np.random.default_rng([seed, 0x5EA2]))
        if dimensions
        else None
    )
    drawn = 0
    while len(proposal.candidates) < count and drawn < ATTEMPTS_PER_CANDIDATE * count:
        point = sampler.random(1)[0] if sampler is not None else np.zeros(0)
        drawn += 1
        candidate = template.decode(point)
        try:
            plan = template.plan(candidate)
        except ValueError as error:
            proposal.invalid.append((candidate, str(error)))
            continue
        key = plan_key(plan)
        if key in seen:
            proposal.repeated += 1
            if sampler is None:
                break
            continue
        seen.add(key)
        name = f"candidate-{len(proposal.candidates) + 1:04d}"
        proposal.candidates[name] = candidate
        proposal.plans[name] = plan
    return proposal


TPE_BATCH = 8
"""Candidates Optuna's TPE proposes before it is told their first-rung scores (fixed, so
the proposals never depend on how many workers run them)."""

Judge = Callable[[dict[str, Plan]], dict[str, float]]
"""Scores new candidates' plans on the first rung's pairs (higher is better)."""


def require_optuna():
    """The optuna module, or an InputError saying how to install it."""
    try:
        import optuna
    except ImportError:
        raise InputError("--proposer tpe needs Optuna: pip install 'adoption[search]'") from None
    return optuna


def propose_tpe(
    template: Template, count: int, seed: int, taken: set[str], judge: Judge
) -> Proposal:
    """Up to `count` new candidates from Optuna's TPE through ask-and-tell in batches of
    `TPE_BATCH`: each batch's valid new plans are judged (run on the first rung's pairs,
    which the halving then reuses), and every point is told its score; an invalid point
    is told it failed and a repeated plan its plan's score, so neither costs a run."""
    optuna = require_optuna()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=TPE_BATCH)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    proposal = Proposal()
    keys: dict[str, str] = {}  # plan key: candidate name
    scores: dict[str, float] = {}
    asked = 0
    while len(proposal.candidates) < count and asked < ATTEMPTS_PER_CANDIDATE * count:
        batch = []
        for _ in range(min(TPE_BATCH, count - len(proposal.candidates))):
            trial = study.ask()
            asked += 1
            point = np.array(
                [trial.suggest_float(name, 0.0, 1.0) for name in template.free], dtype=float
            )
            candidate = template.decode(point)
            try:
                plan = template.plan(candidate)
            except ValueError as error:
                proposal.invalid.append((candidate, str(error)))
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
                continue
            key = plan_key(plan)
            if key in taken or key in keys:
                proposal.repeated += 1
            else:
                name = f"candidate-{len(proposal.candidates) + 1:04d}"
                keys[key] = name
                proposal.candidates[name] = candidate
                proposal.plans[name] = plan
            batch.append((trial, key))
        new = {keys[key]: proposal.plans[keys[key]] for _, key in batch if key in keys}
        scores.update(judge({name: plan for name, plan in new.items() if name not in scores}))
        for trial, key in batch:
            if key in keys:
                study.tell(trial, scores[keys[key]])
            else:  # a scenario plan's twin: nothing learnt, nothing run
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
    return proposal
