"""The workshop's web app: Starlette routes over the session state, served by uvicorn.

Each browser tab is a session (an id it makes and sends with every request) with its
own levers, plans, runs, pinned results and live model. Runs go through one
`JobQueue`, so all sessions together never start more worker processes than asked.
Every asset is served from this package: the page loads nothing from the internet.
"""

from __future__ import annotations

import copy
import hmac
import secrets
import shutil
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from starlette.applications import Starlette
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from adoption.config import Scenario, load_scenario
from adoption.config.loading import parse_yaml_text, scenario_yaml
from adoption.engine.model import AdoptionModel
from adoption.errors import InputError
from adoption.experiment.comparison import Comparison
from adoption.experiment.design import replication_seeds
from adoption.experiment.figures import adoption_curves_figure, outcomes_figure
from adoption.experiment.report import report_html
from adoption.experiment.report import verdict as report_verdict
from adoption.organisation import build_organisation
from adoption.simulate import final_people, simulate
from adoption.workshop import views
from adoption.workshop.jobs import Job, JobQueue
from adoption.workshop.levers import GROUPS, levers

MAX_SCENARIO_BYTES = 1_000_000
"""The largest scenario file the app accepts (1 MB)."""

MAX_ORG_CHART_BYTES = 20_000_000
"""The largest org chart the app accepts (20 MB: about 200,000 people)."""

MAX_REPLICATIONS = 200
MAX_LIVE_STEPS = 60
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def static_text(name: str) -> str:
    return resources.files("adoption.workshop").joinpath("static", name).read_text("utf-8")


@dataclass
class Session:
    """One browser tab's state."""

    id: str
    base: dict[str, Any]
    overrides: dict[str, Any] = field(default_factory=dict)
    plan_edits: dict[str, Any] = field(default_factory=dict)
    job: Job | None = None
    pinned: Comparison | None = None
    live: AdoptionModel | None = None
    folder: Path | None = None
    last_seen: float = field(default_factory=time.monotonic)
    views_cache: tuple[Any, dict[str, Any]] | None = None

    def scenario(self) -> Scenario:
        """The scenario on screen: the loaded one, its edited plans, the levers set."""
        raw = copy.deepcopy(self.base)
        for name, plan in self.plan_edits.items():
            raw.setdefault("plans", {})[name] = plan
        return load_scenario(raw, dict(self.overrides) or None)

    def upload_folder(self) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="adoption-workshop-"))
        return self.folder


class Workshop:
    """The app's state: the starting scenario, the sessions and the run queue."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        workers: int = 2,
        token: str | None = None,
        queue: JobQueue | None = None,
    ) -> None:
        self.scenario = scenario or load_scenario(None)
        self.workers = workers
        self.token = token
        self.queue = queue or JobQueue(workers)
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()

    def session(self, request: Request) -> Session:
        key = request.headers.get("x-session") or request.query_params.get("session") or ""
        if not 8 <= len(key) <= 64 or not key.replace("-", "").isalnum():
            raise InputError("missing or malformed session id")
        with self.lock:
            session = self.sessions.get(key)
            if session is None:
                session = Session(key, self.scenario.model_dump(mode="json"))
                self.sessions[key] = session
        session.last_seen = time.monotonic()
        return session

    def close(self) -> None:
        self.queue.shutdown()
        for session in self.sessions.values():
            if session.folder is not None:
                shutil.rmtree(session.folder, ignore_errors=True)


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
    shown = {
        "curves": views.curves(comparison, session.pinned),
        "money": money_svg,
        "breakeven": {p: d for p, d in breakeven.items()},
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
    return shown


# --- routes -----------------------------------------------------------------------------


def error(message: object, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": " ".join(str(message).split())}, status_code=status)


async def body_bytes(request: Request, limit: int, what: str) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise InputError(f"{what} is too large ({int(declared):,} bytes; the limit is {limit:,})")
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise InputError(f"{what} is too large (the limit is {limit:,} bytes)")
    return data


def build_app(workshop: Workshop) -> Starlette:
    """The Starlette app over `workshop`."""

    def page(request: Request) -> Response:
        text = static_text("index.html")
        text = text.replace("/*STYLE*/", static_text("app.css"))
        text = text.replace("/*SCRIPT*/", static_text("app.js"))
        response = HTMLResponse(text)
        if workshop.token is not None:
            response.set_cookie("workshop_token", workshop.token, httponly=True, samesite="strict")
        return response

    async def state(request: Request) -> Response:
        session = workshop.session(request)
        return JSONResponse(state_payload(workshop, session))

    async def set_scenario(request: Request) -> Response:
        session = workshop.session(request)
        payload = await request.json()
        overrides = dict(payload.get("overrides") or {})
        plan_edits = dict(payload.get("plans") or {})
        previous = (session.overrides, session.plan_edits)
        session.overrides, session.plan_edits = overrides, plan_edits
        try:
            session.scenario()
        except InputError:
            session.overrides, session.plan_edits = previous
            raise
        return JSONResponse({"ok": True})

    async def load_scenario_file(request: Request) -> Response:
        session = workshop.session(request)
        data = await body_bytes(request, MAX_SCENARIO_BYTES, "the scenario file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the scenario file is not UTF-8 text") from None
        raw = parse_yaml_text(text)
        scenario = load_scenario(raw if raw is not None else {})
        session.base = scenario.model_dump(mode="json")
        session.overrides, session.plan_edits = {}, {}
        return JSONResponse(state_payload(workshop, session))

    async def load_org_chart(request: Request) -> Response:
        session = workshop.session(request)
        data = await body_bytes(request, MAX_ORG_CHART_BYTES, "the org chart")
        path = session.upload_folder() / f"org-{secrets.token_hex(4)}.csv"
        path.write_bytes(data)
        overrides = {**session.overrides, "organisation.org_chart": str(path)}
        candidate = Session(session.id, session.base, overrides, session.plan_edits)
        name = request.headers.get("x-filename") or "the org chart"
        try:
            scenario = candidate.scenario()
            org = build_organisation(scenario.organisation)  # the CLI's checks and messages
        except InputError as exc:
            path.unlink(missing_ok=True)
            raise InputError(str(exc).replace(str(path), name)) from None
        session.overrides = overrides
        return JSONResponse({"ok": True, "people": org.size, "notes": org.notes[:5]})

    def export_scenario(request: Request) -> Response:
        session = workshop.session(request)
        return PlainTextResponse(
            scenario_yaml(session.scenario()),
            media_type="application/yaml",
            headers={"content-disposition": 'attachment; filename="scenario.yaml"'},
        )

    async def run(request: Request) -> Response:
        session = workshop.session(request)
        payload = await request.json()
        plans = list(payload.get("plans") or [])
        replications = int(payload.get("replications") or 10)
        if not 2 <= len(plans) <= 5:
            raise InputError("choose 2 to 5 plans to compare")
        if not 1 <= replications <= MAX_REPLICATIONS:
            raise InputError(f"replications must be between 1 and {MAX_REPLICATIONS}")
        if session.job is not None and session.job.state in ("queued", "running"):
            session.job.cancel()
        session.job = workshop.queue.submit(
            session.scenario(), plans, replications, int(payload.get("seed") or 0)
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
        session = workshop.session(request)
        if session.job is not None:
            session.job.cancel()
        return JSONResponse({"ok": True})

    def pin(request: Request) -> Response:
        session = workshop.session(request)
        comparison = session.job.comparison() if session.job is not None else None
        if comparison is None:
            raise InputError("nothing to pin yet: run a comparison first")
        session.pinned = comparison
        return JSONResponse({"ok": True})

    def unpin(request: Request) -> Response:
        workshop.session(request).pinned = None
        return JSONResponse({"ok": True})

    def report(request: Request) -> Response:
        session = workshop.session(request)
        comparison = session.job.comparison() if session.job is not None else None
        if comparison is None:
            raise InputError("no results yet: run a comparison first")
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
        session = workshop.session(request)
        payload = await request.json()
        scenario = session.scenario()
        plan = payload.get("plan") or next(iter(scenario.plans))
        if plan not in scenario.plans:
            raise InputError(f"unknown plan '{plan}'")
        session.live = AdoptionModel(scenario, plan, int(payload.get("seed") or 0))
        return JSONResponse(live_payload(session.live, network=True))

    async def live_step(request: Request) -> Response:
        session = workshop.session(request)
        if session.live is None:
            raise InputError("start the live model first")
        payload = await request.json()
        steps = max(0, min(MAX_LIVE_STEPS, int(payload.get("days", 1))))
        for _ in range(steps):
            if session.live.recorder.rows >= session.live.steps_total:
                break
            session.live.step()
        return JSONResponse(live_payload(session.live, network=bool(payload.get("network"))))

    routes = [
        Route("/", page),
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

    app.add_exception_handler(InputError, input_error)

    async def guard(request: Request, call_next):
        if workshop.token is not None:
            given = (
                request.query_params.get("token")
                or request.headers.get("x-token")
                or request.cookies.get("workshop_token")
                or ""
            )
            if not hmac.compare_digest(given.encode(), workshop.token.encode()):
                return PlainTextResponse("an access token is required", status_code=403)
        try:
            return await call_next(request)
        except (ValueError, TypeError) as exc:  # malformed JSON or numbers
            return error(f"bad request: {exc}")

    app.add_middleware(BaseHTTPMiddleware, dispatch=guard)
    return app


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
