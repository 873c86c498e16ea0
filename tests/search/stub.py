"""Planted worlds for the search: an executor whose runs are a formula of the plan, the
world and the pair, so the best plan is known and a search can be checked against it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from adoption.experiment.design import RunSpec
from adoption.experiment.runner import RunRecord, RunTask

World = Callable[[dict[str, Any], dict[str, Any], RunSpec], float]
"""NPV of a plan (as a dict) in a world (its uncertain values) on a pair (the spec)."""

DEFAULTS = {
    "adoption_rate": 0.5,
    "abandonment_rate": 0.1,
    "decision": "proceed",
    "decision_day": 60.0,
    "gate_true_accuracy": 0.7,
}


@lru_cache(maxsize=8)
def _plans(scenario_json: str) -> dict[str, Any]:
    return json.loads(scenario_json)["plans"]


class StubExecutor:
    """Runs tasks in this process by `world`; counts them; with `stop_after`, raises
    KeyboardInterrupt at that run (a search killed mid-way)."""

    workers = 1

    def __init__(
        self,
        world: World,
        stop_after: int | None = None,
        metrics: Callable[[dict[str, Any], RunSpec], dict[str, Any]] | None = None,
    ) -> None:
        """`metrics`: other outcomes of a run, by plan and pair (default: `DEFAULTS`)."""
        self.world = world
        self.stop_after = stop_after
        self.metrics = metrics
        self.runs = 0

    def map(self, tasks: Iterable[RunTask]) -> Iterator[RunRecord]:
        for task in tasks:
            if self.stop_after is not None and self.runs >= self.stop_after:
                raise KeyboardInterrupt
            self.runs += 1
            plan = _plans(task.scenario_json)[task.spec.plan]
            npv = self.world(plan, dict(task.spec.values), task.spec)
            yield RunRecord(
                spec=task.spec,
                metrics={
                    **DEFAULTS,
                    **(self.metrics(plan, task.spec) if self.metrics else {}),
                    "npv": float(npv),
                },
                series=pd.DataFrame({"day": [0.0]}),
            )


def pilot_share(plan: dict[str, Any]) -> float:
    """The share of a plan's first (random) wave."""
    return float(plan["waves"][0]["share"])


def noise(spec: RunSpec, *key: float) -> float:
    """A standard normal draw fixed by the pair (its seed and world) and `key` (a plan's own
    noise)."""
    words = [spec.seed, spec.sample, spec.replication, *(round(k * 1e6) for k in key)]
    return float(np.random.default_rng(words).normal())


POPULATION, PRIOR_SD, RESPONSE_SD = 1000, 1.0, 3.0
"""Feit & Berman's test-then-roll world: N customers, the arms' prior sd σ, response sd s."""


def rollout_profit(share: float) -> float:
    """Expected profit of a test of n = share × N / 2 per arm, then the better-looking arm
    for the rest (Feit & Berman 2019, prior mean 0)."""
    n = share * POPULATION / 2
    sd = math.sqrt(2 * PRIOR_SD**2 + 2 * RESPONSE_SD**2 / n)
    return (POPULATION - 2 * n) * math.sqrt(2) * PRIOR_SD**2 / (math.sqrt(math.pi) * sd)


def rollout_optimum() -> float:
    """The profit-maximising test share in closed form (Feit & Berman 2019, eq. for n*)."""
    ratio = (RESPONSE_SD / PRIOR_SD) ** 2
    n = math.sqrt(POPULATION / 4 * ratio + (3 / 4 * ratio) ** 2) - 3 / 4 * ratio
    return 2 * n / POPULATION


def then_roll(plan: dict[str, Any], values: dict[str, Any], spec: RunSpec) -> float:
    """The expected profit, a shock every plan shares on the pair, and a little own noise."""
    share = pilot_share(plan)
    return rollout_profit(share) + 100 * noise(spec) + 0.5 * noise(spec, share)


def flat(plan: dict[str, Any], values: dict[str, Any], spec: RunSpec) -> float:
    """Every plan equal in expectation: a shared shock and each plan's own noise."""
    return 1000 * noise(spec) + 1000 * noise(spec, pilot_share(plan))


GOOD_VALUE = 4.0
"""The world in which the tool pays (its value of a correct use); the other is 2.0."""


def two_worlds(plan: dict[str, Any], values: dict[str, Any], spec: RunSpec) -> float:
    """A good world where a small pilot pays most, a bad one where the smallest exposure
    (largest share before deciding, here standing for caution) loses least: mean NPV
    picks the smallest share, minimax regret a middle one."""
    share = pilot_share(plan)
    good = values["economics.value_per_successful_use"] == GOOD_VALUE
    npv = 1000 * (1 - share) if good else -400 * (1 - share)
    return npv + noise(spec, share)


def risky_small_pilots(plan: dict[str, Any], values: dict[str, Any], spec: RunSpec) -> float:
    """Small pilots pay more on average and spread more: a larger share is safer (its
    NPV moves less with the pair's shock), and at 50% it is certain."""
    share = pilot_share(plan)
    return 1000 * (1 - share) + 2000 * (0.5 - share) * noise(spec)


def abandonment_falls_with_share(plan: dict[str, Any], spec: RunSpec) -> dict[str, Any]:
    """Abandonment 0.5 − share: only pilots of 30% or more keep it at 20% or below."""
    return {"abandonment_rate": 0.5 - pilot_share(plan)}


def gate_on_two_tools(plan: dict[str, Any], spec: RunSpec) -> dict[str, Any]:
    """A gate that always proceeds, on a tool at 50% on even worlds and 90% on odd ones."""
    return {"decision": "proceed", "gate_true_accuracy": 0.5 if spec.sample % 2 == 0 else 0.9}
