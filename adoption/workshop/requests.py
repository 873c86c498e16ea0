"""The bodies the page sends, as pydantic models: a wrong one is refused with one line
naming the field and what was wrong (status 400), never a guess from a caught
ValueError or TypeError."""

from __future__ import annotations

import json
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adoption.errors import InputError
from adoption.experiment.statistics import DEFAULT_TARGET, Target

MAX_REPLICATIONS = 200
"""The most replications one Run asks for (a workshop needs tens)."""
MAX_LIVE_STEPS = 60
"""The most days one step of the live model advances."""
MAX_SEED = 2**32 - 1
MAX_SEARCH_RUNS = 5_000
"""The most runs one search from the workshop may spend (a room waits minutes, not hours;
`adoption search` takes more)."""
_DEFAULT = Target.parse(DEFAULT_TARGET)


class Body(BaseModel):
    """A request body: unknown keys are refused, as a scenario's are."""

    model_config = ConfigDict(extra="forbid")


BodyT = TypeVar("BodyT", bound=Body)


class TargetBody(Body):
    """The room's target: a metric, a comparison and a threshold (adoption at least 50%)."""

    metric: str = _DEFAULT.metric
    comparison: Literal[">=", "<=", ">", "<"] = _DEFAULT.comparison  # type: ignore[assignment]
    value: float = _DEFAULT.value

    def target(self) -> Target:
        """The target (an unknown metric: the CLI's --target message)."""
        return Target(self.metric, self.comparison, self.value)


class ScenarioBody(Body):
    """Levers set (dotted path → value) and plans edited (name → plan)."""

    overrides: dict[str, Any] = Field(default_factory=dict)
    plans: dict[str, dict[str, Any]] = Field(default_factory=dict)


class SearchBody(Body):
    """A search for a better plan within `budget` runs (the search's own default)."""

    budget: int = Field(300, ge=1, le=MAX_SEARCH_RUNS)


class RunBody(Body):
    """One to five plans, compared on `replications` runs each from `seed`."""

    plans: list[str] = Field(min_length=1, max_length=5)
    replications: int = Field(10, ge=1, le=MAX_REPLICATIONS)
    seed: int = Field(0, ge=0, le=MAX_SEED)
    target: TargetBody | None = None


class ShowBody(Body):
    """Which comparison the tab shows: the previous one, or the current one."""

    previous: bool


class LiveStartBody(Body):
    """The plan and seed of the live model (the scenario's first plan by default)."""

    plan: str | None = None
    seed: int = Field(0, ge=0, le=MAX_SEED)


class LiveStepBody(Body):
    """Days to advance the live model (0: only look)."""

    days: int = Field(1, ge=0, le=MAX_LIVE_STEPS)


def parse(model: type[BodyT], data: bytes) -> BodyT:
    """The body as `model`, or an InputError naming the field and the problem."""
    try:
        raw = json.loads(data) if data.strip() else {}
    except (ValueError, RecursionError):
        raise InputError("the request is not JSON") from None
    if not isinstance(raw, dict):
        raise InputError("the request is not a JSON object")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InputError("; ".join(_line(error) for error in exc.errors())) from None


_PLAIN = {
    "too_short": "choose at least {min_length}",
    "too_long": "choose at most {max_length}",
}


def _line(error: Any) -> str:
    """One readable line for a pydantic error: the field, what was wrong, what was given."""
    field = ".".join(str(part) for part in error["loc"]) or "the request"
    if error["type"] == "extra_forbidden":
        return f"unknown field '{field}'"
    plain = _PLAIN.get(error["type"])
    message = plain.format(**error.get("ctx", {})) if plain else error["msg"]
    given = error.get("input")
    shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
    return f"{field}: {message}{shown}"
