"""Issue 15: hostile files and bad input end in one `adoption: error:` line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from adoption.config import load_scenario
from adoption.config.scenario import MAX_DAYS, check_days
from adoption.errors import InputError
from tests.conftest import assert_clean_error


def alias_bomb() -> str:
    lines = [
        "uncertainties:",
        "  tool.production_accuracy:",
        "    distribution: choice",
        "    values:",
        "    - a: &a [1,1,1,1,1,1,1,1,1]",
    ]
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"    - {name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(cli, tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    assert len(path.read_bytes()) < 600
    assert_clean_error(cli("scenario", "show", path), "bomb.yaml", "expands to more than")


def test_deep_nesting_is_refused(cli, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("description: " + "[" * 500 + "]" * 500 + "\n")
    assert_clean_error(cli("scenario", "show", path), "deep.yaml", "nested deeper than")


def test_aliases_within_budget_still_work(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(
        "plans:\n  a: &plan\n    waves: [{day: 0}]\n  b: *plan\n"
        "uncertainties:\n  tool.production_accuracy: {distribution: uniform, low: 0.6, high: 0.8}\n"
    )
    assert set(load_scenario(path).plans) == {"a", "b"}


def test_duplicate_keys_are_refused_with_their_line(cli, tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("name: a\nhorizon_days: 30\nname: b\n")
    assert_clean_error(cli("scenario", "show", path), "line 3", "'name' appears twice")


def test_empty_scenario_file_is_refused(cli, tmp_path):
    for text in ("", "# only a comment\n"):
        path = tmp_path / "empty.yaml"
        path.write_text(text)
        assert_clean_error(cli("scenario", "show", path), "is empty")


@pytest.mark.parametrize(
    "override",
    [
        "economics.value_per_successful_use=.inf",
        "economics.cost_per_use=.nan",
        "behaviour.weight_social=-.inf",
    ],
)
def test_non_finite_numbers_are_refused(cli, override):
    assert_clean_error(cli("scenario", "show", "--set", override), "finite")


def test_list_valued_choice_is_refused(cli, tmp_path):
    path = tmp_path / "choice.yaml"
    path.write_text(
        "uncertainties:\n  tool.production_accuracy:\n    distribution: choice\n"
        "    values: [[0.7, 0.8], [0.6, 0.9]]\n"
    )
    assert_clean_error(cli("scenario", "show", path), "each choice is one number")


@pytest.mark.parametrize(
    ("network", "fragment"),
    [
        ('{"kind": "watts_strogatz", "n": 10, "k": 12, "p": 0.1}', "k (12) must be below n"),
        ('{"kind": "ring_lattice", "n": 10, "k": 10}', "k (10) must be below n"),
        ('{"kind": "barabasi_albert", "n": 10, "m": 10}', "m (10) must be below n"),
        ('{"kind": "erdos_renyi", "n": 10, "mean_degree": 10}', "mean_degree (10.0)"),
    ],
)
def test_network_parameters_the_generators_reject(cli, network, fragment):
    result = cli("run", "--set", "behaviour.rule=bass", "--set", f"network={network}")
    assert_clean_error(result, fragment)


@pytest.mark.parametrize("name", ["a/b", "../../escaped", ".hidden", "", "x" * 65, "a b"])
def test_plan_names_that_are_not_file_names_are_refused(cli, name):
    import json

    plans = json.dumps({name: {"waves": [{"day": 0}]}})
    assert_clean_error(cli("scenario", "show", "--set", f"plans={plans}"), "plan name")


def test_gate_before_the_first_wave_is_refused(cli):
    plan = '{"late": {"waves": [{"day": 30}], "gates": [{"day": 10, "min_adoption": 0.1}]}}'
    assert_clean_error(
        cli("scenario", "show", "--set", f"plans={plan}"), "comes before the first wave"
    )


def test_fewer_days_than_one_step(cli):
    assert_clean_error(cli("run", "--set", "step_days=7", "--days", "3"), "shorter than one step")
    assert_clean_error(
        cli("scenario", "show", "--set", "step_days=7", "--set", "horizon_days=3"),
        "shorter than one step",
    )


def test_days_are_capped_like_the_horizon(cli):
    assert_clean_error(cli("run", "--days", str(MAX_DAYS + 1)), "36,500")
    scenario = load_scenario()
    assert check_days(scenario, None) == scenario.horizon_days
    with pytest.raises(InputError):
        check_days(scenario, 0)


def test_uncertainty_can_be_set_with_brackets():
    key = "uncertainties[tool.production_accuracy]"
    scenario = load_scenario(
        overrides=[f"{key}.distribution=uniform", f"{key}.low=0.6", f"{key}.high=0.8"]
    )
    assert scenario.uncertainties["tool.production_accuracy"].low == 0.6


@pytest.mark.parametrize("key", ["uncertainties[tool.x", "a..b", "a]b", "[]"])
def test_bad_bracket_paths_are_refused(cli, key):
    assert cli("scenario", "show", "--set", f"{key}=1").code == 2


# --- org charts and edge lists ------------------------------------------------------


@pytest.fixture(scope="module")
def org_files(tmp_path_factory):
    from adoption.config import load_scenario
    from adoption.organisation import build_organisation, write_organisation

    folder = tmp_path_factory.mktemp("org")
    org = build_organisation(load_scenario(overrides=["organisation.employees=300"]).organisation)
    write_organisation(org, folder)
    return folder


def lines_of(path):
    return path.read_text().splitlines(True)


def test_stray_quote_is_reported_where_it_starts(cli, org_files, tmp_path):
    lines = lines_of(org_files / "org.csv")
    lines[80] = lines[80].replace(",", ',"', 1)
    path = tmp_path / "quote.csv"
    path.write_text("".join(lines))
    assert_clean_error(cli("org", "inspect", path), "line 81:", "quote")


def test_stray_quote_in_a_large_file(cli, org_files, tmp_path):
    lines = lines_of(org_files / "org.csv")
    lines += [lines[5]] * 3000
    lines[80] = lines[80].replace(",", ',"', 1)
    path = tmp_path / "big.csv"
    path.write_text("".join(lines))
    assert path.stat().st_size > 128 * 1024
    assert_clean_error(cli("org", "inspect", path), "line 81:", "longer than 128 KB")


def test_trailing_empty_spreadsheet_columns_are_dropped(cli, org_files, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("".join(line.rstrip("\n") + ",,\n" for line in lines_of(org_files / "org.csv")))
    assert cli("org", "inspect", path).code == 0


def test_blank_column_names_are_named(cli, org_files, tmp_path):
    lines = lines_of(org_files / "org.csv")
    path = tmp_path / "blank.csv"
    path.write_text("".join(",,".join(line.rstrip("\n").split(",", 1)) + "\n" for line in lines))
    assert "ignored column(s) (blank)" in cli("org", "inspect", path).out
    path.write_text("".join(",,,".join(line.rstrip("\n").split(",", 1)) + "\n" for line in lines))
    assert_clean_error(cli("org", "inspect", path), "column(s) repeated: (blank)")


def test_semicolon_separated_file_gets_a_hint(cli, org_files, tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(org_files.joinpath("org.csv").read_text().replace(",", ";"))
    assert_clean_error(cli("org", "inspect", path), "semicolon-separated")


@pytest.mark.parametrize("weight", ["inf", "nan", "-1", "1e400", "x"])
def test_non_finite_edge_weights_are_refused(cli, org_files, tmp_path, weight):
    lines = lines_of(org_files / "edges.csv")
    lines[3] = lines[3].rsplit(",", 1)[0] + f",{weight}\n"
    path = tmp_path / "edges.csv"
    path.write_text("".join(lines))
    result = cli("org", "inspect", org_files / "org.csv", "--edges", path)
    assert_clean_error(result, "line 4", "weight")


def test_plain_edge_list_weights_are_checked(cli, tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("source,target,weight\na,b,1\nb,c,inf\n")
    network = f'{{"kind": "edge_list", "path": "{path}"}}'
    result = cli("run", "--set", "behaviour.rule=bass", "--set", f"network={network}")
    assert_clean_error(result, "line 3", "weight")


def test_interrupted_org_generate_leaves_no_partial(tmp_path, monkeypatch):
    import pandas as pd

    from adoption.organisation import build_organisation, write_organisation

    org = build_organisation(load_scenario(overrides=["organisation.employees=50"]).organisation)

    def interrupted(self, path, *args, **kwargs):
        Path(path).write_text("employee_id,")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_organisation(org, tmp_path)
    assert list(tmp_path.iterdir()) == []


# --- command-line arguments ---------------------------------------------------------


def test_blank_plan_list_is_refused(cli):
    assert_clean_error(cli("compare", "--plans", " , "), "name at least one plan")


def test_scheduler_that_is_not_an_address(cli):
    assert_clean_error(cli("compare", "--scheduler", "notaurl"), "not a scheduler address")


def test_plot_format_is_checked_before_work(cli, tmp_path):
    result = cli("org", "inspect", "--set", "organisation.employees=50", "--plot", "x.xyz")
    assert_clean_error(result, "cannot draw a '.xyz' file")


def test_plot_without_suffix_reports_the_real_file(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("org", "inspect", "--set", "organisation.employees=50", "--plot", "figure")
    assert result.code == 0, result.err
    assert "wrote figure.png" in result.out
    assert (tmp_path / "figure.png").is_file()


# --- environment --------------------------------------------------------------------


def test_help_works_without_a_writable_home_or_package(tmp_path):
    """A read-only installation run by a user whose HOME does not exist (numba's cache)."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import REPO

    copy = tmp_path / "install"
    shutil.copytree(
        REPO / "adoption", copy / "adoption", ignore=shutil.ignore_patterns("__pycache__")
    )
    env = {**os.environ, "HOME": "/nonexistent", "PYTHONPATH": str(copy)}
    env.pop("NUMBA_CACHE_DIR", None)
    env.pop("XDG_CACHE_HOME", None)
    command = [sys.executable, "-m", "adoption", "--help"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop write permission")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        probe = subprocess.run(
            [*command[:4], sys.executable, "-c", "pass"], capture_output=True, text=True
        )
        if probe.returncode != 0:
            # e.g. a pyenv interpreter under /root whose libpython nobody else may read
            pytest.skip(f"this interpreter cannot run as an unprivileged user: {probe.stderr}")
        os.chmod(tmp_path, 0o755)
    for folder, _, files in os.walk(copy):
        os.chmod(folder, 0o555)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o444)
    try:
        result = subprocess.run(
            command, cwd=copy, env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        for folder, _, _ in os.walk(copy):
            os.chmod(folder, 0o755)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "compare" in result.stdout


# --- sweeps: preflight, the result store, failures ----------------------------------


SMALL = {"organisation": {"employees": 120}, "horizon_days": 20}


@pytest.fixture
def chart_scenario(tmp_path):
    """A scenario that reads an org chart from a file next to it."""
    from adoption.organisation import build_organisation, write_organisation

    org = build_organisation(load_scenario(SMALL).organisation)
    write_organisation(org, tmp_path / "org")
    path = tmp_path / "org" / "s.yaml"
    path.write_text("horizon_days: 20\norganisation:\n  org_chart: org.csv\n")
    return path


def serial_compare(*args, **kwargs):
    from adoption import SerialExecutor, compare

    return compare(*args, executor=SerialExecutor(), **kwargs)


def test_an_edited_org_chart_does_not_resume_stale_runs(chart_scenario, tmp_path):
    out = tmp_path / "out"
    serial_compare(chart_scenario, ["big-bang"], replications=2, out=out)
    chart = chart_scenario.parent / "org.csv"
    chart.write_text(chart.read_text().replace(",true,", ",false,"))
    with pytest.raises(InputError, match=r"another comparison \(the content of .*org_chart"):
        serial_compare(chart_scenario, ["big-bang"], replications=4, out=out)


def test_a_corrupt_shard_is_computed_again(tmp_path):
    out = tmp_path / "out"
    first = serial_compare(SMALL, ["big-bang"], replications=3, out=out)
    shards = sorted((out / "runs").glob("*.parquet"))
    shards[0].write_bytes(shards[0].read_bytes()[:100])  # truncated
    shards[1].write_bytes(b"PAR1 not parquet at all PAR1")
    again = serial_compare(SMALL, ["big-bang"], replications=3, out=out)
    assert (again.computed, again.reused) == (2, 1)
    import pandas as pd

    pd.testing.assert_frame_equal(first.runs, again.runs)


def test_a_corrupt_manifest_is_a_clear_error(cli, tmp_path):
    out = tmp_path / "out"
    serial_compare(SMALL, ["big-bang"], replications=1, out=out)
    (out / "manifest.json").write_text('{"scenario_hash": "ab')
    with pytest.raises(InputError, match=r"manifest\.json is corrupt"):
        serial_compare(SMALL, ["big-bang"], replications=1, out=out)


def test_waves_are_checked_against_the_org_chart_before_any_run(
    cli, chart_scenario, tmp_path, monkeypatch
):
    from adoption.experiment import runner

    chart = chart_scenario.parent / "org.csv"
    chart.write_text(chart.read_text().replace(",North,", ",Nord,"))
    monkeypatch.setattr(runner, "simulate", lambda *a, **k: pytest.fail("a run started"))
    out = tmp_path / "out"
    result = cli("compare", chart_scenario, "--replications", "1", "--out", out)
    assert_clean_error(result, "plan 'regional-pilot'", "no region named 'North'")
    assert not out.exists()


def test_target_is_checked_before_any_run(cli, tmp_path, monkeypatch):
    from adoption.experiment import runner

    monkeypatch.setattr(runner, "simulate", lambda *a, **k: pytest.fail("a run started"))
    out = tmp_path / "out"
    result = cli("compare", "--target", "abandoned_because_nothing<=0.1", "--out", out)
    assert_clean_error(result, "unknown metric 'abandoned_because_nothing'")
    assert not out.exists()


def test_compare_with_no_plans_is_an_input_error():
    with pytest.raises(InputError, match="no plans to compare"):
        serial_compare(SMALL, [], replications=1)


def failing_plan(monkeypatch, failing):
    from adoption.experiment import runner

    original = runner.simulate

    def simulate(scenario, plan, **kwargs):
        if plan in failing:
            raise RuntimeError(f"{plan} always fails")
        return original(scenario, plan, **kwargs)

    monkeypatch.setattr(runner, "simulate", simulate)


def test_a_plan_failing_in_every_run_is_left_out_not_a_key_error(tmp_path, monkeypatch):
    failing_plan(monkeypatch, {"pilot-10"})
    out = tmp_path / "out"
    comparison = serial_compare(SMALL, ["big-bang", "pilot-10"], replications=2, out=out)
    assert comparison.plans == ["big-bang"]
    assert len(comparison.failures) == 2
    assert (out / "report.html").is_file()


def test_every_run_failed_is_exit_1_and_leaves_out_untouched(cli, tmp_path, monkeypatch):
    from adoption import SerialExecutor
    from adoption.cli import common as cli_common

    failing_plan(monkeypatch, {"big-bang"})
    monkeypatch.setattr(cli_common, "PoolExecutor", lambda workers=None: SerialExecutor())
    out = tmp_path / "out"
    args = ["compare", "--set", "organisation.employees=120", "--set", "horizon_days=20"]
    result = cli(*args, "--plans", "big-bang", "--replications", "2", "--out", out)
    assert result.code == 1, result.err
    assert result.err.count("\n") == 1 and result.err.startswith("adoption: error: every run")
    assert not out.exists()
    monkeypatch.undo()  # the corrected scenario may use the same folder
    monkeypatch.setattr(cli_common, "PoolExecutor", lambda workers=None: SerialExecutor())
    result = cli(*args, "--plans", "big-bang", "--replications", "2", "--out", out)
    assert result.code == 0, result.err


def test_a_failing_baseline_is_runs_failed(monkeypatch):
    from adoption.errors import RunsFailed

    failing_plan(monkeypatch, {"big-bang"})
    with pytest.raises(RunsFailed, match="baseline 'big-bang'"):
        serial_compare(SMALL, ["big-bang", "pilot-10"], replications=1)


def test_usage_errors_are_one_line(cli):
    result = cli("compare", "--replications", "x")
    assert_clean_error(result, "adoption: error: compare: argument --replications")
    assert result.err.count("\n") == 1


def test_astronomic_numbers_are_refused_before_they_overflow(cli):
    result = cli("run", "--set", "economics.value_per_successful_use=1.0e308", "--days", "5")
    assert_clean_error(result, "expected a number between")


def test_files_a_scenario_reads_are_checked_before_any_run(cli, tmp_path, monkeypatch):
    from adoption.experiment import runner

    monkeypatch.setattr(runner, "simulate", lambda *a, **k: pytest.fail("a run started"))
    missing = '{"kind": "edge_list", "path": "' + str(tmp_path / "nope.csv") + '"}'
    result = cli("compare", "--set", "behaviour.rule=bass", "--set", f"network={missing}")
    assert_clean_error(result, "network.path", "not found")
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,weight\na,b,1\nb,c,nan\n")
    bad = '{"kind": "edge_list", "path": "' + str(edges) + '"}'
    result = cli("compare", "--set", "behaviour.rule=bass", "--set", f"network={bad}")
    assert_clean_error(result, "line 3", "weight")
