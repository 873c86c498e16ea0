"""Sampling and statistics against known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from adoption.config.uncertainties import Uncertainty
from adoption.errors import InputError
from adoption.experiment.sampling import latin_hypercube, sample_uncertainties
from adoption.experiment.statistics import (
    Target,
    few_runs_warning,
    risk,
    share_interval,
    summarise,
    t_interval,
    wilson_interval,
)


def test_latin_hypercube_has_one_point_per_stratum():
    points = latin_hypercube(50, 3, np.random.default_rng(0))
    assert points.shape == (50, 3)
    for column in points.T:
        assert sorted(np.floor(column * 50).astype(int)) == list(range(50))


def test_latin_hypercube_beats_random_sampling_on_the_mean():
    # the LHS estimate of E[u] = 0.5 is far more precise than plain Monte Carlo
    rng = np.random.default_rng(1)
    lhs = [latin_hypercube(20, 1, rng).mean() for _ in range(500)]
    plain = [rng.random(20).mean() for _ in range(500)]
    assert np.std(lhs) < 0.2 * np.std(plain)


@pytest.mark.parametrize(
    ("spec", "distribution"),
    [
        (Uncertainty(distribution="uniform", low=0.6, high=0.9), stats.uniform(0.6, 0.3)),
        (
            Uncertainty(distribution="triangular", low=0.0, mode=0.2, high=1.0),
            stats.triang(0.2, 0.0, 1.0),
        ),
        (Uncertainty(distribution="normal", mean=0.7, sd=0.05), stats.norm(0.7, 0.05)),
        (Uncertainty(distribution="lognormal", mean=0.0, sd=0.5), stats.lognorm(0.5)),
    ],
)
def test_sampled_values_follow_their_distribution(spec, distribution):
    frame = sample_uncertainties({"x.y": spec}, 400, seed=3)
    assert stats.kstest(frame["x.y"], distribution.cdf).pvalue > 0.01
    # stratified: the sample mean is within a small fraction of the true mean
    assert frame["x.y"].mean() == pytest.approx(
        distribution.mean(), abs=0.02 * distribution.std() + 1e-3
    )


def test_choice_takes_each_value_equally():
    values = Uncertainty(distribution="choice", values=["a", "b"]).quantile(
        np.linspace(0, 0.999, 100)
    )
    assert (values == "a").sum() == 50


def test_same_seed_same_samples():
    specs = {"a": Uncertainty(distribution="uniform", low=0, high=1)}
    pd.testing.assert_frame_equal(
        sample_uncertainties(specs, 7, 1), sample_uncertainties(specs, 7, 1)
    )


def test_t_interval_covers_the_true_mean_95_percent_of_the_time():
    rng = np.random.default_rng(4)
    trials, n, true_mean = 4000, 12, 3.0
    covered = 0
    for _ in range(trials):
        _, _, low, high, _ = t_interval(rng.normal(true_mean, 2.0, n))
        covered += low <= true_mean <= high
    # binomial standard error of the coverage over 4,000 trials: 0.0034
    assert covered / trials == pytest.approx(0.95, abs=0.012)


def test_wilson_interval_known_values():
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-3)
    low, high = wilson_interval(5, 10)
    assert (low, high) == pytest.approx((0.2366, 0.7634), abs=1e-3)


def test_target_parsing_and_risk():
    target = Target.parse("adoption_rate >= 0.5")
    assert (target.metric, target.comparison, target.value) == ("adoption_rate", ">=", 0.5)
    runs = pd.DataFrame(
        {"plan": ["a"] * 4 + ["b"] * 4, "adoption_rate": [0.4, 0.6, 0.7, 0.8, 0.1, 0.2, 0.9, 0.3]}
    )
    table = risk(runs, target).set_index("plan")
    assert table.loc["a", "p_miss"] == 0.25 and table.loc["b", "p_miss"] == 0.75
    for bad in ("adoption_rate=0.5", "adoption_rate>=high", ">=0.5"):
        with pytest.raises(InputError, match="--target"):
            Target.parse(bad)


def test_share_intervals_stay_inside_zero_and_one():
    """Two runs of shares far apart gave [-148%, 174%] with a plain t interval."""
    values = np.array([0.05, 0.9])
    mean, _, low, high, n = t_interval(values)
    assert low < 0 and high > 1  # the plain t interval leaves [0, 1]
    mean, _, low, high, n = share_interval(values)
    assert n == 2 and mean == pytest.approx(0.475)
    assert 0.0 < low < mean < high < 1.0
    # every run at an extreme: nothing to spread
    assert share_interval(np.zeros(4))[2:4] == (0.0, 0.0)
    assert share_interval(np.ones(4))[2:4] == (1.0, 1.0)


def test_share_intervals_tend_to_the_t_interval_with_many_runs():
    values = np.random.default_rng(3).beta(40, 60, 400)
    _, _, t_low, t_high, _ = t_interval(values)
    _, _, low, high, _ = share_interval(values)
    assert low == pytest.approx(t_low, abs=0.002) and high == pytest.approx(t_high, abs=0.002)


def test_share_intervals_cover_the_mean_at_their_level():
    """Coverage of the true mean (0.3) over 2,000 sets of 4 runs: near 95%."""
    rng = np.random.default_rng(5)
    covered = 0
    for _ in range(2000):
        _, _, low, high, _ = share_interval(rng.beta(3, 7, 4))
        covered += low <= 0.3 <= high
    assert covered / 2000 == pytest.approx(0.95, abs=0.03)


def test_summaries_use_share_intervals_for_shares_only():
    runs = pd.DataFrame({"plan": ["a", "a"], "adoption_rate": [0.05, 0.9], "npv": [-5e6, 9e6]})
    summary = summarise(runs, ["adoption_rate", "npv"]).set_index("metric")
    assert 0 < summary.loc["adoption_rate", "ci_low"] < summary.loc["adoption_rate", "ci_high"] < 1
    assert summary.loc["npv", "ci_low"] < -5e6  # money keeps its plain t interval


def test_too_few_runs_are_named():
    assert few_runs_warning(30) is None and few_runs_warning(5) is None
    warning = few_runs_warning(2)
    assert "2 run(s) per plan" in warning and "at least 5" in warning
