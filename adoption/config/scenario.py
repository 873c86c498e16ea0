"""The scenario: everything one simulation needs, validated into typed objects."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator

from adoption.config.base import Section
from adoption.config.behaviour import AcceptanceRule, Behaviour
from adoption.config.change import ChangeManagementConfig
from adoption.config.economics import EconomicsConfig
from adoption.config.lever import lever
from adoption.config.network import InitialAdopters, NetworkSpec
from adoption.config.organisation import OrganisationConfig
from adoption.config.plans import Plan, check_plan_name, default_plans
from adoption.config.search import SearchSpace
from adoption.config.tool import ToolConfig
from adoption.config.uncertainties import Uncertainty


class Scenario(Section):
    """A complete, validated scenario (XLRM: levers live in plans and change management)."""

    name: str = Field("default", description="scenario name, shown in reports")
    description: str = Field("", description="what the scenario represents, for reports")
    horizon_days: int = Field(
        730,
        ge=1,
        le=36_500,
        description="simulated days (two years by default: long enough for value to arrive)",
        json_schema_extra=lever(
            "how long the simulation runs",
            "days",
            "plan and gates",
            (
                "the brief: money over a horizon long enough for value to arrive; "
                "metrics also at one year (npv_1y)"
            ),
            plausible=(365, 1825),
            key=True,
        ),
    )
    step_days: float = Field(
        1.0,
        ge=0.05,
        le=7.0,
        description="length of one time step (days)",
        json_schema_extra=lever(
            "length of one time step",
            "days",
            "plan and gates",
            "assumption: a day, the rhythm of work",
        ),
    )
    organisation: OrganisationConfig = Field(
        default_factory=OrganisationConfig, description="the people and their network"
    )
    tool: ToolConfig = Field(default_factory=ToolConfig, description="the AI tool and its serving")
    change_management: ChangeManagementConfig = Field(
        default_factory=ChangeManagementConfig, description="communication, training, support"
    )
    behaviour: Behaviour = Field(
        default_factory=AcceptanceRule,
        description="decision rule: acceptance (default), bass, threshold or contagion",
    )
    economics: EconomicsConfig = Field(
        default_factory=EconomicsConfig, description="value of use and programme costs"
    )
    plans: dict[str, Plan] = Field(
        default_factory=default_plans,
        min_length=1,
        description="rollout plans by name (default: big-bang, pilot-10, regional-pilot, "
        "phased, champions, build-first)",
    )
    uncertainties: dict[str, Uncertainty] = Field(
        default_factory=dict, description="distributions keyed by dotted field path"
    )
    search: SearchSpace = Field(
        default_factory=SearchSpace,
        description="the plan template `adoption search` explores, and how it races plans",
    )
    network: NetworkSpec | None = Field(
        None, description="a plain network instead of the organisation (classic models)"
    )
    initial_adopters: InitialAdopters | None = Field(
        None, description="people who have adopted at the start (classic models)"
    )

    @property
    def business_minimum(self) -> float:
        """The accuracy below which a use costs the organisation more than it earns."""
        if self.tool.minimum_useful_accuracy is not None:
            return self.tool.minimum_useful_accuracy
        return self.economics.break_even_accuracy()

    @property
    def classic(self) -> bool:
        """Whether a textbook rule runs (organisational mechanisms off)."""
        return self.behaviour.rule != "acceptance"

    @field_validator("plans")
    @classmethod
    def _plan_names(cls, plans: dict[str, Plan]) -> dict[str, Plan]:
        for name in plans:
            check_plan_name(name)
        return plans

    @model_validator(mode="after")
    def _horizon_covers_a_step(self) -> Scenario:
        if self.horizon_days < self.step_days:
            raise ValueError(
                f"horizon_days ({self.horizon_days}) is shorter than one step "
                f"(step_days {self.step_days})"
            )
        return self

    @model_validator(mode="after")
    def _references_exist(self) -> Scenario:
        for key in self.uncertainties:
            if not field_path_exists(self, key):
                raise ValueError(f"uncertainty '{key}' names no scenario field")
        if self.organisation.org_chart is None:
            unknown = set(self.tool.region_accuracy_offset) - set(self.organisation.regions)
            if unknown:
                raise ValueError(
                    f"tool.region_accuracy_offset names no region {', '.join(sorted(unknown))} "
                    f"(known: {', '.join(self.organisation.regions)}); give the offsets of "
                    "your regions, or {} for none"
                )
            known = {
                "region": set(self.organisation.regions),
                "department": set(self.organisation.departments),
            }
            for plan_name, plan in self.plans.items():
                for wave in plan.waves:
                    if wave.group in known and wave.name not in known[wave.group]:
                        raise ValueError(
                            f"plan '{plan_name}': no {wave.group} named '{wave.name}' "
                            f"(known: {', '.join(sorted(known[wave.group]))})"
                        )
        return self


def field_path_exists(model: BaseModel, dotted: str) -> bool:
    """Whether `dotted` (e.g. ``tool.production_accuracy``) names a field of `model`."""
    node: Any = model
    for part in dotted.split("."):
        if isinstance(node, BaseModel) and part in type(node).model_fields:
            node = getattr(node, part)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return not isinstance(node, BaseModel | dict)


MAX_DAYS = 36_500
"""The longest simulation, in days (as `horizon_days`)."""


def check_days(scenario: Scenario, days: int | None) -> int:
    """The number of days to simulate (`days`, or the horizon), or an `InputError`.

    For front ends (the CLI) and `simulate`: at least one step, at most `MAX_DAYS`.
    """
    from adoption.errors import InputError

    if days is None:
        return scenario.horizon_days
    if isinstance(days, bool) or not isinstance(days, int):
        raise InputError(f"days: expected a whole number of days, got {days!r}")
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"days: expected 1 to {MAX_DAYS:,} days, got {days:,}")
    if days < scenario.step_days:
        raise InputError(
            f"days: {days} day(s) is shorter than one step (step_days {scenario.step_days}); "
            "simulate at least one step"
        )
    return days
