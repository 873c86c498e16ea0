"""Uses of the tool in one step, aggregated per person with their exact distributions.

Each user makes Poisson-many uses; the infrastructure loses a share of them (outage,
time-out) and the model gets a share of the rest right, at the accuracy of the
person's data segment (department × region). People remember an exponentially weighted
average of what they experienced: that, not what they were told, is satisfaction. Each
right and wrong answer also moves their trust in the tool, a wrong one more than a right
one (trust is hard to gain and easy to lose), and only while they use it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from adoption.engine.infrastructure import ServiceLevel
from adoption.engine.people import People

INVERSION_MAX_MEAN = 30.0
"""Largest uses a step for which counts come from cumulative tables (else from NumPy)."""
GUIDES = 32
"""Buckets of each guide table (a power of two: u × GUIDES is exact, below GUIDES)."""
TABLE_LIMIT = 64
"""Most terms of a cumulative table: past the largest count a mean of 30 gives in practice."""


class UsesOutcome(NamedTuple):
    """Totals of one step's uses, and each user's model failures."""

    uses: int
    served: int
    successes: int
    model_failures_by_segment: np.ndarray
    model_failures: np.ndarray  # by user, in the order of the users passed
    successes_by_segment: np.ndarray  # what a gate's check by segment reads
    uses_by_user: np.ndarray  # by user, in the order of the users passed


class UseRates(NamedTuple):
    """What `use_tool` reads of a run's settings, worked out once a run (`use_rates`)."""

    expected: np.ndarray  # mean uses a step while trying and while active
    tabled: bool  # whether both means are within INVERSION_MAX_MEAN (counts from tables)
    weight: float  # the memory's weight of one step
    loss_rate: float  # each wrong answer multiplies trust by exp(-loss_rate)
    gain_rate: float  # each right one multiplies the trust still missing by exp(-gain_rate)


def use_rates(
    uses_per_day: tuple[float, float],
    memory_days: float,
    trust_per_use: tuple[float, float],
    dt: float,
) -> UseRates:
    """`use_tool`'s constants for steps of `dt` days: `uses_per_day` gives the two rates
    (trying, active), `memory_days` how long experience is remembered, `trust_per_use`
    (share of trust a wrong answer takes, share of the lost trust a right answer gives
    back)."""
    loss, gain = trust_per_use
    return UseRates(
        expected=np.array(uses_per_day, dtype=np.float64) * dt,
        tabled=max(uses_per_day) * dt <= INVERSION_MAX_MEAN,  # the largest of `expected`
        weight=-np.expm1(-dt / memory_days),
        loss_rate=-np.log1p(-loss),
        gain_rate=-np.log1p(-gain),
    )


def use_tool(
    people: People,
    users: np.ndarray,
    active: np.ndarray,
    rates: UseRates,
    accuracy_by_segment: np.ndarray,
    segment: np.ndarray,
    service: ServiceLevel,
    rng: np.random.Generator,
) -> UsesOutcome:
    """Draw the uses of `users` (positions) and update what they experienced.

    `active[k]` says whether user k is active rather than trying; `rates` are the run's
    means and memory (`use_rates`). By Poisson thinning, a user's successes, model
    failures and infrastructure failures are independent Poisson counts with the
    shares of the mean: the same distribution as Poisson uses split binomially. A
    user's means depend only on their rate and their data segment, so at everyday rates
    the counts come from a few cumulative tables (`poisson_from_tables`), one uniform
    each; at rates beyond INVERSION_MAX_MEAN a step, from NumPy's generator.
    """
    expected, weight = rates.expected, rates.weight
    failures = np.zeros(accuracy_by_segment.size)
    correct = np.zeros(accuracy_by_segment.size)
    trust = (people.trust, rates.loss_rate, rates.gain_rate)
    state = (people.experienced_accuracy, people.infrastructure_loss, failures, correct, *trust)
    if rates.tabled:
        uniforms = _count_uniforms(rng, users.size, service.failed_share > 0)
        counts, totals, uses_by_user = _use_from_tables(
            expected,
            service.failed_share,
            accuracy_by_segment,
            active,
            users,
            segment,
            uniforms,
            weight,
            service.slowness_loss,
            *state,
        )
    else:
        means = _means(expected, service.failed_share, accuracy_by_segment)
        counts = rng.poisson(means[:, active.astype(np.int64), segment[users]])
        totals, uses_by_user = _remember(
            users, *counts, segment, weight, service.slowness_loss, *state
        )
    successes, served, uses = totals
    return UsesOutcome(
        uses=uses,
        served=served,
        successes=successes,
        model_failures_by_segment=failures,
        model_failures=counts[1],
        successes_by_segment=correct,
        uses_by_user=uses_by_user,
    )


def _count_uniforms(rng: np.random.Generator, users: int, any_fail: bool) -> np.ndarray:
    """One uniform per user for each count (successes, model failures, infrastructure
    failures), by row. With no use failing for the infrastructure, that count is 0
    whatever its uniform, so its row is jumped over (PCG64's `advance`) rather than
    drawn: the stream is left where drawing it leaves it."""
    if any_fail:
        return rng.random((3, users))
    uniforms = np.zeros((3, users))
    rng.random(out=uniforms[:2])
    rng.bit_generator.advance(users)
    return uniforms


@njit(cache=True)
def _means(expected, failed, accuracy):
    """Mean counts a step by kind (successes, model failures, infrastructure failures),
    rate class (trying, active) and data segment."""
    means = np.empty((3, expected.size, accuracy.size))
    for c in range(expected.size):
        served = expected[c] * (1 - failed)
        for d in range(accuracy.size):
            means[0, c, d] = served * accuracy[d]
            means[1, c, d] = served * (1 - accuracy[d])
            means[2, c, d] = expected[c] * failed
    return means


@njit(cache=True)
def _use_from_tables(
    expected,
    failed,
    accuracy,
    active,
    users,
    segment,
    uniforms,
    weight,
    slowness_loss,
    experienced,
    loss,
    failures,
    correct,
    trust,
    loss_rate,
    gain_rate,
):
    """The step's uses by tabled inversion, folded into what each user remembers:
    returns each user's counts (successes, model failures, infrastructure failures), the
    totals (successes, served, uses) and each user's uses."""
    rate_class = np.empty(users.size, dtype=np.int64)
    segments = np.empty(users.size, dtype=np.int64)
    for k in range(users.size):
        rate_class[k] = 1 if active[k] else 0
        segments[k] = segment[users[k]]
    counts = poisson_from_tables(_means(expected, failed, accuracy), rate_class, segments, uniforms)
    totals, uses_by_user = _remember(
        users,
        counts[0],
        counts[1],
        counts[2],
        segment,
        weight,
        slowness_loss,
        experienced,
        loss,
        failures,
        correct,
        trust,
        loss_rate,
        gain_rate,
    )
    return counts, totals, uses_by_user


@njit(cache=True)
def poisson_from_tables(means, rate_class, department, uniforms):
    """Poisson counts by inversion of cumulative tables, one uniform per count.

    Count j of user i is the least n whose cumulative probability at the mean
    `means[j, rate_class[i], department[i]]` reaches `uniforms[j, i]`. The tables are
    built once per call, and only for the (rate class, department) pairs some user has
    (a pilot's users are in a few departments, and a step may have no users), so a
    draw is a short walk of comparisons (table look-up inversion, as R's `rpois` does
    for small means); past a table's end the walk goes on with the same recurrence, so
    counts are exact Poisson up to rounding in the cumulative sums. Means up to
    INVERSION_MAX_MEAN: beyond, the walks grow long and exp(-mean) loses precision. The
    tables reach a few standard deviations past the largest mean: a walk past a table's
    end gives the same count, only slower. A guide table says where a uniform's walk may
    start (every count below it has too little probability), so the walk is a
    comparison or two.
    """
    kinds, classes, departments = means.shape
    largest = means.max()
    length = min(TABLE_LIMIT, int(largest + 6.0 * np.sqrt(largest)) + 8)
    needed = np.zeros((classes, departments), dtype=np.bool_)
    for i in range(rate_class.size):
        needed[rate_class[i], department[i]] = True
    cumulative = np.empty((kinds, classes, departments, length))
    last_term = np.empty((kinds, classes, departments))
    guide = np.empty((kinds, classes, departments, GUIDES), dtype=np.int64)
    for c in range(classes):
        for d in range(departments):
            if needed[c, d]:
                for j in range(kinds):
                    last_term[j, c, d] = _table(means[j, c, d], cumulative[j, c, d], guide[j, c, d])
    counts = np.zeros(uniforms.shape, dtype=np.int64)
    for j in range(kinds):
        for i in range(uniforms.shape[1]):
            c, d = rate_class[i], department[i]
            uniform = uniforms[j, i]
            n = guide[j, c, d, int(uniform * GUIDES)]
            while n < length and uniform > cumulative[j, c, d, n]:
                n += 1
            if n == length:  # the far tail: carry on from the table's last term
                n -= 1
                mean, probability = means[j, c, d], last_term[j, c, d]
                total = cumulative[j, c, d, n]
                while uniform > total and probability > 0.0:
                    n += 1
                    probability *= mean / n
                    total += probability
            counts[j, i] = n
    return counts


@njit(cache=True)
def _table(mean, cumulative, guide):
    """Fill one mean's cumulative table and its guide table (Chen and Asau 1974): where
    the walk for a uniform in [g / GUIDES, (g + 1) / GUIDES) may start, the least n
    reaching g / GUIDES. Returns the table's last term, where a walk past its end
    carries on."""
    length = cumulative.size
    probability = np.exp(-mean)
    total = probability
    cumulative[0] = total
    for n in range(1, length):
        probability *= mean / n
        total += probability
        cumulative[n] = total
    n = 0
    for g in range(GUIDES):
        while n < length and cumulative[n] < g / GUIDES:
            n += 1
        guide[g] = n
    return probability


@njit(cache=True)
def trusted_after(trust, right, wrong, loss_rate, gain_rate):
    """Trust after a step's `right` and `wrong` answers, spread evenly through the step.

    One wrong answer multiplies trust by exp(-loss_rate) (1 - the share it takes), one
    right answer multiplies the trust still missing by exp(-gain_rate). With both kinds
    interleaved, trust follows dT = -loss_rate T dW + gain_rate (1 - T) dR along the
    step: it moves toward gain_rate R / (gain_rate R + loss_rate W) at the combined
    rate, exactly as a run of one kind alone would (no order within the step is
    assumed). With loss_rate 0 trust never leaves 1.
    """
    lowering = loss_rate * wrong
    raising = gain_rate * right
    total = lowering + raising
    if total == 0.0:
        return trust
    settled = raising / total
    return settled + (trust - settled) * np.exp(-total)


@njit(cache=True)
def _remember(
    users,
    good,
    wrong,
    lost,
    department,
    weight,
    slowness_loss,
    experienced,
    loss,
    failures,
    correct,
    trust,
    loss_rate,
    gain_rate,
):
    """Fold the step's uses into what each user remembers and trusts; count failures and
    successes by data segment.

    Returns the totals (successes, served, uses) and each user's uses.
    """
    successes = served_total = uses_total = 0
    uses_by_user = np.empty(users.size, dtype=np.int64)
    for k in range(users.size):
        served = good[k] + wrong[k]
        uses = served + lost[k]
        uses_by_user[k] = uses
        successes += good[k]
        served_total += served
        uses_total += uses
        if uses == 0:
            continue
        person = users[k]
        failures[department[person]] += wrong[k]
        correct[department[person]] += good[k]
        if served > 0:
            experienced[person] += weight * (good[k] / served - experienced[person])
            trust[person] = trusted_after(trust[person], good[k], wrong[k], loss_rate, gain_rate)
        served_share = served / uses
        step_loss = (1.0 - served_share) + served_share * slowness_loss
        loss[person] += weight * (step_loss - loss[person])
    return (successes, served_total, uses_total), uses_by_user
