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

    rho = [
        spearmanr(points[:, i], y).statistic if np.ptp(y) > 0 else 0.0 for i in range(len(names))
    ]
    return pd.DataFrame({"uncertainty": names, "spearman": rho})


def importance_column(method: str) -> str:
    """The column that orders uncertainties by importance, per method."""
    return {"sobol": "ST", "morris": "mu_star", "lhs": "spearman"}[method]


# --- scenario discovery (PRIM) ---------------------------------------------------------


@dataclass
class Box:
    """A PRIM box: ranges on named uncertainties, and how well they pick out the cases."""

    limits: dict[str, tuple[float, float]]  # restricted dimensions only
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


def prim_box(
    x: pd.DataFrame, cases: np.ndarray, threshold: float = 0.8, peel_alpha: float = 0.05
) -> Box:
    """The first PRIM box (Friedman & Fisher 1999) for the worlds where `cases` is true.

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
        return Box({}, 1.0 if cases.any() else 0.0, share, 1.0, empty)
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
    limits = box.limits
    full = {name: (numeric[name].min(), numeric[name].max()) for name in numeric}
    restricted = {
        str(name): (float(row["min"]), float(row["max"]))
        for name, row in limits.iterrows()
        if (row["min"], row["max"]) != full[name]
    }
    inside = np.ones(len(numeric), dtype=bool)
    for name, (low, high) in restricted.items():
        inside &= (numeric[name].to_numpy() >= low) & (numeric[name].to_numpy() <= high)
    coverage = float(cases[inside].sum() / cases.sum())
    density = float(cases[inside].mean()) if inside.any() else 0.0
    return Box(restricted, coverage, density, float(inside.mean()), trajectory)


# --- value of information --------------------------------------------------------------


def _smooth(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Fitted values of a least-squares regression spline of y on x (truncated power
    basis, knots at quantiles); group means for a few distinct values. The flexibility
    grows with the number of worlds (linear under 30, cubic with up to 4 knots from 150),
    so that a few worlds are not overfitted (which would inflate the EVPPI)."""
    distinct = np.unique(x)
    if len(distinct) <= 8:
        means = pd.Series(y).groupby(x).transform("mean")
        return means.to_numpy(float)
    scale = np.ptp(x)
    z = (x - x.min()) / scale
    degree = int(np.clip(len(x) // 15, 1, 3))
    knots = int(np.clip(len(x) // 30 - 1, 0, 4)) if degree == 3 else 0
    columns = [z**power for power in range(degree + 1)]
    for knot in np.quantile(z, np.linspace(0, 1, knots + 2)[1:-1]):
        columns.append(np.clip(z - knot, 0, None) ** 3)
    basis = np.column_stack(columns)
    coefficients, *_ = np.linalg.lstsq(basis, y, rcond=None)
    return basis @ coefficients


def evppi(x: np.ndarray, outcomes: np.ndarray, higher_is_better: bool = True) -> float:
    """Expected value of learning `x` before choosing among the columns of `outcomes`
    (one column per plan, one row per world): E[max_a g_a(x)] - max_a E[g_a(x)], where
    g_a is a smooth regression of plan a's outcome on x (Strong, Oakley & Brennan 2014).

    Regressing the differences from the first plan (not each plan alone) keeps the
    shared noise out of the maximum."""
    outcomes = np.asarray(outcomes, dtype=float)
    if not higher_is_better:
        outcomes = -outcomes
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        x = pd.factorize(x)[0].astype(float)
    x = x.astype(float)
    differences = outcomes - outcomes[:, [0]]
    fitted = np.column_stack(
        [np.zeros(len(x))]
        + [_smooth(x, differences[:, column]) for column in range(1, outcomes.shape[1])]
    )
    value = fitted.max(axis=1).mean() - max(fitted.mean(axis=0).max(), 0.0)
    return float(max(value, 0.0))


def evpi(outcomes: np.ndarray, higher_is_better: bool = True) -> float:
    """Expected value of perfect information on every uncertainty (per-world means)."""
    outcomes = np.asarray(outcomes, dtype=float)
    if not higher_is_better:
        outcomes = -outcomes
    return float(outcomes.max(axis=1).mean() - outcomes.mean(axis=0).max())
