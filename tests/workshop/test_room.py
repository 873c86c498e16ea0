"""What a room without a modeller reads (issue 22): the question and the target first,
a headline card that says "provisional" until the ranking is settled, A against B with
the list of what changed, an export that keeps both and says what its numbers are for,
a cancel that loses nothing, errors that name the field, and sessions that stay bounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import pytest

from adoption.config import load_scenario
from adoption.engine.states import STATE_NAMES
from adoption.experiment.comparison import Lead
from adoption.experiment.statistics import Target
from adoption.wording import money, percent
from adoption.workshop.headline import BEST, NONE_PAYS, PROVISIONAL, TIE, headline
from adoption.workshop.sessions import MAX_LIVE_MODELS, Session, Sessions
from tests.workshop.test_app import SMALL, client, open_tab, wait, workshop  # noqa: F401

PLANS = ["big-bang", "pilot-10", "phased"]


# --- the headline card's rule, on stated numbers -----------------------------------------


@dataclass
class Stated:
    """A comparison's numbers as the headline reads them (NPV per plan with intervals,
    the first two's paired lead), stated rather than simulated, so each rule is seen."""

    npv: dict[str, tuple[float, float, float]]
    lead: Lead | None
    rank_by: str = "npv"
    target: Target = field(default_factory=lambda: Target("adoption_rate", ">=", 0.5))
    held: int = 60  # runs the comparison holds

    def ranking(self) -> pd.DataFrame:
        rows = [
            {
                "plan": plan,
                "npv": mean,
                "npv_low": low,
                "npv_high": high,
                "p_miss": 0.2,
                "p_miss_low": 0.1,
                "p_miss_high": 0.3,
            }
            for plan, (mean, low, high) in self.npv.items()
        ]
        return pd.DataFrame(rows).sort_values("npv", ascending=False, ignore_index=True)

    def leading(self) -> Lead | None:
        return self.lead

    @property
    def risk(self) -> pd.DataFrame:
        return pd.DataFrame({"plan": list(self.npv), "p_miss": 0.2, "ci_low": 0.1, "ci_high": 0.3})

    @property
    def runs(self) -> pd.DataFrame:
        plans = [list(self.npv)[k % len(self.npv)] for k in range(self.held)]
        return pd.DataFrame({"plan": plans, "decision": ["stop"] * self.held})


def lead(mean: float, low: float, high: float, wins: int = 15) -> Lead:
    return Lead("npv", "pilot-10", "big-bang", mean, low, high, 20, wins, low > 0)


POSITIVE = {"pilot-10": (2e6, 1.5e6, 2.5e6), "big-bang": (1.2e6, 0.8e6, 1.6e6)}


def test_the_card_is_provisional_while_the_first_two_are_not_told_apart():
    card = headline(Stated(POSITIVE, lead(8e5, -1e5, 1.7e6)), 20, 60, "running")
    assert card.kind == PROVISIONAL and card.title.startswith("Provisional")
    assert "20 of 60 runs in" in card.runs


def test_a_clear_lead_is_read_before_every_run_is_in():
    card = headline(Stated(POSITIVE, lead(8e5, 3e5, 1.3e6, wins=17)), 20, 60, "running")
    assert card.kind == BEST
    assert card.title == "pilot-10 is best by 800 k USD NPV over big-bang."
    assert "17 of 20 paired runs" in card.sure and "300 k USD to 1.3 M USD" in card.sure


def test_all_runs_in_without_a_clear_lead_is_a_tie():
    card = headline(Stated(POSITIVE, lead(8e5, -1e5, 1.7e6)), 60, 60, "done")
    assert card.kind == TIE and card.title.startswith("A tie on this evidence: pilot-10")
    assert "includes zero" in card.sure


def test_a_cancelled_run_is_never_all_in():
    card = headline(Stated(POSITIVE, lead(8e5, -1e5, 1.7e6)), 60, 60, "cancelled")
    assert card.kind == PROVISIONAL and "partial" in card.runs


def test_no_plan_pays_when_every_plan_loses_money():
    losing = {"pilot-10": (-1.7e6, -2.0e6, -1.4e6), "big-bang": (-2.8e6, -3.1e6, -2.5e6)}
    card = headline(Stated(losing, lead(1.1e6, 0.9e6, 1.3e6)), 60, 60, "done")
    assert card.kind == NONE_PAYS
    assert card.title.startswith("No plan pays") and "−1.7 M USD" in card.title
    # every interval below zero settles it even while runs arrive
    early = headline(Stated(losing, lead(1.1e6, -0.2e6, 2.0e6)), 6, 60, "running")
    assert early.kind == NONE_PAYS
    assert "pilot-10's gates stopped the project in 100% of runs" in card.stops


def test_money_and_shares_read_as_the_room_reads_them():
    assert money(-1_712_000) == "−1.7 M USD" and money(42_000) == "42 k USD"
    assert money(950) == "950 USD" and money(math.nan) == "n/a"
    assert percent(0.5) == "50%" and percent(-0.263, 1) == "−26.3%"


# --- through the app ----------------------------------------------------------------------


def test_the_first_screen_asks_the_question_with_a_target_and_key_levers(client):  # noqa: F811
    state = client.get("/api/state").json()
    assert state["question"] == "Which rollout plan, and when do we stop?"
    assert state["sentence"].startswith("200 people in 4 regions and 8 departments")
    assert state["target_words"] == "adoption at least 50.0%"
    key = [lever for lever in state["levers"] if lever["key"]]
    assert 8 <= len(key) <= 16 and all(lever["label"] and lever["unit"] for lever in key)
    assert state["currency"] == "USD"
    assert {"npv", "adoption", "abandonment", "causes", "decisions"} <= set(state["glossary"])
    # the live view's counts: what every state a person can be in means, for hover
    assert list(state["states"]) == list(STATE_NAMES) and all(state["states"].values())


def test_the_room_sets_its_target_and_the_results_use_it(client):  # noqa: F811
    set_target = client.post("/api/target", json={"metric": "npv", "comparison": ">=", "value": 0})
    assert set_target.json()["words"] == "NPV at least 0 USD"
    bad = client.post("/api/target", json={"metric": "happiness", "comparison": ">="})
    assert bad.status_code == 400 and "happiness" in bad.json()["error"]
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 2})
    views = wait(client)["views"]
    assert "chance of missing the target (NPV at least 0 USD)" in views["ranking"]
    assert "P(miss" not in views["ranking"] and "title=" in views["ranking"]
    assert "NPV at least 0 USD" in views["headline"]["target"]


def test_the_headline_is_provisional_first_and_settled_at_the_end(client):  # noqa: F811
    client.post("/api/run", json={"plans": PLANS, "replications": 3})
    kinds = []
    while (job := client.get("/api/job").json())["state"] in ("queued", "running"):
        if "views" in job:
            kinds.append((job["done"], job["views"]["headline"]["kind"]))
    final = job["views"]["headline"]
    assert kinds and kinds[0][1] == PROVISIONAL  # the first run is one plan's: nothing to rank
    assert final["kind"] != PROVISIONAL and final["runs"] == "9 of 9 runs in"


def test_one_plan_can_be_run_and_bad_bodies_name_the_field(client):  # noqa: F811
    client.post("/api/run", json={"plans": ["pilot-10"], "replications": 2})
    job = wait(client)
    assert job["state"] == "done" and job["views"]["headline"]["kind"] != PROVISIONAL
    for body, words in (
        ({"plans": [], "replications": 2}, "plans: choose at least 1"),
        ({"plans": PLANS * 2}, "plans: choose at most 5"),
        ({"plans": PLANS, "replications": 0}, "replications:"),
        ({"plans": PLANS, "colour": "red"}, "unknown field 'colour'"),
        ({"plans": PLANS, "replications": "many"}, "replications:"),
    ):
        answer = client.post("/api/run", json=body)
        assert answer.status_code == 400 and words in answer.json()["error"], body


def test_a_plan_is_checked_as_typed_without_being_applied(client):  # noqa: F811
    plan = client.get("/api/state").json()["plans"]["pilot-10"]
    plan["gates"][0]["day"] = 0
    answer = client.post("/api/check", json={"plans": {"pilot-10": plan}})
    assert answer.status_code == 400
    assert "comes before the first wave" in answer.json()["error"]  # the CLI's message
    plan["gates"][0]["day"] = 45
    assert client.post("/api/check", json={"plans": {"pilot-10": plan}}).json()["ok"]
    exported = client.get("/api/export/scenario.yaml").text
    assert "day: 45" not in exported  # checked, not applied


def test_pinned_a_and_run_b_list_what_changed_and_the_export_keeps_them(client):  # noqa: F811
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 3})
    wait(client)
    assert client.post("/api/pin").json()["runs"] == "6 of 6 runs"
    plan = client.get("/api/state").json()["plans"]["pilot-10"]
    plan["gates"][0]["day"] = 45
    client.post(
        "/api/scenario",
        json={"overrides": {"tool.production_accuracy": 0.9}, "plans": {"pilot-10": plan}},
    )
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 3})
    ab = wait(client)["views"]["ab"]
    changed = {change["label"]: (change["a"], change["b"]) for change in ab["changes"]}
    assert changed["accuracy on production data at launch"] == ("70.0%", "90.0%")
    assert changed["pilot-10, gate 1: day of the go/no-go decision"] == ("60", "45")
    assert "70% on production data" in ab["a"]["sentence"]
    assert "90% on production data" in ab["b"]["sentence"]
    report = client.get("/api/export/report.html").text
    for words in (
        "A (pinned) and B (this comparison)",
        "What changed from A to B",
        "accuracy on production data at launch",
        "B − A, paired on the same seeds",
        "A's ranking",
        "200 people in 4 regions",
    ):
        assert words in report, words
    # the scenario file's description (5,000 people) is not what these numbers are for
    assert "5,000 people, 4 regions" not in report


def test_cancel_keeps_what_finished_and_the_previous_comparison(client):  # noqa: F811
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 2})
    first = wait(client)
    client.post("/api/run", json={"plans": ["big-bang", "pilot-10"], "replications": 60})
    client.post("/api/cancel")
    job = wait(client)
    assert job["state"] == "cancelled" and job["previous"]["id"] == first["id"]
    shown = job["views"]
    if job["shown_job"] == job["id"]:  # some runs finished: shown, marked partial
        assert shown["partial"] and "partial" in shown["runs"]
        assert shown["headline"]["kind"] == PROVISIONAL
    else:  # none finished: the previous comparison stays on screen
        assert job["shown_job"] == first["id"]
    assert client.post("/api/show", json={"previous": True}).json()["ok"]
    again = client.get("/api/job").json()
    assert again["shown_job"] == first["id"] and again["views"]["runs"] == "4 of 4 runs"
    assert not again["views"]["partial"]


def test_live_models_are_bounded_across_sessions():
    sessions = Sessions({})
    tabs = [sessions.create() for _ in range(MAX_LIVE_MODELS + 2)]
    for index, tab in enumerate(tabs):
        sessions.hold_live(tab, object())  # type: ignore[arg-type]
        tab.live_seen = float(index)
    holding = [tab for tab in tabs if tab.live is not None]
    assert len(holding) == MAX_LIVE_MODELS and tabs[-1] in holding and tabs[0] not in holding


def test_idle_sessions_expire():
    sessions = Sessions({}, idle_s=10)
    old = sessions.create()
    old.last_seen -= 11
    new = sessions.create()
    assert old.id not in sessions and new.id in sessions
    assert isinstance(new, Session)


def test_a_second_tab_keeps_its_own_target(client):  # noqa: F811
    client.post("/api/target", json={"metric": "npv", "comparison": ">=", "value": 0})
    other = client.get("/api/state", headers=open_tab(client)).json()
    assert other["target_words"] == "adoption at least 50.0%"
    assert client.get("/api/state").json()["target_words"] == "NPV at least 0 USD"


def test_without_currency_the_workshop_reads_the_scenarios():
    """No --currency: amounts are in the starting scenario's economics.currency."""
    from adoption.experiment.executors import SerialExecutor
    from adoption.workshop.app import Workshop
    from adoption.workshop.jobs import JobQueue

    priced = load_scenario(None, {**SMALL, "economics.currency": "GBP"})
    shop = Workshop(priced, queue=JobQueue(1, SerialExecutor))
    try:
        assert shop.currency == "GBP"
    finally:
        shop.close()
    plain = Workshop(load_scenario(None, SMALL), queue=JobQueue(1, SerialExecutor))
    try:
        assert plain.currency == "USD"
    finally:
        plain.close()


def test_the_currency_is_the_workshops_and_a_bad_one_is_refused(capsys):
    from adoption.cli.main import main
    from adoption.experiment.executors import SerialExecutor
    from adoption.workshop.app import Workshop, build_app
    from adoption.workshop.jobs import JobQueue
    from tests.workshop.test_app import TestClient

    shop = Workshop(load_scenario(None, SMALL), queue=JobQueue(1, SerialExecutor), currency="EUR")
    try:
        with TestClient(build_app(shop), base_url="http://127.0.0.1") as tab:
            tab.headers.update(open_tab(tab))
            tab.post("/api/target", json={"metric": "npv", "comparison": ">=", "value": 0})
            tab.post("/api/run", json={"plans": ["big-bang"], "replications": 2})
            views = wait(tab)["views"]
            assert "EUR" in views["ranking"] and "USD" not in views["ranking"]
            assert "EUR" in views["headline"]["title"]
    finally:
        shop.close()
    with pytest.raises(SystemExit) as refused:
        main(["workshop", "--currency", "1 2"])
    assert refused.value.code == 2
    error = capsys.readouterr().err
    assert "--currency" in error and "Traceback" not in error and len(error.splitlines()) == 1


def test_any_word_finds_a_folded_lever(client):  # noqa: F811
    from adoption.workshop.levers import find, levers

    found = client.get("/api/levers", params={"q": "budget"}).json()["paths"]
    catalogue = levers(load_scenario(None, SMALL))
    assert found and found == [lever.path for lever in find("budget", catalogue)]
    assert "tool.production_accuracy" in client.get("/api/levers", params={"q": ""}).json()["paths"]
    assert client.get("/api/levers", params={"q": "zzzz"}).json()["paths"] == []
