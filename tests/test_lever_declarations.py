"""Every scenario lever is declared once, beside its field: label, unit, group, source,
plausible range, key; the written-out scenario carries them as comments."""

from __future__ import annotations

import inspect
import typing

import pytest
import yaml

from adoption.config import Scenario, load_scenario, scenario_yaml
from adoption.config.base import Section
from adoption.config.lever import ASSUMPTION, GROUPS, LEVER, declared_fields, lever
from adoption.config.uncertainties import Uncertainty

NOT_LEVERS = {
    ("Scenario", "name"),
    ("Scenario", "description"),
    ("Plan", "description"),
}
"""Free text that names or describes, not a lever."""


def _sections(annotation) -> list[type[Section]]:
    if inspect.isclass(annotation) and issubclass(annotation, Section):
        return [annotation]
    return [found for arg in typing.get_args(annotation) for found in _sections(arg)]


def _leaf_fields() -> list[tuple[type[Section], str]]:
    """Every field of every section reachable from Scenario that is not itself a section
    (found through the pydantic models, not through the code under test)."""
    seen: set[type[Section]] = set()
    leaves: list[tuple[type[Section], str]] = []

    def walk(model: type[Section]) -> None:
        if model in seen or model is Uncertainty:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            inner = _sections(field.annotation)
            if inner:
                for section in inner:
                    walk(section)
            elif name != "rule" and (model.__name__, name) not in NOT_LEVERS:
                leaves.append((model, name))

    walk(Scenario)
    return leaves


def test_every_field_declares_label_unit_group_and_source():
    leaves = _leaf_fields()
    assert len(leaves) > 200  # every section, every behaviour rule, waves and gates
    for model, name in leaves:
        extra = model.model_fields[name].json_schema_extra
        assert isinstance(extra, dict) and LEVER in extra, f"{model.__name__}.{name}"
        meta = extra[LEVER]
        assert meta["label"].strip() and meta["source"].strip(), f"{model.__name__}.{name}"
        assert isinstance(meta["unit"], str) and meta["group"] in GROUPS
    assert len(declared_fields()) == len(leaves)


def test_the_acceptance_rules_levers_are_declared_in_their_own_group():
    behaviour = [field for field in declared_fields() if "AcceptanceRule" in field.within]
    assert len(behaviour) >= 50  # the rule's 41 and the managers' 9
    assert {field.meta["group"] for field in behaviour} == {"how people decide"}


def test_about_a_dozen_key_levers_each_with_a_plausible_range():
    keys = [field for field in declared_fields() if field.meta["key"]]
    assert 10 <= len(keys) <= 14, [field.path for field in keys]
    for field in keys:
        assert field.meta["plausible"] is not None, field.path
    paths = {field.path for field in keys}
    for expected in (
        "tool.production_accuracy",
        "tool.minimum_useful_accuracy",
        "tool.infrastructure.capacity_requests_per_second",
        "change_management.support.agents",
        "economics.licences.price_per_seat_day",
        "horizon_days",
    ):
        assert expected in paths


def test_plausible_ranges_lie_within_the_bounds_and_hold_the_default():
    for field in declared_fields():
        plausible = field.meta["plausible"]
        if plausible is None:
            continue
        low, high = plausible
        spec = field.value_spec
        assert low >= spec.get("minimum", spec.get("exclusiveMinimum", low)), field.path
        assert high <= spec.get("maximum", spec.get("exclusiveMaximum", high)), field.path
        default = field.spec.get("default")
        if isinstance(default, int | float):
            assert low <= default <= high, (field.path, default, plausible)


def test_the_units_the_guesses_got_wrong():
    units = {field.path: field.meta["unit"] for field in declared_fields()}
    assert units["tool.pipeline.fragile_incidents_per_year"] == "incidents per year"
    assert units["economics.value_per_successful_use"] == "money per correct use"
    assert units["change_management.communications.campaign_awareness_per_year"] == (
        "per person per year"
    )
    assert units["plans.*.gates[].max_projected_latency_ms"] == "milliseconds"


def test_sources_of_the_behaviour_rule_follow_docs_model_md():
    sources = {field.path: field.meta["source"] for field in declared_fields()}
    assert sources["behaviour.weight_social"] == ASSUMPTION
    assert "Lally" in sources["behaviour.habit_days"]
    assert "Venkatesh" in sources["behaviour.weight_conditions"]
    assert "US$30" in sources["economics.licences.price_per_seat_day"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("a label", "days", "nowhere", ASSUMPTION), "unknown lever group 'nowhere'"),
        (("a label", "days", "economics", ""), "needs a label and a source"),
        (("", "days", "economics", ASSUMPTION), "needs a label and a source"),
    ],
)
def test_a_declaration_missing_its_parts_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        lever(*arguments)


def test_a_backwards_plausible_range_is_refused():
    with pytest.raises(ValueError, match="runs backwards"):
        lever("a label", "days", "economics", ASSUMPTION, plausible=(2.0, 1.0))


def _comment_above(lines: list[str], key_line: str) -> str:
    index = lines.index(key_line)
    comment = []
    for line in reversed(lines[:index]):
        if not line.lstrip().startswith("#"):
            break
        comment.insert(0, line.strip().lstrip("#").strip())
    return " ".join(comment)


def test_the_written_scenario_says_what_each_field_is():
    text = scenario_yaml(Scenario())
    lines = text.splitlines()
    comment = _comment_above(lines, "  production_accuracy: 0.7")
    assert comment.startswith("accuracy on production data at launch [share (0–1)]. Source:")
    assert "70% on production data" in comment
    comment = _comment_above(lines, "    fragile_incidents_per_year: 12.0")
    assert "[incidents per year]" in comment
    assert _comment_above(lines, "  try_per_year: 6.0").startswith("how fast people decide")
    assert all(len(line) <= 88 for line in lines if line.lstrip().startswith("#"))


@pytest.mark.parametrize(
    "source",
    [
        None,
        {"behaviour": {"rule": "bass"}},
        {"network": {"kind": "complete", "n": 50}, "behaviour": {"rule": "threshold"}},
    ],
    ids=["default", "bass", "threshold-network"],
)
def test_the_written_scenario_reads_back_to_the_same_scenario(source):
    scenario = load_scenario(source)
    again = Scenario.model_validate(yaml.safe_load(scenario_yaml(scenario)))
    assert again.model_dump() == scenario.model_dump()
