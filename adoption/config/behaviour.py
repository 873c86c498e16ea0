"""Scenario section `behaviour`: the rule by which each person decides."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from adoption.config.base import PerYear, Section, Share


class AcceptanceRule(Section):
    """Technology acceptance (TAM/UTAUT) with expectation-confirmation abandonment.

    Rates are hazards per person per year; weights act on the logit of intention.
    """

    rule: Literal["acceptance"] = "acceptance"
    try_per_year: PerYear = Field(24.0, description="hazard of trying at full intention")
    reject_per_year: PerYear = Field(3.0, description="hazard of refusing at zero intention")
    commit_per_year: PerYear = Field(
        18.0, description="hazard that a satisfied trier becomes an active user"
    )
    trial_drop_per_year: PerYear = Field(
        2.0, description="hazard that a trier stops for no particular reason"
    )
    lapse_per_year: PerYear = Field(0.6, description="baseline hazard of lapsing while active")
    dissatisfaction_per_year: PerYear = Field(
        30.0, description="lapse hazard per unit shortfall of experience below expectation"
    )
    effort_per_year: PerYear = Field(3.0, description="lapse hazard at full effort (untrained)")
    social_per_year: PerYear = Field(
        4.0, description="lapse hazard when all neighbours and the manager are against"
    )
    support_wait_per_year: PerYear = Field(
        0.5, description="lapse hazard per day of support wait, for users meeting failures"
    )
    recover_per_year: PerYear = Field(12.0, description="hazard that a lapsed user comes back")
    abandon_per_year: PerYear = Field(6.0, description="hazard that a lapsed user gives up")
    return_per_year: PerYear = Field(
        6.0, description="hazard that a burned user tries again, per unit of visible improvement"
    )
    weight_usefulness: float = Field(3.0, description="intention weight of expected usefulness")
    weight_effort: float = Field(1.5, description="intention weight of expected ease")
    weight_social: float = Field(3.0, description="intention weight of neighbours' use")
    weight_manager: float = Field(1.5, description="intention weight of the manager's stance")
    weight_conditions: float = Field(1.0, description="intention weight of support available")
    weight_resistance: float = Field(2.5, description="intention weight of team resistance")
    weight_threat: float = Field(1.5, description="intention weight of personal threat")
    weight_innovativeness: float = Field(2.0, description="intention weight of innovativeness")
    weight_word_of_mouth: float = Field(
        3.0, description="intention weight of neighbours who abandoned (negative word of mouth)"
    )
    weight_incentives: float = Field(1.0, description="intention weight of incentive alignment")
    intention_bias: float = Field(-2.0, description="intercept of the intention logit")
    satisfaction_memory_days: float = Field(
        10.0, gt=0, le=365, description="days over which experience is averaged"
    )
    expectation_adaptation_days: float = Field(
        120.0, gt=0, le=3650, description="days over which expectations drift toward experience"
    )
    tolerance: Share = Field(0.05, description="shortfall below expectation that people shrug off")


Behaviour = AcceptanceRule
"""Decision rules selectable in a scenario (the validation issue adds the classic ones)."""
