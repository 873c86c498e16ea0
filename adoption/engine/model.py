"""One run as a Mesa model: a scenario, a plan and a seed on one SimPy clock."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cached_property
from typing import Protocol

import mesa
import numpy as np
import simpy
from mesa.agent import AgentSet
from mesa.discrete_space import Network

from adoption.config import Scenario, load_scenario
from adoption.config.loading import Overrides, ScenarioSource
from adoption.config.scenario import check_days
from adoption.config.sizing import sized_settings
from adoption.engine.agents import Employee
from adoption.engine.classic import ClassicDiffusion
from adoption.engine.clock import AfterEvents, steps_in
from adoption.engine.collector import DailySeries
from adoption.engine.events import EventLog
from adoption.engine.ledger import Ledger
from adoption.engine.neighbourhood import Neighbourhood
from adoption.engine.organisational import OrganisationalRollout
from adoption.engine.people import People
from adoption.engine.recorder import Recorder
from adoption.engine.rollout import GateDecision
from adoption.organisation import Organisation, organisation_for

STREAMS = (
    "decisions",
    "uses",
    "infrastructure",
    "rollout",
    "tool",
    "champions",
    "pipeline",
    "audit",
)
"""Independent random streams, one per mechanism, so that plans share them (CRN)."""


class Dynamics(Protocol):
    """How people move, step by step: the organisational rollout or a textbook rule."""

    people: People
    neighbourhood: Neighbourhood
    decisions: list[GateDecision] | tuple[GateDecision, ...]

    def day(self, step: int) -> None:
        """Everyone's update for step `step` (0-based), recorded in the model's recorder."""


class AdoptionModel(mesa.Model):
    """The rollout of one plan in one organisation, for one seed.

    Build it from keywords alone (as `mesa.batch_run` does): `scenario` is a Scenario, a
    YAML path, a dict or None (the bundled default), with dotted-path `overrides`;
    `plan` defaults to the scenario's first; `days` overrides the horizon; pass a
    prebuilt `organisation` to reuse it across runs.

    SimPy owns time: the rollout plan, training sessions, outages, scale-ups,
    retraining and fixes are SimPy processes, and the people update is a process that
    fires once every `step_days` after the organisation's events of that instant.
    `step()` advances the clock through one people update (Mesa counts `steps`);
    `running` turns false at the horizon, so `run_model()` runs the whole horizon.
    `datacollector` holds the daily series. People's state lives in arrays
    (`people`), updated for everyone at once; `employees` are Mesa agents viewing those
    arrays, made on first use. Randomness comes from the run's seed only: the Mesa
    `rng` drives decisions, and sibling streams of the same `SeedSequence` drive each
    other mechanism.
    """

    def __init__(
        self,
        scenario: ScenarioSource = None,
        plan: str | None = None,
        seed: int = 0,
        days: int | None = None,
        overrides: Overrides = None,
        organisation: Organisation | None = None,
    ) -> None:
        if not isinstance(scenario, Scenario) or overrides:
            scenario = load_scenario(scenario, overrides)
        streams = np.random.SeedSequence(seed).spawn(len(STREAMS))
        generators = {
            name: np.random.default_rng(s) for name, s in zip(STREAMS, streams, strict=True)
        }
        super().__init__(rng=generators["decisions"])
        self.streams = generators
        self.plan_name = plan or default_plan(scenario)
        self.seed = seed
        self.horizon_days = float(check_days(scenario, days))
        self.dt = scenario.step_days
        self.steps_total = steps_in(self.horizon_days, self.dt)
        self.time = 0.0
        self.organisation = organisation if organisation is not None else organisation_for(scenario)
        # not `self.scenario`: Mesa 3.5 models have a `scenario` of their own; teams the
        # scenario leaves unset are sized to this organisation, once for the process's
        # runs of the same scenario (read only)
        self.settings = sized_settings(scenario, self.organisation.size)
        self.env = simpy.Environment()
        self.events = EventLog()
        self.ledger = Ledger()
        self.recorder = Recorder(self.steps_total, self.dt)
        self.dynamics: Dynamics = (
            ClassicDiffusion(self) if scenario.classic else OrganisationalRollout(self)
        )
        self.datacollector = DailySeries(self.recorder)
        self.env.process(self._people())

    @property
    def people(self) -> People:
        """Everyone's dynamic state, as arrays by person."""
        return self.dynamics.people

    @property
    def day(self) -> float:
        """Simulated days so far (steps taken × step length)."""
        return self.recorder.rows * self.dt

    # --- people as Mesa agents ------------------------------------------------------------

    @cached_property
    def employee_at(self) -> list[Employee]:
        """Every person as a Mesa agent, by position.

        Created (and registered with the model, so `model.agents` lists them) on first
        use: the simulation itself never needs them, and a sweep of thousands of runs,
        or a million-person run, should not pay for objects nobody looks at.
        """
        return [Employee(self, position) for position in range(self.organisation.size)]

    @cached_property
    def employees(self) -> AgentSet:
        """Every person as a Mesa `AgentSet` (see `employee_at`)."""
        return AgentSet(self.employee_at, random=self.random)

    @cached_property
    def grid(self) -> Network:
        """The organisation network as a Mesa `Network` space, each employee in the cell
        of their node: what Mesa's space drawing (SolaraViz) reads. Made on first use."""
        options = {"capacity": 1, "random": self.random}
        if "layout" in inspect.signature(Network).parameters:
            options["layout"] = None  # Mesa 3.5+: drawing lays the network out itself
        space = Network(self.organisation.to_networkx(), **options)
        for agent in self.employee_at:
            agent.cell = space[agent.position]
        return space

    # --- running -------------------------------------------------------------------------

    def step(self) -> None:
        """One step: the organisation's events up to its end, then everyone's update."""
        if not self.running:
            return
        recorder, through, advance = self.recorder, min(self.steps, self.steps_total), self.env.step
        while recorder.rows < through:  # some 3.5 events a step: the loop is kept lean
            advance()
        if self.recorder.rows == self.steps_total:
            self.running = False
        self.time = float(self.steps)
        self.datacollector.collect(self)

    def run(self, on_step: Callable[[int], None] | None = None) -> None:
        """Run to the horizon; `on_step(step)` is called after every step (0-based)."""
        while self.running:
            self.step()
            if on_step is not None:
                on_step(self.recorder.rows - 1)

    def _people(self):
        for step in range(self.steps_total):
            yield AfterEvents(self.env, self.dt)
            self.dynamics.day(step)


def default_plan(scenario: Scenario) -> str:
    """The plan a run uses when none is named: the scenario's first, or a classic rule."""
    return scenario.behaviour.rule if scenario.classic else next(iter(scenario.plans))
