"""`adoption workshop` as a user starts it: the address, the queue, and Ctrl-C."""

from __future__ import annotations

import signal
import urllib.error
import urllib.request

import pytest

from tests.conftest import run_console
from tests.workshop.serving import alive, descendants, request, start, stop, wait_until


def test_help_describes_the_command():
    result = run_console("workshop", "--help")
    assert result.returncode == 0
    for option in ("--host", "--port", "--workers", "token"):
        assert option in result.stdout


def test_a_bad_scenario_is_one_clean_error():
    result = run_console("workshop", "--set", "tool.production_accuracy=2")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "production_accuracy" in result.stderr


@pytest.mark.slow
def test_ctrl_c_stops_the_server_and_every_worker():
    process, address = start("--workers", "2", "--set", "organisation.employees=300")
    try:
        job = request(address, "/api/run", {"plans": ["big-bang", "pilot-10"], "replications": 100})
        assert job["total"] == 200
        workers = wait_until(lambda: descendants(process.pid) or None, 60)
        wait_until(lambda: request(address, "/api/job")["done"] > 0, 90)
        assert len(alive(descendants(process.pid))) <= 2 + 1  # 2 workers (+ a resource tracker)
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 130  # interrupted, as every command
        assert "stopped" in process.stderr.read()
        seen = workers | descendants(process.pid)
        wait_until(lambda: not alive(seen), 10)
    finally:
        stop(process)


def test_a_foreign_host_and_a_cross_site_post_are_refused_by_the_server():
    process, address = start("--set", "organisation.employees=200")
    try:
        port = address.rstrip("/").rsplit(":", 1)[1]
        rebound = urllib.request.Request(
            address + "api/state", headers={"host": f"evil.test:{port}"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(rebound, timeout=30)
        assert refused.value.code == 421
        forged = urllib.request.Request(
            address + "api/session",
            data=b"{}",
            headers={"origin": "http://evil.test", "content-type": "text/plain"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=30)
        assert refused.value.code == 403 and b"another site" in refused.value.read()
        assert request(address, "/api/state")["employees"] == 200  # the page's own way works
    finally:
        stop(process)
