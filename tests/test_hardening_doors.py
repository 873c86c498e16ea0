"""Issue 23: the new doors (CLI edges, telemetry, a posterior) refuse hostile input in
one `adoption: error:` line with exit 2, never a traceback or a partial result."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time

import pytest

from tests.conftest import assert_clean_error

MEMORY_LIMIT = 1_500_000_000
"""Address space a refused file must be refused within (bytes)."""


def size_bomb() -> str:
    """A file under 1 MB: one 500 KB string aliased 99,000 times (about 50 GB expanded)."""
    values = ", ".join(["*a"] * 99_000)
    return (
        f"description: &a {'x' * 500_000}\nuncertainties:\n  tool.production_accuracy:\n"
        f"    distribution: choice\n    values: [{values}]\n"
    )


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_a_string_aliased_into_gigabytes_is_refused_at_once_in_little_memory(tmp_path):
    path = tmp_path / "size.yaml"
    path.write_text(size_bomb())
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "adoption", "scenario", "show", str(path)],
        capture_output=True,
        text=True,
        preexec_fn=_limit_memory,
        timeout=120,
    )
    assert_clean_error(result, "size.yaml", "characters of text")
    assert time.monotonic() - started < 30


def test_explore_refuses_a_billion_samples_before_any_work(cli, tmp_path):
    started = time.monotonic()
    result = cli("explore", "--samples", "1000000000", "--out", tmp_path / "out")
    assert_clean_error(result, "runs: more than the 1,000,000 one sweep may hold")
    assert time.monotonic() - started < 5 and not (tmp_path / "out").exists()


def test_compare_refuses_more_runs_than_a_sweep_may_hold(cli):
    assert_clean_error(
        cli("compare", "--replications", "99999999"), "fewer samples or replications"
    )


def test_a_terminal_that_cannot_show_unicode_gets_escapes_not_a_traceback():
    for args in (["scenario", "show", "--set", "name=café×"], ["compare", "--set", "name=é"]):
        result = subprocess.run(
            [sys.executable, "-m", "adoption", *args, "--set", "organisation.employees=-1"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONIOENCODING": "ascii"},
            timeout=120,
        )
        assert_clean_error(result, "organisation.employees")
    shown = subprocess.run(
        [sys.executable, "-m", "adoption", "scenario", "show", "--set", "name=café×"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=120,
    )
    assert shown.returncode == 0 and "caf\\xe9\\xd7" in shown.stdout, shown.stderr


def test_out_of_memory_is_one_line_and_exit_1(cli, monkeypatch):
    from adoption.cli import scenario_cmd

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(scenario_cmd, "scenario_from", exhausted)
    result = cli("scenario", "show")
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.strip().splitlines() == [
        "adoption: error: out of memory: this machine cannot hold the work asked for "
        "(fewer employees, replications, samples or --workers)"
    ]


def test_org_generate_into_a_file_is_an_input_error(cli, tmp_path):
    target = tmp_path / "taken.csv"
    target.write_text("x\n")
    result = cli("org", "generate", "--set", "organisation.employees=50", "--out", target)
    assert_clean_error(result, "taken.csv: is a file, not a folder")
    under = cli("org", "generate", "--out", target / "sub")
    assert_clean_error(under, "lies under the file")


def test_a_nul_byte_in_an_employee_id_is_refused(cli, tmp_path):
    chart = tmp_path / "org.csv"
    chart.write_bytes(
        b"employee_id,manager_id,team,department,region,role\n"
        b"e0,,t0,D,R,executive\ne\x001,e0,t0,D,R,individual_contributor\n"
    )
    assert_clean_error(cli("org", "inspect", chart), "line 3: employee_id", "control character")


def test_a_network_too_large_for_memory_is_refused_by_its_projected_size(cli):
    result = cli(
        "scenario", "show", "--set", "behaviour.rule=bass",
        "--set", "network={kind: erdos_renyi, n: 10000000, mean_degree: 1000000}",
    )  # fmt: skip
    assert_clean_error(result, "ties; at most 50,000,000 fit in memory")


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda a: a.load_scenario(123), "scenario: expected a YAML file path"),
        (lambda a: a.simulate(None, "big-bang", seed=-1), "seed: expected a number >= 0"),
        (lambda a: a.simulate(None, "big-bang", seed="x"), "seed: expected a whole number"),
        (lambda a: a.compare(None, replications="3"), "replications: expected a whole number"),
        (lambda a: a.compare(None, target=5), "target: expected a text"),
        (lambda a: a.explore(None, samples=2.5), "samples: expected a whole number"),
        (lambda a: a.build_organisation(None), "config: expected an OrganisationConfig"),
        (lambda a: a.generate_organisation("x"), "config: expected an OrganisationConfig"),
        (lambda a: a.load_org_chart(5), "org_chart: expected a file path"),
        (lambda a: a.calibrate(None, 5, "tool.production_accuracy"), "telemetry: expected"),
        (lambda a: a.calibrate(None, "t.csv", "x", population="9"), "population: expected"),
        (lambda a: a.PoolExecutor(-1), "workers: expected a number >= 1"),
    ],
)
def test_the_python_api_raises_the_input_error_the_cli_reports(call, fragment):
    import adoption

    with pytest.raises(adoption.InputError, match=re.escape(fragment)):
        call(adoption)


def test_hostile_names_are_text_in_the_explore_and_compare_reports(tmp_path):
    import yaml

    from adoption import SerialExecutor, compare, explore
    from tests.workshop.test_security import hostile_scenario

    raw = yaml.safe_load(hostile_scenario())
    raw["horizon_days"] = 30
    raw["uncertainties"] = {
        "tool.production_accuracy": {"distribution": "uniform", "low": 0.6, "high": 0.8}
    }
    explore(raw, samples=1, replications=1, executor=SerialExecutor(), out=tmp_path / "x")
    compare(raw, replications=2, executor=SerialExecutor(), out=tmp_path / "c")
    for report in (tmp_path / "x" / "report.html", tmp_path / "c" / "report.html"):
        text = report.read_text().lower()
        assert "<script" not in text and 'onerror="' not in text, report
        images = re.findall(r"<img[^>]*>", text)
        assert all(re.match(r'<img alt="[\w.]+" src="data:image/png;base64,', i) for i in images)
        assert "&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;" in text
