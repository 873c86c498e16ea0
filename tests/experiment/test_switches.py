"""`compare --switches`: the value in each plausible range at which the top two swap,
found by paired bisection within three comparisons' worth of runs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from adoption import SerialExecutor, compare, find_switches, load_scenario, simulate
from adoption.cli import common as cli_common
from adoption.errors import InputError
from adoption.experiment.assumption_ranges import (
    UNDECLARED,
    assumption_ranges,
    plausible_spans,
)
from adoption.experiment.switches import (
    BISECTION_STEPS,
    Budget,
    Probe,
    Switches,
    _condition,
    _Search,
    _Side,
)
from adoption.organisation import organisation_for
from tests.conftest import assert_clean_error

ACCURACY = "tool.production_accuracy"


def planted_world() -> dict:
    """The default organisation cut to 2,000 people, with production accuracy the only
    uncertainty, 0.62 to 0.90: the gated 10% pilot beats big-bang while the pilot's gate
    stops or fixes a poor tool, big-bang wins once the tool is good enough not to need it
    (on the probes' 4 seeds: pilot-10 +0.90 M at 0.62, big-bang +0.18 M at 0.90, the sign
    changing between 0.74 and 0.78). At 600 people, since the pipeline's build follows
    headcount, big-bang no longer pulls ahead at the top of the range (the 4 seeds'
    difference is within ±0.02 M from 0.82 to 0.90, changing sign twice), so the world
    had no single switch to plant."""
    raw = load_scenario(overrides={"organisation.employees": 2000}).model_dump(mode="json")
    raw["uncertainties"] = {ACCURACY: {"distribution": "uniform", "low": 0.62, "high": 0.90}}
    return raw


@pytest.mark.slow
def test_a_planted_switch_is_found_where_a_fine_grid_of_the_same_seeds_puts_it():
    """Paired bisection on the probes' 4 seeds against a brute-force grid (step 0.01) of
    the same seeds over the whole range: the switch lies within one grid step of the
    grid's sign change above the written 0.70, and the search stays within budget."""
    scenario = load_scenario(planted_world())
    comparison = compare(
        scenario, ["big-bang", "pilot-10"], replications=24, executor=SerialExecutor()
    )
    switches = find_switches(comparison, [ACCURACY], executor=SerialExecutor())
    assert switches.probe_replications == 4
    assert switches.runs <= switches.limit == 3 * 2 * 24
    row = switches.table.iloc[0]
    assert row["switch"] != "none" and row["bisected"]
    assert (row["winner_below"], row["winner_above"]) == ("pilot-10", "big-bang")
    # above the switch big-bang's lead is small (about 0.02 M against pilot-10's 0.4 M
    # below): the verdict calls the switch clear only if its paired interval excludes zero
    condition = f"{ACCURACY} > {row['switch']:g}"
    big_bang_clearly_ahead = row["difference_high_ci_high"] < 0
    assert row["clear"] == big_bang_clearly_ahead
    wording = f"pilot-10 wins unless {condition}" if row["clear"] else "not clear on 4 paired"
    assert wording in switches.verdict() and condition in switches.verdict()
    # the same seeds on a fine grid: where does the mean paired difference change sign?
    runs = comparison.runs
    seeds = runs[runs["plan"] == "pilot-10"].sort_values("replication")["seed"].tolist()[:4]
    organisation = organisation_for(scenario)
    # the grid: from the written 0.70 (the side bisected starts there) to 0.86
    grid = np.round(np.arange(0.70, 0.8601, 0.01), 2)
    means = []
    for value in grid:
        world = load_scenario(scenario, {ACCURACY: float(value)})
        pairs = [
            simulate(world, "pilot-10", seed=s, organisation=organisation).metrics["npv"]
            - simulate(world, "big-bang", seed=s, organisation=organisation).metrics["npv"]
            for s in seeds
        ]
        means.append(np.mean(pairs))
    # Bisection keeps a bracket whose ends' same-seed differences have opposite signs, so
    # the switch it reports lies at a sign change of the grid's means, within a grid step
    # and the last bracket's width. Near the switch the 4 seeds' mean wavers about zero
    # (at 2,000 people it changes sign several times between 0.70 and 0.80), so which
    # change bisection lands on depends on its midpoints: any one of them is right.
    signs = np.sign(means)
    changes = [
        (grid[i] + grid[i + 1]) / 2 for i in range(len(grid) - 1) if signs[i] != signs[i + 1]
    ]
    assert changes, means
    width = (0.90 - 0.70) / 2**BISECTION_STEPS  # the side bisected: written value to the end
    nearest = min(changes, key=lambda change: abs(change - row["switch"]))
    assert abs(row["switch"] - nearest) <= 0.005 + width, (row["switch"], changes, means)
    assert signs[0] > 0 > signs[-1], means  # pilot-10 ahead at the written value, not at 0.86


def test_the_budget_gives_each_probe_the_most_seeds_three_comparisons_allow():
    """5 plans × 30 replications, 13 fields: 2 ends each and 5 halvings of 2 sides = 36
    probes of 2 plans; 4 seeds each is the most that keeps the whole within 450 runs."""
    budget = Budget(plans=5, replications=30, fields=13)
    assert budget.probes == 2 * 13 + BISECTION_STEPS * 2
    assert budget.probe_replications == 4
    assert 5 * 30 + 2 * budget.probes * 4 <= budget.limit == 450
    assert 5 * 30 + 2 * budget.probes * 5 > budget.limit
    with pytest.raises(InputError, match="need at least 34 replications per plan"):
        Budget(plans=2, replications=24, fields=12).check()


def test_plausible_ranges_are_the_uncertainties_then_the_assumptions():
    """The declared uncertainties first; then every field whose declaration calls its
    default an assumption and gives a plausible range, the horizon, and the listed
    fields without a declared range (decision pace, pipeline build, licence rule)."""
    scenario = load_scenario()
    spans = {span.field: span for span in plausible_spans(scenario)}
    declared = list(scenario.uncertainties)
    assert list(spans)[: len(declared)] == declared
    assert set(spans) == set(declared) | set(assumption_ranges())
    assert set(UNDECLARED) | {"horizon_days", "change_management.training.trainers"} <= set(spans)
    # a declared uncertainty takes the place of an assumption of the same field
    assert spans["economics.cost_per_wrong_use"].origin == "uncertainty"
    assert (spans[ACCURACY].low, spans[ACCURACY].high, spans[ACCURACY].written) == (
        0.62,
        0.78,
        0.7,
    )
    # the declared range, in whole days
    horizon = spans["horizon_days"]
    assert horizon.integer and (horizon.low, horizon.high, horizon.at(547.6)) == (365, 1825, 548)
    trainers = spans["change_management.training.trainers"]  # sized: 0.6 per 1,000 people
    assert trainers.integer and (trainers.low, trainers.high, trainers.written) == (2, 6, 3)
    pace = spans["behaviour.try_per_year"]
    assert (pace.low, pace.high, pace.origin) == (3.0, 12.0, UNDECLARED[pace.field].source)
    licences = spans["economics.licences.assign"]
    assert not licences.numeric and licences.describe() == "first_use or access"


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({}, (180.0, 720.0, 360.0)),  # 72 engineer-days per 1,000 of 5,000 people
        ({"organisation.employees": 2000}, (72.0, 288.0, 144.0)),
        ({"tool.pipeline.build_engineer_days": 500}, (250.0, 1000.0, 500.0)),
        # ready at launch as written: what having to build it (sized) would change
        ({"tool.pipeline.build_engineer_days": 0}, (180.0, 720.0, 0.0)),
    ],
)
def test_a_team_sized_field_spans_half_to_twice_what_a_run_uses(overrides, expected):
    """The pipeline's build follows headcount (sized when unset): its range is half to
    twice the value at the scenario's size, not an absolute range for 5,000 people, and
    the value probed as written is the one a run uses, not None."""
    spans = plausible_spans(load_scenario(None, overrides), ["tool.pipeline.build_engineer_days"])
    build = spans[0]
    assert (build.low, build.high, build.written) == expected
    assert build.origin.startswith("assumption: half to twice")


def test_a_normal_uncertainty_spans_its_5th_to_95th_percentile():
    raw = load_scenario().model_dump(mode="json")
    raw["uncertainties"] = {ACCURACY: {"distribution": "normal", "mean": 0.7, "sd": 0.05}}
    (span,) = plausible_spans(load_scenario(raw), [ACCURACY])
    assert span.low == pytest.approx(0.7 - 1.6449 * 0.05, abs=1e-4)
    assert span.high == pytest.approx(0.7 + 1.6449 * 0.05, abs=1e-4)


def test_an_unknown_field_or_an_invalid_range_end_is_refused_by_name():
    scenario = load_scenario()
    with pytest.raises(InputError, match=r"tool\.nonsense is neither an uncertainty"):
        plausible_spans(scenario, ["tool.nonsense"])
    raw = scenario.model_dump(mode="json")
    raw["uncertainties"] = {ACCURACY: {"distribution": "uniform", "low": 0.5, "high": 1.5}}
    with pytest.raises(InputError, match=r"tool.production_accuracy = 1.5 \(an end"):
        plausible_spans(load_scenario(raw), [ACCURACY])


def verdict_of(rows: list[dict], tie: bool) -> str:
    """The verdict of a search whose table holds `rows` (A first, B second, NPV)."""
    base = {
        "origin": "uncertainty",
        "written": 0.7,
        "bracket_low": None,
        "bracket_high": None,
        "bisected": True,
        "metric": "npv: A minus B",
        "unit": "money",
        "pairs": 4,
    }
    table = pd.DataFrame([{**base, **row} for row in rows])
    lead = "A leads B by 1,000 NPV on the same seeds (95% CI ...): a tie on this evidence"
    return Switches("A", "B", "npv", lead, tie, 1000.0, table, 4, 10, 20, "A").verdict()


def test_a_tie_names_what_would_separate_the_two():
    """The top two's interval includes zero: the verdict says so and names the field end
    whose paired interval excludes zero."""
    row = {
        "field": ACCURACY,
        "range_low": 0.62,
        "range_high": 0.78,
        "switch": "none",
        "clear": False,
        "winner_below": "A",
        "winner_above": "A",
        "winner_written": "A",
        "condition": "no change in range",
        "difference_low": 5_000.0,
        "difference_low_ci_low": -1_000.0,
        "difference_low_ci_high": 11_000.0,
        "difference_high": 90_000.0,
        "difference_high_ci_low": 60_000.0,
        "difference_high_ci_high": 120_000.0,
    }
    verdict = verdict_of([row], tie=True)
    assert verdict.startswith("a tie on this evidence: A leads B by 1,000 NPV on the same")
    assert verdict.count("a tie on this evidence") == 1
    assert f"what would separate them: A leads by 90,000 at {ACCURACY} = 0.78" in verdict
    alone = verdict_of([{**row, "difference_high_ci_low": -5_000.0}], tie=True)
    assert "no field at the ends of its plausible range separates them" in alone


SWITCH = {
    "field": ACCURACY,
    "range_low": 0.62,
    "range_high": 0.78,
    "switch": 0.66,
    "clear": True,
    "winner_below": "B",
    "winner_above": "A",
    "winner_written": "A",
    "condition": f"{ACCURACY} < 0.66",
    "difference_low": -50_000.0,
    "difference_low_ci_low": -90_000.0,
    "difference_low_ci_high": -10_000.0,
    "difference_high": 90_000.0,
    "difference_high_ci_low": 60_000.0,
    "difference_high_ci_high": 120_000.0,
}


def test_a_clear_switch_in_range_reads_as_wins_unless():
    assert verdict_of([SWITCH], tie=False) == f"A wins unless {ACCURACY} < 0.66"


def test_a_switch_beyond_which_the_other_plan_is_not_clearly_ahead_is_called_unclear():
    row = {**SWITCH, "clear": False, "difference_low_ci_high": 20_000.0}
    verdict = verdict_of([row], tie=False)
    assert "A wins unless" not in verdict
    assert "not clear on 4 paired runs a probe" in verdict and f"{ACCURACY} < 0.66" in verdict
    assert verdict.endswith("A wins across every plausible range probed (no clear change in range)")


SMALL = ("--set", "organisation.employees=300", "--set", "horizon_days=120")


def test_compare_switches_writes_the_table_and_the_tornado(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(cli_common, "PoolExecutor", lambda workers=None: SerialExecutor())
    result = cli(
        "compare",
        *SMALL,
        "--plans",
        "big-bang,pilot-10",
        "--replications",
        12,
        "--switches",
        ACCURACY,
        "--out",
        tmp_path,
    )
    assert result.code == 0, result.err
    assert "what would change the answer (" in result.out
    assert "2 paired runs a probe" in result.out
    table = pd.read_csv(tmp_path / "switches.csv")
    assert table["field"].tolist() == [ACCURACY]
    for column in (
        "range_low",
        "range_high",
        "switch",
        "winner_below",
        "winner_above",
        "difference_low",
        "difference_low_ci_low",
        "difference_high_ci_high",
        "unit",
    ):
        assert column in table
    assert table["unit"].tolist() == ["money"]
    assert (tmp_path / "switches.png").stat().st_size > 0
    assert "switches.csv, switches.png" in result.out


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (("--switches", "tool.nonsense"), "tool.nonsense is neither an uncertainty"),
        (("--switches", "--samples", "3"), "use --samples 1"),
        (("--switches", "--replications", "5"), "need at least"),
        (("--switches", ACCURACY, "--plans", "big-bang"), "at least two plans"),
    ],
)
def test_compare_switches_refuses_what_it_cannot_do_before_running(cli, arguments, fragment):
    assert_clean_error(cli("compare", *SMALL, *arguments), fragment)


def test_compare_switches_is_not_for_a_posterior(cli, tmp_path):
    result = cli("compare", "--posterior", tmp_path, "--switches")
    assert_clean_error(result, "not with --posterior")


def test_a_switch_between_two_words_names_the_other_word():
    """The licence rule has no values between its two: where the top two swap between
    them, the switch is the other rule, without bisection."""
    runs = pd.DataFrame(
        [
            {"plan": plan, "replication": k, "seed": k, "npv": 0.0}
            for plan in ("A", "B")
            for k in range(2)
        ]
    )
    search = _Search(SimpleNamespace(runs=runs, rank_by="npv"), "A", "B", 2, None, None)
    (span,) = plausible_spans(load_scenario(), ["economics.licences.assign"])
    low, high = Probe("first_use", np.array([5.0, 7.0])), Probe("access", np.array([-5.0, -3.0]))
    (side,) = search.sides(span, low, high)
    assert not side.splittable
    row = search.row(span, low, high, side, [])
    assert (row["winner_below"], row["winner_above"], row["winner_written"]) == ("A", "B", "A")
    assert row["switch"] == "access"
    assert row["condition"] == "economics.licences.assign is access"


def test_a_side_left_unbisected_names_its_bracket_not_a_point():
    (span,) = plausible_spans(load_scenario(), ["horizon_days"])
    side = _Side(span, 730, 1825, "A", "B", 1.0, "lo")
    assert side.switch == 1278  # the bracket's middle, in whole days
    assert _condition(span, side, bisected=False) == (
        "horizon_days > a value between 730 and 1825 (not bisected: budget)"
    )
    narrowed = _Side(span, 1000, 1001, "A", "B", 1.0, "lo")
    assert narrowed.switch == 1001 and _condition(span, narrowed, True) == "horizon_days > 1001"
