"""One run: the Mesa model that wires people, tool, infrastructure and plan to the clock."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import mesa
import numpy as np
import simpy
from mesa.agent import AgentSet

from adoption.config import Scenario
from adoption.config.plans import Wave
from adoption.engine.acceptance import AcceptanceRule, Day
from adoption.engine.agents import Employee
from adoption.engine.champions import choose_champions
from adoption.engine.classic import ClassicDynamics
from adoption.engine.clock import AfterEvents
from adoption.engine.events import EventLog
from adoption.engine.experience import use_tool
from adoption.engine.infrastructure import Infrastructure
from adoption.engine.ledger import Ledger
from adoption.engine.neighbourhood import Neighbourhood
from adoption.engine.people import People
from adoption.engine.recorder import Recorder
from adoption.engine.rollout import PilotMeasurement, Rollout, select_wave
from adoption.engine.stance import REVIEW_DAYS, ManagerStance
from adoption.engine.states import (
    ABANDONED,
    ACTIVE,
    AWARE,
    CAUSES,
    NO_ACCESS,
    REJECTING,
    STATE_NAMES,
    TRYING,
    UNAWARE,
)
from adoption.engine.support import SupportDesk
from adoption.engine.tool import Tool
from adoption.engine.training import Training
from adoption.errors import InputError
from adoption.organisation.model import Organisation

STREAMS = ("decisions", "uses", "infrastructure", "rollout", "tool", "champions")
"""Independent random streams, one per mechanism, so that plans share them (CRN)."""
MEASUREMENT_WINDOW_DAYS = 14
SPONSOR_THRESHOLD = 1 / 3


class AdoptionModel(mesa.Model):
    """The rollout of one plan in one organisation, for one seed.

    SimPy owns time: the rollout plan, training sessions, outages, scale-ups,
    retraining and fixes are SimPy processes, and the people update is a process that
    fires once per step after the organisation's events of that instant. People's
    state lives in arrays (`people`), updated for everyone at once; `employees` are
    Mesa agents viewing those arrays, made on first use. Randomness comes from the
    run's seed only: the Mesa `rng` drives decisions, and sibling streams of the same
    `SeedSequence` drive each other mechanism.
    """

    def __init__(
        self,
        scenario: Scenario,
        organisation: Organisation,
        plan: str,
        seed: int = 0,
        days: int | None = None,
    ) -> None:
        if not scenario.classic and plan not in scenario.plans:
            raise InputError(
                f"unknown plan '{plan}' (the scenario has: {', '.join(scenario.plans)})"
            )
        streams = np.random.SeedSequence(seed).spawn(len(STREAMS))
        generators = {
            name: np.random.default_rng(s) for name, s in zip(STREAMS, streams, strict=True)
        }
        super().__init__(rng=generators["decisions"])
        self.streams = generators
        # not `self.scenario`: Mesa 3.5 models have a `scenario` of their own
        self.settings = scenario
        self.organisation = organisation
        self.plan_name = plan
        self.seed = seed
        self.horizon_days = float(days if days is not None else scenario.horizon_days)
        self.dt = scenario.step_days
        self.steps_total = round(self.horizon_days / self.dt)
        self.env = simpy.Environment()
        self.events = EventLog()
        self.ledger = Ledger()
        change = scenario.change_management
        champion = choose_champions(change.champions, organisation, generators["champions"])
        self.people = People.start(organisation.size, organisation.stance_prior, champion)
        self.access_day = np.full(organisation.size, -np.inf)
        self.tool = Tool(
            scenario.tool,
            len(organisation.department_names),
            self.env,
            generators["tool"],
            self.events,
            self.ledger,
        )
        self.infrastructure = Infrastructure(
            scenario.tool.infrastructure, self.env, generators["infrastructure"], self.events
        )
        self.support = SupportDesk(change.support)
        self.training = Training(change.training, self.people, self.env, self.events, self.ledger)
        self.stance = ManagerStance(organisation, change.incentives.alignment)
        # exactly one of the two decides: the default rule, or a classic one
        self.rule = (
            None
            if scenario.classic
            else AcceptanceRule(
                scenario.behaviour,
                scenario.tool,
                change.communications,
                change.training,
                change.champions,
                change.incentives.alignment,
                organisation,
            )
        )
        self.classic = (
            ClassicDynamics(scenario.behaviour, organisation.size, generators["rollout"])
            if scenario.classic
            else None
        )
        self.rollout = (
            None
            if scenario.classic
            else Rollout(
                scenario.plans[plan],
                self.env,
                self.events,
                grant=self._grant,
                measure=self.measure_pilot,
                size_capacity=self._size_capacity,
                stop=self._withdraw,
            )
        )
        self.recorder = Recorder(self.steps_total)
        self.running_programme = False
        self.launched = False
        self.neighbourhood = Neighbourhood(organisation, champion, change.champions.influence)
        self._on_step: Callable[[int], None] | None = None
        self._since_review = 0.0
        if self.classic is not None:
            self._seed_adopters(generators["rollout"])
        self.env.process(self._people())

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

    # --- running -------------------------------------------------------------------------

    def run(self, on_step: Callable[[int], None] | None = None) -> None:
        """Run to the horizon; `on_step(step)` is called after every people update."""
        self._on_step = on_step
        self.env.run(until=self.horizon_days + self.dt / 2)
        self._on_step = None

    def step(self) -> None:
        """Advance by one people update (for interactive use; `run` does the whole horizon)."""
        target = min(self.recorder.rows + 1, self.steps_total)
        while self.recorder.rows < target:
            self.env.step()

    def _people(self):
        update = self._update if self.classic is None else self._update_classic
        for step in range(self.steps_total):
            yield AfterEvents(self.env, self.dt)
            update(step)
            if self._on_step is not None:
                self._on_step(step)

    # --- the rollout's callbacks -----------------------------------------------------------

    def _grant(self, wave: Wave) -> int:
        people = self.people
        who = select_wave(
            wave, self.organisation, people.state, people.champion, self.streams["rollout"]
        )
        if who.size == 0:
            return 0
        if not self.launched:
            self.launched = True
            self.ledger.charge("launch", self.settings.economics.launch_cost)
        self._set_running(True)
        people.state[who] = UNAWARE
        self.access_day[who] = self.env.now
        people.expectation[who] = self.announced_accuracy()
        champions = who[people.champion[who]]
        people.state[champions] = AWARE
        self.training.enqueue(champions)
        return int(who.size)

    def announced_accuracy(self) -> float:
        """What people are told to expect: the demo's accuracy, or, when expectations are
        managed, the accuracy measured so far (the tool's current accuracy before any use).
        """
        if not self.settings.change_management.communications.manage_expectations:
            return self.settings.tool.poc_accuracy
        served = self.recorder.recent("served", MEASUREMENT_WINDOW_DAYS).sum()
        if served > 0:
            return float(self.recorder.recent("successes", MEASUREMENT_WINDOW_DAYS).sum() / served)
        return float(self.tool.accuracy().mean())

    def measure_pilot(self) -> PilotMeasurement:
        """What a gate sees: outcomes among the people with access so far."""
        people = self.people
        with_access = people.state != NO_ACCESS
        count = int(with_access.sum())
        tried = int((people.ever_tried & with_access).sum())
        using = int(np.isin(people.state, (TRYING, ACTIVE)).sum())
        served = self.recorder.recent("served", MEASUREMENT_WINDOW_DAYS)
        successes = self.recorder.recent("successes", MEASUREMENT_WINDOW_DAYS)
        peak = self.recorder.recent("peak_requests_per_second", MEASUREMENT_WINDOW_DAYS)
        return PilotMeasurement(
            with_access=count,
            adoption=float((people.state == ACTIVE).sum() / max(count, 1)),
            abandonment=float(((people.state == ABANDONED) & with_access).sum() / max(tried, 1)),
            observed_accuracy=float(successes.sum() / served.sum()) if served.sum() else None,
            support_wait_days=self.support.wait_days,
            peak_requests_per_user=float(peak.max() / using) if using and peak.size else None,
            using_share=using / max(count, 1),
        )

    def _size_capacity(self, measured: PilotMeasurement) -> simpy.Event | None:
        if measured.peak_requests_per_user is None:
            return None
        config = self.settings.tool.infrastructure
        expected_users = measured.using_share * self.organisation.size
        needed = measured.peak_requests_per_user * expected_users * config.capacity_headroom
        return self.infrastructure.order_capacity(needed, "sized from the load the pilot measured")

    def _withdraw(self) -> None:
        """Stop the programme: nobody keeps access; who had abandoned or refused stays so."""
        people = self.people
        keep = (people.state == ABANDONED) | (people.state == REJECTING)
        withdrawn = (people.state != NO_ACCESS) & ~keep
        people.state[withdrawn] = NO_ACCESS
        self.events.add(self.env.now, "withdrawn", f"{int(withdrawn.sum())} people lost access")
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.running_programme = running
        self.tool.running = running
        self.infrastructure.running = running

    # --- the classic rules ---------------------------------------------------------------

    def _seed_adopters(self, rng: np.random.Generator) -> None:
        """Everyone can adopt from the start; the initial adopters already have."""
        people, spec = self.people, self.settings.initial_adopters
        size = self.organisation.size
        people.state[:] = AWARE
        if spec is None:
            seeds = np.empty(0, dtype=np.int64)
        elif spec.ids is not None:
            seeds = np.array(spec.ids, dtype=np.int64)
            if seeds.size and (seeds.min() < 0 or seeds.max() >= size):
                raise InputError(f"initial_adopters.ids must be node numbers 0..{size - 1}")
        else:
            count = spec.count if spec.count is not None else round(spec.share * size)
            if count > size:
                raise InputError(f"initial_adopters.count={count} is more than {size} people")
            seeds = rng.choice(size, size=count, replace=False)
        people.state[seeds] = ACTIVE
        people.ever_tried[seeds] = True
        people.ever_active[seeds] = True
        self.events.add(0.0, "seed", f"{seeds.size} initial adopters")

    def _update_classic(self, step: int) -> None:
        people = self.people
        active = (people.state == ACTIVE).astype(np.float32)
        adopted_ties = self.neighbourhood.sums(active)
        share = adopted_ties * self.neighbourhood.inverse_degree
        _, leaving = self.classic.step(
            people, share, adopted_ties, self.rng.random(self.organisation.size), self.dt
        )
        row = self._population_row(step)
        row.update(observed_accuracy=np.nan, latency_ms=np.nan, abandoned_other=leaving)
        self.recorder.record(row)

    def _population_row(self, step: int) -> dict[str, float]:
        """The day and who is where: the part of a record every rule shares."""
        people = self.people
        counts = people.counts()
        row = dict(zip(STATE_NAMES, counts, strict=True))
        row.update(
            day=step * self.dt,
            with_access=counts[1:].sum(),
            ever_tried=people.ever_tried.sum(),
            ever_active=people.ever_active.sum(),
        )
        return row

    # --- one step for everyone -------------------------------------------------------------

    def _update(self, step: int) -> None:
        scenario, people, org, dt = self.settings, self.people, self.organisation, self.dt
        end = self.env.now
        start = end - dt
        by_department = self.tool.accuracy()
        state = people.state
        users = np.flatnonzero((state == TRYING) | (state == ACTIVE))
        active = state[users] == ACTIVE
        tool = scenario.tool
        uses_per_day = (tool.uses_per_trying_day, tool.uses_per_active_day)
        active_users = int(active.sum())
        demand = (users.size - active_users) * uses_per_day[0] + active_users * uses_per_day[1]
        service = self.infrastructure.serve(demand * dt, start, end)
        if self.running_programme:
            self.infrastructure.autoscale(service)
        uses = use_tool(
            people,
            users,
            active,
            uses_per_day,
            by_department,
            org.department,
            service,
            scenario.behaviour.satisfaction_memory_days,
            dt,
            self.streams["uses"],
        )
        economics = scenario.economics
        self.ledger.earn(uses.successes * economics.value_per_successful_use)
        self.ledger.charge("uses", uses.uses * economics.cost_per_use)
        support_config = scenario.change_management.support
        wait_before = self.support.wait_days
        day = Day(
            dt=dt,
            now=end,
            accuracy_by_department=by_department,
            infrastructure_loss=service.value_lost_share,
            support_wait_days=wait_before,
            access_day=self.access_day,
        )
        near = self.neighbourhood.perceive(people)
        changes = self.rule.step(people, day, near, self.rng.random(org.size))
        signup = self.rng.random(org.size)
        joining = changes.became_aware[
            signup[changes.became_aware] < scenario.change_management.training.uptake
        ]
        self.training.enqueue(joining)
        reported = uses.model_failures_by_department * support_config.tickets_per_failure
        self.tool.report_failures(reported)
        tickets = self.streams["uses"].poisson(
            changes.started_trying * support_config.tickets_per_new_user + reported.sum()
        )
        wait = self.support.step(float(tickets), dt)
        self._since_review += dt
        if self._since_review >= REVIEW_DAYS - 1e-9:
            self.stance.update(people, self._since_review)
            self._since_review = 0.0
        if self.running_programme:
            self._charge_running_costs(service, dt)
        value, cost = self.ledger.close_day()
        self._record(step, uses, service, tickets, wait, value, cost, changes, by_department)

    def _charge_running_costs(self, service, dt: float) -> None:
        scenario = self.settings
        change = scenario.change_management
        self.ledger.charge(
            "capacity",
            self.infrastructure.capacity * scenario.tool.infrastructure.cost_per_rps_day * dt,
        )
        self.ledger.charge(
            "support", change.support.agents * change.support.cost_per_agent_day * dt
        )
        self.ledger.charge("programme", scenario.economics.programme_cost_per_day * dt)

    def _record(
        self, step, uses, service, tickets, wait, value, cost, changes, by_department
    ) -> None:
        people = self.people
        managers = self.stance.managers
        row = self._population_row(step)
        row.update(
            uses=uses.uses,
            served=uses.served,
            successes=uses.successes,
            observed_accuracy=uses.successes / uses.served if uses.served else np.nan,
            production_accuracy=float(by_department.mean()),
            peak_requests_per_second=service.peak_requests_per_second,
            capacity_requests_per_second=self.infrastructure.capacity,
            utilisation=service.utilisation,
            latency_ms=service.latency_ms if uses.uses else np.nan,
            overloaded=service.overloaded,
            outage_share=service.down_share,
            training_queue=self.training.queued,
            trained=people.trained.sum(),
            support_tickets=tickets,
            support_backlog=self.support.backlog,
            support_wait_days=wait,
            sponsors=(people.stance[managers] > SPONSOR_THRESHOLD).sum(),
            opponents=(people.stance[managers] < -SPONSOR_THRESHOLD).sum(),
            value=value,
            cost=cost,
            returned=changes.returned,
        )
        for index, cause in enumerate(CAUSES):
            row[f"lapsed_{cause}"] = changes.lapsed_by_cause[index]
            row[f"abandoned_{cause}"] = changes.abandoned_by_cause[index]
        self.recorder.record(row)
