"""The per-step aggregates of many small requests agree with request-level SimPy runs."""

from __future__ import annotations

import numpy as np
import pytest
import simpy
from scipy import stats

from adoption.config.change import SupportConfig
from adoption.config.tool import InfrastructureConfig
from adoption.engine.events import EventLog
from adoption.engine.experience import (
    INVERSION_MAX_MEAN,
    poisson_from_tables,
    use_rates,
    use_tool,
)
from adoption.engine.infrastructure import Infrastructure
from adoption.engine.people import People
from adoption.engine.queueing import erlang_c, mmc_mean_wait, mmc_sojourn
from adoption.engine.support import SupportDesk


def request_level_queue(arrivals_per_day, servers, service_per_day, days, rng, patience=None):
    """A desk or server pool, one request at a time: returns each request's
    (arrival time, wait, served?)."""
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=servers)
    records = []

    def request(arrived):
        with pool.request() as slot:
            outcome = yield slot | env.timeout(patience) if patience else slot
            if patience and slot not in outcome:
                records.append((arrived, env.now - arrived, False))
                return
            records.append((arrived, env.now - arrived, True))
            yield env.timeout(rng.exponential(1 / service_per_day))

    def source():
        for day in range(days):
            rate = arrivals_per_day[day]
            clock = float(day)
            while True:
                clock += rng.exponential(1 / rate) if rate > 0 else np.inf
                if clock >= day + 1:
                    break
                yield env.timeout(clock - env.now)
                env.process(request(env.now))
            yield env.timeout(day + 1 - env.now)

    env.process(source())
    env.run(until=days + 60)
    return np.array(records, dtype=float)


def test_erlang_c_known_values():
    # textbook: 2 servers at 1 Erlang wait with probability 1/3; M/M/1 with rho wait rho
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    # M/M/1: Wq = rho / (mu - lambda)
    assert mmc_mean_wait(0.7, 1.0, 1) == pytest.approx(0.7 / 0.3)
    assert mmc_sojourn(1.0, 0.7, 1) == pytest.approx(1 / 0.3)


def test_support_desk_wait_matches_request_level_desk_when_stable():
    rng = np.random.default_rng(1)
    days, servers, service = 1500, 4, 25.0
    rates = np.full(days, 80.0)  # utilisation 0.8
    records = request_level_queue(rates, servers, service, days, rng)
    simulated = records[:, 1].mean()
    desk = SupportDesk(SupportConfig(agents=servers, tickets_per_agent_day=service))
    aggregated = np.mean([desk.step(float(n), 1.0) for n in rng.poisson(rates)])
    # Erlang C says 0.0298 days; the aggregate must be within 15% of the request level
    assert aggregated == pytest.approx(simulated, rel=0.15)


def test_support_desk_backlog_matches_request_level_desk_in_overload():
    rng = np.random.default_rng(2)
    servers, service = 4, 25.0  # capacity 100 tickets a day
    rates = np.array([150.0] * 20 + [50.0] * 40)
    records = request_level_queue(rates, servers, service, len(rates), rng)
    by_day = np.array(
        [records[(records[:, 0] >= d) & (records[:, 0] < d + 1), 1].mean() for d in range(40)]
    )
    desk = SupportDesk(SupportConfig(agents=servers, tickets_per_agent_day=service))
    aggregated = np.array([desk.step(float(n), 1.0) for n in rng.poisson(rates)])[:40]
    # the backlog peaks near 1,000 tickets, a 10-day wait, and clears by day 40
    assert by_day.max() == pytest.approx(aggregated.max(), rel=0.15)
    assert by_day[:40].mean() == pytest.approx(aggregated.mean(), rel=0.2)


@pytest.mark.parametrize("utilisation", [0.5, 0.85])
def test_latency_matches_request_level_server_pool(utilisation):
    rng = np.random.default_rng(3)
    servers, service_seconds = 8, 0.8
    # time unit: seconds, 'days' of 2,000 seconds
    rate = utilisation * servers / service_seconds
    records = request_level_queue(
        np.full(20, rate * 2000), servers, 2000 / service_seconds, 20, rng
    )
    simulated = (records[:, 1] * 2000).mean() + service_seconds
    assert mmc_sojourn(service_seconds, utilisation, servers) == pytest.approx(simulated, rel=0.1)


def test_overload_drop_share_matches_request_level_timeouts():
    rng = np.random.default_rng(4)
    servers, service_seconds, utilisation = 8, 0.8, 1.5
    rate = utilisation * servers / service_seconds
    records = request_level_queue(
        np.full(10, rate * 1000), servers, 1000 / service_seconds, 10, rng, patience=5 / 1000
    )
    dropped = 1 - records[:, 2].mean()
    config = InfrastructureConfig(
        capacity_requests_per_second=servers / service_seconds,
        working_hours_per_day=24,
        peak_to_mean=1.0,
        servers=servers,
        base_latency_ms=800,
        mtbf_days=0,
        max_capacity_requests_per_second=1000,
    )
    infrastructure = Infrastructure(config, simpy.Environment(), rng, EventLog())
    uses = rate * 24 * 3600
    level = infrastructure.serve(uses, 0.0, 1.0)
    assert level.overloaded
    assert level.dropped_share == pytest.approx(dropped, abs=0.05)


def test_aggregated_uses_match_request_level_uses_with_an_outage():
    """Per-user daily successes: Poisson uses, binomial losses and successes, versus
    a SimPy process per user making uses at exponential intervals through the day."""
    rng = np.random.default_rng(5)
    users, per_day, accuracy = 400, 6.0, 0.7
    outage = (0.3, 0.5)  # down for a fifth of the day
    env = simpy.Environment()
    successes = np.zeros(users)

    def user(index):
        while True:
            yield env.timeout(rng.exponential(1 / per_day))
            if env.now >= 1:
                return
            up = not (outage[0] <= env.now < outage[1])
            successes[index] += up and rng.random() < accuracy

    for index in range(users):
        env.process(user(index))
    env.run(until=1)

    config = InfrastructureConfig(mtbf_days=0, capacity_requests_per_second=100)
    infrastructure = Infrastructure(config, simpy.Environment(), rng, EventLog())
    infrastructure.outages.append(outage)
    level = infrastructure.serve(users * per_day, 0.0, 1.0)
    assert level.down_share == pytest.approx(0.2)
    people = People.start(users, np.zeros(users, dtype=np.int8), np.zeros(users, dtype=bool))
    totals = [
        use_tool(
            people,
            np.arange(users),
            np.ones(users, dtype=bool),
            use_rates((per_day, per_day), 10.0, (0.0, 0.0), 1.0),
            np.array([accuracy]),
            np.zeros(users, dtype=np.int16),
            level,
            rng,
        ).successes
        for _ in range(30)
    ]
    expected = users * per_day * 0.8 * accuracy  # 1,344
    # request level: one day, standard error ~ sqrt(1344) ~ 37; aggregate: 30 days
    assert successes.sum() == pytest.approx(expected, abs=4 * np.sqrt(expected))
    assert np.mean(totals) == pytest.approx(expected, abs=4 * np.sqrt(expected / 30))
    # thinned Poisson: the variance of one user's successes equals its mean
    assert successes.var() == pytest.approx(successes.mean(), rel=0.2)


@pytest.mark.parametrize("mean", [0.0, 0.4, 5.1, 29.0, 60.0])
def test_tabled_poisson_counts_have_the_poisson_distribution(mean):
    """One mean per call; 60 walks past the 64-term table in a third of the draws."""
    rng = np.random.default_rng(int(mean * 10))
    n = 200_000
    zeros = np.zeros(n, dtype=np.int64)
    counts = poisson_from_tables(np.full((1, 1, 1), mean), zeros, zeros, rng.random((1, n)))[0]
    if mean == 0.0:
        assert not counts.any()
        return
    assert counts.mean() == pytest.approx(mean, abs=4 * np.sqrt(mean / n))
    # chi-square goodness of fit on the counts with at least 20 expected, tails pooled
    support = np.arange(counts.max() + 2)
    expected = stats.poisson.pmf(support, mean) * n
    keep = expected >= 20
    low, high = support[keep][0], support[keep][-1]
    observed = np.bincount(np.clip(counts, low, high) - low, minlength=high - low + 1)
    pooled = expected[keep].copy()
    pooled[0] = stats.poisson.cdf(low, mean) * n
    pooled[-1] = stats.poisson.sf(high - 1, mean) * n
    _, p_value = stats.chisquare(observed, pooled)
    assert p_value > 1e-3  # a correct sampler fails this one time in a thousand


def test_heavy_use_draws_from_numpy_with_the_same_means():
    """Above INVERSION_MAX_MEAN uses a step the counts come from NumPy's generator."""
    rng = np.random.default_rng(6)
    users, per_day, accuracy = 2000, 4 * INVERSION_MAX_MEAN, 0.8
    people = People.start(users, np.zeros(users), np.zeros(users, dtype=bool))
    level = Infrastructure(
        InfrastructureConfig(mtbf_days=0, capacity_requests_per_second=1e6),
        simpy.Environment(),
        rng,
        EventLog(),
    ).serve(users * per_day, 0.0, 1.0)
    outcome = use_tool(
        people,
        np.arange(users),
        np.ones(users, dtype=bool),
        use_rates((per_day, per_day), 10.0, (0.0, 0.0), 1.0),
        np.array([accuracy]),
        np.zeros(users, dtype=np.int64),
        level,
        rng,
    )
    expected = users * per_day * (1 - level.failed_share) * accuracy
    assert outcome.successes == pytest.approx(expected, abs=4 * np.sqrt(expected))


def test_tabled_counts_do_not_depend_on_the_tables_other_users_need():
    """Tables are built only for the (rate class, department) pairs some user has: a
    user's counts are the same whether or not users of other pairs are drawn with them."""
    rng = np.random.default_rng(3)
    means = rng.uniform(0.0, 12.0, (3, 2, 8))
    few = rng.integers(0, 2, 50), rng.integers(0, 2, 50)  # rate class, departments 0-1
    more = rng.integers(0, 2, 50), rng.integers(0, 8, 50)
    uniforms = rng.random((3, 100))
    alone = poisson_from_tables(means, few[0], few[1], uniforms[:, :50])
    together = poisson_from_tables(
        means, np.concatenate((few[0], more[0])), np.concatenate((few[1], more[1])), uniforms
    )
    assert (together[:, :50] == alone).all()
