"""Closed-form queueing results used to aggregate many small requests per time step."""

from __future__ import annotations

import math


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C).

    `offered_load` is arrival rate over service rate per server (in Erlangs); requires
    offered_load < servers.
    """
    if servers <= 0 or offered_load >= servers:
        return 1.0
    if offered_load <= 0:
        return 0.0
    # the Erlang B recursion is numerically stable for large server counts
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    utilisation = offered_load / servers
    return blocking / (1 - utilisation + utilisation * blocking)


def mmc_mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue (before service) of a stable M/M/c queue, in the rates' time unit."""
    if arrival_rate <= 0:
        return 0.0
    capacity = servers * service_rate
    if arrival_rate >= capacity:
        return math.inf
    return erlang_c(servers, arrival_rate / service_rate) / (capacity - arrival_rate)


def mmc_sojourn(service_time: float, utilisation: float, servers: int) -> float:
    """Mean time in an M/M/c system (wait plus service), Sakasegawa's approximation.

    Wq ~ S rho^(sqrt(2(c+1)) - 1) / (c (1 - rho)): exact for c = 1, within a few per
    cent of Erlang C for larger c, and cheap enough to evaluate every step.
    """
    if utilisation >= 1:
        return math.inf
    if utilisation <= 0:
        return service_time
    exponent = math.sqrt(2 * (servers + 1)) - 1
    return service_time * (1 + utilisation**exponent / (servers * (1 - utilisation)))
