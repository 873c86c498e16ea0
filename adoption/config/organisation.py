"""Scenario section `organisation`: who works here and how they are connected."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from adoption.config.base import Section, Share

ROGERS_SHARES = {
    "innovators": 0.025,
    "early_adopters": 0.135,
    "early_majority": 0.34,
    "late_majority": 0.34,
    "laggards": 0.16,
}


class AdopterCategoryShares(Section):
    """Shares of Rogers' adopter categories (Rogers, Diffusion of Innovations); sum to 1."""

    innovators: Share = Field(
        ROGERS_SHARES["innovators"], description="share of innovators (Rogers: 2.5%)"
    )
    early_adopters: Share = Field(
        ROGERS_SHARES["early_adopters"], description="share of early adopters (Rogers: 13.5%)"
    )
    early_majority: Share = Field(
        ROGERS_SHARES["early_majority"], description="share of the early majority (Rogers: 34%)"
    )
    late_majority: Share = Field(
        ROGERS_SHARES["late_majority"], description="share of the late majority (Rogers: 34%)"
    )
    laggards: Share = Field(
        ROGERS_SHARES["laggards"], description="share of laggards (Rogers: 16%)"
    )

    @model_validator(mode="after")
    def _sum_to_one(self) -> AdopterCategoryShares:
        total = sum(self.as_list())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"adopter category shares must sum to 1, they sum to {total:.4f}")
        return self

    def as_list(self) -> list[float]:
        """Shares from most to least innovative."""
        return [
            self.innovators,
            self.early_adopters,
            self.early_majority,
            self.late_majority,
            self.laggards,
        ]


class ManagerStanceShares(Section):
    """Prior shares of managers' stance toward the tool; sum to 1."""

    sponsor: Share = Field(0.3, description="share of managers who sponsor the tool")
    neutral: Share = Field(0.5, description="share of managers who are neutral")
    opposed: Share = Field(0.2, description="share of managers who oppose the tool")

    @model_validator(mode="after")
    def _sum_to_one(self) -> ManagerStanceShares:
        total = self.sponsor + self.neutral + self.opposed
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"manager stance shares must sum to 1, they sum to {total:.4f}")
        return self


class NetworkConfig(Section):
    """How the informal network is generated around the reporting lines."""

    team_tie_probability: Share = Field(
        0.8, description="probability that two members of the same team are tied (share)"
    )
    cross_team_ties_per_person: float = Field(
        4.0, ge=0, le=100, description="mean number of ties a person starts outside the team"
    )
    cross_team_same_department: Share = Field(
        0.5, description="share of cross-team ties that stay inside the person's department"
    )
    cross_team_same_region: Share = Field(
        0.3, description="share of cross-team ties that stay inside the region (other departments)"
    )
    long_range_ties_per_person: float = Field(
        0.05, ge=0, le=10, description="mean number of uniformly random long-range ties per person"
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> NetworkConfig:
        if self.cross_team_same_department + self.cross_team_same_region > 1.0 + 1e-9:
            raise ValueError(
                "cross_team_same_department + cross_team_same_region must be at most 1"
            )
        return self


class OrganisationConfig(Section):
    """The organisation: generated from these parameters, or loaded from an HR export."""

    seed: int = Field(
        0, ge=0, description="seed of the generated organisation (same seed, same people)"
    )
    employees: int = Field(5000, ge=10, le=2_000_000, description="headcount (people)")
    regions: list[str] = Field(
        default_factory=lambda: ["North", "South", "East", "West"],
        min_length=1,
        description="region names; teams sit in one region each",
    )
    departments: list[str] = Field(
        default_factory=lambda: [
            "Sales",
            "Operations",
            "Finance",
            "Engineering",
            "Customer Service",
            "Marketing",
            "HR",
            "Legal",
        ],
        min_length=1,
        description="department names",
    )
    team_size_min: int = Field(5, ge=2, le=100, description="smallest team, manager included")
    team_size_max: int = Field(12, ge=2, le=100, description="largest team, manager included")
    span_of_control_max: int = Field(
        8, ge=2, le=50, description="most managers that report to one manager above them"
    )
    resistant_team_share: Share = Field(
        0.15, description="share of teams that resist as a group (workflow or authority disrupted)"
    )
    manager_stance: ManagerStanceShares = Field(default_factory=ManagerStanceShares)
    adopter_categories: AdopterCategoryShares = Field(default_factory=AdopterCategoryShares)
    digital_skill_mean: Share = Field(0.6, description="mean digital skill (0..1)")
    threat_perception_mean: Share = Field(
        0.3, description="mean personal fear of being automated away (0..1)"
    )
    workflow_fit_mean: Share = Field(
        0.7, description="mean usefulness of the tool for a team's work (0..1)"
    )
    attribute_concentration: float = Field(
        8.0,
        gt=0,
        le=10_000,
        description="alpha + beta (dimensionless) of the Beta distributions that digital "
        "skill, threat perception and teams' workflow fit are drawn from around their means: "
        "the higher, the less people and teams differ (8: a standard deviation of about 0.15 "
        "at the default means); assumption",
    )
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    org_chart: Path | None = Field(
        None,
        description="HR export CSV to load instead of generating (relative to the scenario file)",
    )
    collaboration_edges: Path | None = Field(
        None, description="optional collaboration edge list CSV (source, target[, weight])"
    )

    @model_validator(mode="after")
    def _consistent(self) -> OrganisationConfig:
        if self.team_size_min > self.team_size_max:
            raise ValueError(
                f"team_size_min ({self.team_size_min}) is larger than "
                f"team_size_max ({self.team_size_max})"
            )
        for name, values in (("regions", self.regions), ("departments", self.departments)):
            if len(set(values)) != len(values):
                raise ValueError(f"{name} must be unique, got {values}")
            if any(not v.strip() for v in values):
                raise ValueError(f"{name} must not contain empty names")
        if self.collaboration_edges is not None and self.org_chart is None:
            raise ValueError("collaboration_edges needs org_chart as well")
        return self
