"""`calibrate`: infer scenario parameters from a pilot's telemetry and check the fit."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import yaml

from adoption.arguments import file_path, name_list, whole_number
from adoption.calibration.abc import Simulate, abc_smc, prior_sd
from adoption.calibration.folder import check_target, write_folder
from adoption.calibration.pilot import PilotSpec, run_one
from adoption.calibration.plans import remaining_plans
from adoption.calibration.telemetry import MEANS, ORGANISATION_WIDE, Telemetry, read_telemetry
from adoption.config import Scenario, load_scenario
from adoption.config.loading import Overrides, ScenarioSource, scenario_yaml
from adoption.config.scenario import check_days
from adoption.errors import InputError
from adoption.experiment.executors import Executor, PoolExecutor, SerialExecutor, ordered_map
from adoption.organisation import organisation_for

if TYPE_CHECKING:
    from adoption.plotting import CalibrationPlots

NOT_INFORMED = 0.8
"""Posterior sd / prior sd above which a parameter is reported as not informed."""
POSTERIOR_DRAWS = 200
"""Equal-weight draws of the posterior written as the calibrated scenario's `choice`."""


@dataclass
class Calibration:
    """What `calibrate` found: the particles, their summary, checks and diagnostics."""

    scenario: Scenario  # calibrated: the fitted uncertainties are the posterior
    telemetry: Telemetry
    fit: list[str]
    plan: str
    posterior: pd.DataFrame  # particles: one column per parameter, weight, distance
    summary: pd.DataFrame  # per parameter: mean, sd, 90% interval, prior sd, informed
    generations: pd.DataFrame  # epsilon, acceptance rate, ESS, simulations
    predictive: pd.DataFrame  # per measure, group and period: observed and 5-95% band
    scales: dict[str, float]
    adjusted: bool  # the posterior is the regression-adjusted last population

    @property
    def plot(self) -> CalibrationPlots:
        """The calibration's figures: `.predictive()`, `.posterior()`."""
        from adoption.plotting import CalibrationPlots

        return CalibrationPlots(self)

    def _repr_html_(self) -> str:
        from adoption.display import calibration_html

        return calibration_html(self)

    def __repr__(self) -> str:
        return (
            f"<Calibration of {', '.join(self.fit)} to {self.plan}'s telemetry; "
            f"print(calibration.table())>"
        )

    @property
    def coverage(self) -> float:
        """Share of observed values inside the posterior predictive 90% band."""
        return float(self.predictive["inside"].mean())

    def table(self) -> str:
        lines = []
        for row in self.summary.itertuples():
            note = "" if row.informed else "  (not informed by the telemetry)"
            lines.append(
                f"{row.parameter}: {row.mean:.4g} (90% CI {row.q05:.4g} to {row.q95:.4g}; "
                f"sd {row.sd:.3g}, prior sd {row.prior_sd:.3g}){note}"
            )
        last = self.generations.iloc[-1]
        lines.append(
            f"{len(self.generations)} generations, {int(self.generations['simulations'].sum())} "
            f"simulations; last epsilon {last['epsilon']:.3g}, acceptance "
            f"{last['acceptance_rate']:.2f}, ESS {last['ess']:.0f}"
        )
        if self.adjusted:
            before = ", ".join(
                f"{row.parameter} {row.sd_unadjusted:.3g}" for row in self.summary.itertuples()
            )
            lines.append(f"regression-adjusted (Beaumont et al. 2002); sd before: {before}")
        else:
            lines.append("not regression-adjusted (not asked, or too few particles)")
        lines.append(
            f"posterior predictive 90% band covers {self.coverage:.0%} of the observations"
        )
        return "\n".join(lines)


def fit_priors(scenario: Scenario, fit: list[str]) -> dict:
    if not fit:
        raise InputError("--fit: name at least one scenario field to fit")
    if len(set(fit)) != len(fit):
        raise InputError(f"--fit: fields repeat: {', '.join(fit)}")
    priors = {}
    for path in fit:
        uncertainty = scenario.uncertainties.get(path)
        if uncertainty is None:
            have = ", ".join(scenario.uncertainties) or "none"
            raise InputError(
                f"--fit {path}: the scenario has no prior for it; add one under "
                f"'uncertainties' (e.g. {path}: {{distribution: uniform, low: ..., high: ...}}); "
                f"it has: {have}"
            )
        if uncertainty.distribution == "choice":
            raise InputError(f"--fit {path}: a 'choice' prior cannot be fitted; give a range")
        priors[path] = uncertainty
    return priors


def _pilot_plan(scenario: Scenario, plan: str | None) -> str:
    if scenario.classic:
        raise InputError("a textbook-rule scenario has no rollout to calibrate")
    plan = plan or next(iter(scenario.plans))
    if plan not in scenario.plans:
        raise InputError(
            f"--plan: unknown plan '{plan}' (the scenario has: {', '.join(scenario.plans)})"
        )
    return plan


def observed_matrices(telemetry: Telemetry) -> tuple[list[int], dict[str, np.ndarray]]:
    """The period ends and, per measure, an array (periods, groups), NaN if missing."""
    frame = telemetry.frame
    ends = sorted(frame["day"].unique())
    matrices = {}
    for measure in telemetry.measures:
        wide = frame.pivot(index="day", columns="group", values=measure)
        matrices[measure] = wide.reindex(index=ends, columns=telemetry.groups).to_numpy(float)
    return [int(e) for e in ends], matrices


def summariser(observed: dict[str, np.ndarray]) -> Callable:
    """Simulation -> the compared statistics: each measure summed over the groups
    observed in each period (organisation-wide measures as they are)."""
    masks = {m: np.isfinite(v) for m, v in observed.items()}

    def summarise(sim: dict[str, np.ndarray] | None) -> dict[str, np.ndarray] | None:
        if sim is None:
            return None
        return {m: _aggregate(m, sim[m], masks[m]) for m in observed}

    return summarise


def _aggregate(measure: str, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    if measure in ORGANISATION_WIDE:
        return values[:, 0]
    return np.where(mask, values, 0.0).sum(axis=1)


def _observed_summary(observed: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out = {}
    for measure, values in observed.items():
        present = np.isfinite(values).any(axis=1)
        if measure in ORGANISATION_WIDE:
            total = np.nanmean(values, axis=1) if measure in MEANS else np.nansum(values, axis=1)
        else:
            total = np.nansum(values, axis=1)
        out[measure] = np.where(present, total, np.nan)
    return out


def calibrate(
    scenario: ScenarioSource = None,
    telemetry: str | Path | pd.DataFrame = "",
    fit: list[str] | str = (),
    out: str | Path | None = None,
    *,
    plan: str | None = None,
    overrides: Overrides = None,
    population: int = 100,
    generations: int = 5,
    predictive: int = 50,
    workers: int = 1,
    seed: int = 0,
    start: str | None = None,
    adjust: bool = True,
    executor: Executor | None = None,
    on_generation: Callable[[int, float, float], None] | None = None,
) -> Calibration:
    """Fit `fit` (dotted scenario paths, each with a prior in `uncertainties`) to the
    pilot's `telemetry` by ABC-SMC, simulating the pilot under `plan` (default: the
    scenario's first); with `adjust`, the last population is regression-adjusted (if
    it has enough particles: see adjustment.PARTICLES_PER_COEFFICIENT). The
    simulations run on `executor` (default: `workers` local processes, 1 in this one).
    With `out`, write posterior.parquet, summary.csv, diagnostics.json, predictive.csv
    and .png, and calibrated.yaml (nothing on error)."""
    if isinstance(fit, str):
        fit = [f.strip() for f in fit.split(",") if f.strip()]
    fit = name_list(list(fit), "fit") or []
    population = whole_number(population, "population", 10)
    generations = whole_number(generations, "generations", 1)
    predictive = whole_number(predictive, "predictive", 1)
    workers = whole_number(workers, "workers", 1)
    seed = whole_number(seed, "seed")
    if not isinstance(telemetry, pd.DataFrame):
        telemetry = file_path(telemetry, "telemetry")
    if out is not None:
        check_target(file_path(out, "out"))
    if not isinstance(scenario, Scenario) or overrides:
        scenario = load_scenario(scenario, overrides)
    priors = fit_priors(scenario, fit)
    plan = _pilot_plan(scenario, plan)
    organisation = organisation_for(scenario)
    data = read_telemetry(telemetry, organisation, start)
    try:
        check_days(scenario, data.days)  # a pilot longer than the engine simulates
    except InputError as exc:
        raise InputError(f"{data.source}: the pilot's telemetry covers {exc}") from None
    ends, observed = observed_matrices(data)
    spec = PilotSpec(
        scenario_json=scenario.model_dump_json(),
        plan=plan,
        days=data.days,
        kind=data.kind,
        groups=tuple(data.groups),
        period_days=data.period_days,
        period_ends=tuple(ends),
        reuse_organisation=not any(p.split(".")[0] in ("organisation", "network") for p in fit),
    )
    summarise = summariser(observed)
    executor = executor or (PoolExecutor(workers) if workers > 1 else SerialExecutor())
    with _held(executor):
        simulate = partial(ordered_map, executor, partial(run_one, spec))
        result = abc_smc(
            priors,
            summarise,
            _observed_summary(observed),
            simulate,
            population=population,
            generations=generations,
            seed=seed,
            adjust=adjust,
            on_generation=on_generation,
        )
        predictive_frame = posterior_predictive(
            result.particles, fit, simulate, observed, data, seed, predictive
        )
    summary = summarise_posterior(result.particles, priors, result.unadjusted)
    calibrated = calibrated_scenario(scenario, result.particles, fit, plan, data.days, seed)
    calibration = Calibration(
        scenario=calibrated,
        telemetry=data,
        fit=fit,
        plan=plan,
        posterior=result.particles,
        summary=summary,
        generations=result.generations,
        predictive=predictive_frame,
        scales=result.scales,
        adjusted=result.adjusted,
    )
    if out is not None:
        write_calibration(calibration, Path(out))
    return calibration


def _held(executor: Executor) -> contextlib.AbstractContextManager:
    """A local pool kept open for the whole calibration (its many small batches);
    other executors as they are."""
    return executor if isinstance(executor, PoolExecutor) else contextlib.nullcontext()


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    cumulative /= cumulative[-1]
    return float(np.interp(q, cumulative - weights[order] / 2 / weights.sum(), values[order]))


def _weighted_sd(x: np.ndarray, weights: np.ndarray) -> float:
    mean = np.sum(weights * x) / weights.sum()
    return float(np.sqrt(np.sum(weights * (x - mean) ** 2) / weights.sum()))


def summarise_posterior(
    particles: pd.DataFrame, priors: dict, unadjusted: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per parameter: weighted mean, sd, 5/50/95% points, the prior's sd, their ratio,
    whether the telemetry informs it, and the sd before the regression adjustment."""
    unadjusted = particles if unadjusted is None else unadjusted
    weights = particles["weight"].to_numpy()
    rows = []
    for name, prior in priors.items():
        x = particles[name].to_numpy()
        mean = float(np.sum(weights * x))
        sd = _weighted_sd(x, weights)
        before = prior_sd(prior)
        ratio = sd / before if before > 0 else np.nan
        rows.append(
            {
                "parameter": name,
                "mean": mean,
                "sd": sd,
                "q05": _weighted_quantile(x, weights, 0.05),
                "q50": _weighted_quantile(x, weights, 0.5),
                "q95": _weighted_quantile(x, weights, 0.95),
                "prior_sd": before,
                "sd_ratio": ratio,
                "informed": bool(ratio <= NOT_INFORMED),
                "sd_unadjusted": _weighted_sd(
                    unadjusted[name].to_numpy(), unadjusted["weight"].to_numpy()
                ),
            }
        )
    return pd.DataFrame(rows)


def resample(particles: pd.DataFrame, draws: int, seed: int) -> pd.DataFrame:
    """Equal-weight draws by systematic resampling (deterministic for a seed)."""
    weights = particles["weight"].to_numpy()
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xCA1]))
    positions = (rng.random() + np.arange(draws)) / draws
    index = np.searchsorted(np.cumsum(weights) / weights.sum(), positions)
    index = np.minimum(index, len(particles) - 1)
    return particles.iloc[rng.permutation(index)].reset_index(drop=True)


def posterior_predictive(
    particles: pd.DataFrame,
    fit: list[str],
    simulate: Simulate,
    observed: dict[str, np.ndarray],
    data: Telemetry,
    seed: int,
    n: int,
) -> pd.DataFrame:
    """Simulate the pilot under `n` posterior draws; per measure, group and period the
    observed value beside the simulated 5%, 50% and 95% points."""
    draws = resample(particles, n, seed)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x99C]))
    items = [
        ({name: float(row[name]) for name in fit}, int(rng.integers(2**31)))
        for _, row in draws.iterrows()
    ]
    sims = [s for s in simulate(items) if s is not None]
    ends = sorted(data.frame["day"].unique())
    rows = []
    for measure, values in observed.items():
        wide = measure in ORGANISATION_WIDE
        stack = np.array([s[measure] for s in sims])  # draws, periods, groups
        if wide:
            values = _observed_summary({measure: values})[measure][:, None]
        low, mid, high = np.nanpercentile(stack, [5, 50, 95], axis=0)
        groups = ["all"] if wide else data.groups
        for p, day in enumerate(ends):
            for g, group in enumerate(groups):
                value = values[p, g]
                if not np.isfinite(value):
                    continue
                rows.append(
                    {
                        "measure": measure,
                        "group": group,
                        "day": int(day),
                        "observed": float(value),
                        "p05": float(low[p, g]),
                        "p50": float(mid[p, g]),
                        "p95": float(high[p, g]),
                    }
                )
    frame = pd.DataFrame(rows)
    frame["inside"] = (frame["observed"] >= frame["p05"]) & (frame["observed"] <= frame["p95"])
    return frame


def calibrated_scenario(scenario, particles, fit, plan, pilot_days, seed) -> Scenario:
    """The scenario with each fitted field's prior replaced by the posterior, as a
    `choice` of equal-weight draws (their joint order kept: draw k of every field comes
    from the same particle), and the remaining-rollout plans added."""
    draws = resample(particles, POSTERIOR_DRAWS, seed)
    raw = scenario.model_dump(mode="json")
    for name in fit:
        raw["uncertainties"][name] = {
            "distribution": "choice",
            "values": [float(f"{v:.6g}") for v in draws[name]],
        }
    raw["plans"] = {
        name: candidate.model_dump(mode="json")
        for name, candidate in remaining_plans(scenario, plan, pilot_days).items()
    }
    return Scenario.model_validate(raw)


def write_calibration(calibration: Calibration, out: Path) -> str:
    """The calibration folder, written as a whole with its manifest (see
    `adoption.calibration.folder`); returns the calibration's id."""
    return write_folder(out, partial(_write_files, calibration))


def _write_files(calibration: Calibration, out: Path) -> None:
    calibration.posterior.to_parquet(out / "posterior.parquet")
    calibration.summary.to_csv(out / "summary.csv", index=False)
    calibration.predictive.to_csv(out / "predictive.csv", index=False)
    diagnostics = {
        "generations": calibration.generations.replace({np.inf: None}).to_dict("records"),
        "scales": calibration.scales,
        "predictive_coverage": calibration.coverage,
        "not_informed": calibration.summary.loc[
            ~calibration.summary["informed"], "parameter"
        ].tolist(),
        "regression_adjusted": calibration.adjusted,
        "fit": calibration.fit,
        "pilot_plan": calibration.plan,
        "pilot_days": calibration.telemetry.days,
        "telemetry": calibration.telemetry.source,
        "groups": calibration.telemetry.kind,
        "measures": calibration.telemetry.measures,
    }
    (out / "diagnostics.json").write_text(json.dumps(diagnostics, indent=2, default=float))
    text = scenario_yaml(calibration.scenario)
    yaml.safe_load(text)  # round-trips
    (out / "calibrated.yaml").write_text(text, encoding="utf-8")
    from adoption.calibration.figures import predictive_figure

    predictive_figure(calibration).savefig(out / "predictive.png", format="png", dpi=110)
