"""Uses of the tool in one step, aggregated per person with their exact distributions.

Each user makes Poisson-many uses; the infrastructure loses a share of them (outage,
time-out) and the model gets a share of the rest right, at the accuracy of the
person's department. People remember an exponentially weighted
average of what they experienced: that, not what they were told, is satisfaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from adoption.engine.infrastructure import SLOWNESS_WEIGHT, ServiceLevel
from adoption.engine.people import People


@dataclass(frozen=True)
class UsesOutcome:
    """Totals of one step's uses."""

    uses: int
    served: int
    successes: int
    infrastructure_failures: int
    model_failures_by_department: np.ndarray


def use_tool(
    people: People,
    users: np.ndarray,
    rate_per_day: np.ndarray,
    accuracy: np.ndarray,
    department: np.ndarray,
    departments: int,
    service: ServiceLevel,
    memory_days: float,
    dt: float,
    rng: np.random.Generator,
) -> UsesOutcome:
    """Draw the uses of `users` (positions) and update what they experienced.

    By Poisson thinning, a user's successes, model failures and infrastructure
    failures are independent Poisson counts with the shares of the mean: the same
    distribution as Poisson uses split binomially, at two or three draws instead of
    three dearer ones.
    """
    expected = rate_per_day * dt
    failed_share = service.failed_share
    good = rng.poisson(expected * (1 - failed_share) * accuracy)
    wrong = rng.poisson(expected * (1 - failed_share) * (1 - accuracy))
    lost = rng.poisson(expected * failed_share) if failed_share > 0 else np.zeros_like(good)
    failures = np.zeros(departments)
    successes, served, uses = _remember(
        users,
        good,
        wrong,
        lost,
        department,
        -np.expm1(-dt / memory_days),
        service.slowness * SLOWNESS_WEIGHT,
        people.experienced_accuracy,
        people.infrastructure_loss,
        failures,
    )
    return UsesOutcome(
        uses=uses,
        served=served,
        successes=successes,
        infrastructure_failures=uses - served,
        model_failures_by_department=failures,
    )


@njit(cache=True)
def _remember(
    users, good, wrong, lost, department, weight, slowness_loss, experienced, loss, failures
):
    """Fold the step's uses into what each user remembers; count failures by department.

    Returns the totals (successes, served, uses).
    """
    successes = served_total = uses_total = 0
    for k in range(users.size):
        served = good[k] + wrong[k]
        uses = served + lost[k]
        successes += good[k]
        served_total += served
        uses_total += uses
        if uses == 0:
            continue
        person = users[k]
        failures[department[person]] += wrong[k]
        if served > 0:
            experienced[person] += weight * (good[k] / served - experienced[person])
        served_share = served / uses
        step_loss = (1.0 - served_share) + served_share * slowness_loss
        loss[person] += weight * (step_loss - loss[person])
    return successes, served_total, uses_total
