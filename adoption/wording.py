"""How a reader reads a number: money with its currency, shares as percentages, a target
in words, and the glossary every number points to (shown on hover).

The workshop's screen and a comparison's report (`adoption compare`'s report.html, the
workshop's export) share these words. They describe what `adoption.outcomes` and the
engine compute; nothing here changes a number.
"""

from __future__ import annotations

import math

from adoption.config import Scenario
from adoption.config.economics import EconomicsConfig
from adoption.experiment.statistics import Target
from adoption.outcomes import OUTCOMES

CURRENCY: str = EconomicsConfig.model_fields["currency"].default
"""The money unit when none is given: the scenario schema's default for
`economics.currency` (US dollars, the unit of the sourced licence price). A report
names its scenario's currency; the workshop its `--currency`, else its scenario's."""

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
    "ranks": (
        "Each plan's place (1 = best) by each measure: where the places differ, which "
        "measure the room cares about decides the choice."
    ),
    "money": (
        "Mean per run over the whole horizon, not discounted: the value correct uses "
        "created, and what each kind of cost came to."
    ),
}

STATES: dict[str, str] = {
    "no_access": "No access yet: the plan has not given them the tool.",
    "unaware": "Has access but has not heard of the tool yet.",
    "aware": "Knows about the tool and has not yet decided to try it or to refuse it.",
    "trying": "Trying the tool: using it while deciding whether to keep it.",
    "active": (
        "An active user: the tool is part of their work. Adoption is the share of everyone "
        "who is active."
    ),
    "lapsed": (
        "Stopped using it for now (wrong answers, poor fit, slowness, effort, peers, "
        "expectations, or a habit that did not form); may come back, or give up for good."
    ),
    "abandoned": (
        "Gave the tool up for good after lapsing (may become aware again if it visibly "
        "improves). Abandonment is the share of those who tried who gave it up."
    ),
    "rejecting": (
        "Refused to try it; reconsiders only when peers, their manager or what they hear "
        "make trying likelier than when they refused."
    ),
}
"""What each state of a person means, for the live view's counts (engine/states.py)."""

TERMS = {
    "npv": "NPV",
    "adoption": "adoption",
    "abandonment": "abandonment",
    "causes": "causes of abandonment",
    "decisions": "gate decisions",
    "target": "chance of missing the target",
    "interval": "95% interval",
    "paired": "paired",
    "breakeven": "break-even",
    "ranks": "rankings side by side",
    "money": "where the money goes",
}
"""The word each glossary entry explains, as a glossary section lists it."""


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
