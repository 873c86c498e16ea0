"""The workshop without a browser: every control's endpoint and every view.

Runs go through the same queue as in the app, on an in-process executor (quick and
deterministic); the process pool, the browser and Ctrl-C are tested in
test_browser.py and test_serve.py.
"""

from __future__ import annotations

import re
import time
import warnings

import pytest
import yaml

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from adoption.api import compare
from adoption.config import load_scenario
from adoption.experiment.executors import SerialExecutor
from adoption.workshop.app import MAX_SCENARIO_BYTES, Workshop, build_app
from adoption.workshop.jobs import JobQueue
from adoption.workshop.levers import GROUPS, levers

SMALL = {"organisation.employees": 200, "horizon_days": 200}


@pytest.fixture
def workshop():
    scenario = load_scenario(None, SMALL)
    shop = Workshop(scenario, workers=1, queue=JobQueue(1, SerialExecutor))
    yield shop
    shop.close()


def open_tab(client) -> dict[str, str]:
    """A new session's headers, as the page gets them."""
    tab = client.post("/api/session").json()
    return {"x-session": tab["session"], "x-csrf": tab["csrf"]}


@pytest.fixture
def client(workshop):
    with TestClient(build_app(workshop), base_url="http://127.0.0.1") as test_client:
        test_client.headers.update(open_tab(test_client))
        yield test_client


def wait(client, timeout_s=120):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get("/api/job").json()
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


def test_levers_come_from_the_schema_with_units_ranges_and_descriptions():
    found = {lever.path: lever for lever in levers()}
    assert {lever.group for lever in found.values()} <= set(GROUPS)
    for group in ("data quality", "infrastructure", "change management", "organisation"):
        assert any(lever.group == group for lever in found.values()), group
    accuracy = found["tool.production_accuracy"]
    assert accuracy.minimum == 0 and accuracy.maximum == 1 and accuracy.description
    assert found["change_management.communications.campaign_days"].unit == "days"
    assert found["organisation.employees"].value == 5000
    assert all(lever.description for lever in found.values())
    assert not [path for path in found if path.startswith("search.")]  # changes no run


def test_the_page_loads_nothing_from_elsewhere(client):
    page = client.get("/").text
    assert '<script src="/static/app.js" defer></script>' in page
    assert "function renderLevers" in client.get("/static/app.js").text
    assets = page + client.get("/static/app.js").text + client.get("/static/app.css").text
    for marker in ("http://", "https://", "//cdn", "@import", "url("):
        assert marker not in assets, marker
    assert set(re.findall(r'(?:src|href)="([^"]*)"', page)) == {
        "/static/app.js",
        "/static/app.css",
    }


def test_state_lists_levers_groups_and_plans(client):
    state = client.get("/api/state").json()
    assert state["groups"] == list(GROUPS)
    assert state["employees"] == 200
    assert {"big-bang", "pilot-10"} <= set(state["plans"])
    assert state["plans"]["pilot-10"]["gates"]


def test_a_request_without_a_session_is_refused(client):
    response = client.get("/api/state", headers={"x-session": ""})
    assert response.status_code == 400 and "session" in response.json()["error"]


def test_levers_are_validated_with_the_cli_message(client):
    bad = client.post("/api/scenario", json={"overrides": {"tool.production_accuracy": 1.5}})
    assert bad.status_code == 400
    assert "tool.production_accuracy" in bad.json()["error"]
    good = client.post("/api/scenario", json={"overrides": {"tool.production_accuracy": 0.9}})
    assert good.json()["ok"] and "90% on production data" in good.json()["sentence"]
    saved = yaml.safe_load(client.get("/api/export/scenario.yaml").text)
    assert saved["tool"]["production_accuracy"] == 0.9
    assert saved["organisation"]["employees"] == 200


def test_plan_edits_change_the_scenario_and_bad_ones_are_refused(client):
    plan = client.get("/api/state").json()["plans"]["pilot-10"]
    plan["gates"][0]["min_adoption"] = 0.05
    assert client.post("/api/scenario", json={"plans": {"pilot-10": plan}}).json()["ok"]
    saved = yaml.safe_load(client.get("/api/export/scenario.yaml").text)
    assert saved["plans"]["pilot-10"]["gates"][0]["min_adoption"] == 0.05
    plan["waves"] = []
    bad = client.post("/api/scenario", json={"plans": {"pilot-10": plan}})
    assert bad.status_code == 400 and "waves" in bad.json()["error"]


def test_a_scenario_file_loads_and_a_bad_or_huge_one_is_refused(client):
    text = "name: room\norganisation:\n  employees: 150\n"
    state = client.post("/api/load/scenario", content=text).json()
    assert state["scenario"] == "room" and state["employees"] == 150
    bad = client.post("/api/load/scenario", content="tool:\n  production_accuracy: 3\n")
    assert bad.status_code == 400 and "production_accuracy" in bad.json()["error"]
    huge = client.post("/api/load/scenario", content=b"#" * (MAX_SCENARIO_BYTES + 1))
    assert huge.status_code == 400 and "too large" in huge.json()["error"]


def test_an_org_chart_loads_and_a_bad_one_says_why(client, tmp_path):
    rows = ["employee_id,manager_id,team,department,region,role", "e0,,t0,D,R,executive"]
    rows += [f"e{i},e0,t{i % 3},D,R,individual_contributor" for i in range(1, 40)]
    good = client.post(
        "/api/load/org-chart", content="\n".join(rows) + "\n", headers={"x-filename": "hr.csv"}
    )
    assert good.json()["people"] == 40
    assert client.get("/api/state").json()["org_chart"].endswith(".csv")
    bad = client.post(
        "/api/load/org-chart",
        content="employee_id,manager_id\na,zz\n",
        headers={"x-filename": "bad.csv"},
    )
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("bad.csv: missing column(s)")


def test_run_progress_views_pin_difference_and_report(client, workshop):
    started = client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 3})
    assert started.json()["total"] == 6
    job = wait(client)
    assert job["state"] == "done" and job["done"] == 6
    views = job["views"]
    for key in ("curves", "money", "outcomes"):
        assert views[key].startswith("<svg")
    assert "comes first" in views["verdict"] and views["headline"]["kind"] != "provisional"
    assert "<table>" in views["causes"] and "<table>" in views["decisions"]
    assert set(views["breakeven"]) == {"big-bang", "pilot-10"}
    # the same numbers as compare() on the same scenario, plans, replications and seed
    reference = compare(workshop.scenario, ["big-bang", "pilot-10"], 3, executor=SerialExecutor())
    ours = workshop.sessions[client.headers["x-session"]].job.comparison()
    assert ours.summary.round(9).equals(reference.summary.round(9))
    assert views["verdict"].split(".")[0] in reference_verdict(reference)
    # pin, change a lever, run again: A and B overlaid with their paired difference
    assert client.post("/api/pin").json()["ok"]
    client.post("/api/scenario", json={"overrides": {"tool.production_accuracy": 0.9}})
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 3})
    views = wait(client)["views"]
    assert "B − A" in views["ab"]["difference"] and "A: big-bang" in views["curves"]
    assert views["ab"]["difference"].count("<tr>") == 1 + 2 * 3
    report = client.get("/api/export/report.html")
    assert report.status_code == 200 and "<html" in report.text.lower()
    assert "attachment" in report.headers["content-disposition"]
    details = client.get("/api/details").json()
    assert "gate" in details["gates"] and "<table>" in details["regions"]
    assert "<table>" in details["departments"]
    client.post("/api/unpin")
    assert wait(client)["views"]["ab"] is None


def test_the_views_the_page_has_are_not_sent_again(client):
    """A poll that names the views on screen (`have`) gets the status without them while
    they stand, and them again once the comparison, the pinned A or the card changes."""
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 2})
    job = wait(client)
    version = job["views"]["version"]
    assert job["views_version"] == version
    again = client.get("/api/job", params={"have": version}).json()
    assert "views" not in again and again["views_version"] == version
    assert again["state"] == "done" and again["shown_job"] == job["id"]
    stale = client.get("/api/job", params={"have": version + "x"}).json()
    assert stale["views"]["version"] == version and stale["views"]["curves"].startswith("<svg")
    client.post("/api/pin")
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 2})
    moved = wait(client)
    assert moved["views"]["version"] != version and moved["views"]["ab"] is not None
    client.post("/api/unpin")  # A gone: the same comparison, drawn without it
    unpinned = client.get("/api/job", params={"have": moved["views"]["version"]}).json()
    assert unpinned["views"]["ab"] is None


def reference_verdict(comparison):
    from adoption.experiment.report import verdict

    return verdict(comparison)


def test_cancel_stops_a_run(client):
    # 400 small runs, so that the Run is still going when Cancel comes however long the
    # first look took: with 80, all had finished before it twice in some 30 runs
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 200})
    while client.get("/api/job").json()["state"] == "queued":
        time.sleep(0.01)
    assert client.post("/api/cancel").json()["ok"]
    job = client.get("/api/job").json()  # the answer came once the Run had stopped
    assert job["state"] == "cancelled" and job["done"] < job["total"]


def test_a_runs_last_comparison_is_drawn_before_the_page_asks(client, workshop):
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 2})
    session = workshop.sessions[client.headers["x-session"]]
    job = session.job
    assert job.ended.wait(120)
    deadline = time.monotonic() + 30  # drawn in the queue's thread right after it stopped
    while session.views_cache is None and time.monotonic() < deadline:
        time.sleep(0.01)
    final, compared = job.shown()
    assert session.views_cache[0] == (job.id, id(final), id(None))
    assert compared == job.total == 4


def test_sessions_are_separate(client):
    client.post("/api/scenario", json={"overrides": {"tool.production_accuracy": 0.9}})
    second = open_tab(client)
    other = client.get("/api/export/scenario.yaml", headers=second)
    assert yaml.safe_load(other.text)["tool"]["production_accuracy"] != 0.9
    assert client.get("/api/job", headers=second).json()["state"] == "none"


def test_the_live_model_sends_data_the_page_draws(client):
    start = client.post("/api/live/start", json={"plan": "big-bang"}).json()
    layout = start["layout"]
    assert start["day"] == 0 and sum(start["counts"].values()) == 200
    assert (
        len(layout["x"]) == len(layout["size"]) == len(start["teams"])
        and sum(layout["size"]) == 200
    )
    assert all(-1.2 <= v <= 1.2 for v in layout["x"] + layout["y"])
    stepped = client.post("/api/live/step", json={"days": 10})
    frame = stepped.json()
    assert frame["day"] == 10 and "layout" not in frame and len(frame["teams"]) == len(layout["x"])
    assert len(stepped.content) < 10_000  # numbers, not a drawing
    assert client.post("/api/live/step", json={"days": 0}).json()["day"] == 10


def test_a_token_is_required_when_one_is_set():
    shop = Workshop(
        load_scenario(None, SMALL), token="secret-token", queue=JobQueue(1, SerialExecutor)
    )
    try:
        with TestClient(build_app(shop), base_url="http://127.0.0.1") as client:
            refused = client.post("/api/session")
            assert refused.status_code == 403 and "access token" in refused.json()["error"]
            client.headers["x-token"] = "secret-token"
            client.headers.update(open_tab(client))
            assert client.get("/api/state").status_code == 200
            del client.headers["x-token"]
            page = client.get("/?token=secret-token")
            assert page.status_code == 200 and "workshop_token" in page.headers["set-cookie"]
    finally:
        shop.close()


def test_the_team_network_is_readable_at_5000_people():
    """5,000 people make a few hundred team nodes with a few ties each, not 5,000 dots."""
    from adoption.organisation import build_organisation
    from adoption.workshop.live import TIES_PER_TEAM, layout

    scenario = load_scenario(None, {"organisation.employees": 5000})
    org = build_organisation(scenario.organisation, 0)
    drawn = layout(org)
    assert 300 <= len(drawn["x"]) <= 1000 and sum(drawn["size"]) == 5000
    assert 0 < len(drawn["ties"]) <= TIES_PER_TEAM * len(drawn["x"])
    assert len(drawn["departments"]) == len(org.department_names)
