"""Honest finalists: the search's best candidates and the best incumbent re-run on fresh
worlds and seeds, with a sequential elimination that spends the extra runs where they
separate the finalists, and gives the set indistinguishable from the best.

The elimination (in the spirit of Kim & Nelson 2001's fully sequential procedure, with
Bonferroni bounds in place of their continuation region): after each block of fresh
pairs, a finalist shown worse than another by more than the tolerance (one-sided bounds,
corrected for the comparisons and the looks) is out and runs no more; while some pair of
those still in is neither shown apart nor shown within the tolerance, and the budget and
the fresh pairs last, every finalist still in runs one more block (one more seed in every
fresh world), so every difference stays paired. Regret is measured against every
finalist and incumbent, so for it they all run on the same fresh pairs in one stage.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from adoption.errors import InputError
from adoption.search.objectives import Goal, ranked, upper_bounds
from adoption.search.pairs import Pair

MIN_FRESH_PAIRS = 2
"""Fewest fresh pairs a finalist is re-run on: one pair gives no interval."""

ALPHA = 0.05
"""Chance, over every comparison and every look, of putting out a plan as good as the best."""


def comparison_level(finalists: int, looks: int) -> float:
    """One-sided confidence of each bound: Bonferroni over the comparisons with the other
    finalists and over the looks the elimination may take."""
    return 1.0 - ALPHA / (max(1, finalists - 1) * looks)


@dataclass
class Finals:
    """The fresh-run evidence on the finalists."""

    finalists: list[str]
    runs: pd.DataFrame
    best: str
    indistinguishable: list[str]  # not shown worse than another by more than the tolerance
    differences: pd.DataFrame  # per finalist: score − best's, with its bounds
    eliminated: dict[str, int] = field(default_factory=dict)  # finalist: fresh pairs when out
    pairs_used: int = 0
    tolerance: float = 0.0
    level: float = 0.95

    @property
    def clear_winner(self) -> bool:
        """Whether the best is the only plan in the indistinguishable set."""
        return self.indistinguishable == [self.best]


def run_finals(
    finalists: list[str],
    fresh: list[Pair],
    block: int,
    first_blocks: int,
    budget: int,
    goal: Goal,
    tolerance: float,
    run: Callable[[list[str], list[Pair]], pd.DataFrame],
    seed: int,
) -> Finals:
    """Re-run `finalists` on `fresh` pairs within `budget` runs: `first_blocks` blocks of
    `block` pairs first (fewer if the budget is short), then a block at a time for those
    still in, while some are neither shown worse nor shown equivalent.

    A finalist is out when another is shown better by more than `tolerance` (multiple
    comparisons with the best: Hsu 1996), or when its mean breaks a requirement that
    another meets; the rest are the set indistinguishable from the best.
    """
    # regret is against every finalist: all run on the same pairs, in one stage
    single = goal.objective == "regret"
    most = min(len(fresh), budget // len(finalists))
    used = most if single else min(first_blocks * block, most)
    if used < MIN_FRESH_PAIRS:
        raise InputError(
            f"--budget: {budget} runs left for the finalists cannot re-run {len(finalists)} "
            f"plans on {MIN_FRESH_PAIRS} fresh pairs each; raise --budget"
        )
    looks = 1 if single else 1 + math.ceil((most - used) / block)
    level = comparison_level(len(finalists), looks)
    spent, start = 0, 0
    alive = list(finalists)
    eliminated: dict[str, int] = {}
    frames: list[pd.DataFrame] = []
    while True:
        runs = run(alive, fresh[start:used])
        spent += len(alive) * (used - start)
        frames.append(runs)
        alive = [plan for plan in alive if plan in set(runs["plan"])]
        evidence = pd.concat(frames, ignore_index=True)
        if not single:
            evidence = evidence[evidence["plan"].isin(alive)]
        upper = upper_bounds(evidence, goal, level, seed)
        feasible = goal.feasible(evidence)
        judges = [plan for plan in alive if feasible[plan]] or alive
        worse = [
            p
            for p in alive
            if p not in judges or any(upper.loc[p, q] < -tolerance for q in judges if q != p)
        ]
        eliminated.update({plan: used for plan in worse})
        alive = [plan for plan in alive if plan not in worse]
        undecided = any(upper.loc[q, p] > tolerance for p in alive for q in alive if q != p)
        more = min(block, len(fresh) - used, (budget - spent) // len(alive))
        if single or not undecided or more < 1:
            break
        start, used = used, used + more
    every = pd.concat(frames, ignore_index=True)
    final = every if single else every[every["plan"].isin(alive)]
    order = ranked(goal, final)
    best = order[0]
    differences = _differences(every, goal, best, finalists, level, seed)
    kept = [plan for plan in order if plan in alive]
    return Finals(finalists, every, best, kept, differences, eliminated, used, tolerance, level)


def _differences(
    runs: pd.DataFrame, goal: Goal, best: str, finalists: list[str], level: float, seed: int
) -> pd.DataFrame:
    """Each finalist's score minus the best's, with its two one-sided bounds at `level`, on
    the pairs both ran (an eliminated finalist stopped early: on its own pairs). Regret is
    against every finalist, all on the same pairs."""
    if goal.objective == "regret":
        scores, upper = goal.scores(runs), upper_bounds(runs, goal, level, seed)
        frame = pd.DataFrame(
            {
                "difference": scores - scores[best],
                "ci_low": -upper.loc[best],
                "ci_high": upper[best],
            }
        ).rename_axis("plan")
        return frame.sort_values("difference", ascending=False, kind="stable")
    rows = []
    for plan in finalists:
        mine = runs[runs["plan"] == plan]
        if mine.empty:
            continue
        keys = mine[["sample", "replication"]]
        shared = runs[runs["plan"] == best].merge(keys, on=["sample", "replication"])
        pair = pd.concat([shared, mine], ignore_index=True).drop_duplicates(
            ["plan", "sample", "replication"]
        )
        scores = goal.scores(pair)
        if plan == best:
            rows.append((plan, 0.0, 0.0, 0.0))
            continue
        upper = upper_bounds(pair, goal, level, seed)
        rows.append(
            (plan, scores[plan] - scores[best], -upper.loc[best, plan], upper.loc[plan, best])
        )
    frame = pd.DataFrame(rows, columns=["plan", "difference", "ci_low", "ci_high"])
    return frame.set_index("plan").sort_values("difference", ascending=False, kind="stable")
