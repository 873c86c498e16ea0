"""Results show themselves: `.plot` figures that display in a notebook, and rich HTML
(`_repr_html_`) with the headline numbers, their intervals and units, every name
escaped."""

from __future__ import annotations

import pytest

import adoption
from adoption.inline import InlineFigure

PNG = b"\x89PNG\r\n\x1a\n"
SMALL = {"organisation.employees": 300, "horizon_days": 120}


@pytest.fixture(scope="module")
def result():
    return adoption.simulate(None, "pilot-10", seed=2, overrides=SMALL)


@pytest.fixture(scope="module")
def comparison():
    return adoption.compare(
        None,
        ["big-bang", "pilot-10", "phased"],
        replications=3,
        overrides=SMALL,
        executor=adoption.SerialExecutor(),
    )


def test_a_runs_figure_shows_itself_as_a_picture(result):
    figure = result.plot.adoption()
    assert isinstance(figure, InlineFigure) and figure.axes
    assert figure._repr_png_().startswith(PNG)


def test_a_run_shows_its_headline_numbers_gates_and_curve(result):
    page = result._repr_html_()
    for label in ("adoption", "reach", "abandonment", "NPV", "decision", "Gate decisions"):
        assert label in page
    assert "data:image/png;base64," in page
    assert "plan pilot-10 / seed 2: 300 people, 120 days" in page


@pytest.mark.parametrize("name", ["adoption", "outcomes", "money", "paired", "causes"])
def test_every_comparison_figure_is_drawn(comparison, name):
    figure = getattr(comparison.plot, name)()
    assert isinstance(figure, InlineFigure) and figure.axes
    assert figure._repr_png_().startswith(PNG)


def test_the_paired_figure_reads_shares_in_points_and_money_in_millions(comparison):
    figure = comparison.plot.paired()
    titles = [axis.get_title() for axis in figure.axes]
    assert titles == ["NPV (millions)", "adoption (points)", "abandonment (points)"]
    paired = comparison.paired.set_index(["plan", "metric"])
    adoption_axis = figure.axes[1]
    drawn = sorted(bar.lines[0].get_xdata()[0] for bar in adoption_axis.containers)
    expected = sorted(
        100 * paired.loc[(plan, "adoption_rate"), "difference"] for plan in ("pilot-10", "phased")
    )
    assert drawn == pytest.approx(expected)


def test_a_comparison_shows_its_ranking_with_intervals_and_verdict(comparison):
    page = comparison._repr_html_()
    for plan in comparison.plans:
        assert plan in page
    assert "NPV (95% interval)" in page
    assert "chance of missing the target (adoption at least 50.0%)" in page
    assert "P(miss" not in page
    assert "comes first" in page  # the verdict
    assert "too few to tell plans apart" in page  # 3 runs per plan


def test_hostile_names_are_shown_as_text():
    hostile = '<img src=x onerror="alert(1)">'
    result = adoption.simulate(
        None, "big-bang", seed=0, overrides={**SMALL, "name": hostile, "horizon_days": 30}
    )
    page = result._repr_html_()
    assert hostile not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page


@pytest.mark.slow
def test_an_exploration_shows_its_answer_and_figures(tmp_path):
    exploration = adoption.explore(
        None,
        ["big-bang", "pilot-10"],
        samples=2,
        replications=1,
        method="morris",
        overrides={"organisation.employees": 200, "horizon_days": 60},
        executor=adoption.SerialExecutor(),
        out=tmp_path,
    )
    page = exploration._repr_html_()
    assert "Choose " in page and "maximum regret" in page and " USD" in page
    for name in ("sensitivity", "boxes", "regret"):
        figure = getattr(exploration.plot, name)()
        assert isinstance(figure, InlineFigure) and figure._repr_png_().startswith(PNG)


def test_a_comparison_says_whether_its_leader_is_clear(comparison):
    """The first plan by NPV against the second on the same seeds: 'a clear lead' only
    when the paired interval excludes zero, else 'a tie on this evidence'."""
    from adoption.experiment.statistics import t_interval

    first, second = comparison.ranking()["plan"].iloc[:2]
    runs = comparison.runs.set_index(["sample", "replication"])
    gap = runs[runs["plan"] == first]["npv"] - runs[runs["plan"] == second]["npv"]
    _, _, low, _, _ = t_interval(gap.to_numpy(float))
    line = comparison.lead()
    assert line.startswith(f"{first} leads {second} by ")
    assert line.endswith("a clear lead" if low > 0 else "a tie on this evidence")
