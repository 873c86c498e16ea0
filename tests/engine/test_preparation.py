"""A plan may prepare before its first wave: the pipeline, capacity, the champions.

Runs use 1,000 people with four data engineers and the pipeline's 360 engineer-days
(the 5,000-person default's, set explicitly: 90 days), over short horizons.
"""

from __future__ import annotations

import numpy as np
import pytest

from adoption import load_scenario, simulate
from adoption.engine.preparation import presized_capacity
from adoption.errors import InputError
from tests.conftest import assert_clean_error

PEOPLE = {
    "organisation.employees": 1000,
    "tool.pipeline.data_engineers": 4,
    "tool.pipeline.build_engineer_days": 360,
    "horizon_days": 150,
}
BUILD_DAYS = 90  # 360 engineer-days / 4 engineers


def scenario_with(prepare: list[dict], overrides: dict | None = None, **plan):
    waves = plan.pop("waves", [{"day": 0, "group": "all"}])
    raw = {"plans": {"prepared": {"prepare": prepare, "waves": waves, **plan}}}
    return load_scenario(raw, {**PEOPLE, **(overrides or {})})


def event_days(result, kind: str) -> list[float]:
    events = result.events
    return events.loc[events["kind"] == kind, "day"].tolist()


def test_prepare_delays_access_and_the_pipeline_is_ready_at_launch():
    result = simulate(scenario_with([{"step": "pipeline"}]), "prepared", seed=0)
    series = result.timeseries
    before = series[series["day"] < BUILD_DAYS]
    assert (before["with_access"] == 0).all() and (before["value"] == 0).all()
    assert event_days(result, "pipeline") == [BUILD_DAYS]
    assert event_days(result, "wave")[0] == BUILD_DAYS
    launched = series[series["day"] >= BUILD_DAYS]
    assert launched["with_access"].iloc[0] == 1000
    # no fragile feed for anyone who has access: no data incidents at all
    assert not event_days(result, "data incident")
    # the data engineers' build and the programme office are paid while preparing
    assert before["cost"].sum() == pytest.approx(
        360 * 600 + BUILD_DAYS * 100, rel=1e-9
    )  # engineer-days at 600, the programme office at 100 a day for 1,000 people


def test_without_preparation_the_pipeline_follows_the_first_wave():
    plain = simulate(load_scenario(overrides=PEOPLE), "big-bang", seed=0)
    assert event_days(plain, "wave")[0] == 0
    assert event_days(plain, "pipeline") == [BUILD_DAYS]


def test_build_first_pipeline_is_ready_on_its_first_access_day():
    scenario = load_scenario(overrides=PEOPLE)
    assert [step.step for step in scenario.plans["build-first"].prepare] == [
        "pipeline",
        "capacity",
        "champions",
    ]
    result = simulate(scenario, "build-first", seed=1)
    first_access = event_days(result, "wave")[0]
    assert event_days(result, "pipeline") == [first_access]
    series = result.timeseries.set_index("day")
    assert series.loc[first_access - 1, "with_access"] == 0
    assert series.loc[first_access, "with_access"] == 1000
    # the champions were trained before anyone had access
    assert series.loc[first_access - 1, "trained"] >= 20


def test_a_step_waits_its_days_at_most_and_its_work_carries_on():
    result = simulate(scenario_with([{"step": "pipeline", "days": 30}]), "prepared", seed=0)
    assert event_days(result, "wave")[0] == 30
    assert event_days(result, "pipeline") == [BUILD_DAYS]


def test_the_waves_and_gates_count_from_the_end_of_the_preparation():
    scenario = scenario_with(
        [{"step": "pipeline"}],
        waves=[{"day": 0, "group": "random", "share": 0.1}, {"day": 31, "group": "rest"}],
        gates=[{"day": 30, "forced": "proceed"}],
    )
    result = simulate(scenario, "prepared", seed=0)
    assert event_days(result, "wave") == [BUILD_DAYS, BUILD_DAYS + 31]
    assert event_days(result, "gate") == [BUILD_DAYS + 30]


def test_capacity_is_sized_before_launch_from_the_expected_load():
    overrides = {"tool.infrastructure.presize_using_share": 1.0}
    scenario = scenario_with([{"step": "capacity"}], overrides)
    expected = presized_capacity(scenario.tool, 1000)
    # 6 uses a day × 2 peak-to-mean / 8 working hours, for 1,000 users, with 1.5 headroom:
    # above the demo's 0.4 requests/s
    assert expected == pytest.approx(6 * 2 / (8 * 3600) * 1000 * 1.5)
    result = simulate(scenario, "prepared", seed=0)
    lead = scenario.tool.infrastructure.scale_up_lead_days
    assert event_days(result, "wave")[0] == lead
    series = result.timeseries
    idle = series[series["with_access"] == 0]
    launched = series[series["with_access"] > 0].iloc[0]
    assert launched["capacity_requests_per_second"] == pytest.approx(expected)
    # the capacity is paid from launch: before it, only the programme office (100 a day)
    assert idle["cost"].sum() == pytest.approx(100 * len(idle))


def test_presize_using_share_takes_effect():
    small, large = (
        presized_capacity(
            scenario_with([], {"tool.infrastructure.presize_using_share": s}).tool, 5000
        )
        for s in (0.2, 0.6)
    )
    assert large == pytest.approx(3 * small)


def test_champions_are_trained_before_launch_and_paid_for():
    result = simulate(scenario_with([{"step": "champions"}]), "prepared", seed=0)
    launch = event_days(result, "wave")[0]
    assert 0 < launch < 30
    series = result.timeseries
    idle = series[series["with_access"] == 0]
    launched = series[series["with_access"] > 0].iloc[0]
    champions = round(0.02 * 1000)
    # trained by the first step anyone has access (their last session ends as it starts)
    assert launched["trained"] == champions
    assert result.metrics["cost_training"] >= champions * 150
    assert idle["cost"].sum() == pytest.approx(100 * len(idle))


def test_nothing_to_prepare_launches_at_once_with_numbers_unchanged():
    raw = {
        "plans": {
            "prepared": {"prepare": [{"step": "capacity"}], "waves": [{"group": "all"}]},
            "big-bang": {"waves": [{"group": "all"}]},
        }
    }
    scenario = load_scenario(raw, {**PEOPLE, "tool.infrastructure.presize_using_share": 0})
    prepared = simulate(scenario, "prepared", seed=2)
    plain = simulate(scenario, "big-bang", seed=2)
    assert prepared.metrics["npv"] == plain.metrics["npv"]
    assert np.array_equal(prepared.timeseries["active"], plain.timeseries["active"])


@pytest.mark.parametrize(
    ("prepare", "fragments"),
    [
        ([{"step": "pilot"}], ["plans.prepared.prepare.0.step", "'pipeline'"]),
        ([{"step": "pipeline", "days": -5}], ["plans.prepared.prepare.0.days", "0"]),
        ([{"step": "pipeline"}, {"step": "pipeline"}], ["pipeline", "more than once"]),
        ([{"step": "capacity", "weeks": 3}], ["plans.prepared.prepare.0.weeks"]),
    ],
)
def test_bad_preparation_is_refused_naming_the_field(prepare, fragments):
    with pytest.raises(InputError) as caught:
        scenario_with(prepare)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_a_step_that_could_never_finish_is_refused():
    scenario = scenario_with([{"step": "pipeline"}], {"tool.pipeline.data_engineers": 0})
    with pytest.raises(InputError, match=r"plans\.prepared\.prepare\[0\].*data_engineers"):
        simulate(scenario, "prepared", seed=0)


def test_bad_preparation_from_the_command_line(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "plans:\n  prepared:\n    prepare: [{step: pipeline, days: -1}]\n"
        "    waves: [{day: 0, group: all}]\n"
    )
    assert_clean_error(cli("run", path, "--days", "5"), "prepare", "days")
