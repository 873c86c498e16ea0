"""The workshop's lever catalogue reads label, unit, group, source, plausible range and
key from the scenario schema's declarations, and finds levers by any word."""

from __future__ import annotations

import re

from adoption.config import load_scenario
from adoption.config.lever import declared_fields
from adoption.workshop.levers import GROUPS, find, levers, plan_levers


def test_the_catalogue_reads_each_lever_from_its_declaration():
    declared = {  # the default scenario decides by the acceptance rule
        field.path: field.meta
        for field in declared_fields()
        if not field.path.startswith("behaviour.") or "AcceptanceRule" in field.within
    }
    found = levers()
    assert len(found) > 150
    for lever in found:
        meta = declared[lever.path]
        assert (lever.label, lever.unit, lever.group, lever.source, lever.key) == (
            meta["label"],
            meta["unit"],
            meta["group"],
            meta["source"],
            meta["key"],
        )
        assert lever.plausible == (tuple(meta["plausible"]) if meta["plausible"] else None)


def test_every_group_has_levers_and_behaviour_is_not_absent():
    groups = {lever.group for lever in levers()}
    assert groups == set(GROUPS)
    behaviour = [lever for lever in levers() if lever.path.startswith("behaviour.")]
    assert len(behaviour) >= 50
    assert {lever.path for lever in behaviour} >= {
        "behaviour.weight_usefulness",
        "behaviour.managers.review_days",
    }


def test_a_classic_rule_lists_its_own_levers():
    found = {lever.path for lever in levers(load_scenario({"behaviour": {"rule": "bass"}}))}
    assert {"behaviour.p", "behaviour.q", "behaviour.abandon_per_year"} <= found
    assert "behaviour.weight_usefulness" not in found


def test_about_a_dozen_key_levers_with_values_and_units():
    keys = [lever for lever in levers() if lever.key]
    assert 10 <= len(keys) <= 14
    assert all(lever.unit and lever.plausible for lever in keys)


def test_plan_and_gates_holds_gate_wave_pause_and_budget_fields():
    catalogue = levers() + plan_levers()
    plan = {lever.path for lever in catalogue if lever.group == "plan and gates"}
    assert {
        "horizon_days",
        "economics.launch_cost",
        "waves.share",
        "gates.min_adoption",
        "gates.pause_days",
        "gates.max_pauses",
    } <= plan
    for word, path in (
        ("gate", "gates.business_case"),
        ("budget", "economics.launch_cost"),
        ("pause", "gates.pause_days"),
        ("wave", "waves.day"),
        ("training seats", "change_management.training.seats_per_session"),
        ("uses fail", "tool.pipeline.fragile_incidents_per_year"),
    ):
        assert path in {lever.path for lever in find(word, catalogue)}, word


def test_any_word_of_a_label_or_description_finds_its_lever():
    catalogue = levers() + plan_levers()
    for lever in catalogue:
        for text in (lever.label, lever.description):
            for word in re.findall(r"[^\W_]{4,}", text)[:3]:
                assert lever in find(word.upper(), catalogue), (lever.path, word)
    assert find("", catalogue) == catalogue
    assert "gates.max_pauses" not in {lever.path for lever in find("uses", catalogue)}
