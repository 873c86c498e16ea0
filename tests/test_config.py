"""Scenario loading, defaults, overrides and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption.config import Scenario, load_scenario, scenario_yaml
from adoption.errors import InputError
from tests.conftest import REPO, assert_clean_error


def test_default_scenario_loads_without_a_file():
    scenario = load_scenario()
    assert scenario.organisation.employees == 5000
    assert len(scenario.organisation.regions) == 4
    assert len(scenario.organisation.departments) == 8
    assert {"big-bang", "pilot-10", "regional-pilot", "phased", "champions"} <= set(scenario.plans)


def test_example_files_validate():
    folder = REPO / "experiments" / "scenarios"
    sizes = {p.stem: load_scenario(p).organisation.employees for p in folder.glob("*.yaml")}
    assert sizes["default"] == 5000
    assert sizes["workshop"] == 200
    assert sizes["enterprise"] == 100_000


def test_default_file_is_the_bundled_default():
    assert load_scenario(REPO / "experiments" / "scenarios" / "default.yaml") == load_scenario()


def test_shown_scenario_loads_back_identically(tmp_path):
    scenario = load_scenario(overrides=["organisation.employees=1234"])
    path = tmp_path / "resolved.yaml"
    path.write_text(scenario_yaml(scenario))
    assert load_scenario(path) == scenario


def test_overrides_are_typed_and_nested():
    scenario = load_scenario(
        overrides=[
            "organisation.employees=20000",
            "organisation.regions=[North, Far North]",
            "tool.region_accuracy_offset={North: 0.02, Far North: -0.02}",
        ]
    )
    assert scenario.organisation.employees == 20000
    assert scenario.organisation.regions == ["North", "Far North"]
    assert scenario.tool.region_accuracy_offset == {"North": 0.02, "Far North": -0.02}
    with pytest.raises(InputError, match="region_accuracy_offset names no region East"):
        load_scenario(overrides=["organisation.regions=[North, South]"])


def test_dict_source_and_mapping_overrides():
    scenario = load_scenario(
        {"organisation": {"employees": 300}}, {"tool.production_accuracy": 0.8}
    )
    assert scenario.organisation.employees == 300
    assert scenario.tool.production_accuracy == 0.8


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("organisation:\n  employes: 10\n", ["unknown key 'organisation.employes'", "employees"]),
        ("organisation:\n  employees: many\n", ["organisation.employees", "integer", "many"]),
        ("tool:\n  production_accuracy: 1.4\n", ["tool.production_accuracy", "1.4"]),
        ("organisation: [1, 2\n", ["line 2", "invalid YAML"]),
        ("- a\n- b\n", ["expected a mapping"]),
        (
            "organisation:\n  team_size_min: 9\n  team_size_max: 6\n",
            ["team_size_min (9) is larger than team_size_max (6)"],
        ),
        (
            "plans:\n  p:\n    waves: [{group: region, name: Atlantis}]\n",
            ["no region named 'Atlantis'"],
        ),
        (
            "uncertainties:\n  tool.nonsense: {distribution: uniform, low: 0, high: 1}\n",
            ["uncertainty 'tool.nonsense'"],
        ),
        (
            "uncertainties:\n  tool.drift_per_year: {distribution: triangular, low: 0, high: 1}\n",
            ["needs mode"],
        ),
    ],
)
def test_bad_scenario_names_file_and_key(tmp_path, text, fragments):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message


def test_bad_override_is_named():
    with pytest.raises(InputError, match=r"--set organisation.employees=-5: .*greater than"):
        load_scenario(overrides=["organisation.employees=-5"])
    with pytest.raises(InputError, match=r"expected key\.path=value"):
        load_scenario(overrides=["organisation.employees"])
    with pytest.raises(InputError, match="'horizon_days' is a value, not a section"):
        load_scenario(overrides=["horizon_days.days=3"])


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_scenario(tmp_path / "nope.yaml")
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_scenario(path)


def test_org_chart_path_is_relative_to_the_scenario(tmp_path):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "s.yaml"
    path.write_text("organisation:\n  org_chart: org.csv\n")
    assert load_scenario(path).organisation.org_chart == tmp_path / "sub" / "org.csv"


@settings(max_examples=60, deadline=None)
@given(
    share=st.floats(min_value=-2, max_value=3, allow_nan=False),
    employees=st.integers(min_value=-100, max_value=3_000_000),
)
def test_range_checks_accept_exactly_the_documented_ranges(share, employees):
    overrides = {
        "organisation.resistant_team_share": share,
        "organisation.employees": employees,
    }
    valid = 0 <= share <= 1 and 10 <= employees <= 2_000_000
    if valid:
        scenario = load_scenario(overrides=overrides)
        assert scenario.organisation.resistant_team_share == share
    else:
        with pytest.raises(InputError) as info:
            load_scenario(overrides=overrides)
        assert "organisation." in str(info.value)


def test_every_field_has_a_description_or_is_a_section():
    schema = Scenario.model_json_schema()

    def check(props: dict, where: str) -> None:
        for name, spec in props.items():
            if "$ref" in spec or ("anyOf" in spec and name == "behaviour"):
                continue
            if name in {"name", "description", "rule"}:
                continue
            if spec.get("type") == "object" or "additionalProperties" in spec:
                continue
            assert spec.get("description"), f"{where}.{name} has no description"

    for name, definition in schema["$defs"].items():
        if name in {"Wave", "Plan", "Uncertainty"}:
            continue
        check(definition.get("properties", {}), name)


def test_cli_schema_and_show(cli):
    result = cli("scenario", "schema")
    assert result.code == 0
    assert json.loads(result.out)["title"] == "Scenario"
    result = cli("scenario", "show", "--set", "organisation.employees=777")
    assert result.code == 0
    assert yaml.safe_load(result.out)["organisation"]["employees"] == 777


def test_cli_show_bad_file_exit_2(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("horizon_days: soon\n")
    assert_clean_error(cli("scenario", "show", path), str(path), "horizon_days")
    assert_clean_error(cli("scenario", "show", Path("missing.yaml")), "not found")
