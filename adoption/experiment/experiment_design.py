"""What an experiment is, as one value: the plans, the worlds, the replications, the seed,
the target and the outcome plans are ranked by.

`compare`, `explore` and `search` take a `Design`; the public functions (`adoption.api`)
build one from the keyword arguments users know, or take `design=Design(...)`. Every field
is checked here, once, with the message the command line gives for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import pandas as pd

from adoption.arguments import name_list, whole_number
from adoption.errors import InputError
from adoption.experiment.comparison import DEFAULT_RANK_BY
from adoption.experiment.statistics import DEFAULT_TARGET, Target
from adoption.outcomes import NUMERIC

TARGET = Target.parse(DEFAULT_TARGET)
"""The target a design has unless it names one."""


@dataclass(frozen=True, eq=False)
class Design:
    """One experiment's design: every plan runs in every world, `replications` times.

    `plans`: the plans compared (None: all the scenario's). `samples`: how many worlds
    are sampled from the scenario's uncertainties (1: the scenario as written; in an
    exploration, the method's base samples). `worlds`: worlds given instead (one row a
    world, a column per uncertainty, e.g. joint posterior draws); `samples` is then their
    number. `seed` fixes the worlds and every run's seed. `target` (text or `Target`,
    kept parsed) is what a run should meet; `rank_by` the numeric outcome plans are
    ranked by.
    """

    plans: tuple[str, ...] | None = None
    replications: int = 30
    samples: int = 1
    seed: int = 0
    target: Target = TARGET
    rank_by: str = DEFAULT_RANK_BY
    worlds: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        plans = name_list(self.plans, "plans")
        if plans is not None and not plans:
            raise InputError("no plans to compare: name at least one (or none for all)")
        if plans is not None and len(set(plans)) != len(plans):
            raise InputError(f"plans repeat: {', '.join(plans)}")
        self._set("plans", None if plans is None else tuple(plans))
        self._set("replications", whole_number(self.replications, "replications", 1))
        self._set("samples", whole_number(self.samples, "samples", 1))
        self._set("seed", whole_number(self.seed, "seed"))
        self._set("target", parsed_target(self.target))
        if not isinstance(self.rank_by, str) or self.rank_by not in NUMERIC:
            raise InputError(
                f"--rank-by: '{self.rank_by}' is not a numeric outcome (try npv, adoption_rate, "
                "...)"
            )
        if self.worlds is not None:
            if not isinstance(self.worlds, pd.DataFrame):
                raise InputError(
                    f"worlds: expected a table (one row a world), got {type(self.worlds).__name__}"
                )
            if self.worlds.empty:
                raise InputError("no worlds given: at least one row is needed")
            self._set("samples", len(self.worlds))

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Design):
            return NotImplemented
        return all(_same(getattr(self, f.name), getattr(other, f.name)) for f in fields(self))

    __hash__ = None  # type: ignore[assignment]  # its worlds table is mutable

    @property
    def plan_list(self) -> list[str] | None:
        """The plans as a list (None: all the scenario's)."""
        return None if self.plans is None else list(self.plans)


def _same(first: Any, second: Any) -> bool:
    if isinstance(first, pd.DataFrame) or isinstance(second, pd.DataFrame):
        return isinstance(first, pd.DataFrame) and first.equals(second)
    return first == second


def parsed_target(target: Any) -> Target:
    """A target given as text such as 'adoption_rate>=0.5', or already parsed."""
    if isinstance(target, Target):
        return target
    if not isinstance(target, str):
        raise InputError(f"target: expected a text such as 'adoption_rate>=0.5', got {target!r}")
    return Target.parse(target)


def design_of(
    design: Design | None,
    default: Design,
    keywords: Mapping[str, str] | None = None,
    **given: Any,
) -> Design:
    """The design a public function runs: `design` as given, or `default` with the keyword
    arguments given (those not None) in place of its fields; not both. `keywords` names
    the function's keyword for a Design field it calls otherwise (search's `worlds` for
    `samples`), so that a refusal speaks of what the caller typed."""
    loose = {name: value for name, value in given.items() if value is not None}
    if design is None:
        return replace(default, **loose)
    if not isinstance(design, Design):
        raise InputError(f"design: expected a Design, got {type(design).__name__}")
    if loose:
        called = keywords or {}
        typed = [
            f"{called[name]} (the Design's {name})" if name in called else name for name in loose
        ]
        raise InputError(
            f"design: give {', '.join(typed)} in the Design, not beside it (Design(...) "
            "holds the whole experiment)"
        )
    return design
