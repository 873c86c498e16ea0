"""Reproduce the figures of docs/validation.md on people: who tries, why they leave.

    python experiments/people.py

prints, on the bundled default scenario (big-bang, paired seeds on one organisation):
who tries within a year and when (by team resistance, manager's stance and Rogers
category; regular use by the manager's stance at the year, cross-sectional, and by the
stance the manager held before the rollout, causal); abandonment per person who tried
by cause against the drop when each cause is removed; and how far each organisational
and technical lever moves adoption at two years. About four minutes on two cores at the
defaults; `--people 300 --seeds 1` for a quick look.
"""

from __future__ import annotations

import argparse

import numpy as np

from adoption import build_organisation, load_scenario, simulate
from adoption.engine.model import AdoptionModel
from adoption.engine.states import ACTIVE, CAUSES

REMOVALS = {
    "expectations": {"change_management.communications.manage_expectations": True},
    "fit": {"organisation.workflow_fit_mean": 1.0},
    "effort": {"behaviour.effort_per_year": 0.0, "behaviour.support_wait_per_year": 0.0},
    "effort (training for all)": {
        "change_management.training.trainers": 20,
        "change_management.training.seats_per_session": 40,
        "change_management.training.uptake": 1.0,
    },
    "infrastructure": {"tool.infrastructure.capacity_requests_per_second": 100.0},
    "accuracy (a perfect tool)": {
        "tool.production_accuracy": 1.0,
        "tool.achievable_accuracy": 1.0,
        "tool.department_accuracy_spread": 0.0,
        "tool.region_accuracy_offset": {},
        "tool.drift_per_year": 0.0,
    },
}
LEVERS = {
    "40% resistant teams": {"organisation.resistant_team_share": 0.4},
    "half the managers opposed": {
        "organisation.manager_stance": {"sponsor": 0.1, "neutral": 0.4, "opposed": 0.5}
    },
    "every manager a sponsor": {
        "organisation.manager_stance": {"sponsor": 1.0, "neutral": 0.0, "opposed": 0.0}
    },
    "incentives -0.5": {"change_management.incentives.alignment": -0.5},
    "incentives +0.5": {"change_management.incentives.alignment": 0.5},
    "workflow fit 0.5": {"organisation.workflow_fit_mean": 0.5},
    "expectations managed": {"change_management.communications.manage_expectations": True},
    "production accuracy 0.62": {"tool.production_accuracy": 0.62},
    "capacity right-sized": {"tool.infrastructure.capacity_requests_per_second": 100.0},
}
CATEGORIES = ("innovators", "early adopters", "early majority", "late majority", "laggards")


def who_tries(people: int, seeds: range) -> None:
    """Reach and use after a year by team resistance, manager's stance and category.

    Use by the manager's stance at the year is cross-sectional: a team that uses the
    tool also moves its manager's stance (reverse causation, as in Gallup's survey). Use
    by the stance the manager held before the rollout is the manager's effect alone.
    """
    rows = []
    for seed in seeds:
        model = AdoptionModel(None, "big-bang", seed, 365, {"organisation.employees": people})
        state, org = model.people, model.organisation
        first = np.full(org.size, np.nan)
        managed = org.manager >= 0
        before = np.where(managed, state.stance[np.maximum(org.manager, 0)], 0.0)

        def note(step, state=state, first=first, model=model):
            new = state.ever_tried & np.isnan(first)
            first[new] = model.recorder.columns["day"][step]

        model.run(note)
        tried, active = state.ever_tried, state.state == ACTIVE
        resistant = org.team_resistant[org.team]
        stance = np.where(managed, state.stance[np.maximum(org.manager, 0)], 0.0)
        sponsored, opposed = stance > 0.2, stance < -0.2
        rows.append(
            [
                tried.mean(),
                active.mean(),
                tried[resistant].mean(),
                tried[~resistant].mean(),
                tried[opposed].mean(),
                tried[sponsored].mean(),
                active[sponsored].mean(),
                active[~sponsored].mean(),
                active[before > 0.2].mean(),
                active[before <= 0.2].mean(),
                *(np.nanmedian(first[org.adopter_category == c]) for c in range(5)),
            ]
        )
    m = np.nanmean(rows, axis=0)
    print(f"== who tries within a year ({people} people, {len(seeds)} seeds, big-bang)")
    print(f"reach {m[0]:.1%}, active {m[1]:.1%}")
    print(f"tried: resistant teams {m[2]:.1%}, other teams {m[3]:.1%}")
    print(f"tried: under opposed managers {m[4]:.1%}, under sponsors {m[5]:.1%}")
    print(
        f"active, by the manager's stance at the year (cross-sectional): under sponsors "
        f"{m[6]:.1%}, under the rest {m[7]:.1%} ({m[6] / m[7]:.2f}x)"
    )
    print(
        f"active, by the manager's stance before the rollout (causal): under sponsors "
        f"{m[8]:.1%}, under the rest {m[9]:.1%} ({m[8] / m[9]:.2f}x)"
    )
    days = ", ".join(f"{name} {day:.0f}" for name, day in zip(CATEGORIES, m[10:], strict=True))
    print(f"median first trial (day): {days}")


def abandonments(people: int, seeds: range, extra: dict, org) -> np.ndarray:
    """Per seed and cause: abandonment events per person who tried."""
    scenario = load_scenario(overrides={"organisation.employees": people, **extra})
    drawn = any(key.startswith("organisation.") for key in extra)
    where = build_organisation(scenario.organisation) if drawn else org
    runs = [simulate(scenario, "big-bang", seed=s, organisation=where) for s in seeds]
    return np.array(
        [
            [run.timeseries[f"abandoned_{c}"].sum() for c in CAUSES]
            / max(run.timeseries["ever_tried"].iloc[-1], 1)
            for run in runs
        ]
    )


def why_people_left(people: int, seeds: range) -> None:
    """Attributed abandonment per trier by cause, against each removal's drop."""
    org = build_organisation(
        load_scenario(overrides={"organisation.employees": people}).organisation
    )
    baseline = abandonments(people, seeds, {}, org)
    print(f"== why people left ({people} people, {len(seeds)} seeds, big-bang, two years)")
    print(f"abandonment events per person who tried: {baseline.sum(axis=1).mean():.3f}")
    for cause, value in zip(CAUSES, baseline.mean(axis=0), strict=True):
        print(f"attributed to {cause}: {value:.3f}")
    for removal, extra in REMOVALS.items():
        drop = baseline.sum(axis=1) - abandonments(people, seeds, extra, org).sum(axis=1)
        error = drop.std(ddof=1) / np.sqrt(drop.size) if drop.size > 1 else float("nan")
        print(f"removing {removal}: drop {drop.mean():+.3f} (paired se {error:.3f})")


def levers(people: int, seeds: range) -> None:
    """Change of big-bang adoption at two years per lever, against the default."""

    def adoption(extra: dict) -> np.ndarray:
        scenario = load_scenario(overrides={"organisation.employees": people, **extra})
        org = build_organisation(scenario.organisation)
        return np.array(
            [
                simulate(scenario, "big-bang", seed=s, organisation=org).metrics["adoption_rate"]
                for s in seeds
            ]
        )

    baseline = adoption({})
    print(
        f"== levers ({people} people, {len(seeds)} seeds): default adoption {baseline.mean():.1%}"
    )
    for name, extra in LEVERS.items():
        change = adoption(extra) - baseline
        print(f"{name}: {100 * change.mean():+.1f} points")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000, help="employees (default 2000)")
    parser.add_argument("--seeds", type=int, default=4, help="paired seeds (default 4)")
    args = parser.parse_args()
    seeds = range(args.seeds)
    who_tries(args.people, seeds)
    why_people_left(args.people, seeds)
    levers(args.people, seeds)


if __name__ == "__main__":
    main()
