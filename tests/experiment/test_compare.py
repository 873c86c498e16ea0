"""Comparisons: common random numbers, executors, the result store, failures, outputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from adoption import PoolExecutor, SerialExecutor, compare, load_scenario
from adoption.errors import InputError
from adoption.experiment import runner
from adoption.experiment.design import design_runs, replication_seeds, world_seeds
from adoption.experiment.sampling import sample_uncertainties

TWO_PLANS = ["big-bang", "pilot-10"]


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(
        "experiments/scenarios/workshop.yaml",
        {
            "horizon_days": 120,
            "uncertainties": {
                "tool.production_accuracy": {"distribution": "uniform", "low": 0.6, "high": 0.9}
            },
        },
    )


def test_replication_seeds_are_shared_by_plans_and_stable():
    specs = design_runs(TWO_PLANS, pd.DataFrame(index=range(2)), 3, seed=5)
    by_replication = {}
    for spec in specs:
        by_replication.setdefault(spec.replication, set()).add(spec.seed)
    assert all(len(seeds) == 1 for seeds in by_replication.values())
    assert len({s.pop() for s in by_replication.values()}) == 3
    # adding replications keeps the earlier seeds (so a resumed sweep can grow)
    assert replication_seeds(5, 3) == replication_seeds(5, 10)[:3]


def test_sampled_worlds_have_their_own_seeds_paired_across_plans():
    """`compare --samples N` draws seeds per world (paired within a world, as explore
    does); the scenario as written keeps replication k's seed, so its figures stay."""
    small = load_scenario(
        "experiments/scenarios/workshop.yaml",
        {
            "organisation.employees": 200,
            "horizon_days": 20,
            "uncertainties": {
                "tool.production_accuracy": {"distribution": "uniform", "low": 0.6, "high": 0.9}
            },
        },
    )
    sampled = compare(small, TWO_PLANS, replications=2, samples=3, executor=SerialExecutor())
    runs = sampled.runs
    assert (runs.groupby(["sample", "replication"])["seed"].nunique() == 1).all()
    assert runs["seed"].nunique() == 3 * 2  # no world shares another's seeds
    expected = world_seeds(0, 3, 2)
    for row in runs.itertuples():
        assert row.seed == expected[row.sample, row.replication]
    written = compare(small, TWO_PLANS, replications=2, samples=1, executor=SerialExecutor())
    assert sorted(set(written.runs["seed"])) == sorted(replication_seeds(0, 2))


def test_a_store_of_shared_seeds_is_not_resumed_with_world_seeds(scenario, tmp_path):
    from adoption.experiment.store import MANIFEST, SHARDS, ResultStore

    # a sampled comparison stored before seeds were drawn per world pinned the bare count
    manifest = ResultStore(tmp_path, scenario, 0, 3).manifest
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    (tmp_path / SHARDS).mkdir()
    (tmp_path / SHARDS / "big-bang--s0000--r00000.parquet").write_bytes(b"")
    with pytest.raises(InputError, match="another comparison"):
        compare(scenario, TWO_PLANS, replications=1, samples=3, out=tmp_path)


def half_widths(plan_runs, base_runs, metric):
    """(paired, unpaired) 95% half-widths of the mean difference, same t quantile."""
    a, b = plan_runs[metric].to_numpy(), base_runs[metric].to_numpy()
    quantile = stats.t.ppf(0.975, a.size - 1)
    paired = quantile * (a - b).std(ddof=1) / np.sqrt(a.size)
    unpaired = quantile * np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    return paired, unpaired


@pytest.mark.slow
def test_common_random_numbers_make_paired_intervals_narrower(scenario):
    """Two plans that differ in one lever (launch a week later), as CRN are meant for:
    the paired interval of their difference is narrower than the unpaired one."""
    plans = ["big-bang", "a-week-later"]
    later = {"waves": [{"day": 7, "group": "all"}]}
    short = load_scenario(
        scenario,
        {
            "uncertainties": {},
            "plans": {"big-bang": scenario.plans["big-bang"].model_dump(), "a-week-later": later},
        },
    )
    crn = compare(short, plans, replications=30, seed=1, executor=PoolExecutor(2)).runs
    # the same replication sees the same seed in both plans
    seeds = crn.pivot(index="replication", columns="plan", values="seed")
    assert (seeds["big-bang"] == seeds["a-week-later"]).all()
    # control: the same plans on independent streams (another comparison seed)
    independent = compare(short, plans, replications=30, seed=2, executor=PoolExecutor(2)).runs
    for metric in ("adoption_rate", "net_value"):
        paired, unpaired = half_widths(
            crn[crn.plan == "a-week-later"], crn[crn.plan == "big-bang"], metric
        )
        assert paired < 0.8 * unpaired, metric
        control, control_unpaired = half_widths(
            independent[independent.plan == "a-week-later"], crn[crn.plan == "big-bang"], metric
        )
        assert control > 0.8 * control_unpaired, metric
        # and the library's paired interval is the CRN one
        row = compare_row(crn, metric)
        assert row == pytest.approx(paired, rel=1e-9)


def compare_row(runs, metric):
    from adoption.experiment.statistics import paired_differences

    table = paired_differences(runs, [metric], "big-bang").iloc[0]
    return (table["ci_high"] - table["ci_low"]) / 2


def test_outputs_have_the_documented_shape(scenario):
    comparison = compare(
        scenario, TWO_PLANS, replications=3, samples=2, seed=0, executor=SerialExecutor()
    )
    assert len(comparison.runs) == 2 * 2 * 3
    assert {
        "plan",
        "sample",
        "replication",
        "seed",
        "tool.production_accuracy",
        "adoption_rate",
        "net_value",
        "decision",
    } <= set(comparison.runs)
    assert {"plan", "metric", "mean", "sd", "ci_low", "ci_high", "n"} == set(comparison.summary)
    assert set(comparison.paired["plan"]) == {"pilot-10"}
    assert set(comparison.risk["plan"]) == set(TWO_PLANS)
    assert {"plan", "day", "active_mean", "active_p10", "active_p90"} <= set(comparison.timeseries)
    assert len(comparison.timeseries) == 2 * 120
    # sample j has the same uncertain values in every plan
    values = comparison.runs.groupby("sample")["tool.production_accuracy"].nunique()
    assert (values == 1).all()


def test_samples_are_latin_hypercube_over_the_declared_range(scenario):
    frame = sample_uncertainties(scenario.uncertainties, 10, seed=2)
    values = np.sort(frame["tool.production_accuracy"].to_numpy())
    strata = np.floor((values - 0.6) / 0.03).astype(int)
    assert list(strata) == list(range(10))


@pytest.mark.slow
def test_serial_and_pool_give_identical_results(scenario):
    serial = compare(scenario, TWO_PLANS, replications=4, seed=9, executor=SerialExecutor())
    pool = compare(scenario, TWO_PLANS, replications=4, seed=9, executor=PoolExecutor(2))
    pd.testing.assert_frame_equal(serial.runs, pool.runs)
    pd.testing.assert_frame_equal(serial.timeseries, pool.timeseries)


def test_resume_reuses_finished_runs_and_grows(scenario, tmp_path, monkeypatch):
    first = compare(
        scenario, TWO_PLANS, replications=3, seed=4, executor=SerialExecutor(), out=tmp_path
    )
    assert (first.computed, first.reused) == (6, 0)
    calls = []
    original = runner.simulate
    monkeypatch.setattr(runner, "simulate", lambda *a, **k: calls.append(1) or original(*a, **k))
    again = compare(
        scenario, TWO_PLANS, replications=5, seed=4, executor=SerialExecutor(), out=tmp_path
    )
    assert (again.computed, again.reused) == (4, 6) and len(calls) == 4
    fresh = compare(scenario, TWO_PLANS, replications=5, seed=4, executor=SerialExecutor())
    pd.testing.assert_frame_equal(again.runs, fresh.runs)


def test_a_different_scenario_is_refused_in_the_same_directory(scenario, tmp_path):
    compare(scenario, TWO_PLANS, replications=1, executor=SerialExecutor(), out=tmp_path)
    other = load_scenario(scenario, {"tool.poc_accuracy": 0.9})
    with pytest.raises(InputError, match="holds results of another comparison"):
        compare(other, TWO_PLANS, replications=1, executor=SerialExecutor(), out=tmp_path)
    with pytest.raises(InputError, match="seed"):
        compare(
            scenario, TWO_PLANS, replications=1, seed=3, executor=SerialExecutor(), out=tmp_path
        )


def test_a_failing_run_is_reported_and_the_sweep_goes_on(scenario, tmp_path, monkeypatch):
    bad_seed = replication_seeds(0, 3)[1]
    original = runner.simulate

    def flaky(scenario, plan, seed, **kwargs):
        if seed == bad_seed and plan == "pilot-10":
            raise RuntimeError("disk on fire")
        return original(scenario, plan, seed=seed, **kwargs)

    monkeypatch.setattr(runner, "simulate", flaky)
    comparison = compare(
        scenario, TWO_PLANS, replications=3, executor=SerialExecutor(), out=tmp_path
    )
    assert len(comparison.runs) == 5
    [failure] = comparison.failures
    assert failure.spec.seed == bad_seed and "disk on fire" in failure.error
    assert "disk on fire" in (tmp_path / "failures.csv").read_text()
    assert "failed" in (tmp_path / "report.html").read_text()
    monkeypatch.setattr(runner, "simulate", original)
    healed = compare(scenario, TWO_PLANS, replications=3, executor=SerialExecutor(), out=tmp_path)
    assert (healed.computed, healed.reused, len(healed.failures)) == (1, 5, 0)


def test_report_and_files(scenario, tmp_path):
    compare(scenario, replications=2, executor=SerialExecutor(), out=tmp_path)
    for name in (
        "runs.parquet",
        "summary.csv",
        "paired.csv",
        "risk.csv",
        "timeseries.csv",
        "adoption_curves.png",
        "outcomes.png",
        "report.html",
        "manifest.json",
    ):
        assert (tmp_path / name).is_file(), name
    page = (tmp_path / "report.html").read_text()
    assert "paired on the same random streams" in page
    assert page.count("data:image/png;base64,") == 2
    for fragment in (
        "Ranking",
        "What separates them",
        "Gate decisions",
        "Why people abandoned",
        "pilot-10",
        "regional-pilot",
        "champions",
    ):
        assert fragment in page
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["scenario"]["name"] == "workshop"
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    assert len(runs) == 6 * 2
    # the licence lines: seat-days and the licence cost of a day of real use, per plan
    assert "People get a seat when they first try it" in page
    assert "licence cost per active user-day" in page
    per_plan = runs.groupby("plan")[["cost_licences", "seat_days"]].mean()
    big_bang = per_plan.loc["big-bang"]
    assert f"{big_bang['seat_days']:,.0f}" in page
    price = scenario.economics.licences.price_per_seat_day
    assert big_bang["cost_licences"] == pytest.approx(price * big_bang["seat_days"])
    assert not list(tmp_path.rglob("*.partial"))


def test_bad_arguments(scenario):
    with pytest.raises(InputError, match="unknown plan"):
        compare(scenario, ["nope"], replications=1)
    with pytest.raises(InputError, match="unknown metric"):
        compare(scenario, TWO_PLANS, replications=1, target="happiness>=1")
    with pytest.raises(InputError, match="invalid scenario"):
        compare(
            load_scenario(
                scenario,
                {
                    "uncertainties": {
                        "tool.production_accuracy": {
                            "distribution": "normal",
                            "mean": 0.9,
                            "sd": 0.5,
                        }
                    }
                },
            ),
            TWO_PLANS,
            replications=1,
            samples=20,
            executor=SerialExecutor(),
        )


def test_a_classic_model_compares_as_one_plan_over_samples():
    scenario = load_scenario(
        {
            "network": {"kind": "erdos_renyi", "n": 2000, "mean_degree": 4},
            "behaviour": {"rule": "contagion", "tau": 2.0, "gamma": 2.0},
            "initial_adopters": {"count": 20},
            "horizon_days": 365,
            "uncertainties": {
                "behaviour.tau": {"distribution": "uniform", "low": 1.0, "high": 4.0}
            },
        }
    )
    comparison = compare(
        scenario, replications=2, samples=3, executor=SerialExecutor(), target="reach>=0.5"
    )
    assert set(comparison.runs["plan"]) == {"contagion"}
    # more transmission, more people reached
    by_tau = comparison.runs.groupby("behaviour.tau")["reach"].mean()
    assert by_tau.iloc[-1] > by_tau.iloc[0]
    with pytest.raises(InputError, match="no rollout plans"):
        compare(scenario, ["big-bang"], replications=1, executor=SerialExecutor())
