"""A search for a better plan, asked for by the room: `adoption.search` over the
scenario's plan template within a run budget, on the workshop's warm pool, its progress
counted as runs finish, and a Cancel that stops it between runs.

A search only has an answer at its end (its finalists are re-run on fresh worlds and
seeds), so a cancelled search keeps nothing but how far it got.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from adoption.config import Scenario
from adoption.errors import InputError
from adoption.experiment.experiment_design import Design
from adoption.experiment.runner import RunRecord, RunTask
from adoption.search.searching import Search, search
from adoption.search.summary import verdict
from adoption.wording import money, percent

if TYPE_CHECKING:
    from adoption.workshop.jobs import Sweeper

STALE_S = 20.0
"""A search whose browser has not asked about it for this long is cancelled (tab closed)."""

BEST_NAME = "searched-best"
"""The name the searched plan takes among the room's plans (as in best-plan.yaml)."""


class SearchCancelled(Exception):
    """Raised inside a search's sweep once its job is cancelled: the search ends there."""


class StoppableSweeps:
    """The workshop's executor as a search's: each sweep stops between runs once `stop`
    says so (pending runs dropped, the workers kept warm), then raises `SearchCancelled`."""

    def __init__(self, executor: Sweeper, stop: Callable[[], bool]) -> None:
        self.executor = executor
        self.stop = stop

    def map(self, tasks: Iterable[RunTask]) -> Iterator[RunRecord]:
        records = self.executor.map(tasks, self.stop)
        try:
            yield from records
        finally:
            records.close()
        if self.stop():
            raise SearchCancelled


@dataclass
class SearchJob:
    """One search asked for by one browser session."""

    id: int
    scenario: Scenario
    budget: int
    design: Design  # its worlds (`samples`), seeds per world and target
    state: str = "queued"  # queued, running, done, cancelled, failed
    spent: int = 0
    result: Search | None = None
    error: str | None = None
    started_s: float | None = None
    ended_s: float | None = None
    last_seen: float = field(default_factory=time.monotonic)
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.cancel_event.set()
        if self.state == "queued":
            self.state = "cancelled"

    def seen(self) -> None:
        self.last_seen = time.monotonic()

    def run(self, executor: Sweeper, closed: threading.Event) -> None:
        """Search on `executor` until done, cancelled, the app closing or the tab gone."""
        self.state, self.started_s = "running", time.monotonic()

        def stop() -> bool:
            stale = time.monotonic() - self.last_seen > STALE_S
            return self.cancel_event.is_set() or closed.is_set() or stale

        def progress(spent: int) -> None:
            self.spent = max(self.spent, spent)
            if stop():
                raise SearchCancelled

        try:
            self.result = search(
                self.scenario,
                self.design,
                budget=self.budget,
                executor=StoppableSweeps(executor, stop),
                on_run=progress,
            )
            self.state = "done"
        except SearchCancelled:
            self.state = "cancelled"
        except InputError as exc:
            self.state, self.error = "failed", str(exc)
        except Exception as exc:
            self.state, self.error = "failed", " ".join(str(exc).split()) or type(exc).__name__
        finally:
            self.ended_s = time.monotonic()

    def status(self, currency: str) -> dict[str, Any]:
        """How far the search got and, once done, what it found (in the room's words)."""
        elapsed = None
        if self.started_s is not None:
            elapsed = (self.ended_s or time.monotonic()) - self.started_s
        found = None
        if self.result is not None:
            found = {
                "verdict": verdict(self.result, currency),
                "headings": LEADERBOARD_HEADINGS,
                "titles": LEADERBOARD_GLOSSARY,
                "leaderboard": leaderboard_rows(self.result, currency),
                "best": self.result.best,
                "best_plan": self.result.best_plan().model_dump(mode="json", exclude_none=True),
                "name": BEST_NAME,
            }
        return {
            "id": self.id,
            "state": self.state,
            "spent": self.spent,
            "budget": self.budget,
            "error": self.error,
            "elapsed_s": elapsed,
            "found": found,
        }


LEADERBOARD_HEADINGS = (
    "plan",
    "what it does",
    "NPV on fresh runs (95% interval)",
    "adoption",
    "as good as the best",
)


LEADERBOARD_GLOSSARY = {
    "NPV on fresh runs (95% interval)": "npv",
    "adoption": "adoption",
    "as good as the best": "paired",
}
"""The glossary entry that explains a leaderboard heading on hover."""


def leaderboard_rows(result: Search, currency: str) -> list[list[str]]:
    """The finalists best first, as the room reads them: NPV with its currency and
    interval, adoption as a percentage, and whether the fresh runs tell it from the best."""
    board: pd.DataFrame = result.leaderboard()
    return [
        [
            row.plan,
            row.description,
            f"{money(row.npv, currency)} ({money(row.npv_ci_low, currency)} to "
            f"{money(row.npv_ci_high, currency)})",
            percent(row.adoption_rate, 1),
            "yes" if row.indistinguishable_from_best else "no",
        ]
        for row in board.itertuples()
    ]
