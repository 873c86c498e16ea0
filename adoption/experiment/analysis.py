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
    within = replication_noise(runs, column)
    if not np.isfinite(within):
        return float("nan")
    total = runs.groupby("sample")[column].mean().var(ddof=1)
    if not np.isfinite(total) or total == 0:
        return 0.0
    return float(min(within / total, 1.0))


def replication_noise(runs: pd.DataFrame, column: str) -> float:
    """The variance the replications leave in a world's mean: each world's within-world
    variance over its number of replications, averaged over worlds (NaN with one
    replication, where it cannot be measured)."""
    if runs.empty or runs.groupby("sample").size().max() < 2:
        return float("nan")
    by_world = runs.groupby("sample")[column]
    return float((by_world.var(ddof=1) / by_world.size()).mean())


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
    ordered = np.sort(x)
    inner = np.arange(1, bins)
    return np.searchsorted(ordered[_edge_ranks(len(x), inner, bins)], x, side="right")


def _edge_ranks(n: int, inner: np.ndarray, bins: np.ndarray | int) -> np.ndarray:
    """The sorted position of the inner edge `inner` (1 to bins - 1) of `bins` quantile
    bins of n values: the inverted-CDF quantile at inner / bins (NumPy's
    method="inverted_cdf"), in integers, so no rounding moves an edge."""
    return np.clip((n * inner + bins - 1) // bins - 1, 0, n - 1)


def group_means(group: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each row's group mean of y (rows: worlds; columns: responses)."""
    _, index, counts = np.unique(group, return_inverse=True, return_counts=True)
    sums = np.zeros((len(counts), y.shape[1]))
    np.add.at(sums, index, y)
    return (sums / counts[:, None])[index]


LOO_CHUNK = 1_000_000
"""Bins (of all counts together) whose errors `_leave_one_out_errors` computes at once,
bounding its memory on many worlds."""


def _leave_one_out_errors(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For 1 to n/2 quantile bins of x (entry b - 1 for b bins), the squared error of
    predicting each world by the mean of the other worlds in its bin (infinite when a
    bin has one world). In closed form from cumulative sums over the worlds sorted by x,
    many bin counts at once: a bin's error is (c / (c - 1))² times its sum of squares
    about its mean, c its count (an empty bin, where tied edges meet, adds nothing)."""
    n = len(x)
    order = np.argsort(x, kind="stable")
    ordered = x[order]
    centred = y[order] - y.mean(axis=0)
    sums = np.vstack([np.zeros(y.shape[1]), np.cumsum(centred, axis=0)])
    squares = np.concatenate([[0.0], np.cumsum((centred**2).sum(axis=1))])
    errors = []
    counts_of_bins = np.arange(1, n // 2 + 1)
    for chunk in np.array_split(counts_of_bins, max(1, counts_of_bins.sum() // LOO_CHUNK)):
        bins = np.repeat(chunk, chunk)  # one entry per bin of every count in the chunk
        position = np.arange(bins.size) - np.repeat(np.cumsum(chunk) - chunk, chunk)

        def start(edge: np.ndarray, bins: np.ndarray = bins) -> np.ndarray:
            inner = np.clip(edge, 1, np.maximum(bins - 1, 1))  # the outer edges: 0 and n
            cut = np.searchsorted(ordered, ordered[_edge_ranks(n, inner, bins)], side="left")
            return np.where(edge == 0, 0, np.where(edge == bins, n, cut))

        low, high = start(position), start(position + 1)
        count = (high - low).astype(float)
        block = sums[high] - sums[low]
        spread = squares[high] - squares[low]
        spread -= np.divide(
            (block**2).sum(axis=1), count, out=np.zeros_like(count), where=count > 0
        )
        factor = np.divide(count, count - 1, out=np.zeros_like(count), where=count > 1)
        error = np.where(count == 1, np.inf, factor**2 * spread)
        _, label = np.unique(bins, return_inverse=True)
        errors.append(np.bincount(label, weights=error, minlength=len(chunk)))
    return np.concatenate(errors)


def conditional_groups(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each world's group of worlds alike in x, for estimating E[y | x]: x with at most
    MAX_LEVELS distinct values (a Morris grid, a category) is grouped by value; otherwise
    by quantile bins, their number chosen by leave-one-out cross-validation of y over 1
    to n/2 bins, so that the fit follows a step as sharply as the worlds allow without
    following their noise."""
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        x = pd.factorize(x)[0]
    x = x.astype(float)
    if len(np.unique(x)) <= MAX_LEVELS:
        return x
    errors = _leave_one_out_errors(x, y)
    return groups(x, int(np.argmin(errors)) + 1)


def conditional_means(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """E[y | x] at each world: the means of y's columns within `conditional_groups`.

    Group means are an averaging that keeps each column's mean, so by Jensen's
    inequality an EVPPI computed from them never exceeds the EVPI computed from y."""
    return group_means(conditional_groups(x, y), y)


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


NULL_DRAWS = 200
"""Bootstrap data sets behind each EVPPI's noise floor (an assumption: enough for a 95th
percentile and a p-value resolved to 0.005)."""
NULL_QUANTILE = 0.95
"""An EVPPI clears its noise floor when it exceeds this quantile of the EVPPIs found where
learning x cannot change the choice (the conventional 5% level; an assumption)."""


def evppi_null(
    x: np.ndarray,
    outcomes: np.ndarray,
    higher_is_better: bool = True,
    seed: int = 0,
    residual_scale: float = 1.0,
    draws: int = NULL_DRAWS,
) -> np.ndarray:
    """The EVPPIs of x on `draws` data sets like these worlds but where learning x cannot
    change the choice: what the estimator finds in noise alone.

    Each plan's edge over the first is fitted by `conditional_means` on x and the fit
    capped at the plan best on average (where another plan's fit overtook it, the two
    tie: the least favourable case, where noise most easily looks like a switch). Each
    data set adds noise to it by a wild bootstrap (Wu 1986; Rademacher signs, Davidson &
    Flachaire 2008): each world's noise, times a random sign, keeps its size and its
    pairing across plans. A world's noise is Rice's (1984) pseudo-residual, the
    difference to its neighbour in x over √2, not its residual about the fit: a fit that
    followed the noise (cross-validation sometimes does) would leave residuals too small
    and a floor too low, while neighbours' differences hold everything x does not
    explain (replication noise and the other uncertainties) whatever the fit. Unlike
    shuffling x across worlds, this null keeps x's effect on how much one plan leads: an
    x that moves the lead without reversing it does not clear. `residual_scale` shrinks
    the noise (`replications_to_clear`)."""
    differences = _oriented_differences(outcomes, higher_is_better)
    fit = conditional_means(x, differences)
    best = int(differences.mean(axis=0).argmax())
    no_switch = np.minimum(fit, fit[:, [best]])
    noise = pseudo_residuals(x, differences) * residual_scale
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xE799]))
    signs = rng.choice(np.array([-1.0, 1.0]), (draws, len(differences), 1))
    return np.array([evppi(x, no_switch + sign * noise) for sign in signs])


def pseudo_residuals(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each world's noise in y as Rice (1984) estimates it without a fit: the difference
    to the next world in x (the last world: to the one before), over √2, so that
    independent noise keeps its variance. A smooth trend in x or one step adds little."""
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        x = pd.factorize(x)[0]
    order = np.argsort(x, kind="stable")
    steps = np.diff(y[order], axis=0) / np.sqrt(2.0)
    noise = np.empty_like(y, dtype=float)
    noise[order] = np.vstack([steps, steps[-1:]])
    return noise


def null_floor(null: np.ndarray) -> float:
    """The EVPPI that noise alone exceeds only 5% of the time."""
    return float(np.quantile(null, NULL_QUANTILE))


def null_p(value: float, null: np.ndarray) -> float:
    """The share of null data sets whose EVPPI reaches `value` (counting the observed)."""
    return float((1 + np.count_nonzero(null >= value)) / (len(null) + 1))


def replications_to_clear(
    x: np.ndarray,
    outcomes: np.ndarray,
    value: float,
    replication_noise: float,
    replications: int,
    higher_is_better: bool = True,
    seed: int = 0,
) -> float:
    """Roughly how many replications per world would put an EVPPI of `value` above its
    noise floor, if x's value of information is as large as estimated. The floor's
    noise (`pseudo_residuals`) holds `replication_noise` (the variance the replications
    leave in the world means of the leaders' difference, taken as that of the noisiest
    column of the plans' differences) and the rest; R' replications shrink the first by
    R/R' and keep the rest. R' doubles until the floor falls below `value`, then is
    narrowed by bisection. NaN when the noise is unknown (one replication); inf when no
    number clears it (even without replication noise the worlds' own spread sets the
    floor above it: more worlds, not replications, would tell)."""
    if not np.isfinite(replication_noise) or value <= 0:
        return float("nan")
    differences = _oriented_differences(outcomes, higher_is_better)
    spread = pseudo_residuals(x, differences).var(axis=0, ddof=1).max()
    share = min(1.0, replication_noise / spread) if spread > 0 else 0.0

    def clears(count: float) -> bool:
        scale = np.sqrt(1.0 - share + share * replications / count)
        null = evppi_null(x, outcomes, higher_is_better, seed, residual_scale=scale)
        return value > null_floor(null)

    if not clears(np.inf):
        return float("inf")
    low, high = replications, 2 * replications
    while not clears(high):
        low, high = high, 2 * high
    while high - low > max(1, low // 8):  # to within an eighth
        middle = (low + high) // 2
        low, high = (low, middle) if clears(middle) else (middle, high)
    return float(high)


def value_of_information(
    sampled: pd.DataFrame,
    means: pd.DataFrame,
    higher_is_better: bool,
    replication_noise: float,
    replications: int,
    seed: int = 0,
) -> pd.DataFrame:
    """voi.csv: per uncertainty its EVPPI, share of the EVPI, noise floor (`evppi_null`:
    the 95th percentile of its EVPPI where learning it cannot change the choice), p-value
    against that null, and whether it clears the floor; when none does, for the largest
    EVPPI roughly how many replications per world would let it (`replications_to_clear`).
    Rows of `sampled` (one column per uncertainty) and `means` (one column per plan) are
    the worlds; `replication_noise`: the variance the replications leave in the world
    means of the leaders' difference."""
    outcomes = means.to_numpy(float)
    total = evpi(outcomes, higher_is_better)
    rows = []
    for name in sampled.columns:
        x = sampled[name].to_numpy()
        value = evppi(x, outcomes, higher_is_better)
        null = evppi_null(x, outcomes, higher_is_better, seed)
        rows.append(
            {
                "uncertainty": name,
                "evppi": value,
                "share_of_evpi": value / total if total > 0 else 0.0,
                "evppi_null": null_floor(null),
                "evppi_p": null_p(value, null),
                "clear": bool(value > null_floor(null)),
                "replications_to_clear": np.nan,
            }
        )
    table = pd.DataFrame(rows).sort_values("evppi", ascending=False, ignore_index=True)
    if len(table) and not table["clear"].any() and table["evppi"].iloc[0] > 0:
        top = table.iloc[0]
        table.loc[0, "replications_to_clear"] = replications_to_clear(
            sampled[top["uncertainty"]].to_numpy(),
            outcomes,
            top["evppi"],
            replication_noise,
            replications,
            higher_is_better,
            seed,
        )
    everything = {"uncertainty": "(all: EVPI)", "evppi": total, "share_of_evpi": 1.0}
    return pd.concat([pd.DataFrame([everything]), table], ignore_index=True)
