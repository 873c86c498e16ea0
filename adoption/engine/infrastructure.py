"""Serving infrastructure: capacity, latency under load, scale-up lead times, outages."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import simpy

from adoption.config.tool import InfrastructureConfig
from adoption.engine.events import EventLog
from adoption.engine.queueing import mmc_sojourn

SECONDS_PER_HOUR = 3600.0
HOURS_PER_DAY = 24.0


class ServiceLevel(NamedTuple):
    """How the infrastructure served one step's load (a tuple: one is made a step, and
    a frozen dataclass takes three times as long to make)."""

    peak_requests_per_second: float
    utilisation: float
    latency_ms: float
    dropped_share: float  # uses that time out because demand exceeds capacity
    down_share: float  # share of the step's working time in outage
    slowness_loss: float  # share of a served use's value lost to latency (0..slowness_weight)

    @property
    def overloaded(self) -> bool:
        return self.utilisation >= 1.0

    @property
    def value_lost_share(self) -> float:
        """Share of a use's value lost: failures, plus slowness on the uses served."""
        served = 1 - self.failed_share
        return self.failed_share + served * self.slowness_loss

    @property
    def failed_share(self) -> float:
        """Share of uses that fail for infrastructure reasons (outage or time-out)."""
        return self.down_share + (1 - self.down_share) * self.dropped_share


class Infrastructure:
    """Capacity in requests per second served by parallel replicas, with M/M/c latency
    at peak-hour utilisation; demand beyond capacity times out.

    Outages alternate with uptime (exponential times between failures and to repair);
    scale-ups arrive after a lead time. Both are SimPy processes.
    """

    def __init__(
        self,
        config: InfrastructureConfig,
        env: simpy.Environment,
        rng: np.random.Generator,
        events: EventLog,
    ) -> None:
        self.config = config
        self.env = env
        self.rng = rng
        self.events = events
        self.capacity = config.capacity_requests_per_second
        self.ordered_capacity = self.capacity
        self.outages: list[tuple[float, float]] = []
        self.longest_outage = 0.0
        self.running = False
        # what `serve` reads of the configuration, worked out once
        self._seconds_per_day = config.working_hours_per_day * SECONDS_PER_HOUR
        self._latency_cap = config.latency_tolerance_ms * config.latency_cap_factor
        self._latency_span = max(config.latency_tolerance_ms - config.base_latency_ms, 1e-9)
        if config.mtbf_days > 0:
            env.process(self._outages())

    def serve(
        self, uses: float, start: float, end: float, working_share: float = 1.0
    ) -> ServiceLevel:
        """The service level over [start, end) for `uses` uses spread over the working
        hours of the working days in it (`working_share` of its days)."""
        config = self.config
        days = (end - start) * working_share
        working_seconds = self._seconds_per_day * days
        peak = uses / working_seconds * config.peak_to_mean if working_seconds > 0 else 0.0
        utilisation = peak / self.capacity
        latency = min(
            mmc_sojourn(config.base_latency_ms, utilisation, config.servers), self._latency_cap
        )
        dropped = 0.0 if utilisation < 1 else 1.0 - 1.0 / utilisation
        slowness = min(max((latency - config.base_latency_ms) / self._latency_span, 0.0), 1.0)
        return ServiceLevel(
            peak_requests_per_second=peak,
            utilisation=utilisation,
            latency_ms=latency,
            dropped_share=dropped,
            down_share=self.down_share(start, end),
            slowness_loss=slowness * config.slowness_weight,
        )

    def latency_at(self, peak_requests_per_second: float) -> float:
        """Mean latency (ms) at this peak load on the capacity in place or on order."""
        config = self.config
        utilisation = peak_requests_per_second / max(self.capacity, self.ordered_capacity)
        return min(
            mmc_sojourn(config.base_latency_ms, utilisation, config.servers),
            config.latency_tolerance_ms * config.latency_cap_factor,
        )

    def down_share(self, start: float, end: float) -> float:
        """Share of [start, end) spent in outage (overlapping outages count once at most)."""
        down = 0.0
        # outages are kept in order of their start: none that began before
        # `start - longest` can reach into the step
        for begin, finish in reversed(self.outages):
            if begin + self.longest_outage <= start:
                break
            down += max(0.0, min(finish, end) - max(begin, start))
        return min(1.0, down / (end - start))

    def add_outage(self, begin: float, finish: float, kind: str, detail: str) -> None:
        """Record an outage from `begin` to `finish` (days): uses fail meanwhile."""
        self.outages.append((begin, finish))
        self.longest_outage = max(self.longest_outage, finish - begin)
        self.events.add(begin, kind, detail)

    def order_capacity(self, target: float, reason: str) -> simpy.Event | None:
        """Order capacity up to `target` (capped); returns the event of its arrival."""
        target = min(target, self.config.max_capacity_requests_per_second)
        if target <= self.ordered_capacity * 1.001:
            return None
        self.ordered_capacity = target
        self.events.add(
            self.env.now,
            "scale-up ordered",
            f"{self.capacity:.2f} -> {target:.2f} requests/s ({reason}), "
            f"arrives in {self.config.scale_up_lead_days} days",
        )
        return self.env.process(self._deliver(target))

    def autoscale(self, level: ServiceLevel) -> None:
        """Order more capacity when peak utilisation passes the threshold."""
        config = self.config
        if not config.autoscale or level.utilisation < config.scale_up_threshold:
            return
        if self.ordered_capacity > self.capacity:
            return  # an order is already on its way
        self.order_capacity(self.capacity * config.scale_up_factor, "autoscale")

    def _deliver(self, target: float):
        yield self.env.timeout(self.config.scale_up_lead_days)
        if target > self.capacity:
            self.capacity = target
            self.events.add(self.env.now, "scale-up", f"capacity now {target:.2f} requests/s")

    def _outages(self):
        config = self.config
        while True:
            yield self.env.timeout(self.rng.exponential(config.mtbf_days))
            repair_days = self.rng.exponential(config.mttr_hours) / HOURS_PER_DAY
            start = self.env.now
            if self.running:
                self.add_outage(
                    start, start + repair_days, "outage", f"down for {repair_days * 24:.1f} hours"
                )
            yield self.env.timeout(repair_days)
