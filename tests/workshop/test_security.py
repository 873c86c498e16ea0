"""Issue 23, items 2, 4, 5, 6 and 9: the workshop is a web server, and hostile pages,
files and tabs get a clear refusal, never a 500, a script run or a frozen server."""

from __future__ import annotations

import re
import threading
import time
import warnings

import pytest
import yaml

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from adoption.config import load_scenario
from adoption.experiment.executors import SerialExecutor
from adoption.workshop.app import MAX_LIVE_PEOPLE, Workshop, build_app
from adoption.workshop.jobs import JobQueue
from adoption.workshop.sessions import Sessions
from tests.test_hardening_doors import size_bomb
from tests.workshop.test_app import SMALL, open_tab

HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


@pytest.fixture
def workshop():
    shop = Workshop(load_scenario(None, SMALL), workers=1, queue=JobQueue(1, SerialExecutor))
    yield shop
    shop.close()


@pytest.fixture
def client(workshop):
    with TestClient(build_app(workshop), base_url="http://127.0.0.1:8765") as test_client:
        test_client.headers.update(open_tab(test_client))
        yield test_client


# --- item 4: Host, Origin, CSRF ----------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example:8765", "rebind.attacker.test", "127.0.0.1.nip.io"])
def test_a_foreign_host_header_is_refused(client, host):
    for path in ("/", "/api/state", "/static/app.js"):
        response = client.get(path, headers={"host": host})
        assert response.status_code == 421 and "not this workshop's address" in response.text


def test_the_loopback_names_are_accepted(client):
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765"):
        assert client.get("/api/state", headers={"host": host}).status_code == 200


def test_a_cross_site_post_is_refused(client, workshop):
    sessions = len(workshop.sessions)
    for headers in (
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://127.0.0.1:9999"},
        {"sec-fetch-site": "cross-site"},
    ):
        run = client.post("/api/run", json={"plans": ["big-bang", "pilot-10"]}, headers=headers)
        assert run.status_code == 403 and "another site" in run.json()["error"]
        assert client.post("/api/session", headers=headers).status_code == 403
    assert len(workshop.sessions) == sessions
    same = {"origin": "http://127.0.0.1:8765", "sec-fetch-site": "same-origin"}
    assert client.post("/api/pin", headers=same).status_code == 400  # reached the app


def test_a_state_change_needs_the_tabs_csrf_token(client):
    payload = {"overrides": {"tool.production_accuracy": 0.9}}
    for csrf in ("", "forged"):
        response = client.post("/api/scenario", json=payload, headers={"x-csrf": csrf})
        assert response.status_code == 403 and "CSRF" in response.json()["error"]
    assert client.post("/api/scenario", json=payload).json()["ok"]
    assert client.get("/api/state").status_code == 200  # reading needs no token


def test_every_response_forbids_inline_script(client):
    for path in ("/", "/api/state", "/static/app.js"):
        policy = client.get(path).headers["content-security-policy"]
        script = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
        assert script.split() == ["script-src", "'self'"], policy
        assert "frame-ancestors 'none'" in policy
    refused = client.get("/", headers={"host": "evil.example"})
    assert "content-security-policy" in refused.headers


# --- item 9: a restarted server or an expired session is said, not hidden -------------


def test_a_session_the_server_does_not_know_is_gone_with_a_reason(client):
    response = client.get("/api/state", headers={"x-session": "a" * 22})
    assert response.status_code == 409 and response.json()["gone"] is True
    assert "restarted" in response.json()["error"] and "reload" in response.json()["error"]


def test_after_a_restart_the_old_tab_is_told(workshop):
    app = build_app(workshop)
    with TestClient(app, base_url="http://127.0.0.1") as first:
        tab = open_tab(first)
        first.post("/api/load/scenario", content="name: room\n", headers=tab)
    restarted = Workshop(workshop.scenario, queue=JobQueue(1, SerialExecutor))
    try:
        with TestClient(build_app(restarted), base_url="http://127.0.0.1") as second:
            run = second.post("/api/run", json={"plans": ["big-bang", "pilot-10"]}, headers=tab)
            assert run.status_code == 409 and run.json()["gone"]
    finally:
        restarted.close()


def test_in_token_mode_a_wrong_token_says_what_to_do():
    shop = Workshop(load_scenario(None, SMALL), token="new-token", host="0.0.0.0",
                    queue=JobQueue(1, SerialExecutor))  # fmt: skip
    try:
        with TestClient(build_app(shop), base_url="http://192.168.1.20:8765") as client:
            response = client.get("/api/state", headers={"x-token": "old-token"})
            assert response.status_code == 403 and response.json()["token"] is True
            assert "open the address it printed" in response.json()["error"]
            assert client.get("/", headers={"host": "evil.example"}).status_code == 421
    finally:
        shop.close()


# --- item 5: uploads with YAML errors: the CLI's one line, never a 500 -------------------

BAD_UPLOADS = {
    "tab.yaml": b"name: a\n\tdescription: b\n",
    "indent.yaml": b"name: a\n  horizon_days: 3\n",
    "quote.yaml": b'name: "open\n',
    "bracket.yaml": b"plans: [\n",
    "duplicate.yaml": b"name: a\nname: b\n",
    "list.yaml": b"- a\n- b\n",
    "deep.yaml": b"description: " + b"[" * 500 + b"]" * 500 + b"\n",
    "latin1.yaml": "name: café\n".encode("latin-1"),
    "tag.yaml": b"name: !!python/object:os.system echo\n",
    "empty.yaml": b"",
    "comment.yaml": b"# nothing\n",
}


@pytest.mark.parametrize("name", sorted(BAD_UPLOADS))
def test_a_bad_scenario_upload_is_one_line_and_400(cli, client, tmp_path, name):
    response = client.post(
        "/api/load/scenario", content=BAD_UPLOADS[name], headers={"x-filename": name}
    )
    assert response.status_code == 400, response.text
    message = response.json()["error"]
    assert "\n" not in message and "Traceback" not in message
    path = tmp_path / name
    path.write_bytes(BAD_UPLOADS[name])
    on_the_command_line = cli("scenario", "show", path).err.removeprefix("adoption: error: ")
    assert " ".join(on_the_command_line.replace(str(path), name).split()) == message


def test_the_size_aliased_file_is_refused_by_the_workshop(client):
    response = client.post(
        "/api/load/scenario", content=size_bomb().encode(), headers={"x-filename": "s.yaml"}
    )
    assert response.status_code == 400 and "characters of text" in response.json()["error"]


def test_a_scenario_may_not_read_the_servers_files(client, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0\n")
    text = f"organisation:\n  org_chart: {secret}\n"
    upload = client.post("/api/load/scenario", content=text)
    assert upload.status_code == 400 and "reads no file of the server's" in upload.text
    lever = client.post("/api/scenario", json={"overrides": {"organisation.org_chart": "/etc"}})
    assert lever.status_code == 400 and "root:x" not in lever.text


@pytest.mark.parametrize(
    "body", [b"[1, 2]", b"{", b'{"plans": "big-bang"}', b'{"replications": "many"}', b"\xff"]
)
def test_malformed_requests_are_400_not_500(client, body):
    for path in ("/api/run", "/api/scenario", "/api/live/start", "/api/live/step"):
        response = client.post(path, content=body)
        expected = (400,) if path == "/api/run" or body[:1] != b"{" else (200, 400)
        assert response.status_code in expected, (path, body, response.text)


# --- item 6: one tab cannot freeze the others --------------------------------------------


def test_a_live_model_too_large_is_refused_at_once(client):
    client.post("/api/scenario", json={"overrides": {"organisation.employees": 2_000_000}})
    started = time.monotonic()
    response = client.post("/api/live/start", json={"plan": "big-bang"})
    assert response.status_code == 400 and f"{MAX_LIVE_PEOPLE:,} people" in response.text
    assert time.monotonic() - started < 2
    run = client.post("/api/run", json={"plans": ["big-bang", "pilot-10"]})
    assert run.status_code == 400 and "adoption compare" in run.json()["error"]


def test_heavy_work_leaves_the_other_tabs_served(client):
    big = {"organisation.employees": 20_000}
    client.post("/api/scenario", json={"overrides": big})
    busy = threading.Thread(
        target=lambda: client.post("/api/live/start", json={"plan": "big-bang"}), daemon=True
    )
    other = open_tab(client)
    busy.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert client.get("/api/state", headers=other).status_code == 200
    answered = time.monotonic() - started
    busy.join(120)
    assert answered < 1.5, f"another tab waited {answered:.1f} s"


def test_idle_sessions_expire_with_their_live_model():
    sessions = Sessions({}, idle_s=0.05)
    first = sessions.create()
    first.live = object()
    time.sleep(0.1)
    sessions.create()
    assert first.id not in sessions and first.live is None


# --- item 2: hostile text is text everywhere the app and its reports show it -----------


def hostile_scenario() -> str:
    raw = load_scenario(None, SMALL).model_dump(mode="json")
    raw["name"] = HOSTILE
    raw["description"] = HOSTILE
    raw["organisation"]["regions"] = [HOSTILE, "North"]
    raw["tool"]["region_accuracy_offset"] = {HOSTILE: -0.05}
    raw["organisation"]["departments"] = [HOSTILE, "Sales", "Operations", "Support"]
    for plan in raw["plans"].values():
        plan["description"] = HOSTILE
    raw["plans"] = {name: raw["plans"][name] for name in ("big-bang", "pilot-10")}
    return yaml.safe_dump(raw)


def _no_markup(fragment: str) -> None:
    """No element the hostile text could have made (its escaped form is fine)."""
    lowered = fragment.lower()
    assert "<script" not in lowered and 'onerror="' not in lowered, fragment[:300]
    images = re.findall(r"<img[^>]*>", lowered)
    assert all(re.match(r'<img alt="[\w.]+" src="data:image/png;base64,', i) for i in images)


def test_hostile_names_are_escaped_in_every_view_and_the_report(client):
    state = client.post("/api/load/scenario", content=hostile_scenario()).json()
    assert state["scenario"] == HOSTILE  # JSON: the page shows it as text
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 2})
    deadline = time.monotonic() + 120
    while (job := client.get("/api/job").json())["state"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    shown = [value for value in job["views"].values() if isinstance(value, str)]
    details = client.get("/api/details").json()
    shown += [details["gates"], details["regions"], details["departments"]]
    shown += [value for value in job["views"]["headline"].values()]
    live = client.post("/api/live/start", json={"plan": "big-bang"}).json()
    # the live model is data: names arrive as JSON strings the page draws as text
    assert HOSTILE in live["regions"] and HOSTILE in [
        d["name"] for d in live["layout"]["departments"]
    ]
    report = client.get("/api/export/report.html").text
    for fragment in [*shown, report]:
        _no_markup(fragment)
    assert "&lt;img src=x" in details["regions"] and "&lt;script&gt;" in report
