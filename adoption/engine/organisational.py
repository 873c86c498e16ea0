"""The organisational rollout: a plan, the tool and its serving, and people who decide.

This is the default dynamics of a run (the other is a textbook rule, `classic.py`).
Its `day` is the people update of one step, as the named steps of docs/model.md; each
step is a mechanism object from its own module, and this module only wires them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import simpy

from adoption.config.plans import Gate, Wave
from adoption.engine.acceptance import NOTHING_DECIDED, AcceptanceRule, Transitions
from adoption.engine.champions import choose_champions
from adoption.engine.clock import DAYS_PER_YEAR, steps_in
from adoption.engine.draws import uniforms_at
from adoption.engine.economics import Economics
from adoption.engine.estimate import (
    AccuracyEstimate,
    SegmentChecks,
    accuracy_change,
    labelled_sample,
    moved,
    organisation_accuracy,
    z_score,
)
from adoption.engine.experience import UsesOutcome, use_rates, use_tool
from adoption.engine.infrastructure import Infrastructure, ServiceLevel
from adoption.engine.kernels import StraightCall
from adoption.engine.licences import Seats
from adoption.engine.mandate import Mandate
from adoption.engine.neighbourhood import Neighbourhood
from adoption.engine.people import People, users_of
from adoption.engine.people_step import (
    Closing,
    PeopleStep,
    SeatsNow,
    UsesMade,
    after_uses,
    close_step,
)
from adoption.engine.pipeline import DataPipeline
from adoption.engine.preparation import Preparation
from adoption.engine.recorder import ABANDONED_COLUMNS, CENSUS, LAPSED_COLUMNS, Recorder
from adoption.engine.rollout import (
    MEASUREMENT_WINDOW_DAYS,
    AccuracyEvidence,
    GateDecision,
    PilotMeasurement,
    Rollout,
    decided_share,
    extension,
    extension_reach,
    measure_pilot,
    select_wave,
)
from adoption.engine.stance import ManagerStance
from adoption.engine.states import (
    ACTIVE,
    AGAINST,
    AWARE,
    NO_ACCESS,
    UNAWARE,
)
from adoption.engine.support import SupportDesk, Tickets
from adoption.engine.tool import Tool
from adoption.engine.training import Training
from adoption.errors import InputError

if TYPE_CHECKING:
    from adoption.engine.model import AdoptionModel


ROW = (
    "day",
    "uses",
    "served",
    "successes",
    "observed_accuracy",
    "production_accuracy",
    "peak_requests_per_second",
    "capacity_requests_per_second",
    "utilisation",
    "latency_ms",
    "overloaded",
    "outage_share",
    "training_queue",
    "support_tickets",
    "support_backlog",
    "support_wait_days",
    "value",
    "cost",
    "returned",
    "seats_held",
    "seats_paid",
    "waiting_for_seat",
    "seat_days",
    *LAPSED_COLUMNS,
    *ABANDONED_COLUMNS,
)
"""The columns of a step's row written after the census, in `record`'s order."""


class OrganisationalRollout:
    """One plan rolled out in one organisation: the mechanisms and the day they make.

    The rollout plan, training sessions, outages, scale-ups, retraining and fixes are
    SimPy processes on the model's clock; `day` is everyone's update for one step,
    after the organisation's events of that instant.
    """

    def __init__(self, model: AdoptionModel) -> None:
        scenario, org, env = model.settings, model.organisation, model.env
        if model.plan_name not in scenario.plans:
            raise InputError(
                f"unknown plan '{model.plan_name}' (the scenario has: {', '.join(scenario.plans)})"
            )
        self.model = model
        streams = model.streams
        change = scenario.change_management
        champion = choose_champions(change.champions, org, streams["champions"])
        self.people = People.start(org.size, org.stance_prior, champion)
        self.access_day = np.full(org.size, -np.inf)
        self._held = np.zeros(org.size, dtype=bool)  # by person: waiting for a seat (`users_of`)
        self._census_rows = Recorder.positions((*CENSUS, "sponsors", "opponents"))
        self._row_positions = Recorder.positions(ROW)
        # the step's two compiled calls, each with records of one type through the run
        self._after_uses = StraightCall(after_uses)
        self._close_step = StraightCall(close_step)
        self.economics = Economics(scenario, model.ledger)
        self.seats = Seats(scenario.economics.licences, org.size, model.ledger)
        self.working_share = scenario.economics.working_days_per_year / DAYS_PER_YEAR
        tool_config, behaviour = scenario.tool, scenario.behaviour
        # mean uses a calendar day while trying and while active (working days only)
        self.uses_per_day = (
            tool_config.uses_per_trying_day * self.working_share,
            tool_config.uses_per_active_day * self.working_share,
        )
        self._use_rates = use_rates(
            self.uses_per_day,
            behaviour.satisfaction_memory_days,
            (behaviour.trust_loss_per_error, behaviour.trust_gain_per_success),
            model.dt,
        )
        self.infrastructure = Infrastructure(
            scenario.tool.infrastructure, env, streams["infrastructure"], model.events
        )
        self.pipeline = DataPipeline(
            scenario.tool.pipeline,
            scenario.tool.fixes.cost_per_engineer_day,
            self.infrastructure,
            env,
            streams["pipeline"],
            model.events,
            model.ledger,
        )
        self.tool = Tool(
            scenario.tool, org, self.pipeline, env, streams["tool"], model.events, model.ledger
        )
        self.support = SupportDesk(change.support, change.champions.local_help)
        self.training = Training(change.training, self.people, env, model.events, model.ledger)
        self.mandate = Mandate(change.mandate, org, scenario.behaviour.managers.sponsor_threshold)
        self.stance = ManagerStance(org, scenario.behaviour.managers, change.incentives.alignment)
        self.rule = AcceptanceRule(
            scenario.behaviour,
            scenario.business_minimum,
            change.communications,
            change.training,
            change.champions,
            change.mandate,
            change.incentives.alignment,
            org,
            self.tool.segment,
        )
        plan = scenario.plans[model.plan_name]
        segments = self.tool.launch_accuracy.size
        self.headcount_by_segment = np.bincount(self.tool.segment, minlength=segments)
        # uses are checked by hand only where and while a gate will read the checks
        self.checks = SegmentChecks(model.steps_total, segments) if plan.gates else None
        self.audit_share = max((gate.audit_share for gate in plan.gates), default=0.0)
        self.preparation = Preparation(
            model.plan_name,
            plan.prepare,
            scenario.tool,
            org.size,
            env,
            model.events,
            self.pipeline,
            self.infrastructure,
            self.tool,
            self.training,
            self.people,
            model.dt,
        )
        self.rollout = Rollout(
            plan,
            env,
            model.events,
            grant=self.grant,
            measure=self.measure,
            extend=self.extend,
            size_capacity=self.size_capacity,
            stop=self.withdraw,
            step_days=model.dt,
            prepare=self.preparation.run,
        )
        self.neighbourhood = Neighbourhood(org, champion, change.champions.influence)
        self.running = False
        # what the end of every step reads (`Closing` but the step's end and row)
        self._closing_kept = (
            self.people,
            self.seats.seat_from,
            self.seats.last_use,
            float(self.seats.config.provision_days),
            float(self.seats.idle_limit),
            self.stance.managers,
            np.float32(self.stance.config.sponsor_threshold),
            model.recorder.table,
            self._census_rows,
        )

    @property
    def decisions(self) -> list[GateDecision]:
        """The gates' decisions so far, in order."""
        return self.rollout.decisions

    # --- one step for everyone --------------------------------------------------------------

    def day(self, step: int) -> None:
        """Everyone's update for one step, in the order things happen."""
        dt, now = self.model.dt, self.model.env.now
        accuracy = self.tool.accuracy()
        users, active, waiting_for_seat = users_of(
            self.people.state, self.seats.seat_from, now - dt, self._held
        )
        service = self.serve_demand(active)
        uses = self.use_tool(users, active, accuracy, service)
        if self.checks is not None and self.rollout.gates_to_come:
            self.checks.check(
                step,
                uses.successes_by_segment,
                uses.model_failures_by_segment,
                self.audit_share,
                self.model.streams["audit"],
                self.pipeline.penalty,
            )
        changes, helped_failures = self.decide(accuracy, service, users, uses)
        tickets = self.raise_tickets(uses, changes, helped_failures)
        self.stance.pass_time(self.people, dt)
        self.pipeline.work(dt)
        self.settle_and_count(now)
        if self.running:
            self.economics.charge_running(self.infrastructure.capacity, self.support.agents, dt)
        elif self.preparation.underway:
            self.economics.charge_preparation(dt)
        self.record(step, accuracy, service, uses, changes, tickets, waiting_for_seat)

    def with_access(self) -> int:
        """People who have access now (every state but NO_ACCESS, which is 0)."""
        return int(np.count_nonzero(self.people.state))

    def serve_demand(self, active: np.ndarray) -> ServiceLevel:
        """How the infrastructure serves the uses people make this step.

        `active[k]` says whether user k is active rather than trying.
        """
        dt, now = self.model.dt, self.model.env.now
        trying_rate, active_rate = self.uses_per_day
        active_users = int(np.count_nonzero(active))
        demand = (active.size - active_users) * trying_rate + active_users * active_rate
        service = self.infrastructure.serve(demand * dt, now - dt, now, self.working_share)
        if self.running:
            self.infrastructure.autoscale(service)
        return service

    def use_tool(
        self, users: np.ndarray, active: np.ndarray, accuracy: np.ndarray, service: ServiceLevel
    ) -> UsesOutcome:
        """The users (positions) use the tool; what it earns and costs is booked."""
        uses = use_tool(
            self.people,
            users,
            active,
            self._use_rates,
            accuracy,
            self.tool.segment,
            service,
            self.model.streams["uses"],
        )
        self.economics.book_uses(uses)
        return uses

    def decide(
        self,
        accuracy: np.ndarray,
        service: ServiceLevel,
        users: np.ndarray,
        uses: UsesOutcome,
    ) -> tuple[Transitions, int]:
        """The people's part of the step after their uses, in one compiled call
        (`after_uses`): seats used, perception brought up to date, and everyone's
        decision on what they perceived at the start of the step (but those waiting for
        their seat, held where they are: `_held`, marked by `users_of`); then the
        training sign-up of those who became aware. Returns the decisions' transitions
        and how many failures had an active champion close by.

        The decisions stream gives two uniforms a person: one to decide, one to sign up
        if they became aware (drawn only for those: `uniforms_at`). Once the tool is
        withdrawn nobody decides: no one has it to try, keep, return to or reconsider
        (their states stay as the stop left them), and nothing else reads the stream."""
        if self.rollout.stopped:  # a gate withdrew the tool (`withdraw`)
            return NOTHING_DECIDED, 0
        model, people = self.model, self.people
        now, size = model.env.now, model.organisation.size
        day = self.rule.day(
            dt=model.dt,
            now=now,
            accuracy_by_segment=accuracy,
            infrastructure_loss=service.value_lost_share,
            support_wait_days=self.support.wait_days,
            access_day=self.access_day,
            required=self.mandate.required(people, now),
            uniform=model.rng.random(size),
            held=self._held,
        )
        near = self.neighbourhood.for_step(people)
        helped_failures = self._after_uses(
            PeopleStep(
                self.rule.step_record(people, day, near),
                UsesMade(users, uses.uses_by_user, uses.model_failures),
                SeatsNow(self.seats.last_use, float(now)),
            )
        )
        aware = self.rule.became_aware()
        self.training.sign_up(aware, uniforms_at(model.rng, aware, size))
        return self.rule.transitions(), helped_failures

    def raise_tickets(
        self, uses: UsesOutcome, changes: Transitions, helped_failures: int
    ) -> Tickets:
        """New users (who started trying) and failed uses raise tickets, fewer where an
        active champion is close by (`helped_failures` of the failures); reported
        failures reach the engineers."""
        self.support.staff(self.with_access())
        tickets = self.support.raise_tickets(
            changes.started,
            uses.model_failures_by_segment,
            changes.started_helped,
            helped_failures,
            self.model.streams["uses"],
        )
        self.tool.report_failures(tickets.failure_reports)
        self.support.step(float(tickets.count), self.model.dt)
        return tickets

    def settle_and_count(self, now: float) -> None:
        """The end of the step in one compiled call (`close_step`): seats settled and
        everyone counted into the day's row; then the seats' pool is paid for."""
        row = self.model.recorder.rows
        counts = self._close_step(Closing(*self._closing_kept, float(now), row))
        self.seats.pay(counts, now, self.model.dt)

    def record(
        self,
        step: int,
        accuracy: np.ndarray,
        service: ServiceLevel,
        uses: UsesOutcome,
        changes: Transitions,
        tickets: Tickets,
        waiting_for_seat: int,
    ) -> None:
        """The step's row of the daily series, in `ROW`'s order (the census is in it
        already, from `settle_and_count`)."""
        model = self.model
        value, cost = model.ledger.close_day()
        paid = self.seats.paid
        model.recorder.complete(
            self._row_positions,
            (
                step * model.dt,
                uses.uses,
                uses.served,
                uses.successes,
                uses.successes / uses.served if uses.served else np.nan,
                float(accuracy.sum()) / accuracy.size,
                service.peak_requests_per_second,
                self.infrastructure.capacity,
                service.utilisation,
                service.latency_ms if uses.uses else np.nan,
                service.overloaded,
                service.down_share,
                self.training.queued,
                tickets.count,
                self.support.backlog,
                self.support.wait_days,
                value,
                cost,
                changes.returned,
                self.seats.held,
                paid,
                waiting_for_seat,
                paid * model.dt,
                *changes.lapsed_by_cause,
                *changes.abandoned_by_cause,
            ),
        )

    # --- the plan's callbacks ---------------------------------------------------------------

    def grant(self, wave: Wave) -> int:
        """Give a wave's people access; champions among them are aware and queue to train.

        A champion who brings in their team (`champion_teams`) introduces the tool: the
        team is aware at once, and each member signs up for training with probability
        `uptake`, as anyone who becomes aware does.
        """
        people, model = self.people, self.model
        rng = model.streams["rollout"]
        who = select_wave(wave, model.organisation, people.state, people.champion, rng)
        self.give_access(who)
        if wave.group == "champion_teams" and who.size:
            people.state[who] = AWARE
            self.training.sign_up(who, rng.random(who.size))
        return int(who.size)

    def give_access(self, who: np.ndarray) -> None:
        """Give the people at positions `who` access and a seat, with the expectation they
        are told; champions among them are aware and queue to train."""
        people, model = self.people, self.model
        if who.size == 0:
            return
        self.economics.launch()
        self._set_running(True)
        people.state[who] = UNAWARE
        self.access_day[who] = model.env.now
        self.seats.give(who, model.env.now)
        people.expectation[who] = self.announced_accuracy()
        champions = who[people.champion[who]]
        people.state[champions] = AWARE
        self.training.enqueue(champions)

    def extend(self, gate: Gate, opened: float) -> int:
        """Give `gate.extension_share` of each data segment its checks (since a window
        before day `opened`) have not seen access, drawn at random within the segment, so
        that the gate's next measurement sees them; how many were given access."""
        model = self.model
        _, first, now = self.evidence_window(opened)
        checked, _ = self.checks.totals(first, now)
        who = extension(
            self.tool.segment,
            np.flatnonzero(checked == 0),
            self.people.state,
            gate.extension_share,
            model.streams["rollout"],
        )
        self.give_access(who)
        return int(who.size)

    def announced_accuracy(self) -> float:
        """What people are told to expect: the demo's accuracy, or, when expectations are
        managed, the accuracy measured so far (the tool's current accuracy before any use).
        """
        scenario, recorder = self.model.settings, self.model.recorder
        if not scenario.change_management.communications.manage_expectations:
            return scenario.tool.poc_accuracy
        served = recorder.recent("served", MEASUREMENT_WINDOW_DAYS).sum()
        if served > 0:
            return float(recorder.recent("successes", MEASUREMENT_WINDOW_DAYS).sum() / served)
        return float(self.tool.accuracy().mean())

    def measure(self, gate: Gate, opened: float) -> PilotMeasurement:
        """What `gate` (first measured on day `opened`) sees now, with the load and the
        cost projected to everyone."""
        model = self.model
        evidence = self.accuracy_evidence(gate, opened)
        peak = model.recorder.recent("peak_requests_per_second", MEASUREMENT_WINDOW_DAYS)
        measured = measure_pilot(
            self.people,
            self.support.wait_days,
            gate,
            evidence,
            model.settings.business_minimum,
            self.break_even_accuracy(),
            float(self.tool.accuracy()[self.tool.segment].mean()),
            model.env.now,
            float(peak.max()) if peak.size else None,
        )
        per_user = measured.peak_requests_per_user
        everyone = measured.using_share * model.organisation.size
        active = int((self.people.state == ACTIVE).sum())
        window_cost = model.recorder.recent("cost", MEASUREMENT_WINDOW_DAYS).sum()
        return replace(
            measured,
            projected_latency_ms=(
                None if per_user is None else self.infrastructure.latency_at(per_user * everyone)
            ),
            cost_per_active_user_day=(
                window_cost / (active * MEASUREMENT_WINDOW_DAYS) if active else None
            ),
        )

    def accuracy_evidence(self, gate: Gate, opened: float) -> AccuracyEvidence:
        """The checks since a window before the gate first measured, read for the
        organisation and brought to today (`brought_to_now`); the segments no check has
        seen, evaluated offline on labelled examples (paid) when the gate asks for it;
        and what the production feed will give back while the feed is fragile."""
        model, checks = self.model, self.checks
        window, first, now = self.evidence_window(opened)
        checked, correct = checks.totals(first, now)
        labelled = 0
        if gate.offline_evaluation_uses > 0 and (checked == 0).any():
            offline, right = labelled_sample(
                self.tool.accuracy(),
                checked == 0,
                gate.offline_evaluation_uses,
                model.streams["audit"],
            )
            labelled = int(offline.sum())
            model.ledger.charge("evaluation", labelled * gate.cost_per_labelled_use)
            organisation = organisation_accuracy(
                checked + offline,
                correct + right,
                self.headcount_by_segment,
                gate.confidence,
                gate.unseen_segment_sd,
            )
        else:
            organisation = organisation_accuracy(
                checked, correct, self.headcount_by_segment, gate.confidence, gate.unseen_segment_sd
            )
        organisation, trend = self.brought_to_now(gate, organisation, first, now, window)
        sample_days = (now - first) * model.dt
        # labelled examples were drawn for every segment no check had seen
        unseen = checked == 0 if not labelled else np.zeros(checked.size, dtype=bool)
        headcount = self.headcount_by_segment
        behaviour = model.settings.behaviour
        rate = (behaviour.try_per_year + behaviour.reject_per_year) / DAYS_PER_YEAR
        with_access = self.people.state != NO_ACCESS
        ages = np.maximum(model.env.now - self.access_day[with_access], 0.0)
        decided = decided_share(ages, rate)  # of the people with access
        waiting = np.bincount(
            self.tool.segment[self.people.state == NO_ACCESS], minlength=headcount.size
        )
        return AccuracyEvidence(
            organisation=organisation,
            audited=int(checked.sum()),
            correct=int(correct.sum()),
            trend=trend,
            sample_days=sample_days,
            labelled=labelled,
            pipeline_gain=self.pipeline.penalty,
            unseen_weight=tuple((headcount[unseen] / headcount.sum()).tolist()),
            extension_reach=tuple(
                extension_reach(headcount[unseen], waiting[unseen], gate.extension_share).tolist()
            ),
            decided_share=decided,
            checks_per_decided_person_day=(
                float(checked.sum() / (decided * ages.size * sample_days)) if checked.any() else 0.0
            ),
            decisions_per_day=rate,
            check_concentration=(
                float(((checked / checked.sum()) ** 2).sum()) if checked.any() else 0.0
            ),
        )

    def evidence_window(self, opened: float) -> tuple[int, int, int]:
        """Steps in a measurement window, and the steps from which (included) to which
        (excluded) a gate first measured on day `opened` reads the checks: from a window
        before that day to now, so a pause adds evidence."""
        model = self.model
        now = model.recorder.rows
        window = steps_in(MEASUREMENT_WINDOW_DAYS, model.dt)
        paused = round(max(model.env.now - opened, 0.0) / model.dt)  # steps since opened
        return window, max(0, now - window - paused), now

    def brought_to_now(
        self, gate: Gate, pooled: AccuracyEstimate, first: int, now: int, window: int
    ) -> tuple[AccuracyEstimate, float]:
        """The pooled estimate (checks of steps `first` to `now`) as today's accuracy on
        today's feed, and the rise per window the checks show beyond their noise.

        The organisation knows when its feed was fragile: what the fragile feed took
        from each check is given back, and today's handicap taken. Accuracy moves
        (fixes, drift): the slope between the checks of the last window and those
        before it carries the pooled estimate from the checks' mean day to today, its
        variance added; with no earlier checks in the sample, the slope is read against
        the window before, only for the trend. The rise is read within the segments both
        windows checked (`accuracy_change`), so segments newly seen (a wave, an extended
        pilot) are not taken for a move of the tool.
        """
        checks, confidence = self.checks, gate.confidence
        early_first = first if first < now - window else now - 2 * window
        change = accuracy_change(
            checks.totals(now - window, now), checks.totals(early_first, now - window)
        )
        today = self.pipeline.penalty
        fragile = checks.handicap_share(first, now) - today
        if change is None:
            return moved(pooled, fragile, 0.0, confidence), 0.0
        gap = checks.mean_step(now - window, now) - checks.mean_step(early_first, now - window)
        rise = (
            change[0]
            + checks.handicap_share(now - window, now)
            - checks.handicap_share(early_first, now - window)
        )
        slope, slope_variance = rise / gap, change[1] / gap**2
        noise = z_score(confidence) * np.sqrt(slope_variance)
        shown = max(0.0, slope - noise) * window
        if early_first != first or abs(slope) <= noise:
            # a slope within its noise is no evidence of a move: carrying it would only
            # swing the estimate by the checks' noise and widen its interval
            return moved(pooled, fragile, 0.0, confidence), shown
        lead = now - checks.mean_step(first, now)
        return moved(pooled, fragile + slope * lead, lead**2 * slope_variance, confidence), shown

    def break_even_accuracy(self) -> float:
        """The accuracy at which a user's uses pay for their seat: the business minimum
        plus what a user costs a day (licence, and the capacity their measured peak load
        needs with headroom), spread over the uses a user made a day over the last window.
        """
        scenario, recorder = self.model.settings, self.model.recorder
        economics, infrastructure = scenario.economics, scenario.tool.infrastructure
        window = MEASUREMENT_WINDOW_DAYS
        users = recorder.recent("active", window) + recorder.recent("trying", window)
        uses = recorder.recent("uses", window).sum()
        minimum = scenario.business_minimum
        earned = economics.value_per_successful_use + economics.cost_per_wrong_use
        if users.sum() <= 0 or uses <= 0 or earned <= 0:
            return minimum
        peak_per_user = recorder.recent("peak_requests_per_second", window).max() / users.mean()
        seat = (
            economics.licences.price_per_seat_day
            + peak_per_user * infrastructure.capacity_headroom * infrastructure.cost_per_rps_day
        )
        uses_per_user_day = uses / (users.sum() * self.model.dt)
        paying = economics.cost_per_wrong_use + economics.cost_per_use + seat / uses_per_user_day
        return float(min(1.0, max(minimum, paying / earned)))

    def size_capacity(self, measured: PilotMeasurement) -> simpy.Event | None:
        """Order the capacity the measured load per user implies for everyone expected."""
        if measured.peak_requests_per_user is None:
            return None
        config = self.model.settings.tool.infrastructure
        expected_users = measured.using_share * self.model.organisation.size
        needed = measured.peak_requests_per_user * expected_users * config.capacity_headroom
        return self.infrastructure.order_capacity(needed, "sized from the load the pilot measured")

    def withdraw(self) -> None:
        """Stop the programme for good: nobody keeps access; who had abandoned or refused
        stays so, as the record of who turned against the tool, and nobody's state moves
        again (`decide`)."""
        people = self.people
        withdrawn = (people.state != NO_ACCESS) & ~np.isin(people.state, AGAINST)
        people.state[withdrawn] = NO_ACCESS
        self.seats.take_all_back()
        self.model.events.add(
            self.model.env.now, "withdrawn", f"{int(withdrawn.sum())} people lost access"
        )
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.tool.running = running
        self.infrastructure.running = running
        self.pipeline.running = running
