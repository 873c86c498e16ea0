"""Simulation-based calibration of the calibration: over truths drawn from the prior, do
the 90% intervals hold the truth as often as they claim? (Talts et al. 2018's check,
read on the intervals: each truth's synthetic pilot is calibrated and its intervals
compared with the truth that made it.)"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from adoption.calibration.calibrate import calibrate
from adoption.calibration.synthetic import synthetic_telemetry
from adoption.config import Scenario

TELEMETRY_SEEDS = 500
"""Truth i's synthetic pilot is simulated with seed TELEMETRY_SEEDS + i, apart from the
calibrations' seeds (i)."""


@dataclass(frozen=True)
class Miss:
    """An interval that did not hold its truth."""

    truth_index: int
    parameter: str
    truth: float
    q05: float
    q95: float


@dataclass
class Coverage:
    """How many of the 90% intervals held their truth, per parameter and in all."""

    covered: int = 0
    cases: int = 0
    by_parameter: dict[str, int] = field(default_factory=dict)
    missed: list[Miss] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        per = ", ".join(f"{name} {n}" for name, n in self.by_parameter.items())
        return f"{self.covered}/{self.cases} covered ({per}) in {self.seconds:.0f} s"


def coverage_over_prior(
    scenario: Scenario,
    plan: str,
    fit: list[str],
    *,
    truths: int = 20,
    weeks: int = 12,
    measures: tuple[str, ...],
    seed: int = 2026,
    **calibration: object,
) -> Coverage:
    """Draw `truths` values of `fit` from their priors (seeded by `seed`), simulate each
    one's `weeks`-week pilot of `plan` recording `measures`, calibrate to it
    (`calibration`: calibrate's keywords, such as population and generations) and count
    the 90% intervals that hold the truth."""
    rng = np.random.default_rng(seed)
    result, started = Coverage(by_parameter=dict.fromkeys(fit, 0)), time.perf_counter()
    for index in range(truths):
        truth = {path: float(scenario.uncertainties[path].quantile(rng.random())) for path in fit}
        frame = synthetic_telemetry(
            scenario, plan, truth, weeks=weeks, seed=TELEMETRY_SEEDS + index, measures=measures
        )
        found = calibrate(scenario, frame, fit, plan=plan, seed=index, **calibration)
        for row in found.summary.itertuples():
            result.cases += 1
            if row.q05 <= truth[row.parameter] <= row.q95:
                result.covered += 1
                result.by_parameter[row.parameter] += 1
            else:
                result.missed.append(
                    Miss(index, row.parameter, truth[row.parameter], row.q05, row.q95)
                )
    result.seconds = time.perf_counter() - started
    return result
