"""Counterfactual worlds that each take away one reason a plan's value differs.

Each is a change of the scenario (after any sampled values), run on the same seed as
the run it explains (common random numbers), so that the difference it makes is the
mechanism's, not noise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from adoption.config import Scenario
from adoption.config.sizing import sized
from adoption.engine.preparation import presized_capacity
from adoption.experiment.regret import forced_gates


@dataclass(frozen=True)
class Counterfactual:
    """One counterfactual: the part of a difference it measures, the world it runs, and
    the change that makes that world (`change(scenario, plan, headcount)`); `applies`
    says whether the change touches a plan's run at all (else the run is its own
    counterfactual and is not run again)."""

    part: str
    world: str
    change: Callable[[Scenario, str, int], Scenario]
    applies: Callable[[Scenario, str, int], bool]


def _set(scenario: Scenario, path: str, value: float) -> Scenario:
    """A copy of `scenario` with the field at the dotted `path` set to `value`."""
    copy = scenario.model_copy(deep=True)
    *sections, name = path.split(".")
    node = copy
    for section in sections:
        node = getattr(node, section)
    setattr(node, name, value)
    return copy


def _pipeline_ready(scenario: Scenario, plan: str, headcount: int) -> Scenario:
    return _set(scenario, "tool.pipeline.build_engineer_days", 0.0)


def _nothing_to_learn(scenario: Scenario, plan: str, headcount: int) -> Scenario:
    return _set(scenario, "tool.achievable_accuracy", scenario.tool.production_accuracy)


def _capacity_presized(scenario: Scenario, plan: str, headcount: int) -> Scenario:
    needed = presized_capacity(scenario.tool, headcount)
    return _set(scenario, "tool.infrastructure.capacity_requests_per_second", needed)


def _gate_proceeds(scenario: Scenario, plan: str, headcount: int) -> Scenario:
    return forced_gates(scenario, plan, "proceed")


COUNTERFACTUALS: dict[str, Counterfactual] = {
    "pipeline_ready": Counterfactual(
        part="exposure while the tool is worst",
        world="the production pipeline ready at launch (no fragile feed)",
        change=_pipeline_ready,
        applies=lambda scenario, plan, headcount: (
            sized(scenario, headcount).tool.pipeline.build_engineer_days > 0
        ),
    ),
    "learning_off": Counterfactual(
        part="learning from use",
        world="nothing for users' reports to reveal (achievable accuracy = production)",
        change=_nothing_to_learn,
        applies=lambda scenario, plan, headcount: (
            scenario.tool.achievable_accuracy > scenario.tool.production_accuracy
        ),
    ),
    "capacity_presized": Counterfactual(
        part="capacity sized from measured load",
        world="capacity sized before launch for the expected load",
        change=_capacity_presized,
        applies=lambda scenario, plan, headcount: (
            presized_capacity(scenario.tool, headcount)
            > scenario.tool.infrastructure.capacity_requests_per_second
        ),
    ),
    "gate_proceeds": Counterfactual(
        part="the gate's decisions",
        world="every gate forced to proceed at its first measurement",
        change=_gate_proceeds,
        applies=lambda scenario, plan, headcount: bool(scenario.plans[plan].gates),
    ),
}
"""The parts a plan's difference against the baseline splits into, by counterfactual."""


def counterfactual_scenario(scenario: Scenario, plan: str, name: str, headcount: int) -> Scenario:
    """The scenario of counterfactual `name` for `plan` in an organisation of `headcount`."""
    return COUNTERFACTUALS[name].change(scenario, plan, headcount)
