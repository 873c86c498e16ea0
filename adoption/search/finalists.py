"""Honest finalists: the search's best candidates and the best incumbent re-run on fresh
worlds and seeds, with a sequential elimination that spends the extra runs where they
separate the finalists, and gives the set indistinguishable from the best.

The elimination (after Kim & Nelson 2001, with a paired bootstrap in place of their
variance bound): after each block of fresh pairs, a finalist whose score is shown (95%
paired interval) below the best's by more than the tolerance is out and runs no more;
one shown within the tolerance of the best is settled; while some are neither and the
budget and the fresh pairs last, every finalist still in runs one more block (one more
seed in every fresh world), the best included so that every difference stays paired.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from adoption.errors import InputError
from adoption.search.objectives import Goal, bootstrap_differences, ranked
from adoption.search.pairs import Pair

MIN_FRESH_PAIRS = 2
"""Fewest fresh pairs a finalist is re-run on: one pair gives no interval."""


@dataclass
class Finals:
    """The fresh-run evidence on the finalists."""

    finalists: list[str]
    runs: pd.DataFrame
    best: str
    differences: pd.DataFrame  # per finalist: score − best's, with the paired interval
    eliminated: dict[str, int] = field(default_factory=dict)  # finalist: pairs when out
    pairs_used: int = 0
    tolerance: float = 0.0

    @property
    def indistinguishable(self) -> list[str]:
        """Finalists not shown worse than the best by more than the tolerance, best first."""
        return [
            plan
            for plan in self.differences.index
            if plan not in self.eliminated
            and self.differences.loc[plan, "ci_high"] >= -self.tolerance
        ]

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
    still in while some are neither shown worse nor shown equivalent."""
    used = min(first_blocks * block, len(fresh), budget // len(finalists))
    if used < MIN_FRESH_PAIRS:
        raise InputError(
            f"--budget: {budget} runs left for the finalists cannot re-run {len(finalists)} "
            f"plans on {MIN_FRESH_PAIRS} fresh pairs each; raise --budget"
        )
    spent = 0
    alive = list(finalists)
    eliminated: dict[str, int] = {}
    frames: list[pd.DataFrame] = []
    start = 0
    while True:
        runs = run(alive, fresh[start:used])
        spent += len(alive) * (used - start)
        frames.append(runs)
        alive = [plan for plan in alive if plan in set(runs["plan"])]
        evidence = pd.concat(frames, ignore_index=True)
        evidence = evidence[evidence["plan"].isin(alive)]
        best = ranked(goal, evidence)[0]
        differences = bootstrap_differences(evidence, goal, best, seed)
        eliminated.update({p: used for p in alive if differences.loc[p, "ci_high"] < -tolerance})
        alive = [plan for plan in alive if plan not in eliminated]
        undecided = [
            plan for plan in alive if plan != best and differences.loc[plan, "ci_low"] < -tolerance
        ]
        more = min(block, len(fresh) - used, (budget - spent) // len(alive))
        if not undecided or more < 1:
            break
        start, used = used, used + more
    every = pd.concat(frames, ignore_index=True)
    final = _final_differences(every, goal, best, finalists, seed)
    return Finals(finalists, every, best, final, eliminated, used, tolerance)


def _final_differences(
    runs: pd.DataFrame, goal: Goal, best: str, finalists: list[str], seed: int
) -> pd.DataFrame:
    """Each finalist against the best on the pairs both ran (an eliminated finalist
    stopped early: its difference is on its own pairs)."""
    rows = []
    best_runs = runs[runs["plan"] == best]
    for plan in finalists:
        mine = runs[runs["plan"] == plan]
        if mine.empty:
            continue
        shared = best_runs.merge(mine[["sample", "replication"]], on=["sample", "replication"])
        both = pd.concat([shared, mine], ignore_index=True)
        rows.append(bootstrap_differences(both, goal, best, seed).loc[[plan]])
    return pd.concat(rows).sort_values("difference", ascending=False, kind="stable")
