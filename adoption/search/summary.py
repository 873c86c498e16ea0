"""What a search's evidence says: the leaderboard on fresh runs, the winning gate's
operating characteristics, how much the pairing saved, and the winner as YAML."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import yaml

from adoption.experiment.statistics import t_interval
from adoption.search.objectives import max_regret
from adoption.wording import money

if TYPE_CHECKING:
    from adoption.search.searching import Search

GO_BELOW = "P(go | tool below the business minimum)"
STOP_ABOVE = "P(stop | tool above the business minimum)"
MIN_PAIRS = 3
"""Fewest pairs a correlation is measured on."""
BEST_PLAN_NAME = "searched-best"
"""The winner's name in best-plan.yaml."""


def leaderboard(search: Search) -> pd.DataFrame:
    """One row per finalist, best first: fresh-run NPV with its 95% interval, p10, share
    meeting the target and requirements, maximum regret among the finalists, adoption,
    abandonment, the search's estimate, the optimism gap and the runs spent."""
    finals = search.finals
    fresh = finals.runs
    goal = search.goal
    met = goal.met(fresh)
    common = _common_pairs(fresh, finals.finalists)
    regret = max_regret(common) if not common.empty else pd.Series(dtype=float)
    feasible = goal.feasible(fresh)
    spent = search.trials.groupby("plan").size()
    rows = []
    for plan in finals.differences.index:
        mine = fresh[fresh["plan"] == plan]
        mean, _, low, high, n = t_interval(mine["npv"].to_numpy(float))
        searched = search.race.runs
        searched = searched[(searched["plan"] == plan) & (searched["rung"] == _last(search, plan))]
        search_npv = float(searched["npv"].mean())
        rows.append(
            {
                "plan": plan,
                "origin": "incumbent" if plan in search.incumbents else "candidate",
                "npv": mean,
                "npv_ci_low": low,
                "npv_ci_high": high,
                "npv_p10": float(np.quantile(mine["npv"], 0.1)),
                "share_meeting": float(met[mine.index].mean()),
                "max_regret": float(regret.get(plan, np.nan)),
                "adoption_rate": float(mine["adoption_rate"].mean()),
                "abandonment_rate": float(mine["abandonment_rate"].mean()),
                "search_estimate": goal.value(search.race.estimate(plan)),
                "search_npv": search_npv,
                "optimism_gap": search_npv - mean,
                "difference_to_best": float(finals.differences.loc[plan, "difference"]),
                "difference_ci_low": float(finals.differences.loc[plan, "ci_low"]),
                "difference_ci_high": float(finals.differences.loc[plan, "ci_high"]),
                "indistinguishable_from_best": plan in finals.indistinguishable,
                "ruled_out_after_pairs": finals.eliminated.get(plan),
                "meets_requirements": bool(feasible.get(plan, True)),
                "fresh_runs": n,
                "runs_spent": int(spent.get(plan, 0)),
                "description": search.plans[plan].description,
            }
        )
    return pd.DataFrame(rows)


def _last(search: Search, plan: str) -> int:
    return search.race.last_rung(plan).index


def _common_pairs(runs: pd.DataFrame, plans: list[str]) -> pd.DataFrame:
    """The runs on the pairs every plan in `plans` ran."""
    keys = runs.groupby(["sample", "replication"])["plan"].nunique()
    shared = keys[keys == len(plans)].index
    indexed = runs.set_index(["sample", "replication"])
    return indexed[indexed.index.isin(shared)].reset_index()


def gate_characteristics(search: Search) -> pd.DataFrame:
    """The recommended plan's gate over the fresh worlds: P(go | the tool below the world's
    business minimum when the gate decided), P(stop | above it), and days to decision.
    Empty for a plan without gates."""
    plan = search.best
    if not search.plans[plan].gates:
        return pd.DataFrame(columns=["quantity", "value", "runs"])
    runs = search.finals.runs
    runs = runs[runs["plan"] == plan]
    minimum = runs["sample"].map(search.minimums)
    accuracy = runs["gate_true_accuracy"].astype(float)
    decision = runs["decision"]
    below, above = accuracy < minimum, accuracy >= minimum
    rows = [
        (
            "P(go | tool below the business minimum)",
            _share(decision[below] == "proceed"),
            below.sum(),
        ),
        (
            "P(stop | tool above the business minimum)",
            _share(decision[above] == "stop"),
            above.sum(),
        ),
        ("P(stop)", _share(decision == "stop"), len(runs)),
        ("days to decision (mean)", float(runs["decision_day"].astype(float).mean()), len(runs)),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value", "runs"]).astype({"runs": int})


def _share(flags: pd.Series) -> float:
    return float(flags.mean()) if len(flags) else float("nan")


def pairing(search: Search) -> dict[str, float]:
    """How much common random numbers saved, on the rung with the most pairs that raced
    two or more plans (every entry there on the same pairs), or on the finalists' fresh
    runs if they ran on more: the mean correlation of two plans' NPVs across pairs, and
    the share of the variance of a difference that pairing removed (1 − paired /
    unpaired variance)."""
    runs = search.race.runs
    raced = [rung for rung in search.race.rungs if len(rung.order) >= 2]
    widest = max(raced, key=lambda rung: rung.pairs, default=None)
    if widest is not None and widest.pairs >= search.finals.pairs_used:
        chosen = runs[runs["rung"] == widest.index]
    else:
        chosen = _common_pairs(search.finals.runs, search.finals.finalists)
    table = chosen.pivot_table(index=["sample", "replication"], columns="plan", values="npv")
    values = table.dropna().to_numpy(float)
    if values.shape[0] < MIN_PAIRS or values.shape[1] < 2:
        return {"mean_correlation": float("nan"), "variance_saved": float("nan")}
    variances = values.var(axis=0, ddof=1)
    correlations, saved = [], []
    for i in range(values.shape[1]):
        for j in range(i + 1, values.shape[1]):
            unpaired = variances[i] + variances[j]
            if unpaired == 0:
                continue
            paired = np.var(values[:, i] - values[:, j], ddof=1)
            saved.append(1.0 - paired / unpaired)
            if variances[i] > 0 and variances[j] > 0:
                correlations.append(np.corrcoef(values[:, i], values[:, j])[0, 1])
    return {
        "mean_correlation": float(np.mean(correlations)) if correlations else float("nan"),
        "variance_saved": float(np.mean(saved)) if saved else float("nan"),
    }


def best_plan_yaml(search: Search) -> str:
    """The recommended plan as a `plans:` entry ready to paste into a scenario."""
    plan = search.best_plan().model_dump(mode="json", exclude_none=True)
    plan["description"] = search.best_plan().description
    header = (
        f"# adoption search: the best of {len(search.finals.finalists)} finalists on fresh "
        f"runs ({search.goal.objective}); paste under a scenario's plans\n"
    )
    body = yaml.safe_dump({"plans": {BEST_PLAN_NAME: plan}}, sort_keys=False, allow_unicode=True)
    return header + body


def convergence(search: Search) -> pd.DataFrame:
    """Per rung: runs spent by its end, pairs, entries, and the best candidate's and best
    incumbent's scores there (as the user reads them)."""
    rows = []
    for rung in search.race.rungs:
        candidates = [p for p in rung.order if p not in search.incumbents]
        incumbents = [p for p in rung.order if p in search.incumbents]
        rows.append(
            {
                "rung": rung.index,
                "pairs": rung.pairs,
                "entries": len(rung.order),
                "runs_spent": rung.runs_spent,
                "best_candidate": candidates[0] if candidates else "",
                "best_candidate_score": search.goal.value(rung.scores[candidates[0]])
                if candidates
                else np.nan,
                "best_incumbent_score": search.goal.value(rung.scores[incumbents[0]])
                if incumbents
                else np.nan,
            }
        )
    return pd.DataFrame(rows)


def slices(search: Search) -> pd.DataFrame:
    """Every candidate's first-rung score (all on the same pairs) with its parameters:
    the one-factor slices' points."""
    first = search.race.rungs[0]
    rows = [
        {"plan": plan, "score": search.goal.value(first.scores[plan]), **candidate.parameters()}
        for plan, candidate in search.candidates.items()
        if plan in first.scores
    ]
    return pd.DataFrame(rows)


def verdict(search: Search, currency: str | None = None) -> str:
    """In plain words: the recommendation, how sure it is, and the winner's curse, with
    amounts in `currency` (the scenario's unless given)."""
    currency = currency or search.scenario.economics.currency
    finals = search.finals
    board = leaderboard(search).set_index("plan")
    gap = board.loc[search.best, "optimism_gap"]
    if finals.clear_winner:
        sure = f"{search.best} is the clear winner on fresh runs"
    else:
        sure = (
            "no clear winner on fresh runs: "
            f"{', '.join(finals.indistinguishable)} are indistinguishable"
            f" (tolerance {money(finals.tolerance, currency)} of NPV)"
        )
    saved = pairing(search)
    paired = (
        f" Pairing: two plans' NPVs on a pair correlate {saved['mean_correlation']:.2f}, "
        f"removing {saved['variance_saved']:.0%} of a difference's variance."
        if np.isfinite(saved["mean_correlation"])
        else " Pairing: the plans' NPVs do not vary across pairs, so no correlation is measured."
    )
    return (
        f"{sure}; recommended: {search.best} ({search.plans[search.best].description}) "
        f"The search's mean NPV for it was {money(abs(gap), currency)} "
        f"{'above' if gap >= 0 else 'below'} "
        "its fresh mean (the optimism gap)." + paired
    )
