"""The workshop's sessions: one per browser tab, made by the server, expiring when idle.

A tab asks for a session (`POST /api/session`) and gets its id and a CSRF token; every
later request names the id, and every state-changing one carries the token. A session
unused for `IDLE_S` is dropped with its live model and uploads, at most
`MAX_SESSIONS` exist at once, and at most `MAX_LIVE_MODELS` of them hold a live model
(the one large thing a session keeps in the server's memory: up to `MAX_LIVE_PEOPLE`
people's arrays and network, about 55 MB). A request naming a session the server does
not know (it expired, or the server restarted) gets `SessionGone`, so the tab can say so.
"""

from __future__ import annotations

import copy
import hmac
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adoption.config import Scenario, load_scenario
from adoption.engine.model import AdoptionModel
from adoption.errors import InputError
from adoption.experiment.comparison import Comparison
from adoption.experiment.statistics import DEFAULT_TARGET, Target
from adoption.workshop.jobs import Job
from adoption.workshop.searches import SearchJob

IDLE_S = 2 * 3600.0
"""A session unused for this long is dropped (a workshop lasts an hour or two)."""
MAX_SESSIONS = 64
"""Most sessions (tabs) at once; the least recently used idle one makes room."""
MAX_LIVE_MODELS = 4
"""Most live models held at once across sessions; starting another drops the least
recently stepped one (its tab is told to start it again)."""
MAX_LIVE_PEOPLE = 50_000
"""The largest organisation a live model steps (it runs in the server process)."""


class SessionGone(Exception):
    """The request names a session the server does not hold (expired or restarted)."""


class Forbidden(Exception):
    """The request may not do what it asks (a wrong CSRF token, a foreign origin)."""


@dataclass(frozen=True)
class Pinned:
    """A comparison pinned as A, with the scenario its numbers are for and how complete
    it was when pinned."""

    comparison: Comparison
    scenario: Scenario
    done: int
    total: int
    state: str

    @classmethod
    def of(cls, job: Job, comparison: Comparison) -> Pinned:
        return cls(comparison, job.scenario, job.done, job.total, job.state)


@dataclass
class Session:
    """One browser tab's state."""

    id: str
    csrf: str
    base: dict[str, Any]
    overrides: dict[str, Any] = field(default_factory=dict)
    plan_edits: dict[str, Any] = field(default_factory=dict)
    job: Job | None = None
    search: SearchJob | None = None
    previous: Job | None = None
    viewing_previous: bool = False
    pinned: Pinned | None = None
    target: Target = field(default_factory=lambda: Target.parse(DEFAULT_TARGET))
    live: AdoptionModel | None = None
    live_seen: float = 0.0
    folder: Path | None = None
    last_seen: float = field(default_factory=time.monotonic)
    views_cache: tuple[Any, dict[str, Any]] | None = None
    card_cache: tuple[Any, dict[str, Any]] | None = None
    views_version: str = ""  # changes whenever the views or the headline card do
    lock: threading.Lock = field(default_factory=threading.Lock)

    def scenario(self) -> Scenario:
        """The scenario on screen: the loaded one, its edited plans, the levers set."""
        raw = copy.deepcopy(self.base)
        for name, plan in self.plan_edits.items():
            raw.setdefault("plans", {})[name] = plan
        return load_scenario(raw, dict(self.overrides) or None)

    def start(self, job: Job) -> None:
        """Run `job` in place of the current one, which (if it has results) is kept as
        the previous comparison; the screen shows the new one as its runs arrive."""
        if self.job is not None:
            self.job.cancel()
            if self.job.comparison() is not None:
                self.previous = self.job
        self.job, self.viewing_previous = job, False

    def on_screen(self) -> Job | None:
        """The job whose results the tab shows: the current one once it has results
        (a cancelled one's are partial, and marked so), unless the room asked to see the
        previous one; before the current one has any, the previous one."""
        current = self.job if self.job is not None and self.job.comparison() is not None else None
        if (self.viewing_previous and self.previous is not None) or current is None:
            return self.previous
        return current

    def upload_folder(self) -> Path:
        """A private temporary folder for this session's uploaded files."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="adoption-workshop-"))
        return self.folder

    def close(self) -> None:
        """Stop its run and its search, drop its live model and remove its uploads."""
        if self.job is not None:
            self.job.cancel()
        if self.search is not None:
            self.search.cancel()
        self.live = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


class Sessions:
    """The sessions of one workshop, created here and expired when idle."""

    def __init__(self, base: dict[str, Any], idle_s: float = IDLE_S) -> None:
        self.base = base
        self.idle_s = idle_s
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self) -> Session:
        """A new session starting from the workshop's scenario."""
        session = Session(secrets.token_urlsafe(16), secrets.token_urlsafe(24), self.base)
        with self._lock:
            dropped = self._expire()
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions.values(), key=lambda s: s.last_seen)
                dropped.append(self._sessions.pop(oldest.id))
            self._sessions[session.id] = session
        for old in dropped:
            old.close()
        return session

    def get(self, key: str, csrf: str | None = None, changing: bool = False) -> Session:
        """The session `key` names; a state-changing request must bring its CSRF token."""
        with self._lock:
            dropped = self._expire()
            session = self._sessions.get(key)
        for old in dropped:
            old.close()
        if session is None:
            raise SessionGone(key)
        if changing and not hmac.compare_digest((csrf or "").encode(), session.csrf.encode()):
            raise Forbidden("this request lacks the tab's CSRF token: reload the page")
        session.last_seen = time.monotonic()
        return session

    def _expire(self) -> list[Session]:
        now = time.monotonic()
        stale = [key for key, s in self._sessions.items() if now - s.last_seen > self.idle_s]
        return [self._sessions.pop(key) for key in stale]

    def hold_live(self, session: Session, model: AdoptionModel) -> None:
        """Give `session` its live model; beyond `MAX_LIVE_MODELS`, the least recently
        stepped other session's model is dropped."""
        with self._lock:
            holding = [
                s for s in self._sessions.values() if s.live is not None and s is not session
            ]
            while len(holding) >= MAX_LIVE_MODELS:
                oldest = min(holding, key=lambda s: s.live_seen)
                oldest.live = None
                holding.remove(oldest)
        session.live, session.live_seen = model, time.monotonic()

    def __contains__(self, key: str) -> bool:
        return key in self._sessions

    def __getitem__(self, key: str) -> Session:
        return self._sessions[key]

    def __len__(self) -> int:
        return len(self._sessions)

    def close(self) -> None:
        """Close every session (the server stops)."""
        with self._lock:
            closing = list(self._sessions.values())
            self._sessions.clear()
        for session in closing:
            session.close()


def check_session_key(key: str) -> str:
    """A session id as the server makes them, or an InputError."""
    if not 8 <= len(key) <= 64 or not key.replace("-", "").replace("_", "").isalnum():
        raise InputError("missing or malformed session id")
    return key
