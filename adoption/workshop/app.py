"""The workshop's web app: Starlette routes over the session state, served by uvicorn.

Each browser tab asks for a session (`adoption.workshop.sessions`) with its own
levers, plans, target, runs, pinned A and live model. Runs go through one `JobQueue`,
so all sessions together never start more worker processes than asked. Requests pass
`adoption.workshop.security` first (host names, origin, token); bodies are pydantic
models (`adoption.workshop.requests`); heavy work (a live model, an org chart,
figures) runs in a worker thread, never on the event loop. Every asset is served from
this package: the page loads nothing from the internet. The routes are functions of
this module; the app's state (`Workshop`) is `request.app.state.workshop`.
"""

from __future__ import annotations

import functools
import itertools
import secrets
import sys
import threading
import time
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from adoption.config import Scenario, load_scenario
from adoption.config.loading import scenario_from_text, scenario_yaml
from adoption.engine.model import AdoptionModel
from adoption.errors import InputError
from adoption.experiment.comparison import Comparison
from adoption.experiment.design import referenced_files, replication_seeds
from adoption.experiment.figures import adoption_curves_figure, outcomes_figure
from adoption.experiment.report import report_html
from adoption.experiment.report import verdict as report_verdict
from adoption.organisation import build_organisation, organisation_for
from adoption.outcomes import OUTCOMES
from adoption.simulate import simulate
from adoption.templating import render
from adoption.wording import (
    GLOSSARY,
    OPERATOR_WORDS,
    QUESTION,
    STATES,
    scenario_sentence,
    target_words,
)
from adoption.workshop import live, views
from adoption.workshop.changes import Change, changes
from adoption.workshop.headline import headline
from adoption.workshop.jobs import Job, JobQueue
from adoption.workshop.levers import GROUPS, find, levers, plan_levers
from adoption.workshop.requests import (
    LiveStartBody,
    LiveStepBody,
    RunBody,
    ScenarioBody,
    SearchBody,
    ShowBody,
    TargetBody,
    parse,
)
from adoption.workshop.security import Gate, HostNames
from adoption.workshop.sessions import (
    IDLE_S,
    MAX_LIVE_PEOPLE,
    Forbidden,
    Pinned,
    Session,
    SessionGone,
    Sessions,
    check_session_key,
)

MAX_SCENARIO_BYTES = 1_000_000
"""The largest scenario file the app accepts (1 MB)."""
MAX_ORG_CHART_BYTES = 20_000_000
"""The largest org chart the app accepts (20 MB: about 200,000 people)."""
MAX_JSON_BYTES = 1_000_000
"""The largest request of levers, plans or commands (1 MB)."""
MAX_PEOPLE = 200_000
"""The largest organisation the app compares plans for (the CLI has no such bound)."""
UPLOADED = "organisation.org_chart"
"""The override an uploaded org chart sets."""
STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
TARGET_METRICS = ("adoption_rate", "npv", "abandonment_rate", "reach", "npv_1y")
"""The outcomes the page offers as a target (any numeric one is accepted)."""
GONE = (
    "this tab's session is gone: the workshop was restarted or the tab sat idle for "
    f"over {IDLE_S / 3600:g} hours. What was loaded and set here is not on the server "
    "any more: reload the page to start again from the workshop's scenario (load a "
    "saved scenario file again if you had one)"
)
RENDERING = threading.Lock()
"""matplotlib draws one figure at a time, whoever asks."""

_VIEWS_VERSIONS = itertools.count(1)
VIEWS_EPOCH = secrets.token_hex(4)
"""This server's prefix of the views' versions, so that a page that outlived another
server never takes this one's views for those it has."""

CANCEL_WAIT_S = 2.0
"""How long a Cancel waits for the Run to stop before answering (a Run stops within
the pool's WAIT_S, 0.1 s, once a worker's run is in hand; the page then shows it at once)."""


def static_text(name: str) -> str:
    return resources.files("adoption.workshop").joinpath("static", name).read_text("utf-8")


class Workshop:
    """The app's state: the starting scenario, the sessions, the run queue, the currency
    (`--currency`, else the starting scenario's `economics.currency`)."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        workers: int = 2,
        token: str | None = None,
        queue: JobQueue | None = None,
        host: str = "127.0.0.1",
        currency: str | None = None,
    ) -> None:
        self.scenario = scenario or load_scenario(None)
        self.workers = workers
        self.token = token
        self.currency = currency or self.scenario.economics.currency
        self.hosts = HostNames(host)
        self.queue = queue or JobQueue(workers, warm=self.scenario)
        self.sessions = Sessions(self.scenario.model_dump(mode="json"))

    def check_files(self, session: Session, scenario: Scenario) -> Scenario:
        """Refuse a scenario that reads a file on this machine other than the starting
        scenario's or one uploaded in this session: a tab may not read the server's files."""
        allowed = set(referenced_files(self.scenario).values())
        for key, path in referenced_files(scenario).items():
            uploaded = session.folder is not None and path.parent == session.folder
            if path not in allowed and not uploaded:
                raise InputError(
                    f"{key}: a scenario in the workshop reads no file of the server's "
                    "(load an org chart with Load an org chart)"
                )
        return scenario

    def session(self, request: Request, changing: bool = False) -> Session:
        """The session a request names (header, or query for a beacon); a state-changing
        request must carry the session's CSRF token."""
        key = request.headers.get("x-session") or request.query_params.get("session") or ""
        csrf = request.headers.get("x-csrf") or request.query_params.get("csrf")
        return self.sessions.get(check_session_key(key), csrf, changing)

    def close(self) -> None:
        self.queue.shutdown()
        self.sessions.close()


def workshop_of(request: Request) -> Workshop:
    """The app's state, which `build_app` hangs on the app."""
    return request.app.state.workshop


# --- payloads ---------------------------------------------------------------------------


def state_payload(workshop: Workshop, session: Session) -> dict[str, Any]:
    """The first screen: the scenario in one sentence, the question, the target, the
    levers and the plans."""
    scenario = session.scenario()
    target = session.target
    return {
        "question": QUESTION,
        "sentence": scenario_sentence(scenario),
        "currency": workshop.currency,
        "glossary": GLOSSARY,
        "states": STATES,
        "target": {"metric": target.metric, "comparison": target.comparison, "value": target.value},
        "target_words": target_words(target, workshop.currency),
        "target_metrics": [
            {"name": name, "label": OUTCOMES[name].label, "unit": OUTCOMES[name].unit}
            for name in TARGET_METRICS
        ],
        "operators": OPERATOR_WORDS,
        "groups": list(GROUPS),
        "levers": [lever.as_dict() for lever in levers(scenario)],
        "plans": {
            name: plan.model_dump(mode="json", exclude={"description"})
            for name, plan in scenario.plans.items()
        },
        "plan_levers": [lever.as_dict() for lever in plan_levers()],
        "regions": list(scenario.organisation.regions),
        "departments": list(scenario.organisation.departments),
        "descriptions": {name: plan.description for name, plan in scenario.plans.items()},
        "scenario": scenario.name,
        "employees": scenario.organisation.employees,
        "org_chart": str(scenario.organisation.org_chart or ""),
        "workers": workshop.workers,
        "pinned": session.pinned is not None,
    }


def job_changes(a: Scenario, b: Scenario, currency: str) -> list[Change]:
    """What differs from A to B, in the lever panel's words and units."""
    catalogue = levers(b)
    labels = {lever.path: lever.label for lever in catalogue}
    units = {lever.path: lever.unit for lever in catalogue}
    return changes(a, b, labels, units, currency)


def runs_words(job: Job | Pinned) -> str:
    """How complete a comparison is: "12 of 60 runs", and whether it was cancelled."""
    partial = ", partial: the run was cancelled" if job.state == "cancelled" else ""
    return f"{job.done} of {job.total} runs{partial}"


def comparison_views(workshop: Workshop, session: Session, job: Job) -> dict[str, Any]:
    """Everything the results panel shows for `job`: the figures and tables drawn once
    per new comparison (paced while the Run goes: `Job.shown`) or a new A, the
    headline card whenever the comparison, its count of runs or the Run's state changes,
    so a Cancel or the last run shows at once."""
    comparison, compared = job.shown()
    key = (job.id, id(comparison), id(session.pinned))
    with RENDERING:
        if session.views_cache is None or session.views_cache[0] != key:
            started = time.monotonic()
            session.views_cache = (key, _draw(workshop, session, job, comparison))
            job.spent(time.monotonic() - started)
        state = job.state
        card_key = (key, compared, job.total, state)  # new views make a new card too
        if session.card_cache is None or session.card_cache[0] != card_key:
            card = headline(comparison, compared, job.total, state, workshop.currency)
            session.card_cache = (card_key, card.as_dict())
            session.views_version = f"{VIEWS_EPOCH}-{next(_VIEWS_VERSIONS)}"
        version = session.views_version
    return {
        **session.views_cache[1],
        "job": job.id,
        "runs": runs_words(job),
        "partial": job.state == "cancelled",
        "headline": session.card_cache[1],
        "version": version,
    }


def final_views(workshop: Workshop, session: Session, job: Job) -> None:
    """Draw a Run's last comparison as soon as it stops (in the queue's thread), so the
    page's next look finds it drawn; nothing if the tab has moved on."""
    if session.job is job and session.on_screen() is job:
        comparison_views(workshop, session, job)


def _draw(workshop: Workshop, session: Session, job: Job, comparison: Comparison) -> dict[str, Any]:
    currency = workshop.currency
    money_svg, breakeven = views.money(comparison, currency)
    pinned = session.pinned
    return {
        "curves": views.curves(comparison, pinned.comparison if pinned else None),
        "money": money_svg,
        "breakeven": dict(breakeven),
        "outcomes": views.outcomes(comparison, currency),
        "ranking": views.ranking(comparison, currency),
        "causes": views.causes(comparison),
        "decisions": views.decisions(comparison),
        "verdict": report_verdict(comparison, currency),
        "ab": ab_payload(pinned, job, comparison, currency) if pinned is not None else None,
    }


def ab_payload(pinned: Pinned, job: Job, comparison: Comparison, currency: str) -> dict[str, Any]:
    """A against B: how complete each is, what changed (lever, A, B), and B − A paired."""
    difference = views.pinned_difference(pinned.comparison, comparison, currency)
    return {
        "a": {"sentence": scenario_sentence(pinned.scenario), "runs": runs_words(pinned)},
        "b": {"sentence": scenario_sentence(job.scenario), "runs": runs_words(job)},
        "changes": [
            change.as_dict() for change in job_changes(pinned.scenario, job.scenario, currency)
        ],
        "difference": views.table(difference, index=False, titles=views.PINNED_TITLES),
    }


def projected_people(scenario: Scenario) -> int:
    """How many people a run of the scenario simulates, known without building them
    (an org chart: its size is bounded by the upload limit and counted when loaded)."""
    if scenario.network is not None:
        return scenario.network.n or 0
    if scenario.organisation.org_chart is not None:
        return 0
    return scenario.organisation.employees


def export_page(workshop: Workshop, session: Session, job: Job) -> str:
    """The report of the comparison on screen, prefaced by the scenario its numbers are
    for, what the workshop changed from the starting scenario, and A against B."""
    currency = workshop.currency
    comparison, compared = job.shown()
    start = load_scenario(session.base)
    pinned = session.pinned
    context: dict[str, Any] = {
        "sentence": scenario_sentence(job.scenario),
        "runs": runs_words(job),
        "target": target_words(comparison.target, currency),
        "headline": headline(comparison, compared, job.total, job.state, currency).as_dict(),
        "from_start": job_changes(start, job.scenario, currency),
        "pinned": None,
    }
    if pinned is not None:
        difference = views.pinned_difference(pinned.comparison, comparison, currency)
        context.update(
            pinned={
                "sentence": scenario_sentence(pinned.scenario),
                "runs": runs_words(pinned),
                "ranking": Markup(views.ranking(pinned.comparison, currency)),
            },
            ab_changes=job_changes(pinned.scenario, job.scenario, currency),
            difference=Markup(views.table(difference, index=False)),
        )
    preface = render("workshop_export.html", **context)
    with RENDERING:
        figures = {
            "adoption_curves.png": adoption_curves_figure(comparison).png(),
            "outcomes.png": outcomes_figure(comparison, currency).png(),
        }
    return report_html(comparison, figures, preface=preface, currency=currency)


# --- requests ---------------------------------------------------------------------------


def error(message: object, status: int = 400, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": " ".join(str(message).split()), **extra}, status_code=status)


async def body_bytes(request: Request, limit: int, what: str) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise InputError(f"{what} is too large ({int(declared):,} bytes; the limit is {limit:,})")
    chunks, size = [], 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise InputError(f"{what} is too large (the limit is {limit:,} bytes)")
    return b"".join(chunks)


async def body(request: Request, model: type) -> Any:
    """The request's JSON body as `model` (a pydantic model of `requests`)."""
    return parse(model, await body_bytes(request, MAX_JSON_BYTES, "the request"))


def filename(request: Request, default: str) -> str:
    """The uploaded file's name as the page sent it, kept to plain characters."""
    name = request.headers.get("x-filename") or ""
    kept = "".join(c for c in name if c.isalnum() or c in " ._-")[:100].strip()
    return kept or default


def current_results(session: Session) -> tuple[Job, Comparison]:
    """The job on screen and its comparison, or an InputError."""
    job = session.on_screen()
    comparison = job.comparison() if job is not None else None
    if job is None or comparison is None:
        raise InputError("no results yet: run a comparison first")
    return job, comparison


# --- routes -----------------------------------------------------------------------------


def page(request: Request) -> Response:
    workshop = workshop_of(request)
    response = HTMLResponse(static_text("index.html"))
    if workshop.token is not None:
        response.set_cookie("workshop_token", workshop.token, httponly=True, samesite="strict")
    return response


def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        return PlainTextResponse("not found", status_code=404)
    return Response(static_text(name), media_type=STATIC[name])


def new_session(request: Request) -> Response:
    session = workshop_of(request).sessions.create()
    return JSONResponse({"session": session.id, "csrf": session.csrf})


def state(request: Request) -> Response:
    workshop = workshop_of(request)
    return JSONResponse(state_payload(workshop, workshop.session(request)))


MAX_QUERY = 200
"""The longest lever search the app answers (characters)."""


def find_levers(request: Request) -> Response:
    """The levers with a word beginning with each word of `q` (`levers.find`)."""
    session = workshop_of(request).session(request)
    query = request.query_params.get("q", "")[:MAX_QUERY]
    found = find(query, levers(session.scenario()))
    return JSONResponse({"paths": [lever.path for lever in found]})


def _candidate(session: Session, edits: ScenarioBody) -> Session:
    overrides = dict(edits.overrides)
    if UPLOADED in session.overrides:  # the levers do not show the uploaded org chart
        overrides.setdefault(UPLOADED, session.overrides[UPLOADED])
    candidate = Session(session.id, session.csrf, session.base, overrides, dict(edits.plans))
    candidate.folder = session.folder
    return candidate


async def check_scenario(request: Request) -> Response:
    """Whether levers and plans as typed make a valid scenario (the CLI's message if
    not), without applying them: the page asks as the room types."""
    workshop = workshop_of(request)
    session = workshop.session(request, changing=True)
    candidate = _candidate(session, await body(request, ScenarioBody))
    scenario = await run_in_threadpool(candidate.scenario)
    workshop.check_files(candidate, scenario)
    return JSONResponse({"ok": True, "sentence": scenario_sentence(scenario)})


async def set_scenario(request: Request) -> Response:
    workshop = workshop_of(request)
    session = workshop.session(request, changing=True)
    candidate = _candidate(session, await body(request, ScenarioBody))
    scenario = await run_in_threadpool(candidate.scenario)  # the CLI's checks, messages
    workshop.check_files(candidate, scenario)
    session.overrides, session.plan_edits = candidate.overrides, candidate.plan_edits
    return JSONResponse({"ok": True, "sentence": scenario_sentence(scenario)})


async def set_target(request: Request) -> Response:
    workshop = workshop_of(request)
    session = workshop.session(request, changing=True)
    target = (await body(request, TargetBody)).target()
    session.target = target
    return JSONResponse({"ok": True, "words": target_words(target, workshop.currency)})


async def load_scenario_file(request: Request) -> Response:
    workshop = workshop_of(request)
    session = workshop.session(request, changing=True)
    data = await body_bytes(request, MAX_SCENARIO_BYTES, "the scenario file")
    name = filename(request, "the scenario file")
    scenario = await run_in_threadpool(scenario_from_text, data, name)
    workshop.check_files(session, scenario)
    session.base = scenario.model_dump(mode="json")
    session.overrides, session.plan_edits = {}, {}
    return JSONResponse(await run_in_threadpool(state_payload, workshop, session))


async def load_org_chart(request: Request) -> Response:
    session = workshop_of(request).session(request, changing=True)
    data = await body_bytes(request, MAX_ORG_CHART_BYTES, "the org chart")
    name = filename(request, "the org chart")
    return JSONResponse(await run_in_threadpool(_org_chart, session, data, name))


def _org_chart(session: Session, data: bytes, name: str) -> dict[str, Any]:
    path = session.upload_folder() / f"org-{secrets.token_hex(4)}.csv"
    path.write_bytes(data)
    overrides = {**session.overrides, UPLOADED: str(path)}
    candidate = Session(session.id, session.csrf, session.base, overrides, session.plan_edits)
    try:
        scenario = candidate.scenario()
        org = build_organisation(scenario.organisation)  # the CLI's checks and messages
    except InputError as exc:
        path.unlink(missing_ok=True)
        raise InputError(str(exc).replace(str(path), name)) from None
    session.overrides = overrides
    return {"ok": True, "people": org.size, "notes": org.notes[:5]}


def export_scenario(request: Request) -> Response:
    session = workshop_of(request).session(request)
    return PlainTextResponse(
        scenario_yaml(session.scenario()),
        media_type="application/yaml",
        headers={"content-disposition": 'attachment; filename="scenario.yaml"'},
    )


async def run(request: Request) -> Response:
    workshop = workshop_of(request)
    session = workshop.session(request, changing=True)
    asked = await body(request, RunBody)
    if asked.target is not None:
        session.target = asked.target.target()
    scenario = await run_in_threadpool(session.scenario)
    if projected_people(scenario) > MAX_PEOPLE:
        raise InputError(
            f"the workshop compares organisations of up to {MAX_PEOPLE:,} people "
            f"(this one has {projected_people(scenario):,}); use adoption compare"
        )
    job = await run_in_threadpool(
        workshop.queue.submit,
        scenario,
        asked.plans,
        asked.replications,
        asked.seed,
        session.target,
    )
    session.start(job)
    job.on_end = functools.partial(final_views, workshop, session, job)
    return JSONResponse(job.status())


def job_status(request: Request) -> Response:
    workshop = workshop_of(request)
    session = workshop.session(request)
    current = session.job
    if current is None:
        return JSONResponse({"state": "none"})
    current.seen()
    status = current.status()
    status["queued_behind"] = workshop.queue.position(current)
    shown = session.on_screen()
    if shown is not None:
        views = comparison_views(workshop, session, shown)
        # the page says which views it shows (`have`): the same are not sent again (some
        # 330 KB of figures twice a second while a Run goes, redrawn every few seconds)
        if request.query_params.get("have") != views["version"]:
            status["views"] = views
        status["views_version"] = views["version"]
        status["shown_job"] = shown.id
    previous = session.previous
    if previous is not None and previous.comparison() is not None:
        status["previous"] = {"id": previous.id, "runs": runs_words(previous)}
    return JSONResponse(status)


async def show(request: Request) -> Response:
    """Show the previous comparison (kept when a Run replaced it) or the current one."""
    session = workshop_of(request).session(request, changing=True)
    asked = await body(request, ShowBody)
    if asked.previous and session.previous is None:
        raise InputError("there is no previous comparison to show")
    session.viewing_previous = asked.previous
    return JSONResponse({"ok": True})


def cancel(request: Request) -> Response:
    """Cancel the tab's Run, answering once it has stopped (at most `CANCEL_WAIT_S`), so
    that the page's next look already says so."""
    session = workshop_of(request).session(request, changing=True)
    if session.job is not None:
        session.job.cancel()
        session.job.ended.wait(CANCEL_WAIT_S)
    return JSONResponse({"ok": True})


async def start_search(request: Request) -> Response:
    """Search the scenario's plan template for a better plan within the room's budget,
    on the same queue and workers as the comparisons."""
    workshop = workshop_of(request)
    session = workshop.session(request, changing=True)
    asked = await body(request, SearchBody)
    scenario = await run_in_threadpool(session.scenario)
    if projected_people(scenario) > MAX_PEOPLE:
        raise InputError(
            f"the workshop searches organisations of up to {MAX_PEOPLE:,} people "
            f"(this one has {projected_people(scenario):,}); use adoption search"
        )
    if session.search is not None:
        session.search.cancel()
    session.search = workshop.queue.submit_search(scenario, asked.budget, session.target)
    return JSONResponse(session.search.status(workshop.currency))


def search_status(request: Request) -> Response:
    """How far the tab's search got and, once done, what it found."""
    workshop = workshop_of(request)
    session = workshop.session(request)
    found = session.search
    if found is None:
        return JSONResponse({"state": "none"})
    found.seen()
    return JSONResponse(found.status(workshop.currency))


def cancel_search(request: Request) -> Response:
    session = workshop_of(request).session(request, changing=True)
    if session.search is not None:
        session.search.cancel()
    return JSONResponse({"ok": True})


def pin(request: Request) -> Response:
    session = workshop_of(request).session(request, changing=True)
    job, comparison = current_results(session)
    session.pinned = Pinned.of(job, comparison)
    return JSONResponse({"ok": True, "runs": runs_words(session.pinned)})


def unpin(request: Request) -> Response:
    workshop_of(request).session(request, changing=True).pinned = None
    return JSONResponse({"ok": True})


async def report(request: Request) -> Response:
    workshop = workshop_of(request)
    session = workshop.session(request)
    job, _ = current_results(session)
    page_text = await run_in_threadpool(export_page, workshop, session, job)
    return HTMLResponse(
        page_text, headers={"content-disposition": 'attachment; filename="report.html"'}
    )


async def details(request: Request) -> Response:
    """One run per compared plan (replication 0's seed): its gates with what they
    measured, and adoption by region and department."""
    session = workshop_of(request).session(request)
    job, _ = current_results(session)
    return JSONResponse(await run_in_threadpool(_details, job))


def _details(job: Job) -> dict[str, Any]:
    seed = replication_seeds(job.design.seed, 1)[0]
    results = {plan: simulate(job.scenario, plan, seed=seed) for plan in job.plans}
    people = {plan: result.people for plan, result in results.items()}
    return {
        "seed": seed,
        "gates": views.gate_events({p: r.events for p, r in results.items()}),
        "regions": views.by_group(people, "region"),
        "departments": views.by_group(people, "department"),
    }


async def live_start(request: Request) -> Response:
    workshop = workshop_of(request)
    session = workshop.session(request, changing=True)
    asked = await body(request, LiveStartBody)
    return JSONResponse(await run_in_threadpool(_live_start, workshop, session, asked))


def _live_start(workshop: Workshop, session: Session, asked: LiveStartBody) -> dict[str, Any]:
    scenario = session.scenario()
    plan = asked.plan or next(iter(scenario.plans))
    if plan not in scenario.plans:
        raise InputError(f"plan: unknown plan {plan!r} (one of {', '.join(scenario.plans)})")
    people = projected_people(scenario)
    if people > MAX_LIVE_PEOPLE:
        raise InputError(_too_many_for_live(people))
    organisation = organisation_for(scenario)
    if organisation.size > MAX_LIVE_PEOPLE:
        raise InputError(_too_many_for_live(organisation.size))
    with session.lock:
        session.live = None  # the old model's memory goes before the new one is built
        model = AdoptionModel(scenario, plan, asked.seed, organisation=organisation)
        workshop.sessions.hold_live(session, model)
        return {**live.frame(model), "layout": live.layout(organisation)}


async def live_step(request: Request) -> Response:
    session = workshop_of(request).session(request, changing=True)
    asked = await body(request, LiveStepBody)
    return JSONResponse(await run_in_threadpool(_live_step, session, asked.days))


def _live_step(session: Session, days: int) -> dict[str, Any]:
    with session.lock:
        model = session.live
        if model is None:
            raise InputError("start the live model first (Start)")
        live.advance(model, days)
        session.live_seen = session.last_seen
        return live.frame(model)


def _too_many_for_live(people: int) -> str:
    return (
        f"the live model steps organisations of up to {MAX_LIVE_PEOPLE:,} people in the "
        f"server (this one has {people:,}); compare plans with Run instead"
    )


ROUTES = [
    Route("/", page),
    Route("/static/{name}", static),
    Route("/api/session", new_session, methods=["POST"]),
    Route("/api/state", state),
    Route("/api/levers", find_levers),
    Route("/api/check", check_scenario, methods=["POST"]),
    Route("/api/scenario", set_scenario, methods=["POST"]),
    Route("/api/target", set_target, methods=["POST"]),
    Route("/api/load/scenario", load_scenario_file, methods=["POST"]),
    Route("/api/load/org-chart", load_org_chart, methods=["POST"]),
    Route("/api/export/scenario.yaml", export_scenario),
    Route("/api/export/report.html", report),
    Route("/api/run", run, methods=["POST"]),
    Route("/api/job", job_status),
    Route("/api/cancel", cancel, methods=["POST"]),
    Route("/api/search", search_status),
    Route("/api/search/start", start_search, methods=["POST"]),
    Route("/api/search/cancel", cancel_search, methods=["POST"]),
    Route("/api/show", show, methods=["POST"]),
    Route("/api/pin", pin, methods=["POST"]),
    Route("/api/unpin", unpin, methods=["POST"]),
    Route("/api/details", details),
    Route("/api/live/start", live_start, methods=["POST"]),
    Route("/api/live/step", live_step, methods=["POST"]),
]


# --- errors -----------------------------------------------------------------------------


async def input_error(request: Request, exc: Exception) -> Response:
    return error(exc)


async def gone(request: Request, exc: Exception) -> Response:
    return error(GONE, 409, gone=True)


async def forbidden(request: Request, exc: Exception) -> Response:
    return error(exc, 403)


async def internal(request: Request, exc: Exception) -> Response:
    # not the user's doing: one line in the terminal, one line on the page
    line = f"{request.method} {request.url.path}: {type(exc).__name__}: {exc}"
    print(f"adoption workshop: internal error: {' '.join(line.split())}", file=sys.stderr)
    return error(f"internal error ({type(exc).__name__}); the terminal has the details", 500)


HANDLERS = {
    InputError: input_error,
    SessionGone: gone,
    Forbidden: forbidden,
    Exception: internal,
}


def build_app(workshop: Workshop) -> Starlette:
    """The Starlette app over `workshop`, behind its security gate."""

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        workshop.close()

    app = Starlette(routes=ROUTES, lifespan=lifespan, exception_handlers=HANDLERS)
    app.state.workshop = workshop
    app.add_middleware(Gate, hosts=workshop.hosts, token=workshop.token)
    return app
