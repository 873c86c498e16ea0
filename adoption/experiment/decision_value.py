"""What the go/no-go decision is worth: the expected NPV of GO, EXTEND and NO-GO over
the posterior, the probability that the chosen action is best, and the expected value
of sample information (EVSI) of N more weeks of pilot telemetry.

EVSI by regression on the posterior predictive (Strong, Oakley, Brennan & Breeze,
Medical Decision Making 35(5), 2015): every run of the comparison is a posterior draw
(its sample) and a random stream (its seed); the same draw and seed, run as the
extended pilot for N more weeks, give the telemetry those weeks might show. Each
action's NPV is regressed on a summary of that telemetry (least squares on the
summaries and their squares); EVSI = mean over runs of the best fitted NPV − the
fitted NPV of the action chosen now (the best mean NPV). With an intercept the fitted
means equal the means, so EVSI ≥ 0, and it is 0 exactly when no telemetry could make
another action look better than the chosen one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from adoption.calibration.plans import EXTENSION_DAYS
from adoption.config import load_scenario
from adoption.errors import InputError
from adoption.experiment.compare import run_design
from adoption.experiment.comparison import Comparison
from adoption.experiment.design import RunSpec
from adoption.experiment.executors import Executor
from adoption.experiment.statistics import t_interval
from adoption.outcomes import OUTCOMES

ACTIONS = {"GO": ("proceed", "next-region"), "EXTEND": ("extend-pilot",), "NO-GO": ("stop",)}
"""The decision's actions and the forecast plans (calibration/plans.py) that carry them
out; GO is the better of its plans by expected NPV."""
MORE_WEEKS = EXTENSION_DAYS // 7
"""Weeks of further telemetry valued by default: what extending the pilot would show."""
TELEMETRY = ("new_triers", "active_at_end", "value_per_user_day")
"""The summary of N more weeks of the extended pilot that the NPVs are regressed on:
people who tried for the first time, people using it at the end, and the value of
successful uses per user-day (the tool's production accuracy as the users meet it)."""


RUNS_PER_TERM = 10
"""Fewest runs per regression term for an EVSI: fewer, and the fit follows the noise."""


def check_weeks(weeks: int) -> int:
    """A number of more weeks the extended pilot can show: 1 to MORE_WEEKS."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MORE_WEEKS:
        raise InputError(
            f"--more-weeks: expected a whole number of weeks from 1 to {MORE_WEEKS} "
            f"(the extended pilot's {EXTENSION_DAYS} days), got {weeks!r}"
        )
    return weeks


def pilot_days(diagnostics: dict, folder: object) -> int:
    """The days the calibrated pilot ran, as its diagnostics.json records them."""
    days = diagnostics.get("pilot_days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise InputError(f"--posterior {folder}: diagnostics.json records no pilot_days")
    return days


@dataclass
class DecisionValue:
    """The value of the go/no-go decision over the posterior (all money as NPV)."""

    expected: pd.DataFrame  # per action: plan, mean NPV and its 95% interval
    chosen: str  # the action with the highest expected NPV
    p_best: float  # share of posterior draws in which the chosen action is best
    draws: int
    weeks: int
    evsi: float
    evpi: float  # the value of knowing the draw: an upper bound on any EVSI
    p_change: (
        float  # share of the telemetry the weeks might show after which another action looks best
    )

    @property
    def cost_of_waiting(self) -> float:
        """What extending costs against the chosen action, before anything it learns."""
        npv = self.expected.set_index("action")["npv"]
        return float(npv[self.chosen] - npv["EXTEND"]) if "EXTEND" in npv else float("nan")

    def text(self) -> str:
        money = OUTCOMES["npv"]
        lines = ["expected NPV over the posterior:"]
        for row in self.expected.itertuples():
            mark = "  <- best" if row.action == self.chosen else ""
            lines.append(
                f"  {row.action:<7} ({row.plan}): {money.show(row.npv)} "
                f"(95% CI {money.show(row.ci_low)} to {money.show(row.ci_high)}){mark}"
            )
        lines.append(
            f"P({self.chosen} is best) = {self.p_best:.2f} over {self.draws} posterior draws"
        )
        if np.isnan(self.evsi):
            lines.append(
                f"too few runs ({self.draws} draws) to value {self.weeks} more week(s) of "
                f"telemetry: the regression needs {RUNS_PER_TERM * (1 + len(TELEMETRY))} "
                "runs of each plan; raise --samples or --replications"
            )
            return "\n".join(lines)
        could = "could" if self.evsi > 0 and self.p_change > 0 else "could not"
        line = (
            f"{self.weeks} more week(s) of telemetry {could} change the decision: EVSI "
            f"{money.show(self.evsi)} (another action would look best after "
            f"{self.p_change:.0%} of what they might show; perfect information is worth "
            f"{money.show(self.evpi)})"
        )
        lines.append(line)
        if self.chosen != "EXTEND" and np.isfinite(self.cost_of_waiting):
            lines.append(
                f"extending costs {money.show(self.cost_of_waiting)} against {self.chosen} "
                "before what it learns: worth it only if the EVSI is larger"
            )
        return "\n".join(lines)


def can_value(plans: list[str]) -> bool:
    """Whether compared plans carry GO and EXTEND, which the decision's value needs."""
    return bool(set(ACTIONS["GO"]) & set(plans)) and set(ACTIONS["EXTEND"]) <= set(plans)


def action_plans(comparison: Comparison) -> dict[str, str]:
    """The plan that carries out each action the comparison has (GO: the better by NPV)."""
    means = comparison.runs.groupby("plan")["npv"].mean()
    found = {}
    for action, plans in ACTIONS.items():
        present = [plan for plan in plans if plan in means.index]
        if present:
            found[action] = max(present, key=lambda plan: means[plan])
    if "GO" not in found or len(found) < 2:
        raise InputError(
            "the decision's value needs the forecast plans (proceed, extend-pilot, stop) "
            "of a calibration: compare --posterior DIR"
        )
    return found


def decision_value(
    comparison: Comparison,
    pilot_days: int,
    weeks: int = MORE_WEEKS,
    executor: Executor | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> DecisionValue:
    """The decision's value from a posterior comparison (compare --posterior): the
    extended pilot is rerun for `weeks` more weeks on every run's draw and seed for
    the telemetry, then `value_of_decision` reads both."""
    weeks = check_weeks(weeks)
    plans = action_plans(comparison)
    if "EXTEND" not in plans:
        raise InputError("the decision's value needs the extend-pilot plan of a calibration")
    telemetry = pilot_telemetry(comparison, plans["EXTEND"], pilot_days, weeks, executor, on_run)
    return value_of_decision(comparison.runs, plans, telemetry, weeks)


def pilot_telemetry(
    comparison: Comparison,
    plan: str,
    pilot_days: int,
    weeks: int,
    executor: Executor | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Per (sample, replication): the TELEMETRY summary of days pilot_days to
    pilot_days + 7·weeks of `plan` (the extended pilot) run on that run's posterior
    draw and seed, up to the last of those days."""
    end = pilot_days + 7 * weeks
    short = load_scenario(comparison.scenario, {"horizon_days": end})
    runs = comparison.runs[comparison.runs["plan"] == plan]
    fields = list(comparison.samples.columns)
    specs = [
        RunSpec(
            plan,
            int(run["sample"]),
            int(run["replication"]),
            int(run["seed"]),
            tuple((field, _plain(run[field])) for field in fields),
        )
        for _, run in runs.iterrows()
    ]
    records, failures, _ = run_design(short, specs, None, executor, on_run)
    if failures:
        raise InputError(
            f"a telemetry run failed (seed {failures[0].spec.seed}): {failures[0].error}"
        )
    rows = []
    for spec in specs:
        series = records[spec].series
        before = series[series["day"] < pilot_days]
        during = series[(series["day"] >= pilot_days) & (series["day"] < end)]
        users = (during["active"] + during["trying"]).to_numpy(float)
        tried_before = float(before["ever_tried"].iloc[-1]) if len(before) else 0.0
        rows.append(
            {
                "sample": spec.sample,
                "replication": spec.replication,
                "new_triers": float(during["ever_tried"].iloc[-1]) - tried_before,
                "active_at_end": float(users[-1]),
                "value_per_user_day": float(during["value"].sum()) / max(float(users.sum()), 1.0),
            }
        )
    return pd.DataFrame(rows)


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def value_of_decision(
    runs: pd.DataFrame, plans: dict[str, str], telemetry: pd.DataFrame, weeks: int
) -> DecisionValue:
    """Expected NPVs, P(best) over the posterior draws, EVPI and the regression EVSI
    (see the module) from the runs (plan, sample, replication, npv) and the telemetry
    (sample, replication and the TELEMETRY columns)."""
    npv = runs.pivot_table(index=["sample", "replication"], columns="plan", values="npv")
    npv = npv[list(plans.values())].dropna()
    npv.columns = list(plans)
    expected = []
    for action, plan in plans.items():
        mean, _, low, high, _ = t_interval(npv[action].to_numpy(float))
        expected.append(
            {"action": action, "plan": plan, "npv": mean, "ci_low": low, "ci_high": high}
        )
    means = npv.mean()
    chosen = str(means.idxmax())
    per_draw = npv.groupby(level="sample").mean()
    best_by_draw = per_draw.idxmax(axis=1)
    evpi = float(per_draw.max(axis=1).mean() - per_draw.mean().max())
    if len(npv) < RUNS_PER_TERM * (1 + len(TELEMETRY)):
        evsi = p_change = float("nan")
    else:
        evsi, p_change = _sample_information(npv, telemetry, list(plans).index(chosen))
    return DecisionValue(
        expected=pd.DataFrame(expected),
        chosen=chosen,
        p_best=float(np.mean(best_by_draw == chosen)),
        draws=len(per_draw),
        weeks=weeks,
        evsi=evsi,
        evpi=evpi,
        p_change=p_change,
    )


def _sample_information(
    npv: pd.DataFrame, telemetry: pd.DataFrame, chosen: int
) -> tuple[float, float]:
    """(EVSI, the share of runs after whose telemetry another action is best)."""
    joined = npv.join(telemetry.set_index(["sample", "replication"])[list(TELEMETRY)], how="inner")
    fitted = _fitted(joined[list(TELEMETRY)].to_numpy(float), joined[npv.columns].to_numpy(float))
    # the fitted means are the means (least squares with an intercept): the chosen
    # action's column is the best mean, and this is exactly 0 where it is best everywhere
    evsi = float(np.mean(fitted.max(axis=1) - fitted[:, chosen]))
    return evsi, float(np.mean(fitted.argmax(axis=1) != chosen))


def _fitted(summaries: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Least-squares fitted values of each column of `values` on the standardised
    summaries and, where there are RUNS_PER_TERM runs a term, their squares."""
    spread = summaries.std(axis=0)
    keep = spread > 0
    x = (summaries[:, keep] - summaries[:, keep].mean(axis=0)) / spread[keep]
    terms = [np.ones((len(x), 1)), x]
    if len(x) >= RUNS_PER_TERM * (1 + 2 * x.shape[1]):
        terms.append(x**2)
    design = np.hstack(terms)
    coefficients, *_ = np.linalg.lstsq(design, values, rcond=None)
    return design @ coefficients
