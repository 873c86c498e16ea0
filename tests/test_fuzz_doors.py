"""Fuzzing the new doors (issue 23): the workshop's HTTP API, telemetry tables and
calibration folders. Whatever comes in, the workshop answers 200 or 400 (never a 500)
with a one-line error, and what it exports loads again; `calibrate` and
`compare --posterior` end as every command must (see tests/test_fuzz.py's `check`),
and a tampered calibration folder is never forecast from.

Budget and replay as in tests/test_fuzz.py (ADOPTION_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from adoption.config import load_scenario
from adoption.experiment.executors import SerialExecutor
from adoption.workshop.app import Workshop, build_app
from adoption.workshop.jobs import JobQueue
from tests.test_fuzz import (
    BASE,
    FUZZ,
    HOSTILE,
    check,
    mangled_bytes,
    mutated_scenario,
)
from tests.workshop.test_app import open_tab

pytestmark = pytest.mark.slow

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.text(max_size=8),
    st.floats(allow_nan=False, allow_infinity=False),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def client():
    shop = Workshop(load_scenario(BASE), workers=1, queue=JobQueue(1, SerialExecutor))
    with TestClient(build_app(shop), base_url="http://127.0.0.1") as test_client:
        test_client.headers.update(open_tab(test_client))
        yield test_client
    shop.close()


def answered(response) -> None:
    """200, or 400 with one line of error: never a 500 or a traceback."""
    assert response.status_code in (200, 400), (response.status_code, response.text[:500])
    if response.status_code == 400:
        message = response.json()["error"]
        assert message and "\n" not in message and "Traceback" not in message


def exported_loads(client) -> None:
    exported = client.get("/api/export/scenario.yaml")
    assert exported.status_code == 200
    load_scenario(yaml.safe_load(exported.text))  # what the app saves, the CLI reads


# --- the workshop's HTTP API -------------------------------------------------------------


@FUZZ
@given(data=mutated_scenario(), raw=st.data())
def test_uploaded_scenarios(client, data, raw):
    text = yaml.safe_dump(data, allow_unicode=True)
    answered(client.post("/api/load/scenario", content=raw.draw(mangled_bytes(text))))
    exported_loads(client)


@FUZZ
@given(
    plan=st.sampled_from(["big-bang", "pilot", "all", "x"]),
    edit=st.one_of(JSON, st.fixed_dictionaries({"waves": JSON}), st.fixed_dictionaries(
        {"waves": st.just([{"day": 0, "group": "all"}]), "gates": JSON})),
    levers=st.dictionaries(
        st.sampled_from(["tool.production_accuracy", "horizon_days", "organisation.employees",
                         "behaviour.rule", "plans", "name", "x.y"]),
        HOSTILE, max_size=2),
)  # fmt: skip
def test_plan_edits_and_levers(client, plan, edit, levers):
    client.post("/api/load/scenario", content=yaml.safe_dump(BASE))
    answered(client.post("/api/scenario", json={"plans": {plan: edit}, "overrides": levers}))
    exported_loads(client)


@FUZZ
@given(start=JSON, steps=st.lists(JSON, max_size=3))
def test_the_live_model(client, start, steps):
    client.post("/api/load/scenario", content=yaml.safe_dump(BASE))
    answered(client.post("/api/live/start", json=start))
    for step in steps:
        answered(client.post("/api/live/step", json=step))


@FUZZ
@given(body=JSON, path=st.sampled_from(["/api/run", "/api/cancel", "/api/pin", "/api/unpin"]))
def test_commands(client, body, path):
    client.post("/api/load/scenario", content=yaml.safe_dump(BASE))
    answered(client.post(path, json=body))
    client.post("/api/cancel")


# --- telemetry and calibration folders --------------------------------------------------

TELEMETRY = "week,region,with_access,active\n1,North,25,3\n2,North,25,6\n3,North,25,8\n"
CALIBRATE = ("--fit", "tool.production_accuracy", "--population", "10", "--generations", "1",
             "--draws", "1", "--set", "organisation.employees=50")  # fmt: skip


@pytest.fixture
def scratch(tmp_path):
    """A fresh folder per example."""
    return lambda: Path(tempfile.mkdtemp(dir=tmp_path))


@pytest.fixture(scope="module")
def pilot(tmp_path_factory):
    """A scenario, its telemetry and one calibration folder of it."""
    from adoption.calibration import calibrate

    root = tmp_path_factory.mktemp("pilot")
    scenario = root / "pilot.yaml"
    scenario.write_text(yaml.safe_dump({**BASE, "horizon_days": 60}))
    telemetry = root / "telemetry.csv"
    telemetry.write_text(TELEMETRY)
    calibrate(scenario, telemetry, ["tool.production_accuracy"], root / "cal",
              plan="pilot", population=10, generations=1, predictive=1)  # fmt: skip
    return scenario, root / "cal"


@FUZZ
@given(raw=st.data())
def test_mutated_telemetry(cli, scratch, pilot, raw):
    scenario, _ = pilot
    folder = scratch()
    path = folder / raw.draw(st.sampled_from(["t.csv", "t.parquet"]))
    path.write_bytes(raw.draw(mangled_bytes(TELEMETRY)))
    out = folder / "cal"
    result = cli("calibrate", scenario, "--telemetry", path, "--plan", "pilot", *CALIBRATE,
                 "--out", out)  # fmt: skip
    check(result, out, "manifest.json")


@FUZZ
@given(
    victim=st.sampled_from(["posterior.parquet", "summary.csv", "predictive.csv",
                            "diagnostics.json", "calibrated.yaml", "predictive.png",
                            "manifest.json"]),
    action=st.sampled_from(["delete", "truncate", "flip", "replace", "hostile json"]),
    raw=st.data(),
)  # fmt: skip
def test_tampered_posterior_folders(cli, scratch, pilot, victim, action, raw):
    _, calibrated = pilot
    folder = scratch() / "cal"
    shutil.copytree(calibrated, folder)
    path = folder / victim
    data = path.read_bytes()
    if action == "delete":
        path.unlink()
    elif action == "truncate":
        path.write_bytes(data[: raw.draw(st.integers(0, max(0, len(data) - 1)))])
    elif action == "flip":
        at = raw.draw(st.integers(0, len(data) - 1))
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
    elif action == "replace":
        path.write_bytes(yaml.safe_dump(BASE).encode())
    else:
        path.write_text(json.dumps(raw.draw(JSON)))
    result = cli("compare", "--posterior", folder, "--samples", "1", "--replications", "1",
                 "--set", "horizon_days=5")  # fmt: skip
    check(result)
    assert result.code == 2 and "recommendation" not in result.out
