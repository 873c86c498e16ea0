"""Scenario section `organisation`: who works here and how they are connected."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from adoption.config.base import Section, Share
from adoption.config.lever import lever

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
        ROGERS_SHARES["innovators"],
        description="share of innovators",
        json_schema_extra=lever(
            "share of innovators",
            "share (0–1)",
            "organisation",
            "Rogers, Diffusion of Innovations (2.5%)",
        ),
    )
    early_adopters: Share = Field(
        ROGERS_SHARES["early_adopters"],
        description="share of early adopters",
        json_schema_extra=lever(
            "share of early adopters",
            "share (0–1)",
            "organisation",
            "Rogers, Diffusion of Innovations (13.5%)",
        ),
    )
    early_majority: Share = Field(
        ROGERS_SHARES["early_majority"],
        description="share of the early majority",
        json_schema_extra=lever(
            "share of early majority",
            "share (0–1)",
            "organisation",
            "Rogers, Diffusion of Innovations (34%)",
        ),
    )
    late_majority: Share = Field(
        ROGERS_SHARES["late_majority"],
        description="share of the late majority",
        json_schema_extra=lever(
            "share of late majority",
            "share (0–1)",
            "organisation",
            "Rogers, Diffusion of Innovations (34%)",
        ),
    )
    laggards: Share = Field(
        ROGERS_SHARES["laggards"],
        description="share of laggards",
        json_schema_extra=lever(
            "share of laggards",
            "share (0–1)",
            "organisation",
            "Rogers, Diffusion of Innovations (16%)",
        ),
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

    sponsor: Share = Field(
        0.3,
        description="share of managers who sponsor the tool",
        json_schema_extra=lever(
            "share of managers who sponsor the tool",
            "share (0–1)",
            "organisation",
            "assumption (the three stance shares sum to 1)",
        ),
    )
    neutral: Share = Field(
        0.5,
        description="share of managers who are neutral",
        json_schema_extra=lever(
            "share of managers who are neutral",
            "share (0–1)",
            "organisation",
            "assumption (the three stance shares sum to 1)",
        ),
    )
    opposed: Share = Field(
        0.2,
        description="share of managers who oppose the tool",
        json_schema_extra=lever(
            "share of managers who oppose the tool",
            "share (0–1)",
            "organisation",
            "assumption (the three stance shares sum to 1)",
        ),
    )

    @model_validator(mode="after")
    def _sum_to_one(self) -> ManagerStanceShares:
        total = self.sponsor + self.neutral + self.opposed
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"manager stance shares must sum to 1, they sum to {total:.4f}")
        return self


class NetworkConfig(Section):
    """How the informal network is generated around the reporting lines."""

    team_tie_probability: Share = Field(
        0.8,
        description="probability that two members of the same team are tied (share)",
        json_schema_extra=lever(
            "chance two teammates are tied", "share (0–1)", "organisation", "assumption"
        ),
    )
    cross_team_ties_per_person: float = Field(
        4.0,
        ge=0,
        le=100,
        description="mean number of ties a person starts outside the team",
        json_schema_extra=lever(
            "ties a person starts outside the team", "ties per person", "organisation", "assumption"
        ),
    )
    cross_team_same_department: Share = Field(
        0.5,
        description="share of cross-team ties that stay inside the person's department",
        json_schema_extra=lever(
            "share of outside ties within the department",
            "share (0–1)",
            "organisation",
            "assumption",
        ),
    )
    cross_team_same_region: Share = Field(
        0.3,
        description="share of cross-team ties that stay inside the region (other departments)",
        json_schema_extra=lever(
            "share of outside ties within the region", "share (0–1)", "organisation", "assumption"
        ),
    )
    long_range_ties_per_person: float = Field(
        0.05,
        ge=0,
        le=10,
        description="mean number of uniformly random long-range ties per person",
        json_schema_extra=lever(
            "random long-range ties per person", "ties per person", "organisation", "assumption"
        ),
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
        0,
        ge=0,
        description="seed of the generated organisation (same seed, same people)",
        json_schema_extra=lever(
            "seed of the generated organisation",
            "",
            "organisation",
            "assumption: any seed; the same seed gives the same people",
        ),
    )
    employees: int = Field(
        5000,
        ge=10,
        le=2_000_000,
        description="headcount (people)",
        json_schema_extra=lever(
            "number of employees",
            "people",
            "organisation",
            "the brief: a 5,000-person organisation",
        ),
    )
    regions: list[str] = Field(
        default_factory=lambda: ["North", "South", "East", "West"],
        min_length=1,
        description="region names; teams sit in one region each",
        json_schema_extra=lever(
            "names of the regions", "", "organisation", "assumption (illustrative): four regions"
        ),
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
        json_schema_extra=lever(
            "names of the departments",
            "",
            "organisation",
            "assumption (illustrative): eight common departments",
        ),
    )
    team_size_min: int = Field(
        5,
        ge=2,
        le=100,
        description="smallest team, manager included",
        json_schema_extra=lever(
            "smallest team, manager included", "people", "organisation", "assumption"
        ),
    )
    team_size_max: int = Field(
        12,
        ge=2,
        le=100,
        description="largest team, manager included",
        json_schema_extra=lever(
            "largest team, manager included", "people", "organisation", "assumption"
        ),
    )
    span_of_control_max: int = Field(
        8,
        ge=2,
        le=50,
        description="most managers that report to one manager above them",
        json_schema_extra=lever(
            "most managers reporting to one manager", "managers", "organisation", "assumption"
        ),
    )
    resistant_team_share: Share = Field(
        0.15,
        description="share of teams that resist as a group (workflow or authority disrupted)",
        json_schema_extra=lever(
            "share of teams that resist the tool as a group",
            "share (0–1)",
            "organisation",
            "assumption: team resistance (the default scenario samples 0.05–0.30)",
            plausible=(0.05, 0.3),
            key=True,
        ),
    )
    manager_stance: ManagerStanceShares = Field(default_factory=ManagerStanceShares)
    adopter_categories: AdopterCategoryShares = Field(default_factory=AdopterCategoryShares)
    digital_skill_mean: Share = Field(
        0.6,
        description="mean digital skill (0..1)",
        json_schema_extra=lever(
            "average digital skill", "share (0–1)", "organisation", "assumption"
        ),
    )
    threat_perception_mean: Share = Field(
        0.3,
        description="mean personal fear of being automated away (0..1)",
        json_schema_extra=lever(
            "average fear of being automated away", "share (0–1)", "organisation", "assumption"
        ),
    )
    workflow_fit_mean: Share = Field(
        0.7,
        description="mean usefulness of the tool for a team's work (0..1)",
        json_schema_extra=lever(
            "average fit of the tool to a team's work", "share (0–1)", "organisation", "assumption"
        ),
    )
    attribute_concentration: float = Field(
        8.0,
        gt=0,
        le=10_000,
        description=(
            "alpha + beta (dimensionless) of the Beta distributions that digital "
            "skill, threat perception and teams' workflow fit are drawn from around "
            "their means: the higher, the less people and teams differ (8: a standard"
            " deviation of about 0.15 at the default means)"
        ),
        json_schema_extra=lever(
            "how alike people and teams are",
            "alpha + beta",
            "organisation",
            (
                "assumption: alpha + beta of the Beta draws of digital skill, "
                "threat perception and workflow fit (sd about 0.15 at the default "
                "means)"
            ),
        ),
    )
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    org_chart: Path | None = Field(
        None,
        description="HR export CSV to load instead of generating (relative to the scenario file)",
        json_schema_extra=lever(
            "HR export to load instead of generating",
            "CSV file",
            "organisation",
            "none: the organisation is generated",
        ),
    )
    collaboration_edges: Path | None = Field(
        None,
        description="optional collaboration edge list CSV (source, target[, weight])",
        json_schema_extra=lever(
            "who works with whom, from a collaboration export",
            "CSV file",
            "organisation",
            "none: ties are generated around the reporting lines",
        ),
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
