"""A gate's regret: what its decisions cost against stopping or proceeding at once.

Each gated run is paired with the same plan on the same seed (common random numbers:
the same streams for every mechanism) whose first gate takes its decision at its first
measurement without judging: proceed there, or stop there. A counterfactual equal to
what the run did at that measurement is the run itself and is not run again, so a gate
that decided at once costs one more run, and one that paused costs two.
"""

from __future__ import annotations

from collections.abc import Callable

from adoption.config import Scenario
from adoption.organisation import Organisation
from adoption.result import SimulationResult
from adoption.simulate import simulate

ALTERNATIVES = ("proceed", "stop")
"""The decisions a counterfactual forces at the first gate's first measurement."""


def forced_first_gate(scenario: Scenario, plan: str, decision: str) -> Scenario:
    """The scenario with `plan`'s first gate (by day) forced to `decision`."""
    chosen = scenario.plans[plan]
    first = min(range(len(chosen.gates)), key=lambda index: chosen.gates[index].day)
    gates = list(chosen.gates)
    gates[first] = gates[first].model_copy(update={"forced": decision})
    plans = {**scenario.plans, plan: chosen.model_copy(update={"gates": gates})}
    return scenario.model_copy(update={"plans": plans})


def forced_gates(scenario: Scenario, plan: str, decision: str) -> Scenario:
    """The scenario with every gate of `plan` forced to `decision`."""
    chosen = scenario.plans[plan]
    gates = [gate.model_copy(update={"forced": decision}) for gate in chosen.gates]
    plans = {**scenario.plans, plan: chosen.model_copy(update={"gates": gates})}
    return scenario.model_copy(update={"plans": plans})


def gate_counterfactuals(
    scenario: Scenario,
    plan: str,
    seed: int,
    result: SimulationResult,
    organisation: Organisation | None = None,
    on_step: Callable[[int], None] | None = None,
) -> dict[str, float | None]:
    """`gate_regret` and `gate_pause_cost` of a run (None for a plan without gates).

    Regret: the better NPV of stopping and of proceeding at the first gate's first
    measurement, less the run's NPV, at least 0. Pause cost: the NPV of taking the first
    gate's final decision at its first measurement, less the run's, for runs whose
    first gate paused. `on_step` goes to the counterfactual runs (`simulate`'s).
    """
    decided = result.first_gate_decisions()
    if not decided:
        return {"gate_regret": None, "gate_pause_cost": None}
    first, final = decided[0], decided[-1]
    npv = {first: result.metrics["npv"]}
    for decision in ALTERNATIVES:
        if decision not in npv:
            forced = forced_first_gate(scenario, plan, decision)
            run = simulate(forced, plan, seed=seed, organisation=organisation, on_step=on_step)
            npv[decision] = run.metrics["npv"]
    actual = result.metrics["npv"]
    regret = max(0.0, max(npv[decision] for decision in ALTERNATIVES) - actual)
    pause_cost = npv[final] - actual if first == "pause" and final in npv else None
    return {"gate_regret": regret, "gate_pause_cost": pause_cost}
