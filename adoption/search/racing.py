"""Successive halving: every entry runs on the first few pairs, the best third run on more,
and so on until the survivors have run on every search pair; the budget is in runs.

Entries at a rung all run on the same first m pairs (common random numbers), so they
are ranked on paired evidence; a survivor keeps its runs and adds only the new pairs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from adoption.errors import InputError
from adoption.search.objectives import Goal, ranked
from adoption.search.pairs import Pair

MAX_RUNGS = 4
"""Most rungs of the halving (the first rung then has 1/27 of the pairs at rate 3)."""


@dataclass(frozen=True)
class Schedule:
    """Pairs per rung (increasing, the last is every search pair), entries at the first
    rung, and how many survive each cut."""

    pairs: tuple[int, ...]
    entries: int
    keep_at_least: int
    rate: int
    anchors: int = 0  # entries never cut (the incumbents, when regret is measured against them)

    def survivors(self) -> list[int]:
        """Entries at each rung."""
        counts = [self.entries]
        for _ in self.pairs[1:]:
            counts.append(self.cut(counts[-1]))
        return counts

    def cut(self, entries: int) -> int:
        """How many of `entries` (anchors included) go on to the next rung."""
        others = entries - self.anchors
        return self.anchors + min(others, max(math.ceil(others / self.rate), self.keep_at_least))

    def cost(self) -> int:
        """Runs the whole halving takes."""
        previous, total = 0, 0
        for count, pairs in zip(self.survivors(), self.pairs, strict=True):
            total += count * (pairs - previous)
            previous = pairs
        return total


def schedule(
    pair_count: int,
    rate: int,
    budget: int,
    fixed: int,
    keep_at_least: int,
    anchored: bool,
    least_pairs: int = 1,
) -> Schedule:
    """The halving with the most entries whose cost fits `budget` runs; `fixed` entries
    (the incumbents) are always in, and with `anchored` never cut; the first rung has at
    least `least_pairs` pairs. An InputError says the least budget that works."""
    least = min(least_pairs, pair_count)
    ratio = pair_count / least
    rungs = min(MAX_RUNGS, 1 + int(math.log(ratio, rate) + 1e-9)) if ratio > 1 else 1
    pairs = sorted({math.ceil(pair_count / rate ** (rungs - 1 - r)) for r in range(rungs)})

    def plan(entries: int) -> Schedule:
        return Schedule(tuple(pairs), entries, keep_at_least, rate, fixed if anchored else 0)

    entries = fixed + 1
    if plan(entries).cost() > budget:
        raise InputError(
            f"--budget: {budget} search runs cannot race the {fixed} incumbent plan(s) and "
            f"one candidate over {pair_count} (world, seed) pairs (they need "
            f"{plan(entries).cost()}); raise --budget or lower --worlds/--replications"
        )
    low, high = entries, entries
    while plan(high * 2).cost() <= budget:
        high *= 2
    high *= 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if plan(middle).cost() <= budget else (low, middle)
    return plan(low)


@dataclass
class Rung:
    """One rung's evidence: who ran on how many pairs, their order and scores."""

    index: int
    pairs: int
    order: list[str]
    scores: dict[str, float]
    runs_spent: int


@dataclass
class Race:
    """A finished halving: every rung, and each entry's last (highest) rung."""

    rungs: list[Rung] = field(default_factory=list)
    runs: pd.DataFrame = field(default_factory=pd.DataFrame)

    def last_rung(self, plan: str) -> Rung:
        return next(rung for rung in reversed(self.rungs) if plan in rung.scores)

    def estimate(self, plan: str) -> float:
        """The plan's score on the most pairs it ran on (the search's estimate)."""
        return self.last_rung(plan).scores[plan]

    def leaders(self) -> list[str]:
        """Every entry, best first: by the highest rung reached, then that rung's order."""
        order: list[str] = []
        for rung in reversed(self.rungs):
            order += [plan for plan in rung.order if plan not in order]
        return order


def race(
    entries: list[str],
    pairs: list[Pair],
    plan: Schedule,
    goal: Goal,
    run: Callable[[list[str], list[Pair]], pd.DataFrame],
    spent: Callable[[], int],
    anchors: tuple[str, ...] = (),
) -> Race:
    """Successive halving of `entries` over `pairs` by `plan`; `run(plans, pairs)` gives
    the runs, `spent()` the runs spent so far; `anchors` run on every rung (regret is
    measured against them)."""
    result = Race()
    survivors = list(entries)
    frames = []
    for index, count in enumerate(plan.pairs):
        runs = run(survivors, pairs[:count])
        frames.append(runs.assign(rung=index))
        survivors = [name for name in survivors if name in set(runs["plan"])]
        order = ranked(goal, runs)
        scores = goal.scores(runs)
        result.rungs.append(
            Rung(index, count, order, {p: float(scores[p]) for p in order}, spent())
        )
        anchored = [name for name in order if name in anchors]
        others = [name for name in order if name not in anchors]
        survivors = anchored + others[: plan.cut(len(order)) - len(anchored)]
    result.runs = pd.concat(frames, ignore_index=True)
    return result
