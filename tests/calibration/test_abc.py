"""The ABC-SMC sampler against a posterior known exactly: a normal mean with a normal
prior (conjugate), its sufficient statistic the sample mean."""

from __future__ import annotations

import numpy as np

from adoption.calibration.abc import abc_smc
from adoption.config.uncertainties import Uncertainty

PRIOR_SD = 2.0
NOISE_SD = 1.0
DRAWS = 25
OBSERVED_MEAN = 1.3


def simulate(items: list) -> list:
    """The sample mean of DRAWS normal draws around each item's theta."""
    out = []
    for values, seed in items:
        rng = np.random.default_rng(seed)
        out.append({"mean": np.array([rng.normal(values["theta"], NOISE_SD, DRAWS).mean()])})
    return out


def exact_posterior() -> tuple[float, float]:
    precision = 1 / PRIOR_SD**2 + DRAWS / NOISE_SD**2
    mean = (DRAWS / NOISE_SD**2) * OBSERVED_MEAN / precision
    return mean, float(np.sqrt(1 / precision))


def test_the_sampler_recovers_a_conjugate_normal_posterior():
    """Posterior mean and sd within Monte Carlo error of the exact ones: 4 standard
    errors by the particles' effective sample size (se of a mean sd/sqrt(ESS), of an
    sd sd/sqrt(2 ESS)), over three calibration seeds."""
    prior = Uncertainty(distribution="normal", mean=0.0, sd=PRIOR_SD)
    exact_mean, exact_sd = exact_posterior()
    for seed in range(3):
        result = abc_smc(
            {"theta": prior},
            lambda sim: sim,
            {"mean": np.array([OBSERVED_MEAN])},
            simulate,
            population=400,
            generations=4,
            seed=seed,
        )
        theta = result.particles["theta"].to_numpy()
        weights = result.particles["weight"].to_numpy()
        ess = 1 / np.sum(weights**2)
        mean = float(np.sum(weights * theta))
        sd = float(np.sqrt(np.sum(weights * (theta - mean) ** 2)))
        assert ess > 100, ess
        assert abs(mean - exact_mean) < 4 * exact_sd / np.sqrt(ess), (seed, mean, exact_mean)
        assert abs(sd - exact_sd) < 4 * exact_sd / np.sqrt(2 * ess), (seed, sd, exact_sd)


def test_without_the_adjustment_the_posterior_is_wider_by_the_tolerance():
    """The unadjusted population (ABC's tolerance left in) is centred on the exact mean
    but wider than the exact posterior; the adjustment removes that width."""
    prior = Uncertainty(distribution="normal", mean=0.0, sd=PRIOR_SD)
    exact_mean, exact_sd = exact_posterior()
    result = abc_smc(
        {"theta": prior},
        lambda sim: sim,
        {"mean": np.array([OBSERVED_MEAN])},
        simulate,
        population=400,
        generations=4,
        seed=0,
    )
    raw = result.unadjusted
    weights = raw["weight"].to_numpy()
    mean = float(np.sum(weights * raw["theta"]))
    sd = float(np.sqrt(np.sum(weights * (raw["theta"] - mean) ** 2)))
    assert abs(mean - exact_mean) < 0.5 * exact_sd
    assert sd > 1.1 * exact_sd


def test_too_few_particles_are_left_as_accepted():
    """Below ten effective particles per regression coefficient the adjustment is not
    made (chance correlations among a few particles would shrink the posterior): the
    particles are the population as accepted, and the result says so."""
    prior = Uncertainty(distribution="normal", mean=0.0, sd=PRIOR_SD)
    observed = {"mean": np.array([OBSERVED_MEAN])}
    few = abc_smc({"theta": prior}, lambda sim: sim, observed, simulate, population=12, seed=0)
    assert not few.adjusted
    assert few.particles.equals(few.unadjusted)
    enough = abc_smc({"theta": prior}, lambda sim: sim, observed, simulate, population=60, seed=0)
    assert enough.adjusted


def test_the_diagnostics_count_the_simulations_run_not_the_proposals():
    """A proposal outside the prior is rejected without a simulation: each generation's
    `simulations` is what `simulate` ran, `proposals` all it judged (they differ where
    the prior's edge cuts the proposal kernel, here a mean observed beside its bound)."""
    ran = []

    def counted(items: list) -> list:
        ran.append(len(items))
        return simulate(items)

    prior = Uncertainty(distribution="uniform", low=0.0, high=2.0)
    result = abc_smc(
        {"theta": prior},
        lambda sim: sim,
        {"mean": np.array([0.05])},
        counted,
        population=200,
        generations=3,
        seed=0,
    )
    generations = result.generations
    assert int(generations["simulations"].sum()) == sum(ran)
    assert (generations["proposals"] >= generations["simulations"]).all()
    assert int(generations["proposals"].sum()) > sum(ran)  # some fell outside the prior
