"""Running one designed run anywhere: in-process, in a pool worker, on a Dask worker."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from adoption.config import Scenario, load_scenario
from adoption.config.network import NetworkSpec
from adoption.config.organisation import OrganisationConfig
from adoption.experiment.counterfactuals import COUNTERFACTUALS, counterfactual_scenario
from adoption.experiment.design import RunSpec
from adoption.experiment.regret import gate_counterfactuals
from adoption.organisation import Organisation, build_organisation, plain_organisation
from adoption.simulate import simulate

SERIES = ("active", "trying", "lapsed", "abandoned", "rejecting", "ever_tried", "value", "cost")
"""Daily series kept from every run, for percentile bands across replications."""


@dataclass(frozen=True)
class RunTask:
    """What a worker needs: the scenario (as JSON text, cheap to ship) and the run; with
    `regret`, a gated run is paired with its first gate's counterfactuals (regret.py);
    with `counterfactual`, the run is that counterfactual's (counterfactuals.py)."""

    scenario_json: str
    spec: RunSpec
    regret: bool = False
    counterfactual: str | None = None


@dataclass
class RunRecord:
    """What a run gives back: its metrics and key daily series, or its error."""

    spec: RunSpec
    metrics: dict[str, Any] = field(default_factory=dict)
    series: pd.DataFrame | None = None
    error: str | None = None
    counterfactual: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@lru_cache(maxsize=8)
def _scenario(scenario_json: str, values: tuple[tuple[str, Any], ...]) -> Scenario:
    return load_scenario(json.loads(scenario_json), dict(values))


@lru_cache(maxsize=4)
def _organisation(organisation_json: str, network_json: str | None) -> Organisation:
    if network_json is not None:
        return plain_organisation(NetworkSpec.model_validate_json(network_json))
    return build_organisation(OrganisationConfig.model_validate_json(organisation_json))


def warm_up(task: RunTask | None = None) -> None:
    """Make this process ready for runs: the engine imported and its kernels compiled;
    with `task`, its scenario read and organisation built (cached for the runs to come)
    and a few days of it run. Never raises: a warm-up that fails leaves a cold worker."""
    try:
        if task is None:
            simulate(None, days=2, overrides={"organisation.employees": 60})
            return
        scenario = _scenario(task.scenario_json, task.spec.values)
        network = scenario.network.model_dump_json() if scenario.network else None
        org = _organisation(scenario.organisation.model_dump_json(), network)
        simulate(scenario, task.spec.plan, seed=task.spec.seed, days=2, organisation=org)
    except Exception:  # the real runs will report whatever this was
        return


class RunStopped(BaseException):
    """Raised by a run's `on_step` to abandon it (its sweep was stopped): not an error
    of the run, so `execute` lets it through (a BaseException, as KeyboardInterrupt)."""


def execute(task: RunTask, on_step: Callable[[int], None] | None = None) -> RunRecord:
    """Run one task; an exception becomes the record's error, never the sweep's.
    `on_step(step)` is called after every step of its runs (the counterfactuals' too)."""
    spec = task.spec
    try:
        scenario = _scenario(task.scenario_json, spec.values)
        network = scenario.network.model_dump_json() if scenario.network else None
        org = _organisation(scenario.organisation.model_dump_json(), network)
        if task.counterfactual is not None:
            if not COUNTERFACTUALS[task.counterfactual].applies(scenario, spec.plan, org.size):
                # the run is its own counterfactual: nothing to run again
                return RunRecord(spec, {"applies": False}, counterfactual=task.counterfactual)
            scenario = counterfactual_scenario(scenario, spec.plan, task.counterfactual, org.size)
        result = simulate(scenario, spec.plan, seed=spec.seed, organisation=org, on_step=on_step)
        metrics = dict(result.metrics)
        if task.regret:
            metrics.update(
                gate_counterfactuals(scenario, spec.plan, spec.seed, result, org, on_step)
            )
        series = result.timeseries[["day", *SERIES]].astype("float32")
        return RunRecord(spec, metrics, series, counterfactual=task.counterfactual)
    except Exception as exc:  # a failed run is reported with its seed, not raised
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return RunRecord(spec=spec, error=detail, counterfactual=task.counterfactual)
