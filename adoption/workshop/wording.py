"""How the room reads a number: money with its currency, shares as percentages, a target
in words, and the glossary every number on screen points to (shown on hover).

The words describe what `adoption.outcomes` and the engine compute; nothing here
changes a number.
"""

from __future__ import annotations

import math

from adoption.config import Scenario
from adoption.experiment.statistics import Target
from adoption.outcomes import OUTCOMES

CURRENCY = "US$"
"""The money unit: the scenario's default prices are US dollars (the licence price is
Microsoft 365 Copilot's list price, US$30 a user a month; economics.py). A scenario
priced in another currency is shown with `adoption workshop --currency`."""

GLOSSARY: dict[str, str] = {
    "npv": (
        "Net present value: the value the tool's use creates minus every cost (licences, "
        "infrastructure, support, training, fixes), day by day to the horizon, discounted "
        "at the scenario's yearly discount rate. Above zero, the rollout pays for itself."
    ),
    "adoption": "Share of everyone in the organisation who is an active user at the horizon.",
    "abandonment": (
        "Share of the people who ever tried the tool who had given it up at the horizon."
    ),
    "causes": (
        "Why people who abandoned gave up, as shares of all abandonments: accuracy (wrong "
        "answers), fit (the tool does not suit their work), infrastructure (slowness, "
        "outages), effort (untrained, unsupported), social (peers or manager against), "
        "expectations (set too high), other (habits that never formed)."
    ),
    "decisions": (
        "What each plan's last gate decided, as shares of runs: proceed (roll out further), "
        "pause (wait for more evidence), stop (the project is abandoned), none (the plan "
        "has no gate)."
    ),
    "target": (
        "Chance of missing the room's target: the share of runs that miss it, with its "
        "95% interval."
    ),
    "interval": (
        "95% interval: the range the average over many more runs would fall in, 19 times "
        "out of 20, given the runs so far."
    ),
    "paired": (
        "Paired: two plans (or A and B) run on the same random streams, run by run, so "
        "the difference is the plans' and not the luck of the draw."
    ),
    "breakeven": "Break-even: the first day cumulative value reaches cumulative cost.",
}


def money(value: float | None, currency: str = CURRENCY) -> str:
    """An amount with its currency, in thousands or millions when large (−1.7 M US$)."""
    if value is None or math.isnan(value):
        return "n/a"
    size = abs(value)
    sign = "−" if value < 0 else ""
    if size >= 1e6:
        return f"{sign}{size / 1e6:,.1f} M {currency}"
    if size >= 1e4:
        return f"{sign}{size / 1e3:,.0f} k {currency}"
    return f"{sign}{size:,.0f} {currency}"


def percent(value: float | None, digits: int = 0) -> str:
    """A share (0–1) as a percentage."""
    if value is None or math.isnan(value):
        return "n/a"
    return f"{value * 100:.{digits}f}%".replace("-", "−")


def show(metric: str, value: float | None, currency: str = CURRENCY) -> str:
    """An outcome's value as the room reads it: money with its currency, shares as
    percentages, anything else in the outcome's own format."""
    outcome = OUTCOMES[metric]
    if outcome.unit == "money":
        return money(value, currency)
    if outcome.unit == "share":
        return percent(value, 1)
    return outcome.show(value)


OPERATOR_WORDS = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}


def target_words(target: Target, currency: str = CURRENCY) -> str:
    """A target in words: "adoption at least 50.0%"."""
    label = OUTCOMES[target.metric].label
    return (
        f"{label} {OPERATOR_WORDS[target.comparison]} {show(target.metric, target.value, currency)}"
    )


QUESTION = "Which rollout plan, and when do we stop?"
"""The question the workshop answers, first on the screen."""


def scenario_sentence(scenario: Scenario, people: int | None = None) -> str:
    """The scenario in one sentence, from its values (never its description text, which
    the levers may have overtaken): who, how good the tool is, when a use pays, how long."""
    organisation = scenario.organisation
    if organisation.org_chart is not None:
        who = f"{people:,} people from an org chart" if people else "the people of an org chart"
    else:
        who = (
            f"{organisation.employees:,} people in {len(organisation.regions)} regions and "
            f"{len(organisation.departments)} departments"
        )
    tool = scenario.tool
    return (
        f"{who}; a tool {percent(tool.poc_accuracy)} accurate in its demo and "
        f"{percent(tool.production_accuracy)} on production data at launch; a use pays "
        f"from {percent(scenario.business_minimum)} accuracy; looked at over "
        f"{scenario.horizon_days} days."
    )
