"""The workshop's web app: Starlette routes over the session state, served by uvicorn.

Each browser tab asks for a session (`adoption.workshop.sessions`) with its own
levers, plans, runs, pinned results and live model. Runs go through one `JobQueue`,
so all sessions together never start more worker processes than asked. Requests pass
`adoption.workshop.security` first (host names, origin, token); heavy work (a live
model, an org chart, figures) runs in a worker thread, never on the event loop.
Every asset is served from this package: the page loads nothing from the internet.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import numpy as np
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
from adoption.simulate import final_people, simulate
from adoption.workshop import views
from adoption.workshop.jobs import JobQueue
from adoption.workshop.levers import GROUPS, levers
from adoption.workshop.security import Gate, HostNames
from adoption.workshop.sessions import (
    IDLE_S,
    Forbidden,
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
MAX_LIVE_PEOPLE = 50_000
"""The largest organisation the live model steps (it runs in the server process)."""
MAX_REPLICATIONS = 200
MAX_LIVE_STEPS = 60
UPLOADED = "organisation.org_chart"
"""The override an uploaded org chart sets."""
STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
GONE = (
    "this tab's session is gone: the workshop was restarted or the tab sat idle for "
    f"over {IDLE_S / 3600:g} hours. What was loaded and set here is not on the server "
    "any more: reload the page to start again from the workshop's scenario (load a "
    "saved scenario file again if you had one)"
)


def static_text(name: str) -> str:
    return resources.files("adoption.workshop").joinpath("static", name).read_text("utf-8")


class Workshop:
    """The app's state: the starting scenario, the sessions and the run queue."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        workers: int = 2,
        token: str | None = None,
        queue: JobQueue | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.scenario = scenario or load_scenario(None)
        self.workers = workers
        self.token = token
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


# --- payloads ---------------------------------------------------------------------------


def state_payload(workshop: Workshop, session: Session) -> dict[str, Any]:
    scenario = session.scenario()
    return {
        "groups": list(GROUPS),
        "levers": [lever.as_dict() for lever in levers(scenario)],
        "plans": {
            name: plan.model_dump(mode="json", exclude={"description"})
            for name, plan in scenario.plans.items()
        },
        "descriptions": {name: plan.description for name, plan in scenario.plans.items()},
        "scenario": scenario.name,
        "employees": scenario.organisation.employees,
        "org_chart": str(scenario.organisation.org_chart or ""),
        "workers": workshop.workers,
        "pinned": session.pinned is not None,
    }


def comparison_views(session: Session, comparison: Comparison) -> dict[str, Any]:
    """Everything the results panel shows, drawn once per new run arrival."""
    key = (id(comparison), id(session.pinned))
    with RENDERING:  # matplotlib draws one figure at a time, whoever asks
        if session.views_cache is None or session.views_cache[0] != key:
            session.views_cache = (key, _draw(session, comparison))
    return session.views_cache[1]


RENDERING = threading.Lock()


def _draw(session: Session, comparison: Comparison) -> dict[str, Any]:
    money_svg, breakeven = views.money(comparison)
    return {
        "curves": views.curves(comparison, session.pinned),
        "money": money_svg,
        "breakeven": dict(breakeven),
        "outcomes": views.outcomes(comparison),
        "ranking": views.ranking(comparison),
        "causes": views.causes(comparison),
        "decisions": views.decisions(comparison),
        "verdict": report_verdict(comparison),
        "pinned_difference": (
            views.table(views.pinned_difference(session.pinned, comparison), index=False)
            if session.pinned is not None
            else None
        ),
    }


def projected_people(scenario: Scenario) -> int:
    """How many people a run of the scenario simulates, known without building them
    (an org chart: its size is bounded by the upload limit and counted when loaded)."""
    if scenario.network is not None:
        return scenario.network.n or 0
    if scenario.organisation.org_chart is not None:
        return 0
    return scenario.organisation.employees


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


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object (an empty body: {})."""
    data = await body_bytes(request, MAX_JSON_BYTES, "the request")
    if not data.strip():
        return {}
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError):
        raise InputError("the request is not JSON") from None
    if not isinstance(payload, dict):
        raise InputError("the request is not a JSON object")
    return payload


def whole(payload: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    """payload[key] as a whole number from low to high (default if absent)."""
    value = payload.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InputError(f"{key}: expected a whole number, got {value!r}")
    if not low <= value <= high:
        raise InputError(f"{key} must be between {low} and {high} (got {value:g})")
    return int(value)


def mapping(payload: dict[str, Any], key: str) -> dict[str, Any]:
    value = payload.get(key) or {}
    if not isinstance(value, dict):
        raise InputError(f"{key}: expected an object of names and values")
    return dict(value)


def filename(request: Request, default: str) -> str:
    """The uploaded file's name as the page sent it, kept to plain characters."""
    name = request.headers.get("x-filename") or ""
    kept = "".join(c for c in name if c.isalnum() or c in " ._-")[:100].strip()
    return kept or default


# --- the app ----------------------------------------------------------------------------


def build_app(workshop: Workshop) -> Starlette:
    """The Starlette app over `workshop`, behind its security gate."""

    def page(request: Request) -> Response:
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
        session = workshop.sessions.create()
        return JSONResponse({"session": session.id, "csrf": session.csrf})

    def state(request: Request) -> Response:
        session = workshop.session(request)
        return JSONResponse(state_payload(workshop, session))

    async def set_scenario(request: Request) -> Response:
        session = workshop.session(request, changing=True)
        payload = await json_body(request)
        overrides, plan_edits = mapping(payload, "overrides"), mapping(payload, "plans")
        if UPLOADED in session.overrides:  # the levers do not show the uploaded org chart
            overrides.setdefault(UPLOADED, session.overrides[UPLOADED])
        candidate = Session(session.id, session.csrf, session.base, overrides, plan_edits)
        candidate.folder = session.folder
        scenario = await run_in_threadpool(candidate.scenario)  # the CLI's checks, messages
        workshop.check_files(candidate, scenario)
        session.overrides, session.plan_edits = overrides, plan_edits
        return JSONResponse({"ok": True})

    async def load_scenario_file(request: Request) -> Response:
        session = workshop.session(request, changing=True)
        data = await body_bytes(request, MAX_SCENARIO_BYTES, "the scenario file")
        name = filename(request, "the scenario file")
        scenario = await run_in_threadpool(scenario_from_text, data, name)
        workshop.check_files(session, scenario)
        session.base = scenario.model_dump(mode="json")
        session.overrides, session.plan_edits = {}, {}
        return JSONResponse(await run_in_threadpool(state_payload, workshop, session))

    async def load_org_chart(request: Request) -> Response:
        session = workshop.session(request, changing=True)
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
        session = workshop.session(request)
        return PlainTextResponse(
            scenario_yaml(session.scenario()),
            media_type="application/yaml",
            headers={"content-disposition": 'attachment; filename="scenario.yaml"'},
        )

    async def run(request: Request) -> Response:
        session = workshop.session(request, changing=True)
        payload = await json_body(request)
        plans = payload.get("plans") or []
        if not isinstance(plans, list) or not all(isinstance(p, str) for p in plans):
            raise InputError("plans: expected a list of plan names")
        replications = whole(payload, "replications", 10, 1, MAX_REPLICATIONS)
        seed = whole(payload, "seed", 0, 0, 2**32 - 1)
        if not 2 <= len(plans) <= 5:
            raise InputError("choose 2 to 5 plans to compare")
        scenario = await run_in_threadpool(session.scenario)
        if projected_people(scenario) > MAX_PEOPLE:
            raise InputError(
                f"the workshop compares organisations of up to {MAX_PEOPLE:,} people "
                f"(this one has {projected_people(scenario):,}); use adoption compare"
            )
        if session.job is not None and session.job.state in ("queued", "running"):
            session.job.cancel()
        session.job = await run_in_threadpool(
            workshop.queue.submit, scenario, plans, replications, seed
        )
        return JSONResponse(session.job.status())

    def job(request: Request) -> Response:
        session = workshop.session(request)
        current = session.job
        if current is None:
            return JSONResponse({"state": "none"})
        current.seen()
        status = current.status()
        status["queued_behind"] = workshop.queue.position(current)
        comparison = current.comparison()
        if comparison is not None:
            status["views"] = comparison_views(session, comparison)
        return JSONResponse(status)

    def cancel(request: Request) -> Response:
        session = workshop.session(request, changing=True)
        if session.job is not None:
            session.job.cancel()
        return JSONResponse({"ok": True})

    def pin(request: Request) -> Response:
        session = workshop.session(request, changing=True)
        comparison = session.job.comparison() if session.job is not None else None
        if comparison is None:
            raise InputError("nothing to pin yet: run a comparison first")
        session.pinned = comparison
        return JSONResponse({"ok": True})

    def unpin(request: Request) -> Response:
        workshop.session(request, changing=True).pinned = None
        return JSONResponse({"ok": True})

    def report(request: Request) -> Response:
        session = workshop.session(request)
        comparison = session.job.comparison() if session.job is not None else None
        if comparison is None:
            raise InputError("no results yet: run a comparison first")
        with RENDERING:
            figures = {
                "adoption_curves.png": adoption_curves_figure(comparison).png(),
                "outcomes.png": outcomes_figure(comparison).png(),
            }
        return HTMLResponse(
            report_html(comparison, figures),
            headers={"content-disposition": 'attachment; filename="report.html"'},
        )

    def details(request: Request) -> Response:
        """One run per compared plan (replication 0's seed): its gates with what they
        measured, and adoption by region and department."""
        session = workshop.session(request)
        if session.job is None:
            raise InputError("no results yet: run a comparison first")
        scenario, plans = session.job.scenario, session.job.plans
        seed = replication_seeds(session.job.seed, 1)[0]
        results = {plan: simulate(scenario, plan, seed=seed) for plan in plans}
        people = {plan: result.people for plan, result in results.items()}
        return JSONResponse(
            {
                "seed": seed,
                "gates": views.gate_events({p: r.events for p, r in results.items()}),
                "regions": views.by_group(people, "region"),
                "departments": views.by_group(people, "department"),
            }
        )

    async def live_start(request: Request) -> Response:
        session = workshop.session(request, changing=True)
        payload = await json_body(request)
        plan = payload.get("plan")
        seed = whole(payload, "seed", 0, 0, 2**32 - 1)
        return JSONResponse(await run_in_threadpool(_live_start, session, plan, seed))

    def _live_start(session: Session, plan: Any, seed: int) -> dict[str, Any]:
        scenario = session.scenario()
        plan = plan or next(iter(scenario.plans))
        if not isinstance(plan, str) or plan not in scenario.plans:
            raise InputError(f"unknown plan {plan!r}")
        people = projected_people(scenario)
        if people > MAX_LIVE_PEOPLE:
            raise InputError(_too_many_for_live(people))
        organisation = organisation_for(scenario)
        if organisation.size > MAX_LIVE_PEOPLE:
            raise InputError(_too_many_for_live(organisation.size))
        with session.lock:
            session.live = None  # the old model's memory goes before the new one is built
            session.live = AdoptionModel(scenario, plan, seed, organisation=organisation)
            return live_payload(session.live, network=True)

    async def live_step(request: Request) -> Response:
        session = workshop.session(request, changing=True)
        payload = await json_body(request)
        steps = whole(payload, "days", 1, 0, MAX_LIVE_STEPS)
        network = bool(payload.get("network"))
        return JSONResponse(await run_in_threadpool(_live_step, session, steps, network))

    def _live_step(session: Session, steps: int, network: bool) -> dict[str, Any]:
        with session.lock:
            live = session.live
            if live is None:
                raise InputError("start the live model first")
            for _ in range(steps):
                if live.recorder.rows >= live.steps_total:
                    break
                live.step()
            return live_payload(live, network=network)

    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/api/session", new_session, methods=["POST"]),
        Route("/api/state", state),
        Route("/api/scenario", set_scenario, methods=["POST"]),
        Route("/api/load/scenario", load_scenario_file, methods=["POST"]),
        Route("/api/load/org-chart", load_org_chart, methods=["POST"]),
        Route("/api/export/scenario.yaml", export_scenario),
        Route("/api/export/report.html", report),
        Route("/api/run", run, methods=["POST"]),
        Route("/api/job", job),
        Route("/api/cancel", cancel, methods=["POST"]),
        Route("/api/pin", pin, methods=["POST"]),
        Route("/api/unpin", unpin, methods=["POST"]),
        Route("/api/details", details),
        Route("/api/live/start", live_start, methods=["POST"]),
        Route("/api/live/step", live_step, methods=["POST"]),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        workshop.close()

    app = Starlette(routes=routes, lifespan=lifespan)

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

    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(SessionGone, gone)
    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(Exception, internal)
    app.add_middleware(Gate, hosts=workshop.hosts, token=workshop.token)
    return app


def _too_many_for_live(people: int) -> str:
    return (
        f"the live model steps organisations of up to {MAX_LIVE_PEOPLE:,} people in the "
        f"server (this one has {people:,}); compare plans with Run instead"
    )


def live_payload(model: AdoptionModel, network: bool = False) -> dict[str, Any]:
    """The live model's day, its people by state, and (if asked) the network view."""
    frame = model.recorder.frame()
    day = float(model.day)
    states = np.asarray(model.people.state)
    counts = {name: int((states == code).sum()) for code, name in enumerate(views.STATE_NAMES)}
    people = final_people(model.organisation, model)
    payload: dict[str, Any] = {
        "day": day,
        "horizon": float(model.steps_total * model.dt),
        "plan": model.plan_name,
        "counts": counts,
        "active_series": frame["active"].tolist() if "active" in frame else [],
        "regions": views.by_group({model.plan_name: people}, "region"),
        "events": views.table(model.events.frame().tail(8), index=False),
    }
    if network:
        payload["network"] = views.network(model.organisation, states, day)
    return payload
