"""Optuna's TPE as the proposer (the optional `search` extra), through ask-and-tell in
fixed batches on the planted test-then-roll world."""

from __future__ import annotations

import sys

import pytest

from adoption.api import search
from adoption.errors import InputError
from tests.search.stub import StubExecutor, rollout_optimum, then_roll
from tests.search.test_search import SHARE_ONLY, planted, shares


def tpe_search(**arguments):
    scenario = planted({**SHARE_ONLY, "finalists": 1, "search_share": 0.85})
    executor = StubExecutor(then_roll)
    result = search(
        scenario,
        budget=81,
        worlds=27,
        replications=1,
        executor=executor,
        proposer="tpe",
        **arguments,
    )
    return result, executor


def test_tpe_finds_the_test_then_roll_optimum_with_a_tenth_of_the_grids_runs():
    pytest.importorskip("optuna")
    result, executor = tpe_search()
    assert abs(shares(result, [result.best])[0] - rollout_optimum()) <= 0.02
    assert executor.runs == result.runs_spent <= 81


def test_tpe_is_reproducible_and_its_batches_cost_only_their_first_rung(tmp_path):
    pytest.importorskip("optuna")
    one, _ = tpe_search(out=tmp_path / "one")
    two, _ = tpe_search(out=tmp_path / "two")
    assert one.candidates == two.candidates
    for name in ("leaderboard.csv", "trials.csv", "search.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    # every candidate ran on the first rung's pairs, no more, unless it survived
    first = one.race.rungs[0]
    assert set(first.scores) == set(one.candidates) | set(one.incumbents)


def test_tpe_without_optuna_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(InputError, match=r"pip install 'adoption\[search\]'"):
        tpe_search()
