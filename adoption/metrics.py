"""Per-run metrics computed from a run's time series and final state.

Each metric is declared (meaning, unit, direction, format) in `adoption.outcomes`;
`run_metrics` produces exactly the names declared there.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from adoption.engine.clock import DAYS_PER_YEAR
from adoption.engine.ledger import COST_CATEGORIES
from adoption.engine.rollout import GateDecision
from adoption.engine.states import CAUSES
from adoption.outcomes import ADOPTION_MILESTONES, time_to_name


def first_day_reaching(share: pd.Series, target: float, days: pd.Series) -> float | None:
    """The first day a share reaches `target`, or None if it never does."""
    reached = np.flatnonzero(share.to_numpy() >= target)
    return float(days.iloc[reached[0]]) if reached.size else None


def step_lengths(days: pd.Series) -> np.ndarray:
    """The length in days of each row's step (the first as long as the second; a lone
    row counts as one day)."""
    values = days.to_numpy(dtype=np.float64)
    if values.size < 2:
        return np.ones_like(values)
    return np.diff(values, prepend=2 * values[0] - values[1])


def net_present_value(timeseries: pd.DataFrame, rate_per_year: float, until_day: float) -> float:
    """Value minus cost of the days before `until_day`, discounted to day 0 (per year)."""
    days = timeseries["day"].to_numpy()
    keep = days < until_day
    net = timeseries["value"].to_numpy()[keep] - timeseries["cost"].to_numpy()[keep]
    return float((net * (1.0 + rate_per_year) ** (-days[keep] / DAYS_PER_YEAR)).sum())


CRITERIA_WORDS = {
    "accuracy": "accuracy",
    "observed": "accuracy",
    "more": "accuracy",
    "adoption": "adoption",
    "abandonment": "abandonment",
    "latency": "latency",
    "cost": "cost",
    "support": "support wait",
}
"""A gate's reason, by its first word, as the criterion it names."""


def pause_reasons(decisions: list[GateDecision]) -> str:
    """What the gates paused on, by criterion and count ('accuracy x2'), or 'none'."""
    counts: dict[str, int] = {}
    for decision in decisions:
        if decision.decision != "pause":
            continue
        named = {CRITERIA_WORDS.get(reason.split()[0], "other") for reason in decision.reasons}
        for criterion in named:
            counts[criterion] = counts.get(criterion, 0) + 1
    if not counts:
        return "none"
    return ", ".join(f"{name} x{count}" for name, count in sorted(counts.items()))


def run_metrics(
    timeseries: pd.DataFrame,
    headcount: int,
    burned: int,
    decisions: list[GateDecision],
    costs: dict[str, float] | None = None,
    discount_rate_per_year: float = 0.0,
) -> dict[str, float | int | str | None]:
    """Every outcome of one run, as declared in `adoption.outcomes.OUTCOMES`."""
    last = timeseries.iloc[-1]
    ever_tried = int(last["ever_tried"])
    adoption = timeseries["active"] / headcount
    metrics: dict[str, float | int | str | None] = {
        "adoption_rate": float(last["active"] / headcount),
        "reach": float(ever_tried / headcount),
        "abandonment_rate": float(last["abandoned"] / ever_tried) if ever_tried else 0.0,
        "rejection_rate": float(last["rejecting"] / headcount),
        "burned": int(burned),
        "peak_adoption_rate": float(adoption.max()),
    }
    for milestone in ADOPTION_MILESTONES:
        metrics[time_to_name(milestone)] = first_day_reaching(
            adoption, milestone, timeseries["day"]
        )
    served = timeseries["served"].sum()
    wait = timeseries["support_wait_days"]
    metrics.update(
        uses=int(timeseries["uses"].sum()),
        observed_accuracy=float(timeseries["successes"].sum() / served) if served else None,
        peak_support_wait_days=float(wait.max()),
        overload_days=int(timeseries["overloaded"].sum()),
        value=float(timeseries["value"].sum()),
        cost=float(timeseries["cost"].sum()),
        net_value=float(timeseries["value"].sum() - timeseries["cost"].sum()),
        npv=net_present_value(timeseries, discount_rate_per_year, math.inf),
        npv_1y=net_present_value(timeseries, discount_rate_per_year, DAYS_PER_YEAR),
        decision=decisions[-1].decision if decisions else "none",
        decision_day=decisions[-1].day if decisions else None,
        gate_pauses=sum(d.decision == "pause" for d in decisions),
        gate_pause_reasons=pause_reasons(decisions),
        gate_accuracy=decisions[-1].measured.accuracy if decisions else None,
        gate_pilot_accuracy=decisions[-1].measured.observed_accuracy if decisions else None,
        gate_true_accuracy=decisions[-1].measured.true_accuracy if decisions else None,
        # paired counterfactual runs give these (adoption.experiment.regret)
        gate_regret=None,
        gate_pause_cost=None,
    )
    costs = costs or {}
    active_days = float((timeseries["active"] * step_lengths(timeseries["day"])).sum())
    licences = float(costs.get("licences", 0.0))
    metrics.update(
        seat_days=float(timeseries["seat_days"].sum()),
        licence_cost_per_active_user_day=licences / active_days if active_days else None,
    )
    for category in COST_CATEGORIES:
        metrics[f"cost_{category}"] = float(costs.get(category, 0.0))
    abandoned = {c: int(timeseries[f"abandoned_{c}"].sum()) for c in CAUSES}
    lapsed = {c: int(timeseries[f"lapsed_{c}"].sum()) for c in CAUSES}
    total_abandoned, total_lapsed = sum(abandoned.values()), sum(lapsed.values())
    for cause in CAUSES:
        metrics[f"abandoned_because_{cause}"] = (
            abandoned[cause] / total_abandoned if total_abandoned else 0.0
        )
    for cause in CAUSES:
        metrics[f"lapsed_because_{cause}"] = lapsed[cause] / total_lapsed if total_lapsed else 0.0
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in metrics.items()}
