"""The simulation-based check counts each truth's intervals once, and a miss is a truth
outside its interval."""

from __future__ import annotations

from adoption.calibration.coverage import coverage_over_prior
from adoption.config import load_scenario
from tests.calibration.conftest import TINY, TRUTH


def test_every_interval_is_counted_once_and_a_miss_lies_outside_its_interval():
    fit = list(TRUTH)
    coverage = coverage_over_prior(
        load_scenario(TINY), "north-pilot", fit, truths=3, weeks=4,
        measures=("with_access", "active", "first_time"), population=20, generations=1,
        predictive=1,
    )  # fmt: skip
    assert coverage.cases == 3 * len(fit)
    assert coverage.covered + len(coverage.missed) == coverage.cases
    assert sum(coverage.by_parameter.values()) == coverage.covered
    assert all(not miss.q05 <= miss.truth <= miss.q95 for miss in coverage.missed)
    assert f"{coverage.covered}/{coverage.cases} covered" in str(coverage)
