"""Loading HR org-chart exports: the good, the dirty and the broken."""

from __future__ import annotations

import numpy as np
import pytest

from adoption.config import load_scenario
from adoption.errors import InputError
from adoption.organisation import (
    build_organisation,
    generate_organisation,
    load_org_chart,
    write_organisation,
)
from tests.conftest import assert_clean_error, run_console

HEADER = "employee_id,manager_id,team,department,region,role\n"
GOOD_ROWS = (
    "ceo,,Board,Exec,North,executive\n"
    "m1,ceo,Alpha,Sales,North,manager\n"
    "a,m1,Alpha,Sales,North,individual_contributor\n"
    "b,m1,Alpha,Sales,North,individual_contributor\n"
    "m2,ceo,Beta,Finance,South,manager\n"
    "c,m2,Beta,Finance,South,individual_contributor\n"
)


def write(tmp_path, text, name="org.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_good_file_loads(tmp_path):
    org = load_org_chart(write(tmp_path, HEADER + GOOD_ROWS))
    assert org.size == 6
    assert org.team_names == ["Board", "Alpha", "Beta"]
    assert org.department_names == ["Exec", "Sales", "Finance"]
    assert list(org.manager) == [-1, 0, 1, 1, 0, 4]
    assert list(org.role) == [2, 1, 0, 0, 1, 0]
    # no edge list: reporting ties plus generated team and cross-team ties
    assert org.adjacency[2, 1] > 0 and org.adjacency[5, 4] > 0
    assert org.notes == []


def test_round_trip_gives_the_same_organisation(tmp_path):
    config = load_scenario(overrides={"organisation.employees": 2000}).organisation
    original = generate_organisation(config, seed=3)
    chart, edges = write_organisation(original, tmp_path)
    loaded = load_org_chart(chart, config, edges)
    for name in (
        "employee_id",
        "role",
        "manager",
        "innovativeness",
        "adopter_category",
        "digital_skill",
        "threat_perception",
        "stance_prior",
        "team_resistant",
        "team_workflow_fit",
    ):
        assert np.array_equal(getattr(original, name), getattr(loaded, name)), name
    for group in ("team", "department", "region"):
        names = getattr(original, f"{group}_names")
        loaded_names = getattr(loaded, f"{group}_names")
        assert np.array_equal(
            np.array(names)[getattr(original, group)],
            np.array(loaded_names)[getattr(loaded, group)],
        )
    assert (original.adjacency != loaded.adjacency).nnz == 0


def test_dirty_but_acceptable_export(tmp_path):
    text = (
        "\ufeff Employee ID , Manager_ID,TEAM,Department,Region,Role,Cost centre\n"
        " ceo ,,Board,Exec,North,CEO,1\n"
        "m1, ceo ,Alpha,Sales,North,Manager,2\n"
        "\n"
        "a,m1,Alpha,Sales,North,IC,3\n"
        "b,m1,Alpha,Sales,North,Individual Contributor,4\n"
    )
    org = load_org_chart(write(tmp_path, text))
    assert org.size == 4
    assert list(org.role) == [2, 1, 0, 0]
    notes = " | ".join(org.notes)
    for fragment in ("byte-order mark", "trimmed spaces", "role value", "cost_centre", "blank"):
        assert fragment in notes


def test_several_roots_are_accepted_and_noted(tmp_path):
    text = HEADER + "x,,T,D,R,manager\ny,,U,D,R,manager\nz,x,T,D,R,ic\n"
    org = load_org_chart(write(tmp_path, text))
    assert "2 people have no manager" in " ".join(org.notes)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ["empty"]),
        ("\n\n", ["empty"]),
        (HEADER, ["no rows"]),
        ("employee_id,team,department,region,role\nx,T,D,R,ic\n", ["missing column", "manager_id"]),
        (HEADER + GOOD_ROWS + "a,m2,Beta,Finance,South,ic\n", ["line 8", "'a' repeats line 4"]),
        (HEADER + GOOD_ROWS + "d,ghost,Beta,Finance,South,ic\n", ["line 8", "'ghost'"]),
        (HEADER + "a,b,T,D,R,ic\nb,c,T,D,R,ic\nc,a,T,D,R,ic\n", ["no root"]),
        (HEADER + GOOD_ROWS + "p,q,T,D,R,ic\nq,p,T,D,R,ic\n", ["management cycle", "p -> q -> p"]),
        (HEADER + GOOD_ROWS + "s,s,T,D,R,ic\n", ["management cycle", "s -> s", "line 8"]),
        (HEADER + GOOD_ROWS + "d,m2,Beta,Finance,South,wizard\n", ["line 8", "role 'wizard'"]),
        (HEADER + GOOD_ROWS + "d,m2,,Finance,South,ic\n", ["line 8", "team is empty"]),
        (HEADER + GOOD_ROWS + "d,m2,Beta,Finance\n", ["line 8", "expected 6 values, found 4"]),
        (HEADER + GOOD_ROWS + ",m2,Beta,Finance,South,ic\n", ["line 8", "employee_id is empty"]),
        (HEADER.encode() + "é,,T,D,R,ic\n".encode("latin-1"), ["line 2", "not UTF-8"]),
    ],
)
def test_bad_org_chart_names_the_problem(tmp_path, text, fragments):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_org_chart(path)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_bad_attribute_values(tmp_path):
    text = HEADER.strip() + ",digital_skill\n" + "x,,T,D,R,ic,1.5\n"
    with pytest.raises(InputError, match=r"line 2: digital_skill '1\.5' is not a number in 0\.\.1"):
        load_org_chart(write(tmp_path, text))
    text = HEADER.strip() + ",team_resistant\n" + "x,,T,D,R,ic,true\ny,x,T,D,R,ic,false\n"
    with pytest.raises(InputError, match="team_resistant differs within team 'T'"):
        load_org_chart(write(tmp_path, text))


@pytest.mark.parametrize(
    ("edges", "fragments"),
    [
        ("source,target\na,a\n", ["line 2", "self-loop"]),
        ("source,target\na,nobody\n", ["line 2", "target 'nobody'"]),
        ("source,target,weight\na,b,heavy\n", ["line 2", "weight 'heavy'"]),
        ("from,to\na,b\n", ["missing column", "source"]),
        ("", ["empty"]),
    ],
)
def test_bad_edge_list(tmp_path, edges, fragments):
    chart = write(tmp_path, HEADER + GOOD_ROWS)
    with pytest.raises(InputError) as info:
        load_org_chart(chart, edges=write(tmp_path, edges, "edges.csv"))
    for fragment in fragments:
        assert fragment in str(info.value)


def test_edge_list_replaces_generated_ties(tmp_path):
    chart = write(tmp_path, HEADER + GOOD_ROWS)
    edges = write(tmp_path, "source,target,weight\na,c,2.5\nc,a,1\n", "edges.csv")
    org = load_org_chart(chart, edges=edges)
    # reporting ties (5) plus the one collaboration tie, repeated tie merged at its max
    assert org.adjacency.nnz // 2 == 6
    assert org.adjacency[2, 5] == 2.5
    assert any("merged 1 repeated" in note for note in org.notes)


def test_scenario_can_point_to_an_org_chart(tmp_path):
    write(tmp_path, HEADER + GOOD_ROWS)
    scenario_path = tmp_path / "s.yaml"
    scenario_path.write_text("organisation:\n  org_chart: org.csv\n")
    org = build_organisation(load_scenario(scenario_path).organisation)
    assert org.size == 6


def test_cli_bad_org_chart_exits_2_without_traceback(tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS + "d,ghost,Beta,Finance,South,ic\n")
    result = run_console("org", "inspect", path)
    assert_clean_error(result, "line 8", "manager_id 'ghost'")
    assert result.stdout == ""
