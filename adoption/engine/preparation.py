"""A plan's preparation: work done before the first wave while nobody has access."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from adoption.config.plans import PrepareStep
from adoption.config.tool import ToolConfig
from adoption.engine.events import EventLog
from adoption.engine.infrastructure import SECONDS_PER_HOUR, Infrastructure
from adoption.engine.people import People
from adoption.engine.pipeline import DataPipeline
from adoption.engine.tool import Tool
from adoption.engine.training import Training
from adoption.errors import InputError


def presized_capacity(tool: ToolConfig, headcount: int) -> float:
    """Capacity (requests per second) for the load expected before anyone has used the
    tool: `presize_using_share` of headcount as active users at their peak hour, with
    the headroom a gate sizes with, within the ceiling."""
    infrastructure = tool.infrastructure
    per_user = (
        tool.uses_per_active_day
        * infrastructure.peak_to_mean
        / (infrastructure.working_hours_per_day * SECONDS_PER_HOUR)
    )
    needed = (
        per_user * infrastructure.presize_using_share * headcount * infrastructure.capacity_headroom
    )
    return min(needed, infrastructure.max_capacity_requests_per_second)


class Preparation:
    """The steps a plan takes before its first wave, each on the clock with its cost.

    The data engineers build the pipeline (paid by the engineer-day as they work); the
    capacity the organisation expects to need is ordered (paid from launch, as all
    capacity is); the champions are trained (a seat each). The programme office is paid
    meanwhile; the scheduled retrains wait for launch, and the model is retrained as the
    preparation ends (when time has passed since the last), so that it launches as fresh
    as a model launched at once. `underway` is true until every step is done or has
    waited its `days`.
    """

    def __init__(
        self,
        plan: str,
        steps: list[PrepareStep],
        tool_config: ToolConfig,
        headcount: int,
        env: simpy.Environment,
        events: EventLog,
        pipeline: DataPipeline,
        infrastructure: Infrastructure,
        tool: Tool,
        training: Training,
        people: People,
        step_days: float,
    ) -> None:
        self.plan = plan
        self.steps = steps
        self.tool_config = tool_config
        self.headcount = headcount
        self.env = env
        self.events = events
        self.pipeline = pipeline
        self.infrastructure = infrastructure
        self.tool = tool
        self.training = training
        self.people = people
        self.step_days = step_days
        self.underway = False
        self._check()

    def _check(self) -> None:
        """Refuse a step that, uncapped, could never finish."""
        for index, step in enumerate(self.steps):
            field = f"plans.{self.plan}.prepare[{index}]"
            if step.days is not None:
                continue
            unbuilt = step.step == "pipeline" and not self.pipeline.ready
            if unbuilt and not self.tool_config.pipeline.data_engineers:
                raise InputError(
                    f"{field}: the pipeline cannot be built before launch with "
                    "tool.pipeline.data_engineers at 0; give engineers or the step's days"
                )
            untrained = step.step == "champions" and self.people.champion.any()
            if untrained and self.training.config.trainers == 0:
                raise InputError(
                    f"{field}: the champions cannot be trained with "
                    "change_management.training.trainers at 0; give trainers or the "
                    "step's days"
                )

    def run(self) -> Generator[simpy.Event, object, None]:
        """The preparation as a SimPy process body: start every step, wait for them all."""
        self.underway = True
        started = self.env.now
        waits = [self.env.process(self._wait(step, self._start(step))) for step in self.steps]
        yield self.env.all_of(waits)
        self.underway = False
        self.pipeline.preparing = False
        if self.env.now > self.tool.last_retrain_day:
            self.tool.retrain()
        self.events.add(
            self.env.now,
            "prepared",
            f"{', '.join(step.step for step in self.steps)} prepared in "
            f"{self.env.now - started:.0f} days",
        )

    def _start(self, step: PrepareStep) -> simpy.Event:
        """Start one step; the event of its end."""
        if step.step == "pipeline":
            self.pipeline.preparing = True
            return self.pipeline.built
        if step.step == "capacity":
            target = presized_capacity(self.tool_config, self.headcount)
            arrival = self.infrastructure.order_capacity(
                target, "sized before launch for the load expected"
            )
            return arrival if arrival is not None else self._done()
        champions = np.flatnonzero(self.people.champion)
        self.training.enqueue(champions)
        return self.env.process(self._trained(champions))

    def _done(self) -> simpy.Event:
        event = self.env.event()
        event.succeed()
        return event

    def _trained(self, champions: np.ndarray):
        """Ends once every champion has been trained (checked every step)."""
        while not self.people.trained[champions].all():
            yield self.env.timeout(self.step_days)

    def _wait(self, step: PrepareStep, done: simpy.Event):
        """Wait for a step's end, or `days` at most."""
        if step.days is None:
            yield done
        else:
            yield done | self.env.timeout(step.days)
