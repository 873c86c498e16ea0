"""The seeded space-filling proposer: candidates spread evenly over the template, each one
a distinct, valid plan; invalid and repeated points are counted and cost no run."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import qmc

from adoption.config.plans import Plan
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
