"""Statistics across runs: intervals, paired differences, risk of missing a target."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from adoption.errors import InputError
from adoption.outcomes import HEADLINE, NUMERIC, OUTCOMES
from adoption.proportions import wilson_interval

DEFAULT_TARGET = "adoption_rate>=0.5"
OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


@dataclass(frozen=True)
class Target:
    """A success criterion such as ``adoption_rate>=0.5``; missing it is the risk.

    The metric must be a numeric outcome declared in `adoption.outcomes`.
    """

    metric: str
    comparison: str
    value: float

    def __post_init__(self) -> None:
        if self.metric not in OUTCOMES:
            others = [n for n in NUMERIC if n not in HEADLINE and "_because_" not in n]
            raise InputError(
                f"--target: unknown metric '{self.metric}' (try one of {', '.join(HEADLINE)}; "
                f"or {', '.join(others)}, abandoned_because_CAUSE, lapsed_because_CAUSE)"
            )
        if self.metric not in NUMERIC:
            raise InputError(f"--target: '{self.metric}' is not a number")
        if self.comparison not in OPERATORS:
            raise InputError(f"--target: comparison {self.comparison!r} is not one of >=, <=, >, <")

    @classmethod
    def parse(cls, text: str) -> Target:
        match = re.fullmatch(r"\s*([a-z0-9_]+)\s*(>=|<=|>|<)\s*(-?[0-9.eE+-]+)\s*", text)
        if not match:
            raise InputError(f"--target {text!r}: expected METRIC>=VALUE (or <=, >, <)")
        try:
            value = float(match.group(3))
        except ValueError:
            raise InputError(f"--target {text!r}: {match.group(3)!r} is not a number") from None
        return cls(match.group(1), match.group(2), value)

    @property
    def higher_is_better(self) -> bool:
        """Whether plans rank by a higher value: the outcome's direction, or, for an
        outcome that has none, the target's (``>=``, ``>``: higher)."""
        direction = OUTCOMES[self.metric].higher_is_better
        return self.comparison in (">=", ">") if direction is None else direction

    def met(self, values: pd.Series) -> pd.Series:
        return OPERATORS[self.comparison](values, self.value)

    def __str__(self) -> str:
        return f"{self.metric}{self.comparison}{self.value:g}"


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float, int]:
    """(mean, sd, low, high, n) of the mean of `values`, Student t, NaNs dropped."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = values.size
    if n == 0:
        return (np.nan, np.nan, np.nan, np.nan, 0)
    mean = float(values.mean())
    if n == 1:
        return (mean, np.nan, np.nan, np.nan, 1)
    sd = float(values.std(ddof=1))
    from scipy import stats  # here, not at the top: test_imports.py

    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    return (mean, sd, mean - half, mean + half, n)


def share_interval(
    values: np.ndarray, level: float = 0.95
) -> tuple[float, float, float, float, int]:
    """(mean, sd, low, high, n) of the mean of shares (values in [0, 1]), NaNs dropped.

    The t interval's half-width is taken on the logit scale (the delta method: the
    standard error divided by mean × (1 − mean)) and mapped back, so the interval stays
    inside [0, 1] however few the runs, and tends to the t interval as they grow. A
    mean of exactly 0 or 1 (every run the same extreme) has no spread to show.
    """
    mean, sd, low, high, n = t_interval(values, level)
    if n < 2 or not 0.0 < mean < 1.0 or sd == 0.0:
        return (mean, sd, *((low, high) if n < 2 else (mean, mean)), n)
    centre = np.log(mean / (1.0 - mean))
    half = (mean - low) / (mean * (1.0 - mean))
    return (mean, sd, float(_expit(centre - half)), float(_expit(centre + half)), n)


def _expit(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


MIN_REPLICATIONS = 5
"""Fewer runs per plan than this cannot separate plans unless they differ hugely: the
95% t interval then has at most 3 degrees of freedom (its quantile 3.18 or more, against
1.96 with many runs)."""


def few_runs_warning(runs_per_plan: int) -> str | None:
    """A plain warning when each plan has too few runs to say anything, else None."""
    if runs_per_plan >= MIN_REPLICATIONS:
        return None
    return (
        f"warning: {runs_per_plan} run(s) per plan are too few to tell plans apart: the 95% "
        f"intervals are very wide; use at least {MIN_REPLICATIONS} (30 for a decision)"
    )


def numeric_metrics(runs: pd.DataFrame, metrics: list[str]) -> list[str]:
    return [m for m in metrics if m in runs and pd.api.types.is_numeric_dtype(runs[m])]


def summarise(runs: pd.DataFrame, metrics: list[str], level: float = 0.95) -> pd.DataFrame:
    """Per plan and metric: mean, sd, ci_low, ci_high, n (shares' intervals inside
    [0, 1], see `share_interval`)."""
    rows = []
    for plan, group in runs.groupby("plan", sort=False):
        for metric in numeric_metrics(runs, metrics):
            interval = share_interval if _is_share(metric) else t_interval
            mean, sd, low, high, n = interval(group[metric].to_numpy(float), level)
            rows.append((plan, metric, mean, sd, low, high, n))
    return pd.DataFrame(rows, columns=["plan", "metric", "mean", "sd", "ci_low", "ci_high", "n"])


def _is_share(metric: str) -> bool:
    return metric in OUTCOMES and OUTCOMES[metric].unit == "share"


def paired_differences(
    runs: pd.DataFrame, metrics: list[str], baseline: str, level: float = 0.95
) -> pd.DataFrame:
    """Per plan and metric: plan minus baseline, matched on sample and replication."""
    base = runs[runs["plan"] == baseline]
    rows = []
    for plan, group in runs.groupby("plan", sort=False):
        if plan == baseline:
            continue
        matched = group.merge(base, on=["sample", "replication"], suffixes=("", "_base"))
        for metric in numeric_metrics(runs, metrics):
            difference = matched[metric].to_numpy(float) - matched[f"{metric}_base"].to_numpy(float)
            mean, sd, low, high, n = t_interval(difference, level)
            rows.append((plan, baseline, metric, mean, sd, low, high, n))
    return pd.DataFrame(
        rows,
        columns=["plan", "baseline", "metric", "difference", "sd", "ci_low", "ci_high", "n"],
    )


def risk(runs: pd.DataFrame, target: Target, level: float = 0.95) -> pd.DataFrame:
    """Per plan: the probability of missing the target, with a Wilson interval."""
    if target.metric not in runs:
        raise InputError(f"--target: unknown metric '{target.metric}'")
    rows = []
    for plan, group in runs.groupby("plan", sort=False):
        values = group[target.metric].astype(float)
        missed = int((~target.met(values) | values.isna()).sum())
        low, high = wilson_interval(missed, len(group), level)
        rows.append((plan, str(target), missed / len(group), low, high, len(group)))
    return pd.DataFrame(rows, columns=["plan", "target", "p_miss", "ci_low", "ci_high", "n"])


def bands(series: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per plan and day: mean and 10th/50th/90th percentiles of each column."""
    grouped = series.groupby(["plan", "day"], sort=False)[columns]
    parts = {
        "mean": grouped.mean(),
        "p10": grouped.quantile(0.1),
        "p50": grouped.quantile(0.5),
        "p90": grouped.quantile(0.9),
    }
    frame = pd.concat(parts, axis=1)
    frame.columns = [f"{column}_{stat}" for stat, column in frame.columns]
    return frame.reset_index()
