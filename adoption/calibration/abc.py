"""ABC-SMC (population Monte Carlo) on the project's executors, seeded throughout.

Beaumont et al. (2009) and Toni et al. (2009): generation 0 draws from the prior;
each later generation perturbs particles of the last with a Gaussian kernel of twice
their weighted covariance, keeps proposals closer than epsilon (the median distance of
the last generation), and weights them by prior / proposal density. The distance is a
per-series scaled L2 with adaptive scales (Prangle 2017): each series' scale is the
median absolute deviation of its simulations in the last generation, so that counts in
the thousands do not drown a share.

With `adjust`, the last population is sharpened by a local-linear regression
adjustment on semi-automatic summaries (adjustment.py: Beaumont, Zhang & Balding 2002;
Fearnhead & Prangle 2012), fitted on every simulation the run made.

Reproducible: proposal i of generation t has its own seeds from
SeedSequence([seed, t, i]) and proposals are judged in index order, so the result does
not depend on how many workers evaluated them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from adoption.calibration.adjustment import Support, regression_adjust
from adoption.config.uncertainties import Uncertainty
from adoption.errors import InputError

Simulate = Callable[[list], list]
"""Simulations of `(values, seed)` items, in the items' order (see `ordered_map`)."""


def prior_density(uncertainty: Uncertainty, x: np.ndarray) -> np.ndarray:
    """The prior's density at `x` (choice priors cannot be fitted)."""
    from scipy import stats  # here, not at the top: test_imports.py

    kind = uncertainty.distribution
    if kind == "uniform":
        return stats.uniform.pdf(x, uncertainty.low, uncertainty.high - uncertainty.low)
    if kind == "triangular":
        width = uncertainty.high - uncertainty.low
        c = (uncertainty.mode - uncertainty.low) / width
        return stats.triang.pdf(x, c, loc=uncertainty.low, scale=width)
    if kind == "normal":
        return stats.norm.pdf(x, uncertainty.mean, uncertainty.sd)
    if kind == "lognormal":
        return stats.lognorm.pdf(x, s=uncertainty.sd, scale=np.exp(uncertainty.mean))
    raise InputError("a 'choice' uncertainty cannot be fitted: give it a continuous prior")


def prior_sd(uncertainty: Uncertainty) -> float:
    u = (np.arange(2000) + 0.5) / 2000
    return float(np.std(uncertainty.quantile(u).astype(float)))


@dataclass
class Distance:
    """Per-series scaled L2 between summaries: dict measure -> array (same shape)."""

    observed: dict[str, np.ndarray]
    scales: dict[str, float] = field(default_factory=dict)

    def adapt(self, simulations: list[dict[str, np.ndarray] | None]) -> None:
        for measure, observed in self.observed.items():
            stack = np.array([s[measure] for s in simulations if s is not None], dtype=float)
            scale = np.nan
            if len(stack) > 1:
                mad = np.nanmedian(np.abs(stack - np.nanmedian(stack, axis=0)), axis=0)
                mad = mad[np.isfinite(observed) & np.isfinite(mad)]
                scale = float(np.mean(mad)) if mad.size else np.nan
            typical = float(np.nanmean(np.abs(observed))) if np.isfinite(observed).any() else 1.0
            floor = max(1e-3 * typical, 1e-9)
            self.scales[measure] = max(scale, floor) if np.isfinite(scale) else max(typical, floor)

    def __call__(self, simulated: dict[str, np.ndarray] | None) -> float:
        if simulated is None:
            return np.inf
        total = 0.0
        for measure, observed in self.observed.items():
            mask = np.isfinite(observed)
            diff = np.where(mask, np.nan_to_num(simulated[measure]) - observed, 0.0)
            total += float(np.sum(diff**2)) / max(int(mask.sum()), 1) / self.scales[measure] ** 2
        return float(np.sqrt(total))


@dataclass
class Result:
    """The posterior particles (adjusted with `adjust`), the run's diagnostics."""

    particles: pd.DataFrame  # one column per parameter, plus weight and distance
    generations: pd.DataFrame  # epsilon, acceptance rate, ESS, simulations run, proposals
    scales: dict[str, float]
    unadjusted: pd.DataFrame  # the last population before the regression adjustment
    adjusted: bool  # whether the adjustment was made (asked, and enough particles)


def abc_smc(
    priors: dict[str, Uncertainty],
    summarise: Callable[[object], dict[str, np.ndarray] | None],
    observed: dict[str, np.ndarray],
    simulate: Simulate,
    *,
    population: int = 100,
    generations: int = 5,
    min_acceptance: float = 0.02,
    seed: int = 0,
    adjust: bool = True,
    on_generation: Callable[[int, float, float], None] | None = None,
) -> Result:
    """Run ABC-SMC: `simulate` runs `(values, seed)` items, `summarise` turns a
    simulation into the statistics compared with `observed` (None: it failed)."""
    from scipy.stats import multivariate_normal  # here, not at the top: test_imports.py

    names = list(priors)
    dims = len(names)
    distance = Distance(observed)

    def seeds(t: int, start: int, n: int) -> Iterator[np.random.Generator]:
        for i in range(start, start + n):
            yield np.random.default_rng(np.random.SeedSequence([seed, t, i]))

    def density(theta: np.ndarray) -> np.ndarray:
        return np.prod([prior_density(priors[n], theta[:, j]) for j, n in enumerate(names)], axis=0)

    # generation 0: the prior
    rngs = list(seeds(0, 0, population))
    u = np.array([rng.random(dims) for rng in rngs])
    theta = np.column_stack(
        [priors[n].quantile(u[:, j]).astype(float) for j, n in enumerate(names)]
    )
    sim_seeds = [int(rng.integers(2**31)) for rng in rngs]
    items = [
        (dict(zip(names, row, strict=True)), s) for row, s in zip(theta, sim_seeds, strict=True)
    ]
    sims = [summarise(s) for s in simulate(items)]
    valid = [s is not None for s in sims]
    if not any(valid):
        raise InputError("no simulation from the prior ran: check the priors' ranges")
    distance.adapt(sims)
    dist = np.array([distance(s) for s in sims])
    keep = np.isfinite(dist)
    theta, dist, sims = theta[keep], dist[keep], [s for s, k in zip(sims, keep, strict=True) if k]
    trained_theta, trained = list(theta), list(sims)  # every simulation, for the adjustment
    places = np.arange(len(theta))  # the particles' places among them
    weights = np.full(len(theta), 1.0 / len(theta))
    rows = [
        {
            "generation": 0,
            "epsilon": np.inf,
            "acceptance_rate": float(np.mean(valid)),
            "ess": float(len(theta)),
            "simulations": population,
            "proposals": population,
        }
    ]
    if on_generation:
        on_generation(0, np.inf, float(np.mean(valid)))
    scale_sims = sims
    for t in range(1, generations):
        # scales from all the last generation's simulations; epsilon from its particles
        distance.adapt(scale_sims)
        dist = np.array([distance(s) for s in sims])
        epsilon = float(np.median(dist))
        cov = 2.0 * np.atleast_2d(np.cov(theta.T, aweights=weights))
        cov += np.eye(dims) * 1e-12
        accepted_theta, accepted_dist, accepted_sims, accepted_places = [], [], [], []
        evaluated = proposed = ran = 0
        all_sims = []
        batch = population
        while len(accepted_theta) < population:
            rngs = list(seeds(t, proposed, batch))
            proposals, items = [], []
            for rng in rngs:
                parent = theta[rng.choice(len(theta), p=weights)]
                proposal = rng.multivariate_normal(parent, cov)
                proposals.append(proposal)
                items.append((dict(zip(names, proposal, strict=True)), int(rng.integers(2**31))))
            inside = density(np.array(proposals)) > 0
            to_run = [item for item, ok in zip(items, inside, strict=True) if ok]
            results = iter([summarise(s) for s in simulate(to_run)])
            ran += len(to_run)
            for proposal, ok in zip(proposals, inside, strict=True):
                proposed += 1
                sim = next(results) if ok else None
                if len(accepted_theta) < population:
                    evaluated += 1  # proposals judged until the population is full
                if sim is not None:
                    all_sims.append(sim)
                    trained_theta.append(proposal)
                    trained.append(sim)
                d = distance(sim)
                if d <= epsilon and len(accepted_theta) < population:
                    accepted_theta.append(proposal)
                    accepted_dist.append(d)
                    accepted_sims.append(sim)
                    accepted_places.append(len(trained) - 1)
            rate = len(accepted_theta) / evaluated
            if rate < min_acceptance and proposed >= population:
                break
            needed = population - len(accepted_theta)
            batch = int(min(max(needed / max(rate, 1e-3) * 1.2, 8), 20 * population))
        if len(accepted_theta) < population:
            rows.append(
                {
                    "generation": t,
                    "epsilon": epsilon,
                    "acceptance_rate": rate,
                    "ess": np.nan,
                    "simulations": ran,
                    "proposals": proposed,
                }
            )
            break  # acceptance too low: keep the last full generation
        new_theta = np.array(accepted_theta)
        kernel = multivariate_normal(np.zeros(dims), cov, allow_singular=True)
        mixture = np.array([np.sum(weights * kernel.pdf(x - theta)) for x in new_theta])
        new_weights = density(new_theta) / mixture
        new_weights /= new_weights.sum()
        theta, weights, dist, sims = new_theta, new_weights, np.array(accepted_dist), accepted_sims
        places = np.array(accepted_places)
        rows.append(
            {
                "generation": t,
                "epsilon": epsilon,
                "acceptance_rate": rate,
                "ess": float(1.0 / np.sum(weights**2)),
                "simulations": ran,
                "proposals": proposed,
            }
        )
        if on_generation:
            on_generation(t, epsilon, rate)
        scale_sims = all_sims
    unadjusted = _frame(theta, weights, dist, names)
    particles, applied = unadjusted, False
    if adjust:
        adjusted = regression_adjust(
            [Support.of(priors[n]) for n in names],
            theta,
            weights,
            places,
            observed,
            np.array(trained_theta),
            trained,
        )
        particles = _frame(adjusted.theta, adjusted.weights, dist, names)
        applied = adjusted.applied
    return Result(particles, pd.DataFrame(rows), dict(distance.scales), unadjusted, applied)


def _frame(theta: np.ndarray, weights: np.ndarray, dist: np.ndarray, names: list) -> pd.DataFrame:
    particles = pd.DataFrame(theta, columns=names)
    particles["weight"] = weights
    particles["distance"] = dist
    return particles
