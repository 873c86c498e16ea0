"""compare --explain: each plan's NPV difference against the baseline, split into parts
by paired counterfactual runs (1,000 people, one year, four data engineers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adoption import SerialExecutor, compare, load_scenario, simulate
from adoption.experiment.counterfactuals import COUNTERFACTUALS, counterfactual_scenario
from adoption.experiment.explain import REMAINDER, TOTAL

SMALL = {
    "organisation.employees": 1000,
    "horizon_days": 365,
    "tool.pipeline.data_engineers": 4,
    # capacity sized before launch lies above the demo's for this headcount
    "tool.infrastructure.presize_using_share": 1.0,
}
PLANS = ["big-bang", "regional-pilot", "build-first"]
PARTS = [counterfactual.part for counterfactual in COUNTERFACTUALS.values()]


def explained(overrides: dict | None = None, replications: int = 3):
    return compare(
        None,
        PLANS,
        replications=replications,
        executor=SerialExecutor(),
        overrides={**SMALL, **(overrides or {})},
        explain=True,
    )


@pytest.fixture(scope="module")
def comparison():
    return explained()


def parts_of(comparison, plan: str) -> pd.Series:
    rows = comparison.why[comparison.why["plan"] == plan]
    return rows.set_index("part")["difference"]


def test_every_plan_has_its_total_parts_and_remainder(comparison):
    why = comparison.why
    assert set(why["plan"]) == {"regional-pilot", "build-first"}
    for plan in ("regional-pilot", "build-first"):
        assert list(parts_of(comparison, plan).index) == [TOTAL, *PARTS, REMAINDER]
    assert (why["n"] == 3).all() and (why["currency"] == "USD").all()
    assert comparison.why_runs > 0 and not comparison.why_failures


def test_the_total_is_the_paired_npv_difference(comparison):
    paired = comparison.paired
    npv = paired[(paired["metric"] == "npv") & (paired["plan"] == "regional-pilot")]
    assert parts_of(comparison, "regional-pilot")[TOTAL] == pytest.approx(npv["difference"].iloc[0])


def test_parts_and_remainder_add_up_to_the_total(comparison):
    for plan in ("regional-pilot", "build-first"):
        parts = parts_of(comparison, plan)
        assert parts.drop(TOTAL).sum() == pytest.approx(parts[TOTAL], abs=1e-6)


def test_a_part_is_a_difference_in_differences_of_runs_on_the_same_seed(comparison):
    """The pipeline's part of regional-pilot's difference, rebuilt from runs made here."""
    scenario = load_scenario(overrides=SMALL)
    seeds = comparison.runs.sort_values("replication").drop_duplicates("replication")["seed"]
    parts = []
    for seed in seeds:
        npv = {}
        for plan in ("big-bang", "regional-pilot"):
            ready = counterfactual_scenario(scenario, plan, "pipeline_ready", 1000)
            npv[plan] = simulate(scenario, plan, seed=int(seed)).metrics["npv"]
            npv[plan + "'"] = simulate(ready, plan, seed=int(seed)).metrics["npv"]
        parts.append(
            (npv["regional-pilot"] - npv["big-bang"]) - (npv["regional-pilot'"] - npv["big-bang'"])
        )
    measured = parts_of(comparison, "regional-pilot")[COUNTERFACTUALS["pipeline_ready"].part]
    assert measured == pytest.approx(np.mean(parts), rel=1e-9)
    assert measured != 0


def test_a_plan_without_gates_has_no_gate_part(comparison):
    assert parts_of(comparison, "build-first")[COUNTERFACTUALS["gate_proceeds"].part] == 0


def test_a_world_with_nothing_to_learn_has_no_learning_part():
    planted = explained({"tool.achievable_accuracy": 0.70}, replications=2)
    learning = COUNTERFACTUALS["learning_off"].part
    for plan in ("regional-pilot", "build-first"):
        assert parts_of(planted, plan)[learning] == 0


def test_the_learning_part_is_not_zero_where_there_is_something_to_learn(comparison):
    learning = COUNTERFACTUALS["learning_off"].part
    assert parts_of(comparison, "regional-pilot")[learning] != 0


def test_the_report_and_why_csv(cli, tmp_path):
    result = cli(
        "compare",
        "--plans",
        "big-bang,build-first",
        "--replications",
        2,
        "--workers",
        1,
        "--set",
        "organisation.employees=500",
        "--set",
        "horizon_days=120",
        "--set",
        "economics.currency=EUR",
        "--explain",
        "--out",
        tmp_path,
    )
    assert result.code == 0, result.err
    assert "why, against big-bang (EUR a run" in result.out
    assert "why.csv" in result.out
    why = pd.read_csv(tmp_path / "why.csv")
    assert list(why.columns) == [
        "plan",
        "baseline",
        "part",
        "difference",
        "ci_low",
        "ci_high",
        "n",
        "currency",
    ]
    assert set(why["currency"]) == {"EUR"}
    page = (tmp_path / "report.html").read_text()
    assert "Why, part by part" in page and "exposure while the tool is worst" in page
    assert " EUR (95% interval " in page  # each part's interval in words, with the currency


def test_without_explain_the_report_says_how_to_get_the_parts(cli, tmp_path):
    result = cli(
        "compare",
        "--plans",
        "big-bang,build-first",
        "--replications",
        2,
        "--workers",
        1,
        "--set",
        "organisation.employees=500",
        "--set",
        "horizon_days=60",
        "--out",
        tmp_path,
    )
    assert result.code == 0, result.err
    assert not (tmp_path / "why.csv").exists()
    assert "adoption compare --explain" in (tmp_path / "report.html").read_text()


def test_a_bad_currency_is_refused(cli):
    result = cli("scenario", "show", "--set", "economics.currency=12 34")
    assert result.code == 2 and "economics.currency" in result.err
