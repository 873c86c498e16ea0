"""`adoption org generate|inspect` end to end, including every error path."""

from __future__ import annotations

import pytest

from tests.conftest import assert_clean_error


def test_generate_then_inspect_round_trip(cli, tmp_path):
    result = cli(
        "org", "generate", "--set", "organisation.employees=400", "--seed", 5, "--out", tmp_path
    )
    assert result.code == 0, result.err
    assert (tmp_path / "org.csv").is_file() and (tmp_path / "edges.csv").is_file()
    assert not list(tmp_path.glob("*.partial"))
    result = cli("org", "inspect", tmp_path / "org.csv", "--edges", tmp_path / "edges.csv")
    assert result.code == 0, result.err
    assert "Organisation: 400 people" in result.out
    for heading in (
        "By role:",
        "By region:",
        "By department:",
        "Teams:",
        "mean degree",
        "clustering",
        "components",
        "average path",
    ):
        assert heading in result.out


@pytest.mark.slow
def test_inspect_default_scenario_with_plot(cli, tmp_path):
    picture = tmp_path / "org.png"
    result = cli("org", "inspect", "--plot", picture)
    assert result.code == 0, result.err
    assert "Organisation: 5,000 people" in result.out
    assert picture.stat().st_size > 50_000
    assert picture.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_inspect_large_organisation_plot_is_sampled(cli, tmp_path):
    picture = tmp_path / "big.png"
    result = cli("org", "inspect", "--set", "organisation.employees=12000", "--plot", picture)
    assert result.code == 0, result.err
    assert picture.is_file()


def test_inspect_scenario_file(cli, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("organisation:\n  employees: 120\n  departments: [A, B]\n  regions: [North]\n")
    result = cli("org", "inspect", path)
    assert result.code == 0, result.err
    assert "120 people" in result.out


def test_errors(cli, tmp_path):
    assert_clean_error(
        cli("org", "inspect", "--set", "organisation.employees=5"), "organisation.employees"
    )
    assert_clean_error(cli("org", "inspect", tmp_path / "none.csv"), "not found")
    assert_clean_error(cli("org", "inspect", "--edges", tmp_path / "e.csv"), "--edges goes with")
    assert_clean_error(cli("org", "inspect", "--plot", tmp_path / "no" / "x.png"), "does not exist")
    assert_clean_error(cli("org", "generate", "--out", tmp_path, "--seed", "-1"), "--seed")
    assert_clean_error(cli("org", "generate"), "--out")
    assert_clean_error(
        cli("org", "generate", "--out", tmp_path, "--set", "tool.nope=1"), "unknown key 'tool.nope'"
    )
    assert_clean_error(cli("frobnicate"), "invalid choice")


@pytest.mark.parametrize(("name", "magic"), [("org.png", b"\x89PNG"), ("org.svg", b"<?xml")])
def test_inspect_small_organisation_plot_in_the_suffix_format(cli, tmp_path, name, magic):
    picture = tmp_path / name
    result = cli("org", "inspect", "--set", "organisation.employees=200", "--plot", picture)
    assert result.code == 0, result.err
    assert picture.read_bytes()[: len(magic)] == magic
    assert [p.name for p in tmp_path.iterdir()] == [name]
