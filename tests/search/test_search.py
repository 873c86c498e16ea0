"""The search on planted worlds (a stub evaluator whose best plan is known)."""

from __future__ import annotations

import numpy as np
import pytest

from adoption.api import search
from adoption.config import load_scenario
from adoption.errors import InputError
from adoption.experiment.design import RunSpec
from adoption.search.summary import GO_BELOW, STOP_ABOVE, gate_characteristics, pairing
from tests.search.stub import (
    StubExecutor,
    abandonment_falls_with_share,
    flat,
    gate_on_two_tools,
    risky_small_pilots,
    rollout_optimum,
    then_roll,
    two_worlds,
)

SHARE_ONLY = {
    "pilot_kinds": ["random"],
    "pilot_share_low": 0.01,
    "pilot_share_high": 0.30,
    "gate_day_low": 60,
    "gate_day_high": 60,
    "gate_rules": ["business_case"],
    "gate_confidence_low": 0.9,
    "gate_confidence_high": 0.9,
    "max_pauses_low": 0,
    "max_pauses_high": 0,
    "pause_days_low": 30,
    "pause_days_high": 30,
    "rest_waves_low": 1,
    "rest_waves_high": 1,
    "wave_gap_days_low": 14,
    "wave_gap_days_high": 14,
    "prepare_choices": [False],
    "tolerance_per_employee": 0.0,
}
"""A template whose only free choice is the random pilot's share."""


def planted(search_section: dict, plan_share: float = 0.25, **extra) -> dict:
    """A scenario whose one incumbent is a random pilot of `plan_share` then everyone."""
    return {
        "organisation": {"employees": 100},
        "plans": {
            "incumbent": {
                "waves": [
                    {"day": 0, "group": "random", "share": plan_share},
                    {"day": 61, "group": "rest"},
                ],
                "gates": [{"day": 60, "on_fail": "stop", "max_pauses": 0}],
            }
        },
        "search": search_section,
        **extra,
    }


def shares(result, plans) -> list[float]:
    return [float(result.plans[p].waves[0].share) for p in plans]


def test_test_then_roll_optimum_found_with_a_tenth_of_the_grids_runs():
    scenario = planted({**SHARE_ONLY, "finalists": 1, "search_share": 0.85})
    worlds, replications = 27, 1
    grid = np.round(np.arange(0.01, 0.30 + 1e-9, 0.01), 2)
    grid_runs = len(grid) * worlds * replications
    executor = StubExecutor(then_roll)
    result = search(
        scenario,
        budget=grid_runs // 10,
        worlds=worlds,
        replications=replications,
        executor=executor,
    )
    # brute force: every share of the grid on the same pairs
    pairs = [(sample, 0) for sample in range(worlds)]
    means = [
        np.mean(
            [
                then_roll({"waves": [{"share": share}]}, {}, RunSpec("g", s, r, 0, ()))
                for s, r in pairs
            ]
        )
        for share in grid
    ]
    optimum = rollout_optimum()
    assert abs(grid[int(np.argmax(means))] - optimum) <= 0.02
    found = shares(result, [result.best])[0]
    assert abs(found - optimum) <= 0.02, (found, optimum)
    assert executor.runs == result.runs_spent <= grid_runs // 10


def test_a_flat_world_has_a_positive_optimism_gap_and_no_clear_winner():
    gaps, clear = [], []
    for seed in range(6):
        result = search(
            planted(SHARE_ONLY),
            budget=400,
            worlds=8,
            replications=2,
            seed=seed,
            executor=StubExecutor(flat),
        )
        board = result.leaderboard()
        gaps += list(board.loc[board["origin"] == "candidate", "optimism_gap"])
        clear.append(result.finals.clear_winner)
    assert np.mean(gaps) > 0, gaps
    assert not any(clear)


def test_mean_and_minimax_regret_pick_different_plans_in_two_planted_worlds():
    scenario = planted(
        {**SHARE_ONLY, "pilot_share_low": 0.05, "pilot_share_high": 0.5},
        plan_share=0.5,
        uncertainties={
            "economics.value_per_successful_use": {"distribution": "choice", "values": [2.0, 4.0]}
        },
    )
    picks = {}
    for objective in ("mean", "regret"):
        result = search(
            scenario,
            budget=300,
            objective=objective,
            worlds=4,
            replications=1,
            executor=StubExecutor(two_worlds),
        )
        picks[objective] = shares(result, [result.best])[0]
    assert picks["mean"] <= 0.07, picks
    assert picks["regret"] >= 0.1, picks


def test_invalid_candidates_cost_no_runs():
    section = {**SHARE_ONLY, "gate_day_low": 30, "gate_day_high": 190}
    scenario = planted(section, horizon_days=150)
    executor = StubExecutor(then_roll)
    result = search(scenario, budget=200, worlds=4, replications=1, executor=executor)
    assert result.proposal.invalid, "the template should propose plans past the horizon"
    assert all("horizon" in reason for _, reason in result.proposal.invalid)
    ran = set(result.trials["plan"])
    assert ran <= set(result.candidates) | set(result.incumbents)
    assert executor.runs == result.runs_spent == len(result.trials)


def test_the_template_fields_take_effect():
    scenario = load_scenario(
        planted({**SHARE_ONLY, "pilot_share_low": 0.2, "pilot_share_high": 0.2})
    )
    result = search(scenario, budget=100, worlds=2, replications=1, executor=StubExecutor(flat))
    assert {c.pilot_share for c in result.candidates.values()} == {0.2}
    assert len(result.candidates) == 1  # one distinct plan: the rest would repeat it


def test_prepare_first_is_a_choice_of_the_template():
    scenario = load_scenario(planted({**SHARE_ONLY, "prepare_choices": [True]}))
    result = search(scenario, budget=100, worlds=2, replications=1, executor=StubExecutor(flat))
    for name, plan in result.plans.items():
        if name in result.candidates:
            assert [step.step for step in plan.prepare] == ["pipeline", "capacity", "champions"]
            assert plan.description.startswith("Prepare first")


def test_killed_search_resumes_exactly(tmp_path):
    scenario = planted(SHARE_ONLY)
    arguments = {"budget": 150, "worlds": 4, "replications": 2}
    whole = search(scenario, **arguments, executor=StubExecutor(then_roll), out=tmp_path / "a")
    with pytest.raises(KeyboardInterrupt):
        search(
            scenario,
            **arguments,
            executor=StubExecutor(then_roll, stop_after=40),
            out=tmp_path / "b",
        )
    resumed_executor = StubExecutor(then_roll)
    resumed = search(scenario, **arguments, executor=resumed_executor, out=tmp_path / "b")
    assert resumed.reused == 40 and resumed_executor.runs == whole.runs_spent - 40
    for path in sorted((tmp_path / "a").iterdir()):
        if path.is_file() and path.name != "manifest.json":
            assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"objective": "median"}, "--objective: 'median'"),
        ({"requirements": ["abandonment<=0.1"]}, "--require: unknown metric 'abandonment'"),
        ({"budget": 10}, "--budget: 10 runs leave 3 for the finalists"),
        ({"budget": 40, "worlds": 27}, "--budget: 28 search runs cannot race"),
        ({"budget": 10**9}, "--budget: 1,000,000,000 runs is more than"),
        ({"worlds": 10**6, "replications": 10}, "1,000,000 worlds"),
    ],
)
def test_bad_arguments_are_refused_before_any_run(arguments, message):
    executor = StubExecutor(flat)
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        search(planted(SHARE_ONLY), **{"budget": 200, **arguments}, executor=executor)
    assert executor.runs == 0


WIDE = {**SHARE_ONLY, "pilot_share_low": 0.05, "pilot_share_high": 0.5}
"""Pilot shares up to a half."""


def test_p10_and_satisfice_prefer_the_safe_plan_that_the_mean_passes_over():
    picks = {}
    for objective in ("mean", "p10", "satisfice"):
        result = search(
            planted(WIDE),
            budget=400,
            objective=objective,
            target="npv>=480",
            worlds=16,
            replications=2,
            executor=StubExecutor(risky_small_pilots),
        )
        picks[objective] = shares(result, [result.best])[0]
    assert picks["mean"] <= 0.2, picks  # seeds 0-4: 0.05 to 0.15
    assert picks["p10"] >= 0.45 and picks["satisfice"] >= 0.45, picks


def test_a_requirement_rules_out_plans_that_break_it_on_fresh_runs():
    def run(requirements):
        executor = StubExecutor(then_roll, metrics=abandonment_falls_with_share)
        return search(
            planted(WIDE),
            budget=200,
            requirements=requirements,
            worlds=4,
            replications=2,
            executor=executor,
        )

    free, capped = run([]), run(["abandonment_rate<=0.2"])
    assert shares(free, [free.best])[0] < 0.3
    assert shares(capped, [capped.best])[0] >= 0.3
    board = capped.leaderboard().set_index("plan")
    assert board.loc[capped.best, "meets_requirements"]
    assert board.loc[capped.best, "abandonment_rate"] <= 0.2


def test_the_winning_gates_operating_characteristics():
    executor = StubExecutor(then_roll, metrics=gate_on_two_tools)
    result = search(planted(SHARE_ONLY), budget=150, worlds=4, replications=2, executor=executor)
    table = gate_characteristics(result).set_index("quantity")
    # the default business minimum is about 60%: 50% is below it, 90% above
    assert table.loc[GO_BELOW, "value"] == 1.0
    assert table.loc[STOP_ABOVE, "value"] == 0.0
    assert table.loc[GO_BELOW, "runs"] + table.loc[STOP_ABOVE, "runs"] == len(
        result.finals.runs.query("plan == @result.best")
    )


def test_the_pairing_saving_is_reported():
    """In the flat world a shock every plan shares is half of each run's variance."""
    result = search(
        planted(SHARE_ONLY), budget=300, worlds=8, replications=2, executor=StubExecutor(flat)
    )
    saved = pairing(result)
    assert 0.3 < saved["mean_correlation"] < 0.7, saved
    assert 0.3 < saved["variance_saved"] < 0.7, saved


def test_a_changed_template_is_another_search_but_the_same_scenario_for_compare(tmp_path):
    from adoption.experiment.design import scenario_hash

    scenario = load_scenario(planted(SHARE_ONLY))
    narrower = load_scenario(
        planted({**SHARE_ONLY, "pilot_share_low": 0.1, "pilot_share_high": 0.2})
    )
    assert scenario_hash(scenario) == scenario_hash(narrower)  # no run reads the template
    search(
        scenario, budget=100, worlds=2, replications=1, executor=StubExecutor(flat), out=tmp_path
    )
    with pytest.raises(InputError, match="holds results of another"):
        search(
            narrower,
            budget=100,
            worlds=2,
            replications=1,
            executor=StubExecutor(flat),
            out=tmp_path,
        )


@pytest.mark.parametrize(
    ("fields", "parameter", "value"),
    [
        ({"pilot_kinds": ["stratified"]}, "pilot_kind", "stratified"),
        ({"gate_day_low": 45, "gate_day_high": 45}, "gate_day", 45),
        ({"gate_rules": ["observed_accuracy"]}, "gate_rule", "observed_accuracy"),
        (
            {
                "gate_rules": ["business_case"],
                "gate_confidence_low": 0.85,
                "gate_confidence_high": 0.85,
            },
            "gate_confidence",
            0.85,
        ),
        (
            {
                "gate_rules": ["observed_accuracy"],
                "accuracy_threshold_low": 0.7,
                "accuracy_threshold_high": 0.7,
            },
            "accuracy_threshold",
            0.7,
        ),
        ({"max_pauses_low": 2, "max_pauses_high": 2}, "max_pauses", 2),
        ({"max_pauses_low": 1, "pause_days_low": 20, "pause_days_high": 20}, "pause_days", 20),
        ({"rest_waves_low": 3, "rest_waves_high": 3}, "rest_waves", 3),
        (
            {"rest_waves_low": 2, "rest_waves_high": 2, "wave_gap_days_low": 40},
            "wave_gap_days",
            40,
        ),
    ],
)
def test_each_template_range_takes_effect(fields, parameter, value):
    """Fixing one choice of a wide template fixes it in every candidate."""
    wide = {
        key: item
        for key, item in SHARE_ONLY.items()
        if key not in ("gate_rules", "pilot_kinds") and not key.startswith("gate_confidence")
    }
    wide.update({"max_pauses_high": 3, "rest_waves_high": 4, "wave_gap_days_high": 40})
    section = {**wide, **fields}
    if "pilot_kinds" not in section:
        section["pilot_kinds"] = ["random"]
    result = search(
        planted(section), budget=100, worlds=2, replications=1, executor=StubExecutor(flat)
    )
    assert result.candidates
    assert {getattr(c, parameter) for c in result.candidates.values()} == {value}


def test_the_halving_rate_sets_the_rungs():
    def rungs(rate: int) -> tuple[int, ...]:
        section = {**SHARE_ONLY, "halving_rate": rate}
        result = search(
            planted(section), budget=300, worlds=9, replications=3, executor=StubExecutor(flat)
        )
        return result.schedule.pairs

    assert rungs(3) == (1, 3, 9, 27)
    assert rungs(9) == (3, 27)
