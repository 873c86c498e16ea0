"""The posterior kept joint: the worlds a forecast runs are whole particles, so the
correlation between fitted parameters survives into compare and explore."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adoption.api import compare
from adoption.calibration import calibrate, posterior_draws
from adoption.calibration.draws import posterior_worlds
from adoption.config import load_scenario
from adoption.errors import InputError
from adoption.experiment.executors import SerialExecutor
from adoption.experiment.sampling import comparison_samples
from tests.calibration.conftest import TINY

FIT = ["behaviour.try_per_year", "tool.production_accuracy"]


def correlated_scenario(rho: float, draws: int = 200):
    """TINY with two fitted fields as aligned posterior draws of correlation `rho`."""
    rng = np.random.default_rng(4)
    a, b = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], draws).T
    raw = {**TINY, "uncertainties": dict(TINY["uncertainties"])}
    raw["uncertainties"]["behaviour.try_per_year"] = {
        "distribution": "choice", "values": [float(v) for v in 30 + 8 * a],
    }  # fmt: skip
    raw["uncertainties"]["tool.production_accuracy"] = {
        "distribution": "choice", "values": [float(v) for v in 0.8 + 0.03 * b],
    }  # fmt: skip
    return load_scenario(raw), np.corrcoef(a, b)[0, 1]


def test_worlds_are_whole_particles_and_keep_the_posteriors_correlation():
    """100 worlds from 200 draws of correlation -0.8: each world is one particle, the
    sampled correlation within 0.1 of the draws' (about 3 standard errors of a
    correlation of 100 pairs, (1 - rho^2)/sqrt(100) = 0.036); sampling each field on
    its own (the Latin hypercube of a plain comparison) loses it."""
    scenario, rho = correlated_scenario(-0.8)
    worlds = posterior_worlds(scenario, FIT, 100, seed=0)
    assert list(worlds.columns) == list(scenario.uncertainties)
    particles = set(
        zip(
            scenario.uncertainties[FIT[0]].values,
            scenario.uncertainties[FIT[1]].values,
            strict=True,
        )
    )
    assert all(pair in particles for pair in zip(worlds[FIT[0]], worlds[FIT[1]], strict=True))
    sampled = np.corrcoef(worlds[FIT[0]], worlds[FIT[1]])[0, 1]
    assert abs(sampled - rho) < 0.1, (sampled, rho)
    independent = comparison_samples(scenario.uncertainties, 100, 0)
    lost = np.corrcoef(independent[FIT[0]].astype(float), independent[FIT[1]].astype(float))
    assert abs(lost[0, 1]) < 0.3, lost[0, 1]
    # the other uncertainties are sampled over their priors, by Latin hypercube
    discount = worlds["economics.discount_rate_per_year"]
    assert discount.between(0.02, 0.12).all() and discount.nunique() == 100


def test_draws_with_differing_lengths_are_refused():
    scenario, _ = correlated_scenario(0.5)
    raw = scenario.model_dump(mode="json")
    raw["uncertainties"]["tool.production_accuracy"]["values"] = [0.8, 0.81]
    with pytest.raises(InputError, match="cannot be joint draws"):
        posterior_worlds(load_scenario(raw), FIT, 10, seed=0)


def weighted_correlation(frame: pd.DataFrame, x: str, y: str) -> float:
    w = frame["weight"].to_numpy()
    a, b = frame[x].to_numpy(), frame[y].to_numpy()
    a, b = a - np.sum(w * a), b - np.sum(w * b)
    return float(np.sum(w * a * b) / np.sqrt(np.sum(w * a * a) * np.sum(w * b * b)))


def test_a_calibrations_draws_carry_its_posteriors_correlation_into_compare(
    tiny_scenario, tiny_telemetry, tmp_path
):
    """From a calibration folder: `posterior_draws` (all 200 equal-weight draws) has the
    weighted particles' correlation (within 0.15: 200 systematic resamples of 30
    particles), and `compare(worlds=...)` runs exactly the worlds it is given."""
    out = tmp_path / "cal"
    calibration = calibrate(
        tiny_scenario, tiny_telemetry, FIT, out, population=30, generations=2, predictive=5
    )
    draws = posterior_draws(out)
    assert list(draws.columns) == FIT and len(draws) == 200
    expected = weighted_correlation(calibration.posterior, *FIT)
    assert abs(np.corrcoef(draws[FIT[0]], draws[FIT[1]])[0, 1] - expected) < 0.15
    assert len(posterior_draws(out, draws=7)) == 7
    worlds = posterior_worlds(calibration.scenario, FIT, 3, seed=1)
    comparison = compare(
        calibration.scenario, ["proceed", "stop"], replications=1, seed=1,
        executor=SerialExecutor(), worlds=worlds, overrides={"horizon_days": 100},
    )  # fmt: skip
    pd.testing.assert_frame_equal(
        comparison.samples.reset_index(drop=True), worlds.reset_index(drop=True)
    )
