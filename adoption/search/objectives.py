"""What a search maximises, computed from plans run on the same (world, seed) pairs.

`mean`: mean NPV. `p10`: the 10th percentile of NPV over the pairs. `satisfice`: the
share of pairs meeting the target and every requirement. `regret`: the largest, over
worlds, of the mean NPV a plan loses on a world against the best plan of the set on
that world (so it is relative to the set compared, as explore's is), to be minimised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from adoption.errors import InputError
from adoption.experiment.statistics import Target

OBJECTIVES = ("mean", "p10", "satisfice", "regret")
DEFAULT_OBJECTIVE = "mean"
LABELS = {
    "mean": "mean NPV",
    "p10": "10th-percentile NPV",
    "satisfice": "share meeting the target and requirements",
    "regret": "maximum regret (NPV)",
}


P10_LEAST_PAIRS = 10
"""Pairs a 10th percentile is first judged on: with fewer, it is the worst run or two."""


def least_pairs(objective: str, worlds: int) -> int:
    """Fewest pairs an objective can rank plans on: a 10th percentile needs ten, regret
    over worlds needs every world once; a mean or a share, one."""
    return {"p10": P10_LEAST_PAIRS, "regret": worlds}.get(objective, 1)


def check_objective(objective: str) -> str:
    """The objective itself, or an InputError naming the known ones."""
    if objective not in OBJECTIVES:
        raise InputError(f"--objective: '{objective}' is not one of {', '.join(OBJECTIVES)}")
    return objective


@dataclass(frozen=True)
class Goal:
    """The objective with the target and requirements it reads."""

    objective: str
    target: Target
    requirements: tuple[Target, ...] = ()

    def met(self, runs: pd.DataFrame) -> pd.Series:
        """Per run: whether it meets the target and every requirement."""
        met = self.target.met(runs[self.target.metric].astype(float))
        for requirement in self.requirements:
            met &= requirement.met(runs[requirement.metric].astype(float))
        return met

    def feasible(self, runs: pd.DataFrame) -> pd.Series:
        """Per plan: whether its mean meets every requirement (a cap on abandonment...)."""
        feasible = pd.Series(True, index=pd.Index(runs["plan"].unique(), name="plan"))
        for requirement in self.requirements:
            means = runs.groupby("plan", sort=False)[requirement.metric].mean()
            feasible &= requirement.met(means.reindex(feasible.index))
        return feasible

    def scores(self, runs: pd.DataFrame) -> pd.Series:
        """Per plan, higher is better (regret is negated), over the runs given; every plan
        must have run on the same pairs."""
        table = PairTable.of(runs, self)
        return pd.Series(table.scores(self.objective), index=table.plans)

    def value(self, score: float) -> float:
        """A score as the user reads it (regret positive)."""
        return -score if self.objective == "regret" else score


@dataclass(frozen=True)
class PairTable:
    """Plans (rows) by pairs (columns): NPV, whether the run met the goal, and each pair's
    world."""

    plans: list[str]
    npv: np.ndarray
    met: np.ndarray
    worlds: np.ndarray

    @classmethod
    def of(cls, runs: pd.DataFrame, goal: Goal) -> PairTable:
        runs = runs.assign(_met=goal.met(runs).astype(float))
        npv = runs.pivot_table(
            index="plan", columns=["sample", "replication"], values="npv", sort=True
        )
        met = runs.pivot_table(
            index="plan", columns=["sample", "replication"], values="_met", sort=True
        ).reindex(index=npv.index, columns=npv.columns)
        worlds = npv.columns.get_level_values("sample").to_numpy()
        return cls(list(npv.index), npv.to_numpy(float), met.to_numpy(float), worlds)

    def scores(self, objective: str, columns: np.ndarray | None = None) -> np.ndarray:
        """Each plan's score (higher is better) over `columns` (default: all pairs)."""
        npv = self.npv if columns is None else self.npv[:, columns]
        if objective == "mean":
            return npv.mean(axis=1)
        if objective == "p10":
            return np.quantile(npv, 0.1, axis=1)
        if objective == "satisfice":
            met = self.met if columns is None else self.met[:, columns]
            return met.mean(axis=1)
        worlds = self.worlds if columns is None else self.worlds[columns]
        by_world = np.stack([npv[:, worlds == w].mean(axis=1) for w in np.unique(worlds)], 1)
        return -(by_world.max(axis=0) - by_world).max(axis=1)


def max_regret(runs: pd.DataFrame) -> pd.Series:
    """Per plan: the largest over worlds of (the best plan's mean NPV there − its own)."""
    by_world = runs.pivot_table(index="plan", columns="sample", values="npv", sort=True)
    return (by_world.max(axis=0) - by_world).max(axis=1)


def ranked(goal: Goal, runs: pd.DataFrame) -> list[str]:
    """Plans best first: those meeting the requirements before those that do not, then by
    score; ties broken by name, so the order never depends on the order runs finished."""
    scores = goal.scores(runs)
    feasible = goal.feasible(runs).reindex(scores.index)
    return sorted(scores.index, key=lambda plan: (not feasible[plan], -scores[plan], plan))


BOOTSTRAP_DRAWS = 2000
"""Resamples of the worlds behind an interval on a difference of p10 or regret scores."""


def upper_bounds(runs: pd.DataFrame, goal: Goal, level: float, seed: int = 0) -> pd.DataFrame:
    """upper[i, j]: the upper `level` confidence bound (one-sided) of plan i's score minus
    plan j's, on paired runs. Mean and satisfice: Student t on the per-pair differences;
    p10 and regret (not sums over pairs): a bootstrap that resamples worlds with all their
    seeds for every plan at once, so the pairing is kept."""
    table = PairTable.of(runs, goal)
    count = len(table.plans)
    upper = np.zeros((count, count))
    if goal.objective in ("mean", "satisfice"):
        values = table.npv if goal.objective == "mean" else table.met
        pairs = values.shape[1]
        from scipy import stats  # here, not at the top: test_imports.py

        quantile = stats.t.ppf(level, pairs - 1) if pairs > 1 else np.inf
        for i in range(count):
            for j in range(count):
                difference = values[i] - values[j]
                spread = difference.std(ddof=1) / np.sqrt(pairs) if pairs > 1 else np.inf
                upper[i, j] = difference.mean() + quantile * spread if i != j else 0.0
    else:
        draws = _bootstrap_scores(table, goal, seed)
        for i in range(count):
            for j in range(count):
                upper[i, j] = np.quantile(draws[:, i] - draws[:, j], level) if i != j else 0.0
    return pd.DataFrame(upper, index=table.plans, columns=table.plans)


def _bootstrap_scores(table: PairTable, goal: Goal, seed: int) -> np.ndarray:
    """Scores of every plan on `BOOTSTRAP_DRAWS` resamples of the worlds."""
    worlds = np.unique(table.worlds)
    members = [np.flatnonzero(table.worlds == world) for world in worlds]
    rng = np.random.default_rng([seed, 0xB007])
    draws = np.empty((BOOTSTRAP_DRAWS, len(table.plans)))
    for draw in range(BOOTSTRAP_DRAWS):
        chosen = rng.integers(0, len(worlds), len(worlds))
        columns = np.concatenate([members[world] for world in chosen])
        relabelled = PairTable(
            table.plans,
            table.npv[:, columns],
            table.met[:, columns],
            np.repeat(np.arange(len(chosen)), [len(members[world]) for world in chosen]),
        )
        draws[draw] = relabelled.scores(goal.objective)
    return draws
