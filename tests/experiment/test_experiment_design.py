"""`Design`, one value for what an experiment is: each bad field named once, and a design
runs the same worlds and seeds as the keyword arguments it replaces."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

import adoption
from adoption import Design, InputError, SerialExecutor
from adoption.experiment.statistics import Target
from tests.conftest import assert_clean_error
from tests.search.stub import StubExecutor, flat
from tests.search.test_search import SHARE_ONLY, planted

TINY = {"organisation.employees": 120, "horizon_days": 30}
ONE_UNCERTAINTY = {
    **TINY,
    "uncertainties": {
        "tool.production_accuracy": {"distribution": "uniform", "low": 0.62, "high": 0.78}
    },
}
ACCURACY = "tool.production_accuracy"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"plans": []}, "no plans to compare: name at least one"),
        ({"plans": ["big-bang", "big-bang"]}, "plans repeat: big-bang, big-bang"),
        ({"plans": 5}, "plans: expected a list of names, got 5"),
        ({"replications": 0}, "replications: expected a number >= 1, got 0"),
        ({"replications": "3"}, "replications: expected a whole number, got '3'"),
        ({"samples": 2.5}, "samples: expected a whole number, got 2.5"),
        ({"seed": -1}, "seed: expected a number >= 0, got -1"),
        ({"target": 5}, "target: expected a text such as 'adoption_rate>=0.5', got 5"),
        ({"target": "adoption"}, "--target 'adoption': expected METRIC>=VALUE"),
        ({"target": "colour>=1"}, "--target: unknown metric 'colour'"),
        ({"rank_by": "plan"}, "--rank-by: 'plan' is not a numeric outcome"),
        ({"worlds": [[0.7]]}, "worlds: expected a table (one row a world), got list"),
        ({"worlds": pd.DataFrame({ACCURACY: []})}, "no worlds given: at least one row"),
    ],
)
def test_each_bad_field_is_named(fields, message):
    with pytest.raises(InputError, match=re.escape(message)):
        Design(**fields)


def test_a_design_is_frozen_normalised_and_compared_by_value():
    worlds = pd.DataFrame({ACCURACY: [0.65, 0.75]})
    design = Design(plans="big-bang, pilot-10", target="npv>=0", worlds=worlds)
    assert design.plans == ("big-bang", "pilot-10")
    assert design.target == Target("npv", ">=", 0.0)
    assert design.samples == 2  # the given worlds' number
    assert design == Design(plans=["big-bang", "pilot-10"], target="npv>=0", worlds=worlds.copy())
    assert design != Design(plans=["big-bang", "pilot-10"], target="npv>=0")
    with pytest.raises(dataclasses.FrozenInstanceError):
        design.seed = 1  # type: ignore[misc]


def test_a_design_and_the_keywords_it_holds_are_not_both_taken():
    with pytest.raises(InputError, match=re.escape("design: give replications, seed in the")):
        adoption.compare(None, replications=3, seed=1, design=Design())
    with pytest.raises(InputError, match="design: expected a Design, got dict"):
        adoption.explore(None, design={"samples": 2})
    # search calls the Design's samples worlds: the refusal names what the caller typed
    with pytest.raises(InputError, match=re.escape("give worlds (the Design's samples) in")):
        adoption.search(None, worlds=4, design=Design())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"plans": ["incumbent"]}, "design.plans: a search proposes its own plans"),
        ({"worlds": pd.DataFrame({"x": [1.0]})}, "design.worlds: a search samples its worlds"),
        ({"rank_by": "adoption_rate"}, "design.rank_by: a search ranks by its objective"),
    ],
)
def test_a_search_refuses_a_design_that_names_what_it_chooses(fields, message):
    with pytest.raises(InputError, match=re.escape(message)):
        adoption.search(planted(SHARE_ONLY), design=Design(**fields))


def test_a_design_passed_to_compare_runs_the_keyword_calls_worlds_and_seeds():
    keywords = {"plans": ["big-bang", "pilot-10"], "replications": 2, "samples": 3, "seed": 7}
    by_keywords = adoption.compare(
        None, **keywords, executor=SerialExecutor(), overrides=ONE_UNCERTAINTY
    )
    by_design = adoption.compare(
        None, design=Design(**keywords), executor=SerialExecutor(), overrides=ONE_UNCERTAINTY
    )
    pd.testing.assert_frame_equal(by_design.runs, by_keywords.runs)
    assert by_design.runs.groupby("sample")[ACCURACY].first().nunique() == 3
    assert by_design.runs["seed"].nunique() == 3 * 2  # each world its own seeds


def test_a_design_passed_to_explore_runs_the_keyword_calls_worlds_and_seeds():
    keywords = {"plans": ["big-bang", "pilot-10"], "replications": 1, "samples": 4, "seed": 3}
    by_keywords = adoption.explore(
        None, **keywords, method="lhs", executor=SerialExecutor(), overrides=ONE_UNCERTAINTY
    )
    design = Design(**keywords, target="npv>=0")
    by_design = adoption.explore(
        None, design=design, method="lhs", executor=SerialExecutor(), overrides=ONE_UNCERTAINTY
    )
    pd.testing.assert_frame_equal(by_design.samples, by_keywords.samples)
    pd.testing.assert_frame_equal(by_design.runs, by_keywords.runs)
    assert by_design.target == Target("npv", ">=", 0.0) != by_keywords.target


def test_a_design_passed_to_search_runs_the_keyword_calls_pairs():
    scenario = planted(SHARE_ONLY)
    by_keywords = adoption.search(
        scenario, budget=100, worlds=2, replications=1, seed=4, executor=StubExecutor(flat)
    )
    design = Design(samples=2, replications=1, seed=4, target="npv>=0")
    by_design = adoption.search(scenario, budget=100, design=design, executor=StubExecutor(flat))
    pd.testing.assert_frame_equal(by_design.trials, by_keywords.trials)
    assert (by_design.worlds, by_design.replications, by_design.seed) == (2, 1, 4)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["compare", "--rank-by", "plan"], "--rank-by: 'plan' is not a numeric outcome"),
        (["explore", "--target", "adoption"], "--target 'adoption': expected METRIC>=VALUE"),
        (["search", "--target", "colour>=1"], "--target: unknown metric 'colour'"),
        (["compare", "--plans", "big-bang,big-bang"], "plans repeat: big-bang, big-bang"),
    ],
)
def test_the_commands_report_a_bad_design_field_in_one_line(cli, tmp_path, command, message):
    result = cli(*command, "--out", tmp_path / "out", "--set", "organisation.employees=100")
    assert_clean_error(result, message)
