"""A comparison's report reads in plain words (issue 22): headers a room understands,
shares as percentages, money with its currency, and a glossary for every term."""

from __future__ import annotations

import dataclasses
import html
import re

import pandas as pd
import pytest

from adoption import SerialExecutor, compare, load_scenario
from adoption.experiment.figures import outcomes_figure
from adoption.experiment.report import report_html, sampled_range
from adoption.wording import GLOSSARY

FRACTION = re.compile(r"^[−-]?0\.\d+$")
"""A cell that shows a share as a fraction (0.133) rather than a percentage."""


@pytest.fixture(scope="module")
def comparison():
    """Two plans, one with a gate, over sampled production accuracy (200 people)."""
    scenario = load_scenario(
        "experiments/scenarios/workshop.yaml",
        {
            "horizon_days": 120,
            "uncertainties": {
                "tool.production_accuracy": {"distribution": "uniform", "low": 0.6, "high": 0.9}
            },
        },
    )
    return compare(
        scenario, ["big-bang", "pilot-10"], replications=2, samples=2, executor=SerialExecutor()
    )


def section(page: str, heading: str) -> str:
    """The page from `heading` to the next h2."""
    start = page.index(heading)
    end = page.find("<h2", start + len(heading))
    return page[start : end if end > 0 else None]


def cells(part: str) -> list[str]:
    """The text of every data cell in a part of the page."""
    return [html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", part)]


def test_the_report_has_plain_headers_percentages_and_the_currency(comparison):
    page = report_html(comparison, {}, currency="€")
    assert "P(miss" not in page and "95% CI" not in page
    assert "chance of missing the target (adoption at least 50.0%)" in page
    assert "USD" not in page and "Money is in €" in page
    for heading in ("Gate decisions", "Why people abandoned"):
        shown = [cell for cell in cells(section(page, heading)) if cell not in comparison.plans]
        assert shown and all(cell.endswith("%") for cell in shown), shown
    money = cells(section(page, "Where the money goes"))
    assert [cell for cell in money if cell not in comparison.plans]
    assert all(cell.endswith(" €") for cell in money if cell not in comparison.plans), money
    ranking = cells(section(page, "Ranking by NPV"))
    assert len(ranking) == 10 and all(" € (" in cell for cell in ranking[1::5]), ranking
    assert not [cell for cell in cells(page) if FRACTION.match(cell)]
    # a sampled field in its lever's words and unit, not its path and fractions
    assert re.search(r"accuracy on production data at launch \d\d% to \d\d%", page)


def test_the_report_explains_its_terms_on_hover_and_in_a_glossary(comparison):
    page = report_html(comparison, {})
    glossary = section(page, 'id="glossary"')
    for entry in ("npv", "abandonment", "causes", "decisions", "target", "interval", "paired"):
        meaning = html.escape(GLOSSARY[entry])
        assert meaning in glossary, entry
    titles = [html.unescape(t) for t in re.findall(r'<th title="([^"]*)"', page)]
    for entry in ("npv", "abandonment", "causes", "decisions"):
        assert any(GLOSSARY[entry] in title for title in titles), entry
    assert "Money is in USD" in page  # the scenario's economics.currency, by default


def test_the_outcomes_figure_speaks_plain_words(comparison):
    titles = [axis.get_title() for axis in outcomes_figure(comparison, "€").axes]
    assert titles[1] == "NPV, € (95% interval)"
    assert titles[2].startswith("chance of missing the target")
    assert not any("P(miss" in title or "CI" in title for title in titles)


def test_the_report_names_the_scenarios_currency(comparison):
    """Without a currency given (adoption compare), money is in the scenario's
    economics.currency."""
    priced = load_scenario(comparison.scenario, {"economics": {"currency": "EUR"}})
    page = report_html(dataclasses.replace(comparison, scenario=priced), {})
    assert "Money is in EUR" in page and "USD" not in page
    money = cells(section(page, "Where the money goes"))
    assert all(cell.endswith(" EUR") for cell in money if cell not in comparison.plans)


def test_a_sampled_field_reads_in_its_levers_words_and_unit(comparison):
    """The report's 'Uncertain' line: shares as percentages, money with the currency and
    what it is per, other units named, never a dotted path with bare fractions."""
    samples = pd.DataFrame(
        {
            "tool.production_accuracy": [0.62, 0.78],
            "economics.value_per_successful_use": [1.5, 40_000.0],
            "horizon_days": [365, 730],
        }
    )
    sampled = dataclasses.replace(comparison, samples=samples)
    assert [sampled_range(sampled, path, "EUR") for path in samples] == [
        "accuracy on production data at launch 62% to 78%",
        "value of a correct use (time saved) 1.5 EUR per correct use to 40 k EUR per correct use",
        "how long the simulation runs 365 to 730 days",
    ]
