"""The workshop's search for a better plan (issues 22 and 25): `adoption.search` within the
room's run budget on the workshop's queue, its progress as runs finish, a Cancel that
stops it between runs, and the plan it finds added to the room's plans and compared."""

from __future__ import annotations

import threading
import time

from adoption.config import load_scenario
from adoption.experiment.executors import SerialExecutor
from adoption.experiment.experiment_design import Design
from adoption.workshop.searches import BEST_NAME, SearchJob
from tests.workshop.test_app import SMALL, client, wait, workshop  # noqa: F401


def wait_for_search(tab, timeout_s=300) -> tuple[dict, list[int]]:
    """The search's last status, and the runs spent as each poll saw them."""
    deadline, spent = time.monotonic() + timeout_s, []
    while time.monotonic() < deadline:
        status = tab.get("/api/search").json()
        spent.append(status["spent"])
        if status["state"] not in ("queued", "running"):
            return status, spent
        time.sleep(0.02)
    raise AssertionError("the search did not finish")


def test_a_search_within_the_budget_finds_a_plan_the_room_can_compare(client):  # noqa: F811
    assert client.get("/api/search").json() == {"state": "none"}
    started = client.post("/api/search/start", json={"budget": 200}).json()
    assert started["budget"] == 200 and started["state"] in ("queued", "running")
    status, spent = wait_for_search(client)
    assert status["state"] == "done", status
    assert spent == sorted(spent) and 0 < status["spent"] <= 200  # progress only grows
    found = status["found"]
    board = found["leaderboard"]
    assert board[0][0] == found["best"] and len(board) >= 2
    for row in board:
        assert " USD (" in row[2] and row[3].endswith("%") and row[4] in ("yes", "no")
    assert found["best"] in found["verdict"]
    assert " USD above " in found["verdict"] or " USD below " in found["verdict"]  # the gap
    # the plan found joins the room's plans and is compared like any other
    answer = client.post("/api/scenario", json={"plans": {found["name"]: found["best_plan"]}})
    assert answer.json()["ok"]
    assert BEST_NAME in client.get("/api/state").json()["plans"]
    client.post("/api/run", json={"plans": ["big-bang", BEST_NAME], "replications": 2})
    job = wait(client)
    assert job["state"] == "done" and set(job["plans"]) == {"big-bang", BEST_NAME}


def test_a_budget_too_small_to_rerun_the_finalists_is_told_in_the_clis_words(client):  # noqa: F811
    client.post("/api/search/start", json={"budget": 3})
    status, _ = wait_for_search(client)
    assert status["state"] == "failed" and status["error"].startswith("--budget: 3 runs leave")
    refused = client.post("/api/search/start", json={"budget": 0})
    assert refused.status_code == 400 and "budget" in refused.json()["error"]


class CancelAfter:
    """A serial sweeper that cancels `job` once `runs` runs have finished, and counts
    every run it makes."""

    def __init__(self, job: SearchJob, runs: int) -> None:
        self.job, self.runs, self.ran = job, runs, 0

    def map(self, tasks, stop=None):
        for record in SerialExecutor().map(tasks, stop):
            self.ran += 1
            yield record
            if self.ran >= self.runs:
                self.job.cancel()


def test_cancel_stops_a_search_between_runs():
    scenario = load_scenario(None, SMALL)
    job = SearchJob(1, scenario, 300, Design(samples=8, replications=2, target="npv>=0"))
    sweeper = CancelAfter(job, 10)
    job.run(sweeper, threading.Event())
    assert job.state == "cancelled" and job.result is None and job.error is None
    assert sweeper.ran == 10 and job.spent == 10  # no run made after the Cancel
    assert job.status("USD")["found"] is None
