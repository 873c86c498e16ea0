"""The model honours Mesa's contract: keywords, step, running, run_model, data, agents."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from mesa.visualization.components import AgentPortrayalStyle
from mesa.visualization.mpl_space_drawing import draw_network

import adoption
from adoption.engine.recorder import SERIES

SMALL = {"organisation.employees": 300}


def test_built_from_keywords_alone_and_exported():
    model = adoption.AdoptionModel(overrides=SMALL, plan="pilot-10", seed=3, days=20)
    assert isinstance(model, mesa.Model)
    assert model.plan_name == "pilot-10"
    assert model.organisation.size == 300
    default = adoption.AdoptionModel(overrides=SMALL, days=5)
    assert default.plan_name == next(iter(default.settings.plans))


def test_step_counts_steps_and_days_and_stops_at_the_horizon():
    model = adoption.AdoptionModel(overrides={**SMALL, "step_days": 0.5}, days=3)
    assert model.running and model.steps == 0
    for expected in range(1, 7):
        model.step()
        assert model.steps == expected
        assert model.recorder.rows == expected
        assert model.day == pytest.approx(expected * 0.5)
        assert model.time == expected
    assert not model.running
    model.step()  # past the horizon nothing more happens
    assert model.recorder.rows == 6


def test_run_model_returns_and_matches_simulate():
    model = adoption.AdoptionModel(overrides=SMALL, plan="phased", seed=4, days=60)
    model.run_model()
    assert not model.running
    assert model.steps == 60
    result = adoption.simulate(overrides=SMALL, plan="phased", seed=4, days=60)
    pd.testing.assert_frame_equal(model.datacollector.get_model_vars_dataframe(), result.timeseries)


def test_datacollector_exposes_the_daily_series_and_agent_reporters():
    model = adoption.AdoptionModel(overrides=SMALL, seed=1, days=10)
    model.datacollector = type(model.datacollector)(
        model.recorder, agent_reporters={"state": "state"}
    )
    model.run_model()
    collector = model.datacollector
    assert set(collector.model_vars) == set(SERIES)
    assert len(collector.model_vars["active"]) == 10
    agents = collector.get_agent_vars_dataframe()
    last = agents.xs(10, level="Step")["state"].value_counts()
    people = model.people.state
    assert last.get("active", 0) == int((people == 4).sum())


@pytest.mark.parametrize("iterations", [2])
def test_mesa_batch_run_builds_and_runs_the_model(iterations):
    rows = mesa.batch_run(
        adoption.AdoptionModel,
        parameters={"plan": ["big-bang", "pilot-10"], "overrides": [SMALL], "days": [30]},
        iterations=iterations,
        number_processes=1,
        display_progress=False,
    )
    frame = pd.DataFrame(rows)
    assert len(frame) == 2 * iterations
    assert set(frame["plan"]) == {"big-bang", "pilot-10"}
    assert (frame["active"] >= 0).all()
    # one row per run, at the horizon: the same as the run's last day
    last = adoption.simulate(overrides=SMALL, plan="big-bang", seed=0, days=30).timeseries
    assert frame["with_access"].max() <= 300
    assert frame.columns.isin(list(last.columns)).sum() >= len(SERIES) - 1


def test_agents_sit_on_a_network_space_mesa_can_draw():
    model = adoption.AdoptionModel(overrides={"organisation.employees": 120}, seed=2, days=15)
    model.run_model()
    space = model.grid
    assert len(space.G) == 120
    for agent in model.employee_at[:5]:
        assert agent.cell is space[agent.position]
        assert agent in agent.cell.agents

    def portrayal(agent):
        return AgentPortrayalStyle(color="green" if agent.state == "active" else "grey", size=10)

    ax = Figure().add_subplot()
    draw_network(space, portrayal, ax=ax)
    assert len(ax.collections) >= 1
    assert np.isfinite(ax.get_xlim()).all()


@pytest.mark.parametrize("days", [0, -3, 2.5, 40_000])
def test_days_out_of_range_is_an_input_error(days):
    with pytest.raises(adoption.InputError, match="days"):
        adoption.simulate(overrides=SMALL, days=days)
