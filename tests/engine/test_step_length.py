"""Days mean days whatever the step: gate windows, waves and hazards at 0.5, 1 and 7."""

from __future__ import annotations

import numpy as np
import pytest

from adoption import build_organisation, load_scenario, simulate
from adoption.engine.model import AdoptionModel
from adoption.engine.recorder import Recorder
from adoption.engine.rollout import MEASUREMENT_WINDOW_DAYS

STEPS = (0.5, 1.0, 7.0)
PLANS = ("big-bang", "pilot-10", "regional-pilot", "phased", "champions")


@pytest.mark.parametrize("dt", STEPS)
def test_recent_covers_the_same_days_at_every_step_length(dt):
    recorder = Recorder(steps=200, dt_days=dt)
    for step in range(200):
        recorder.record({"served": 1.0, "day": step * dt})
    window = recorder.recent("served", MEASUREMENT_WINDOW_DAYS)
    assert window.size * dt == pytest.approx(MEASUREMENT_WINDOW_DAYS, abs=dt / 2)


@pytest.mark.parametrize("dt", STEPS)
def test_the_gate_measures_fourteen_days_of_use(dt):
    pilot = {
        "waves": [{"day": 0, "group": "random", "share": 0.1}, {"day": 61, "group": "rest"}],
        "gates": [{"day": 60, "audit_share": 1.0}],  # every served use checked by hand
    }
    scenario = load_scenario(
        overrides={
            "organisation.employees": 400,
            "step_days": dt,
            "horizon_days": 70,
            "plans": {"pilot": pilot},
        }
    )
    model = AdoptionModel(scenario, "pilot", seed=1, days=56)
    model.run_model()
    rows = model.recorder.columns["served"][: model.recorder.rows]
    # checking every use, a gate first measuring now reads exactly the last fourteen days
    measured = model.dynamics.measure(scenario.plans["pilot"].gates[0], opened=model.env.now)
    fourteen_days = rows[-round(MEASUREMENT_WINDOW_DAYS / dt) :]
    successes = model.recorder.columns["successes"][: model.recorder.rows]
    expected = successes[-fourteen_days.size :].sum() / fourteen_days.sum()
    assert measured.audited == fourteen_days.sum()
    assert measured.observed_accuracy == pytest.approx(expected)


@pytest.mark.slow
def test_every_plan_means_the_same_days_at_every_step_length():
    """Waves happen on the same days at every step length, and outcomes agree.

    A good tool, so that every gate proceeds and the plans' timetables are fixed (a
    gate that proceeds holds the next wave until the capacity it ordered arrives). The
    tolerance is 3 points of adoption between half-day and daily steps, and 5 points
    for weekly steps: a week is a coarse step for decisions that feed back within days
    (people become aware, try and commit in separate steps), which shifts outcomes by a
    point or two; a wave or window read in steps instead of days shifts them by far more.
    """
    seeds = range(8)
    means = {}
    for dt in STEPS:
        scenario = load_scenario(
            overrides={
                "organisation.employees": 1000,
                "step_days": dt,
                "tool.production_accuracy": 0.9,
            }
        )
        org = build_organisation(scenario.organisation)
        for plan in PLANS:
            results = [simulate(scenario, plan, seed=s, organisation=org) for s in seeds]
            for result in results:
                waves = result.events.loc[result.events["kind"] == "wave", "day"]
                planned = [wave.day for wave in scenario.plans[plan].waves]
                # on the planned day, or after the capacity a gate ordered arrives, or
                # after whole pauses of a gate that found too little adoption at first
                lead = scenario.tool.infrastructure.scale_up_lead_days
                allowed = {
                    plan_day + pauses * (gate.pause_days if gate else 0) + extra
                    for plan_day in planned
                    for gate in scenario.plans[plan].gates or [None]
                    for pauses in range((gate.max_pauses if gate else 0) + 1)
                    for extra in (0, lead)
                }
                for day, plan_day in zip(waves, planned, strict=True):
                    assert day == plan_day or day in allowed, (plan, dt, list(waves))
                assert result.metrics["decision"] in ("proceed", "none")
            means[plan, dt] = np.mean([r.metrics["adoption_rate"] for r in results])
    for plan in PLANS:
        assert abs(means[plan, 0.5] - means[plan, 1.0]) < 0.03, (plan, means)
        assert abs(means[plan, 7.0] - means[plan, 1.0]) < 0.05, (plan, means)


@pytest.mark.parametrize("dt", STEPS)
def test_a_constant_hazard_means_the_same_per_day(dt):
    """Bass with q = 0: the adopted share is 1 - exp(-p t) whatever the step."""
    n, p = 20_000, 2.0
    scenario = load_scenario(
        {
            "network": {"kind": "complete", "n": n},
            "behaviour": {"rule": "bass", "p": p, "q": 0.0},
            "horizon_days": 182,
            "step_days": dt,
        }
    )
    series = simulate(scenario, seed=5).timeseries
    ends = (series["day"] + dt) / 365
    expected = 1 - np.exp(-p * ends)
    # binomial noise at n = 20,000: sd <= 0.0035; 5 sd
    assert np.abs(series["ever_active"] / n - expected).max() < 0.018
