"""Fuzzing the front door: whatever the input, one `adoption: error:` line or a result.

Valid scenarios (as YAML text and as `--set` lists), org charts, edge lists and
argument lists are mutated (types, ranges, structure, encodings, truncation), and
every command must end with exit code 0, 2, or 1 only when runs failed; never a
traceback; on error, stderr is one `adoption: error:` line; and `--out` is either
complete or untouched.

The budget is small by default (each test well under a minute, derandomised, so CI
is repeatable). For a real hunt, raise it and let Hypothesis pick fresh examples:

    ADOPTION_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py

The CLI runs in-process on tiny organisations (50 people, 5 days), comparisons on
the serial executor, so an example takes milliseconds to a fraction of a second.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adoption import SerialExecutor
from adoption.cli import common as cli_common
from adoption.config import load_scenario

pytestmark = pytest.mark.slow

EXAMPLES = os.environ.get("ADOPTION_FUZZ_EXAMPLES")
FUZZ = settings(
    max_examples=int(EXAMPLES or 50),
    derandomize=EXAMPLES is None,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TINY = ["--set", "organisation.employees=50", "--set", "horizon_days=5"]

# --- what a result must look like ----------------------------------------------------


def check(result, out: Path | None = None, complete: str | None = None) -> None:
    """Exit 0/1/2, no traceback, one error line, `out` complete or untouched."""
    assert result.code in (0, 1, 2), (result.code, result.err)
    assert "Traceback" not in result.err, result.err
    lines = result.err.strip().splitlines()
    if result.code == 2:
        assert len(lines) == 1 and lines[0].startswith("adoption: error: "), result.err
    elif result.code == 1:
        assert lines and all(line.startswith("adoption: ") for line in lines), result.err
    else:
        assert not any(line.startswith("adoption: error") for line in lines), result.err
    if out is not None:
        if result.code == 0 and complete is not None:
            assert (out / complete).is_file(), f"{out} is incomplete"
        elif result.code == 2:
            assert not out.exists(), f"{out} was touched by a refused command"


@pytest.fixture
def serial(monkeypatch):
    """Comparisons in this process, so an example costs milliseconds."""
    monkeypatch.setattr(cli_common, "PoolExecutor", lambda workers=None: SerialExecutor())


@pytest.fixture
def scratch(tmp_path):
    def fresh() -> Path:
        return Path(tempfile.mkdtemp(dir=tmp_path))

    return fresh


# --- mutations ----------------------------------------------------------------------

HOSTILE = st.one_of(
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.none(),
    st.booleans(),
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(-5, 5), max_size=2),
)

BASE = {
    "name": "fuzz",
    "horizon_days": 5,
    "step_days": 1.0,
    "organisation": {"employees": 50, "regions": ["North", "South"]},
    "tool": {"poc_accuracy": 0.95, "production_accuracy": 0.7},
    "economics": {"value_per_successful_use": 4.0, "launch_cost": 1000.0},
    "plans": {
        "pilot": {
            "waves": [{"day": 0, "group": "region", "name": "North"}, {"day": 3, "group": "rest"}],
            "gates": [{"day": 2, "min_adoption": 0.1}],
        },
        "all": {"waves": [{"day": 0, "group": "all"}]},
    },
    "uncertainties": {
        "tool.production_accuracy": {"distribution": "uniform", "low": 0.6, "high": 0.8}
    },
}


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path in a nested structure of dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


@st.composite
def mutated_scenario(draw) -> dict:
    import copy

    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(data)))
        parent = data
        for part in where[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[where[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(HOSTILE)
        else:
            parent[where[-1]] = draw(HOSTILE)
        if not paths(data):
            break
    return data


@st.composite
def mangled_bytes(draw, text: str) -> bytes:
    """The text, maybe truncated, spliced, re-encoded or given a byte-order mark."""
    kind = draw(st.sampled_from(["as is", "truncate", "splice", "latin-1", "utf-16", "bom"]))
    data = text.encode("utf-8")
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "splice":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b'"', b"\x00", b"\xff\xfe", b";", b"\n\n", b"\t", b",,"]))
        return data[:at] + junk + data[at:]
    if kind == "latin-1":
        return (text + "\n# café\n").encode("latin-1", errors="replace")
    if kind == "utf-16":
        return text.encode("utf-16")
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    return data


OVERRIDE_KEYS = [
    "horizon_days",
    "step_days",
    "organisation.regions",
    "organisation.network.cross_team_ties_per_person",
    "tool.production_accuracy",
    "economics.value_per_successful_use",
    "economics.cost_per_use",
    "plans",
    "plans.big-bang.waves",
    "plans.pilot-10.gates",
    "uncertainties",
    "uncertainties[tool.production_accuracy].low",
    "uncertainties[tool.production_accuracy]",
    "behaviour.rule",
    "network",
    "name",
    "nonsense.key",
    "tool..x",
    "[",
]
OVERRIDE_VALUES = st.one_of(
    st.sampled_from(
        [
            "0",
            "-1",
            "1e308",
            ".inf",
            "-.nan",
            "[1, 2]",
            "{a: 1}",
            "null",
            "true",
            "''",
            "&a [*a, *a]",
            "[[[[[[[[]]]]]]]]",
            "{distribution: choice, values: [0.6, 0.7]}",
            "{distribution: uniform, low: 0.6, high: 0.8}",
            "{kind: watts_strogatz, n: 10, k: 12, p: 0.1}",
            "{a/b: {waves: [{day: 0}]}}",
            "bass",
            "7",
        ]
    ),
    st.text(max_size=10),
)
OVERRIDES = st.lists(
    st.tuples(st.sampled_from(OVERRIDE_KEYS), OVERRIDE_VALUES).map(lambda kv: f"{kv[0]}={kv[1]}"),
    max_size=3,
)


def set_args(overrides: list[str]) -> list[str]:
    return [arg for item in overrides for arg in ("--set", item)]


# --- scenarios ----------------------------------------------------------------------


@FUZZ
@given(data=mutated_scenario(), raw=st.data())
def test_mutated_scenario_files(cli, serial, scratch, data, raw):
    folder = scratch()
    path = folder / "scenario.yaml"
    text = yaml.safe_dump(data, allow_unicode=True)
    path.write_bytes(raw.draw(mangled_bytes(text)))
    check(cli("scenario", "show", path))
    out = folder / "out"
    check(cli("run", path, *TINY, "--days", "5", "--out", out), out, "metrics.json")
    out = folder / "compare"
    result = cli("compare", path, *TINY, "--replications", "1", "--out", out)
    check(result, out, "report.html")


@FUZZ
@given(overrides=OVERRIDES)
def test_override_lists(cli, serial, scratch, overrides):
    out = scratch() / "out"
    # the tiny organisation and horizon come last, so they win over the fuzzed ones
    result = cli("run", *set_args(overrides), *TINY, "--days", "5", "--out", out)
    check(result, out, "metrics.json")
    out = scratch() / "compare"
    result = cli(
        "compare", *set_args(overrides), *TINY, "--replications", "1", "--plans", "big-bang",
        "--out", out,
    )  # fmt: skip
    check(result, out, "report.html")


# --- org charts and edge lists ------------------------------------------------------


@pytest.fixture(scope="module")
def org_texts(tmp_path_factory) -> tuple[str, str]:
    from adoption.organisation import build_organisation, write_organisation

    folder = tmp_path_factory.mktemp("fuzz-org")
    org = build_organisation(load_scenario(overrides=["organisation.employees=50"]).organisation)
    chart, edges = write_organisation(org, folder)
    return chart.read_text(), edges.read_text()


@st.composite
def mangled_csv(draw, text: str) -> bytes:
    lines = text.splitlines(True)
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["cell", "drop", "dup", "quote", "semicolon", "extra"]))
        cells = lines[row].rstrip("\n").split(",")
        if kind == "cell":
            column = draw(st.integers(0, len(cells) - 1))
            value = draw(
                st.one_of(
                    st.sampled_from(["", "inf", "nan", "-1", "1e400", "true", "x", "North"]),
                    st.text(max_size=6).filter(lambda s: not any(c in s for c in ',\n\r"')),
                )
            )
            cells[column] = value
            lines[row] = ",".join(cells) + "\n"
        elif kind == "drop" and len(lines) > 1:
            del lines[row]
        elif kind == "dup":
            lines.insert(row, lines[row])
        elif kind == "quote":
            lines[row] = lines[row].replace(",", ',"', 1)
        elif kind == "semicolon":
            lines[row] = lines[row].replace(",", ";")
        else:
            lines[row] = lines[row].rstrip("\n") + ",,\n"
    return draw(mangled_bytes("".join(lines)))


@FUZZ
@given(raw=st.data())
def test_mutated_org_charts(cli, scratch, org_texts, raw):
    chart_text, _ = org_texts
    folder = scratch()
    chart = folder / "org.csv"
    chart.write_bytes(raw.draw(mangled_csv(chart_text)))
    check(cli("org", "inspect", chart))
    (folder / "s.yaml").write_text("horizon_days: 5\norganisation:\n  org_chart: org.csv\n")
    out = folder / "out"
    check(cli("run", folder / "s.yaml", "--days", "5", "--out", out), out, "metrics.json")


@FUZZ
@given(raw=st.data())
def test_mutated_edge_lists(cli, scratch, org_texts, raw):
    chart_text, edges_text = org_texts
    folder = scratch()
    (folder / "org.csv").write_text(chart_text)
    edges = folder / "edges.csv"
    edges.write_bytes(raw.draw(mangled_csv(edges_text)))
    check(cli("org", "inspect", folder / "org.csv", "--edges", edges))
    network = f'{{"kind": "edge_list", "path": "{edges}"}}'
    check(cli("run", "--set", "behaviour.rule=bass", "--set", f"network={network}", "--days", "5"))


# --- argument lists -----------------------------------------------------------------

OPTIONS = {
    "compare": {
        "--plans": ["big-bang", "big-bang,pilot-10", " , ", "nope", "a/b", "big-bang,big-bang"],
        "--replications": ["1", "2", "0", "-1", "x", "1e3"],
        "--samples": ["1", "2", "0", "x"],
        "--seed": ["0", "7", "-3", "x"],
        "--target": [
            "reach>=0.8",
            "abandoned_because_nothing<=0.1",
            "abandoned_because_effort<=0.5",
            "reach>>1",
            "",
            "adoption_rate>=nan",
            "net_value<inf",
        ],
        "--baseline": ["big-bang", "pilot-10", "nope"],
        "--workers": ["1", "0", "x"],
        "--scheduler": ["notaurl", ""],
        "--switches": ["", "tool.production_accuracy", "nope", ","],
        "--more-weeks": ["1", "8", "9", "0", "x"],
    },
    "run": {
        "--plan": ["big-bang", "pilot-10", "nope", ""],
        "--seed": ["0", "5", "-1", "x"],
        "--days": ["0", "1", "3", "5", "40000", "x", "-5"],
    },
    "scenario show": {},
    "org generate": {"--seed": ["0", "3", "-1", "x"]},
    "org inspect": {"--seed": ["0", "x"], "--plot": ["x.xyz", "fig", "fig.svg", "missing/x.png"]},
}
COMPLETE = {"compare": "report.html", "run": "metrics.json", "org generate": "edges.csv"}


@st.composite
def argument_lists(draw) -> tuple[str, list[str], bool]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    args: list[str] = []
    for option, values in OPTIONS[command].items():
        if draw(st.booleans()):
            args += [option, draw(st.sampled_from(values))]
    args += set_args(draw(OVERRIDES))
    if draw(st.integers(0, 9)) == 0:
        args.append(draw(st.sampled_from(["--bogus", "-x", "extra.yaml", "--", "--set"])))
    with_out = command in COMPLETE and draw(st.booleans())
    return command, args, with_out


@FUZZ
@given(drawn=argument_lists())
def test_argument_lists(cli, serial, scratch, drawn, monkeypatch):
    command, args, with_out = drawn
    folder = scratch()
    monkeypatch.chdir(folder)
    out = folder / "out"
    tail = list(TINY) if command != "org inspect" else ["--set", "organisation.employees=50"]
    if command == "compare":
        tail += ["--replications", "1"]
    if command == "run":
        tail += ["--days", "5"]
    if with_out or command == "org generate":
        tail += ["--out", str(out)]
    result = cli(*command.split(), *args, *tail)
    check(result, out if "--out" in tail else None, COMPLETE.get(command))
