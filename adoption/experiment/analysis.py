"""Decisions under uncertainty: the analyses `adoption explore` runs on stored runs.

Nothing here runs the model: every function takes tables of finished runs (or plain
arrays, for the tests on analytic functions) and returns tables. Per-world results
and regret (robust decision making), Sobol and Morris global sensitivity (SALib),
scenario discovery with PRIM (the `PRIM` package), and the expected value of partial
perfect information (EVPPI, Strong, Oakley & Brennan 2014). docs/explore.md says what
each method assumes and when to trust it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from adoption.errors import InputError

METHODS = ("sobol", "morris", "lhs")
MORRIS_LEVELS = 4
PROBABILITY_EDGE = 1e-6
"""Unit-cube points are kept this far from 0 and 1: a normal's quantile at 0 is -inf."""


# --- designs ---------------------------------------------------------------------------


def unit_problem(names: list[str]) -> dict:
    """A SALib problem over the unit cube: uncertainties are mapped by their quantile."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def design_rows(method: str, samples: int, dimensions: int) -> int:
    """How many points `unit_design` makes, known before making them."""
    return samples * {"sobol": dimensions + 2, "morris": dimensions + 1}.get(method, 1)


def unit_design(method: str, names: list[str], samples: int, seed: int) -> np.ndarray:
    """Points in [0, 1]^d: Saltelli's Sobol design (`samples` base points, samples × (d + 2)
    rows), Morris trajectories (`samples` trajectories, samples × (d + 1) rows), or a
    Latin hypercube (`samples` rows)."""
    if method not in METHODS:
        raise InputError(f"--method: '{method}' is not one of {', '.join(METHODS)}")
    if not names:
        raise InputError(
            "the scenario declares no uncertainties to explore; add an `uncertainties:` "
            "block (see docs/explore.md)"
        )
    problem = unit_problem(names)
    if method == "sobol":
        from SALib.sample import sobol

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib warns when N is not a power of 2
            return sobol.sample(problem, samples, calc_second_order=False, seed=seed)
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
    from adoption.experiment.sampling import latin_hypercube

    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5A4D]))
    return latin_hypercube(samples, len(names), rng)


def to_probabilities(points: np.ndarray) -> np.ndarray:
    """Unit-cube points as probabilities for an inverse CDF, away from 0 and 1."""
    return np.clip(points, PROBABILITY_EDGE, 1.0 - PROBABILITY_EDGE)


# --- per-world results and robustness ---------------------------------------------------


def world_means(runs: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Each world's (sample's) outcome per plan: the mean over its replications.
    Rows: samples; columns: plans."""
    return runs.pivot_table(index="sample", columns="plan", values=metric, aggfunc="mean")


def regrets(means: pd.DataFrame, higher_is_better: bool = True) -> pd.DataFrame:
    """Each plan's shortfall from the best plan in the same world (0 for the winner)."""
    score = means if higher_is_better else -means
    return score.max(axis=1).to_numpy()[:, None] - score


def winners(means: pd.DataFrame, higher_is_better: bool = True) -> pd.Series:
    """The best plan in each world."""
    return (means if higher_is_better else -means).idxmax(axis=1)


CRITERIA = {
    "mean": "highest mean",
    "worst": "best worst case",
    "p10": "best 10th percentile",
    "max_regret": "least maximum regret",
    "share_won": "most worlds won",
    "share_meeting_target": "most worlds meeting the target",
}
"""The robustness criteria, and how each reads."""


def robustness(
    means: pd.DataFrame,
    meets: pd.DataFrame | None = None,
    higher_is_better: bool = True,
) -> pd.DataFrame:
    """Per plan: mean, worst case, 10th percentile (in the metric's better direction),
    mean and maximum regret, share of worlds won, share of worlds meeting the target."""
    regret = regrets(means, higher_is_better)
    won = winners(means, higher_is_better)
    rows = []
    for plan in means.columns:
        values = means[plan].dropna()
        worst = values.min() if higher_is_better else values.max()
        p10 = values.quantile(0.1 if higher_is_better else 0.9)
        rows.append(
            {
                "plan": plan,
                "mean": values.mean(),
                "worst": worst,
                "p10": p10,
                "mean_regret": regret[plan].mean(),
                "max_regret": regret[plan].max(),
                "share_won": float((won == plan).mean()),
                "share_meeting_target": (
                    float(meets[plan].mean()) if meets is not None else float("nan")
                ),
            }
        )
    return pd.DataFrame(rows)


def most_robust(table: pd.DataFrame, higher_is_better: bool = True) -> dict[str, str]:
    """The best plan by each criterion (a plan name per `CRITERIA` key). Ties go to the
    plan with the least maximum regret (the recommended one), then to the first listed:
    criteria that tie do not disagree."""
    indexed = table.set_index("plan")
    regret = indexed["max_regret"]
    preferred = regret.idxmin() if not regret.isna().all() else None
    best = {}
    for criterion in CRITERIA:
        column = indexed[criterion]
        if column.isna().all():
            continue
        larger = criterion in ("share_won", "share_meeting_target") or (
            criterion in ("mean", "worst", "p10") and higher_is_better
        )
        if criterion == "max_regret":
            larger = False
        top = column.max() if larger else column.min()
        tied = column.index[np.isclose(column.to_numpy(float), top, rtol=1e-12, atol=0)]
        best[criterion] = preferred if preferred in tied else tied[0]
    return best


def noise_share(runs: pd.DataFrame, column: str) -> float:
    """Replication noise as a share of all variation: the mean within-world variance of
    the replications over the total variance of the runs. Near 0: the uncertainties
    decide; near 1: the indices describe little but noise."""
    if runs.empty or runs.groupby("sample").size().max() < 2:
        return float("nan")  # one replication per world: the noise cannot be told apart
    total = runs[column].var(ddof=1)
    if not np.isfinite(total) or total == 0:
        return 0.0
    within = runs.groupby("sample")[column].var(ddof=1).mean()
    return float(min(within / total, 1.0)) if np.isfinite(within) else float("nan")


def mean_noise_share(runs: pd.DataFrame, column: str) -> float:
    """The replication noise left in the world means as a share of their variance: each
    world's within-world variance over its number of replications, averaged, over the
    variance of the world means. This is the noise the indices, boxes and EVPPI read
    (they use world means); near 0 they read the uncertainties, near 1 the seeds."""
    if runs.empty or runs.groupby("sample").size().max() < 2:
        return float("nan")
    by_world = runs.groupby("sample")[column]
    total = by_world.mean().var(ddof=1)
    if not np.isfinite(total) or total == 0:
        return 0.0
    within = (by_world.var(ddof=1) / by_world.size()).mean()
    return float(min(within / total, 1.0)) if np.isfinite(within) else float("nan")


# --- global sensitivity ----------------------------------------------------------------


def sensitivity_indices(
    method: str,
    names: list[str],
    points: np.ndarray,
    y: np.ndarray,
    seed: int = 0,
    resamples: int = 200,
) -> pd.DataFrame:
    """Sobol first-order and total indices (Saltelli design) or Morris mu*, sigma (Morris
    design) of `y`, one row per uncertainty, with bootstrap 95% half-widths.

    `points` are the unit-cube design points `y` was computed at (in design order).
    The same path analyses simulation outputs and analytic test functions.
    """
    problem = unit_problem(names)
    y = np.asarray(y, dtype=float)
    if method == "sobol":
        from SALib.analyze import sobol

        if np.nanvar(y) == 0:
            zeros = np.zeros(len(names))
            return pd.DataFrame(
                {"uncertainty": names, "S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros}
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = sobol.analyze(
                problem,
                y,
                calc_second_order=False,
                num_resamples=resamples,
                conf_level=0.95,
                seed=seed,
            )
        return pd.DataFrame(
            {
                "uncertainty": names,
                "S1": result["S1"],
                "S1_conf": result["S1_conf"],
                "ST": result["ST"],
                "ST_conf": result["ST_conf"],
            }
        )
    if method == "morris":
        from SALib.analyze import morris

        result = morris.analyze(
            problem,
            np.asarray(points, dtype=float),
            y,
            num_resamples=resamples,
            conf_level=0.95,
            num_levels=MORRIS_LEVELS,
            seed=seed,
        )
        return pd.DataFrame(
            {
                "uncertainty": names,
                "mu_star": np.asarray(result["mu_star"], dtype=float),
                "mu_star_conf": np.asarray(result["mu_star_conf"], dtype=float),
                "sigma": np.asarray(result["sigma"], dtype=float),
            }
        )
    # a Latin hypercube has no variance-based design: rank correlations as a screen
    from scipy.stats import spearmanr

    tests = [spearmanr(points[:, i], y) if np.ptp(y) > 0 else None for i in range(len(names))]
    return pd.DataFrame(
        {
            "uncertainty": names,
            "spearman": [test.statistic if test else 0.0 for test in tests],
            "spearman_p": [test.pvalue if test else 1.0 for test in tests],
        }
    )


def importance_column(method: str) -> str:
    """The column that orders uncertainties by importance, per method."""
    return {"sobol": "ST", "morris": "mu_star", "lhs": "spearman"}[method]


def distinguishable(table: pd.DataFrame, method: str) -> pd.Series:
    """Which uncertainties' importance is told apart from none: a Sobol total index or a
    Morris mu* above its bootstrap 95% half-width, a rank correlation with p < 0.05. The
    rest may owe their index to noise; the plain-words answer does not name them."""
    if method == "sobol":
        return table["ST"] > table["ST_conf"]
    if method == "morris":
        return table["mu_star"] > table["mu_star_conf"]
    return table["spearman_p"] < 0.05


# --- scenario discovery (PRIM) ---------------------------------------------------------


QUASI_P_LEVEL = 0.05
"""A box keeps a restriction only if its quasi-p-value is at most this (the conventional
5% level; an assumption: Bryant & Lempert 2010 and the EMA Workbench report the values
without fixing a rule)."""


@dataclass
class Box:
    """A PRIM box: ranges on named uncertainties, and how well they pick out the cases."""

    limits: dict[str, tuple[float, float]]  # the restrictions that matter
    peeled: dict[str, tuple[float, float]]  # every restriction PRIM made
    quasi_p: dict[str, float]  # per restriction PRIM made (a dropped one's when dropped)
    coverage: float
    density: float
    mass: float
    trajectory: pd.DataFrame  # coverage, density, mass, restricted dimensions per peel

    def describe(self) -> str:
        if not self.limits:
            return "everywhere (no box found)"
        return " and ".join(
            f"{low:.3g} ≤ {name} ≤ {high:.3g}" for name, (low, high) in self.limits.items()
        )


def in_box(x: pd.DataFrame, limits: dict[str, tuple[float, float]]) -> np.ndarray:
    """Which worlds lie inside the ranges (unrestricted dimensions: everywhere)."""
    inside = np.ones(len(x), dtype=bool)
    for name, (low, high) in limits.items():
        values = x[name].to_numpy()
        inside &= (values >= low) & (values <= high)
    return inside


def quasi_p_values(
    x: pd.DataFrame, cases: np.ndarray, limits: dict[str, tuple[float, float]]
) -> dict[str, float]:
    """Per restricted dimension, the quasi-p-value of Bryant & Lempert (2010), as the EMA
    Workbench's `inspect` reports it: the one-sided binomial probability of at least the
    box's cases among the box's worlds if the cases were only as dense as in the box
    without that restriction. Large: the restriction adds no density (it does not matter)."""
    from scipy.stats import binom

    inside = in_box(x, limits)
    hits, worlds = int(cases[inside].sum()), int(inside.sum())
    values = {}
    for name in limits:
        without = in_box(x, {key: value for key, value in limits.items() if key != name})
        density = cases[without].mean()
        values[name] = float(binom.sf(hits - 1, worlds, density))
    return values


def significant_limits(
    x: pd.DataFrame, cases: np.ndarray, limits: dict[str, tuple[float, float]]
) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """The restrictions that matter: drop the one with the largest quasi-p-value while it
    exceeds QUASI_P_LEVEL, recomputing the rest each time (a restriction that only helps
    with another one's help goes with it). Returns the kept limits and the quasi-p-value
    of every restriction (the kept ones' last, a dropped one's when it was dropped)."""
    kept, quasi_p = dict(limits), {}
    while kept:
        values = quasi_p_values(x, cases, kept)
        quasi_p |= values
        weakest = max(values, key=values.get)
        if values[weakest] <= QUASI_P_LEVEL:
            break
        del kept[weakest]
    return kept, quasi_p


def prim_box(
    x: pd.DataFrame, cases: np.ndarray, threshold: float = 0.8, peel_alpha: float = 0.05
) -> Box:
    """The first PRIM box (Friedman & Fisher 1999) for the worlds where `cases` is true,
    keeping only the restrictions that matter (`significant_limits`).

    The box is the last one on the peeling trajectory whose density reaches
    `threshold`, or the densest if none does. Only numeric uncertainties take part.
    """
    import prim

    cases = np.asarray(cases, dtype=bool)
    numeric = x.select_dtypes("number")
    numeric = numeric.loc[:, numeric.nunique() > 1]
    empty = pd.DataFrame(columns=["coverage", "density", "mass", "restricted"])
    if numeric.empty or cases.sum() == 0 or cases.all():
        share = float(cases.mean()) if len(cases) else 0.0
        return Box({}, {}, {}, 1.0 if cases.any() else 0.0, share, 1.0, empty)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        finder = prim.Prim(
            numeric.reset_index(drop=True),
            cases.astype(float),
            threshold=0.5,
            threshold_type=">",
            peel_alpha=peel_alpha,
        )
        box = finder.find_box()
    peeling = box.peeling_trajectory
    trajectory = pd.DataFrame(
        {
            "coverage": peeling["coverage"].to_numpy(float),
            "density": peeling["density"].to_numpy(float),
            "mass": peeling["mass"].to_numpy(float),
            "restricted": peeling["res dim"].to_numpy(int),
        }
    )
    dense = np.flatnonzero(trajectory["density"].to_numpy() >= threshold)
    chosen = int(dense[-1]) if len(dense) else int(trajectory["density"].to_numpy().argmax())
    box.select(chosen)
    full = {name: (numeric[name].min(), numeric[name].max()) for name in numeric}
    restricted = {
        str(name): (float(row["min"]), float(row["max"]))
        for name, row in box.limits.iterrows()
        if (row["min"], row["max"]) != full[name]
    }
    kept, quasi_p = significant_limits(numeric, cases, restricted)
    inside = in_box(numeric, kept)
    coverage = float(cases[inside].sum() / cases.sum())
    density = float(cases[inside].mean()) if inside.any() else 0.0
    return Box(kept, restricted, quasi_p, coverage, density, float(inside.mean()), trajectory)


# --- value of information --------------------------------------------------------------


MAX_LEVELS = 8
"""Up to this many distinct values an uncertainty is grouped by value (a Morris design
has 4 levels; a categorical uncertainty a few values)."""


def groups(x: np.ndarray, bins: int) -> np.ndarray:
    """Each world's group on `x`: its quantile bin of `bins` (about equal counts; tied
    values always share a bin, so the grouping is a function of x)."""
    edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1], method="inverted_cdf")
    return np.searchsorted(edges, x, side="right")


def group_means(group: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each row's group mean of y (rows: worlds; columns: responses)."""
    _, index, counts = np.unique(group, return_inverse=True, return_counts=True)
    sums = np.zeros((len(counts), y.shape[1]))
    np.add.at(sums, index, y)
    return (sums / counts[:, None])[index]


def _leave_one_out_error(group: np.ndarray, y: np.ndarray) -> float:
    """The squared error of predicting each world by the mean of the other worlds in its
    group (closed form for group means); infinite when a group has one world."""
    _, index, counts = np.unique(group, return_inverse=True, return_counts=True)
    if counts.min() < 2:
        return float("inf")
    shrink = (counts / (counts - 1.0))[index][:, None]
    return float((((y - group_means(group, y)) * shrink) ** 2).sum())


def conditional_means(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """E[y | x] at each world: the means of y's columns within groups of worlds alike in
    x. x with at most MAX_LEVELS distinct values (a Morris grid, a category) is grouped
    by value; otherwise by quantile bins, their number chosen by leave-one-out
    cross-validation over 1 to n/2 bins, so that the fit follows a step as sharply as the
    worlds allow without following their noise.

    Group means are an averaging that keeps each column's mean, so by Jensen's
    inequality an EVPPI computed from them never exceeds the EVPI computed from y."""
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        x = pd.factorize(x)[0]
    x = x.astype(float)
    if len(np.unique(x)) <= MAX_LEVELS:
        return group_means(x, y)
    errors = [_leave_one_out_error(groups(x, bins), y) for bins in range(1, len(x) // 2 + 1)]
    return group_means(groups(x, int(np.argmin(errors)) + 1), y)


ROUNDING = 1e-9
"""An EVPPI this small against the largest difference between plans is the rounding of
group means where the exact value is 0 (no group's mean changes the best plan)."""


def decision_value(outcomes: np.ndarray) -> float:
    """E[max over plans] - max over plans of E: what choosing per world gains over
    choosing once (rows: worlds; columns: plans, higher better)."""
    return float(outcomes.max(axis=1).mean() - outcomes.mean(axis=0).max())


def _oriented_differences(outcomes: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """Each plan's outcome minus the first plan's, higher better: the shared part of the
    outcome (and of the noise) leaves every comparison."""
    outcomes = np.asarray(outcomes, dtype=float)
    if not higher_is_better:
        outcomes = -outcomes
    return outcomes - outcomes[:, [0]]


def evppi(x: np.ndarray, outcomes: np.ndarray, higher_is_better: bool = True) -> float:
    """Expected value of learning `x` before choosing among the columns of `outcomes`
    (one column per plan, one row per world): E[max_a g_a(x)] - max_a E[g_a(x)], with
    g_a(x) = E[outcome of a | x] estimated by `conditional_means` of the per-world
    outcomes (the regression approach of Strong, Oakley & Brennan 2014). It is at most
    `evpi` of the same outcomes: the conditional means average the very values the EVPI
    maximises over, and a maximum of averages is at most the average of maxima."""
    differences = _oriented_differences(outcomes, higher_is_better)
    value = decision_value(conditional_means(x, differences))
    return value if value > ROUNDING * np.abs(differences).max() else 0.0


def evpi(outcomes: np.ndarray, higher_is_better: bool = True) -> float:
    """Expected value of perfect information on every uncertainty: `decision_value` of the
    per-world outcomes (replication means; their remaining noise counts as information,
    so with a large noise share this overstates it)."""
    return decision_value(_oriented_differences(outcomes, higher_is_better))
