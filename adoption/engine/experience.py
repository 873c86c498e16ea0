"""Uses of the tool in one step, aggregated per person with their exact distributions.

Each user makes Poisson-many uses; the infrastructure loses a share of them (outage,
time-out) and the model gets a share of the rest right, at the accuracy of the
person's department. People remember an exponentially weighted
average of what they experienced: that, not what they were told, is satisfaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    served = good + wrong
    uses = served + lost
    used = uses > 0
    weight = -np.expm1(-dt / memory_days)
    who = users[used]
    served_share = served[used] / uses[used]
    was_served = served[used] > 0
    hit_rate = np.divide(good[used], served[used], out=np.zeros(who.size), where=was_served)
    experienced = people.experienced_accuracy
    experienced[who[was_served]] += weight * (hit_rate[was_served] - experienced[who[was_served]])
    loss = (1 - served_share) + served_share * service.slowness * SLOWNESS_WEIGHT
    people.infrastructure_loss[who] += weight * (loss - people.infrastructure_loss[who])
    failures = np.bincount(department[users], weights=wrong, minlength=departments)
    return UsesOutcome(
        uses=int(uses.sum()),
        served=int(served.sum()),
        successes=int(good.sum()),
        infrastructure_failures=int(lost.sum()),
        model_failures_by_department=failures,
    )
