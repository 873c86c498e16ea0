"""Sharper ABC posteriors: semi-automatic summaries and a local-linear regression
adjustment of the accepted particles.

Semi-automatic summaries (Fearnhead & Prangle 2012): a ridge regression of the
parameters on every summarised value of the simulations the calibration ran estimates
E[parameter | telemetry]; its fitted values are the summaries, one per parameter, that
carry what the series say about it. It is fitted twice: on every simulation, then on
the half nearest the observed telemetry by that first fit (their training region). The
penalty is chosen per parameter by generalised cross-validation. Each particle's
projection is cross-fitted (FOLDS): made by a fit on the training region without the
particle's fold, so that the summaries do not follow the particle's own noise (which
made the adjusted intervals too narrow at small budgets).

Regression adjustment (Beaumont, Zhang & Balding 2002): the final particles are
weighted by an Epanechnikov kernel of their projected summaries' distance from the
observed one, a weighted linear regression of each parameter on that difference is
fitted, and each particle is moved along it to where its summaries would equal the
observed ones: theta* = theta - (s - s_obs) beta. The adjustment is made on the
parameters' own scale, where a share's summary is linear in the share (on the logit
scale Beaumont et al. suggest for bounded parameters, the curvature left production
accuracy's sd at a true 0.9 three times the binomial width; on its own scale 1.1
times); a particle moved outside the prior's support gets weight 0, the prior's
density there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from adoption.config.uncertainties import Uncertainty

Summary = dict[str, np.ndarray]
TRAINING_SHARE = 0.5
"""Share of the simulations, nearest the observed summaries by a first projection fitted
on all, on which the projection is refitted (Fearnhead & Prangle's training region:
the linear fit is made where the posterior is, not across the whole prior). Assumption:
on the 800-person pilot of tests/calibration, at a true accuracy of 0.9, production
accuracy's sd was 1.21, 1.12 and 1.08 times the binomial width with the projection
fitted on all the simulations, the nearest half and the nearest quarter."""
FOLDS = 10
"""Folds of the cross-fitted projection: each particle's summaries are projected by a fit
that did not see it, as Fearnhead & Prangle fit theirs on a pilot run's simulations
apart from the ABC run's, and as cross-fitting does in double machine learning
(Chernozhukov et al. 2018, Econometrics Journal 21(1), who use 5 to 10 folds). Fitted
values in the sample follow each particle's own noise: at 60 particles × 3 generations
they left production accuracy's sd at a median 0.89 of the binomial width (cross-fitted
1.06), and the 90% intervals held the truth in 52 and 49 of 60 cases on pilots of 800
and 400 people (cross-fitted: 53 and 53; docs/calibration.md). Assumption: 10 (5 gave
54 and 52)."""
SHARES = ("accuracy",)
"""Measures that are a share of the period's uses."""
PARTICLES_PER_COEFFICIENT = 10
"""Least effective particles (kernel-weighted) per coefficient of the local regression
for the adjustment to be made (assumption: the rule of thumb of ten observations per
fitted coefficient, Peduzzi et al. 1996). Fewer, and chance correlations in the few
particles shrink a parameter the telemetry does not inform: 30 particles × 3
generations left the discount rate's sd at 0.75 of its prior's."""
RIDGE_PENALTIES = np.logspace(-4, 4, 33)
"""Ridge penalties (times the number of simulations) among which GCV chooses."""


@dataclass(frozen=True)
class Support:
    """Where a prior has density: adjusted particles outside it are dropped."""

    low: float
    high: float

    @classmethod
    def of(cls, prior: Uncertainty) -> Support:
        if prior.distribution in ("uniform", "triangular"):
            return cls(float(prior.low), float(prior.high))
        return cls(0.0 if prior.distribution == "lognormal" else -np.inf, np.inf)

    def holds(self, x: np.ndarray) -> np.ndarray:
        return (x >= self.low) & (x <= self.high)


def features(summaries: Sequence[Summary], observed: Summary) -> np.ndarray:
    """One row per simulation: every observed (finite) value of every measure, and,
    where uses are recorded beside a share (accuracy), the share pooled over the
    periods weighted by the uses (the binomial likelihood's sufficient statistic)."""
    masks = {m: np.isfinite(v) for m, v in observed.items()}
    pooled = [m for m in SHARES if m in observed and "uses" in observed]
    rows = []
    for s in summaries:
        values = [np.ravel(s[m])[np.ravel(masks[m])] for m in observed]
        for measure in pooled:
            both = masks[measure] & masks["uses"] & np.isfinite(s[measure])
            uses = np.where(both, s["uses"], 0.0)
            total = uses.sum()
            share = np.sum(np.where(both, s[measure], 0.0) * uses) / total if total else np.nan
            values.append(np.array([share]))
        rows.append(np.concatenate(values))
    return np.array(rows, dtype=float)


@dataclass(frozen=True)
class Projection:
    """Ridge regression of the parameters on the features: s -> E[theta | s]."""

    centre: np.ndarray
    spread: np.ndarray
    coefficients: np.ndarray  # features × parameters, on the standardised features
    intercept: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, z: np.ndarray) -> Projection:
        centre = np.nanmean(x, axis=0)
        x = np.where(np.isfinite(x), x, centre)
        spread = x.std(axis=0)
        spread = np.where(spread > 0, spread, np.inf)  # a constant feature says nothing
        xs = (x - centre) / spread
        intercept = z.mean(axis=0)
        u, singular, vt = np.linalg.svd(xs, full_matrices=False)
        uz = u.T @ (z - intercept)
        m = len(x)
        coefficients = np.empty((x.shape[1], z.shape[1]))
        for j in range(z.shape[1]):
            best, chosen = np.inf, RIDGE_PENALTIES[0] * m
            for penalty in RIDGE_PENALTIES * m:
                shrink = singular**2 / (singular**2 + penalty)
                residual = (z[:, j] - intercept[j]) - u @ (shrink * uz[:, j])
                score = np.sum(residual**2) / (m * (1 - shrink.sum() / m) ** 2)
                if score < best:
                    best, chosen = score, penalty
            coefficients[:, j] = vt.T @ (singular / (singular**2 + chosen) * uz[:, j])
        return cls(centre, spread, coefficients, intercept)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.where(np.isfinite(x), x, self.centre)
        return (x - self.centre) / self.spread @ self.coefficients + self.intercept


def _distance(projected: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Euclidean distance of projected summaries from `target`, each in its sd."""
    spread = projected.std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    return np.sqrt(np.sum(((projected - target) / spread) ** 2, axis=1))


def epanechnikov(distance: np.ndarray) -> np.ndarray:
    """Kernel weights, the bandwidth the largest distance (the farthest particle: 0)."""
    bandwidth = float(np.max(distance))
    if bandwidth <= 0:
        return np.ones_like(distance)
    return np.maximum(1.0 - (distance / bandwidth) ** 2, 0.0)


@dataclass(frozen=True)
class Adjusted:
    """The adjusted particles (one column per parameter) and their weights."""

    theta: np.ndarray
    weights: np.ndarray
    applied: bool  # False: too few particles, the particles as accepted


def cross_fitted_differences(
    x: np.ndarray, theta: np.ndarray, places: np.ndarray, x_observed: np.ndarray
) -> np.ndarray:
    """Each particle's projected summaries less the telemetry's (particles × parameters),
    the projection refitted on the training region without the particle's fold (FOLDS):
    `x` and `theta` are every simulation's features and parameters, `places` the
    particles' places among them. A particle outside the training region is projected by
    the fit on the whole region, which did not see it either."""
    projection = Projection.fit(x, theta)
    near = _distance(projection(x), projection(x_observed)[0])
    region = np.flatnonzero(near <= np.quantile(near, TRAINING_SHARE))
    fold = np.full(len(x), -1)
    fold[region] = np.arange(len(region)) % FOLDS
    difference = np.empty((len(places), theta.shape[1]))
    for k in range(-1, FOLDS):
        members = fold[places] == k
        if members.any():
            fitted = region[fold[region] != k]
            projection = Projection.fit(x[fitted], theta[fitted])
            difference[members] = projection(x[places[members]]) - projection(x_observed)[0]
    return difference


def regression_adjust(
    supports: Sequence[Support],
    theta: np.ndarray,
    weights: np.ndarray,
    places: np.ndarray,
    observed: Summary,
    training_theta: np.ndarray,
    training: Sequence[Summary],
) -> Adjusted:
    """Beaumont et al.'s local-linear adjustment of the particles `theta` (SMC weights
    `weights`; `places`, their places among the simulations) on semi-automatic summaries
    fitted on every simulation the run made (`training_theta`, `training`), cross-fitted.
    With too few effective particles for the regression (PARTICLES_PER_COEFFICIENT), or
    left inside the prior's support after it, the particles as accepted."""
    dims = theta.shape[1]
    x = features(training, observed)
    difference = cross_fitted_differences(x, training_theta, places, features([observed], observed))
    local = weights * epanechnikov(_distance(difference, np.zeros(dims)))
    if _ess(local) < PARTICLES_PER_COEFFICIENT * (dims + 1):
        return Adjusted(theta, weights, False)
    design = np.column_stack([np.ones(len(theta)), difference])
    root = np.sqrt(local)[:, None]
    solution, *_ = np.linalg.lstsq(design * root, theta * root, rcond=None)
    slopes = solution[1:]
    adjusted = theta - difference @ slopes
    inside = np.all([s.holds(adjusted[:, j]) for j, s in enumerate(supports)], axis=0)
    local = local * inside
    if _ess(local) < PARTICLES_PER_COEFFICIENT * (dims + 1):  # moved out of the support
        return Adjusted(theta, weights, False)
    return Adjusted(adjusted, local / local.sum(), True)


def _ess(weights: np.ndarray) -> float:
    total = weights.sum()
    return float(total**2 / np.sum(weights**2)) if total > 0 else 0.0
