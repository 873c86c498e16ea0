"""The posterior as joint draws: whole particles, never each parameter on its own.

A calibration writes each fitted field's posterior into calibrated.yaml as a `choice`
of equal-weight draws in one order: draw k of every fitted field comes from the same
particle. The worlds a forecast runs take draw k of every fitted field together, so
a trade-off between parameters (a correlation the telemetry leaves) is kept; the
scenario's other uncertainties are sampled by their own Latin hypercube.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from adoption.calibration.forecast import posterior_diagnostics, posterior_scenario
from adoption.config import Scenario
from adoption.errors import InputError
from adoption.experiment.sampling import latin_hypercube, sample_uncertainties


def joint_draws(scenario: Scenario, fitted: list[str]) -> pd.DataFrame:
    """The fitted fields' posterior draws, one row per particle drawn."""
    columns = {name: scenario.uncertainties[name].values or [] for name in fitted}
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise InputError(
            "the calibrated scenario's posterior draws differ in number between the "
            f"fitted fields ({', '.join(fitted)}): they cannot be joint draws"
        )
    return pd.DataFrame(columns)


def posterior_draws(folder: str | Path, draws: int | None = None, seed: int = 0) -> pd.DataFrame:
    """A calibration folder's joint posterior: equal-weight draws of the fitted fields,
    one row a particle (all of them, or `draws` rows stratified over them)."""
    scenario = posterior_scenario(folder)
    table = joint_draws(scenario, list(posterior_diagnostics(folder)["fit"]))
    if draws is None:
        return table
    return table.iloc[_stratified(len(table), draws, seed)].reset_index(drop=True)


def posterior_worlds(
    scenario: Scenario, fitted: list[str], samples: int, seed: int
) -> pd.DataFrame:
    """`samples` worlds: the fitted fields as whole posterior particles (stratified over
    the draws), every other uncertainty by Latin hypercube; columns in the scenario's
    order, as `comparison_samples` gives them."""
    table = joint_draws(scenario, fitted)
    chosen = table.iloc[_stratified(len(table), samples, seed)].reset_index(drop=True)
    others = {k: u for k, u in scenario.uncertainties.items() if k not in fitted}
    rest = sample_uncertainties(others, samples, seed) if others else pd.DataFrame()
    worlds = pd.DataFrame(
        {
            name: chosen[name] if name in fitted else rest[name].to_numpy()
            for name in scenario.uncertainties
        }
    )
    worlds.index.name = "sample"
    return worlds


def _stratified(size: int, draws: int, seed: int) -> np.ndarray:
    """`draws` indices into `size` rows, one in each of `draws` equal strata."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xD4A]))
    return np.minimum((latin_hypercube(draws, 1, rng)[:, 0] * size).astype(int), size - 1)


def posterior_forecast(
    folder: str | Path, overrides, samples: int, seed: int
) -> tuple[Scenario, pd.DataFrame]:
    """A calibration folder's calibrated scenario and `samples` worlds of its joint
    posterior (`compare --posterior`, `explore --posterior`)."""
    scenario = posterior_scenario(folder, overrides)
    fitted = [str(name) for name in posterior_diagnostics(folder)["fit"]]
    return scenario, posterior_worlds(scenario, fitted, samples, seed)
