"""Scenario section `behaviour`: the rule by which each person decides."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from adoption.config.base import PerYear, Section, Share
from adoption.config.lever import lever
from adoption.config.uncertainties import Uncertainty


class ManagersConfig(Section):
    """How managers' stance toward the tool (-1 opposed .. 1 sponsor) moves: toward their
    prior, plus their own experience, plus their team's, less the threat to their
    metrics, plus incentives (the target, clipped to -1..1)."""

    review_days: float = Field(
        7.0,
        gt=0,
        le=365,
        description="days between a manager's reviews of their stance (days): weekly",
        json_schema_extra=lever(
            "days between a manager's reviews of their stance",
            "days",
            "how people decide",
            "assumption (weekly)",
        ),
    )
    adjustment_days: float = Field(
        30.0,
        gt=0,
        le=3650,
        description="days over which a manager's stance moves toward its target (days)",
        json_schema_extra=lever(
            "days a manager's stance takes to move", "days", "how people decide", "assumption"
        ),
    )
    weight_own: float = Field(
        0.8,
        ge=0,
        le=10,
        description=(
            "stance added by the manager's own experience: +1 using and satisfied, -1"
            " lapsed or against, times this (stance units)"
        ),
        json_schema_extra=lever(
            "stance from a manager's own experience", "stance", "how people decide", "assumption"
        ),
    )
    weight_team: float = Field(
        1.0,
        ge=0,
        le=10,
        description=(
            "stance added by the team the manager leads: its share using less its "
            "share against, times this (stance units)"
        ),
        json_schema_extra=lever(
            "stance from the team's use", "stance", "how people decide", "assumption"
        ),
    )
    weight_metric_threat: float = Field(
        0.8,
        ge=0,
        le=10,
        description="stance lost per unit of threat to the manager's metrics (stance units)",
        json_schema_extra=lever(
            "stance lost to a threat to the manager's metrics",
            "stance",
            "how people decide",
            "assumption",
        ),
    )
    resistant_team_threat: float = Field(
        0.5,
        ge=0,
        le=10,
        description=(
            "threat to a manager's metrics from leading a resistant team, added to "
            "the threat of incentives that punish use (max(0, -alignment)) (threat "
            "units)"
        ),
        json_schema_extra=lever(
            "threat to a manager's metrics from a resistant team",
            "threat",
            "how people decide",
            "assumption",
        ),
    )
    weight_incentives: float = Field(
        0.5,
        ge=0,
        le=10,
        description="stance added per unit of incentive alignment (-1..1) (stance units)",
        json_schema_extra=lever(
            "stance from incentives", "stance", "how people decide", "assumption"
        ),
    )
    satisfied_margin: Share = Field(
        0.05,
        description=(
            "shortfall of a manager's own experience (accuracy less infrastructure "
            "loss) below their expectation within which they count as satisfied "
            "(share)"
        ),
        json_schema_extra=lever(
            "shortfall within which a manager is satisfied",
            "share (0–1)",
            "how people decide",
            "assumption",
        ),
    )
    sponsor_threshold: float = Field(
        1 / 3,
        gt=0,
        lt=1,
        description=(
            "reporting cut-point, not behaviour: managers whose stance is above it "
            "count as sponsors, below minus it as opponents, in the daily series' "
            "sponsors and opponents columns (stance units)"
        ),
        json_schema_extra=lever(
            "stance above which a manager counts as a sponsor (reporting)",
            "stance",
            "how people decide",
            "a reporting cut-point, not behaviour",
        ),
    )


class AcceptanceRule(Section):
    """Technology acceptance (TAM/UTAUT) with expectation-confirmation abandonment.

    Rates are hazards per person per year; weights act on the logit of intention.
    """

    rule: Literal["acceptance"] = "acceptance"
    try_per_year: PerYear = Field(
        6.0,
        description="hazard of trying at full intention (at average innovativeness); "
        "equal to reject_per_year, intention is the chance that a decision is to try",
        json_schema_extra=lever(
            "how fast people decide to try, at full intention",
            "per person per year",
            "how people decide",
            "assumption (a decision every two months at average pace)",
        ),
    )
    reject_per_year: PerYear = Field(
        6.0,
        description="hazard of refusing at zero intention (at average innovativeness)",
        json_schema_extra=lever(
            "how fast people refuse, at zero intention",
            "per person per year",
            "how people decide",
            "as try_per_year: assumption",
        ),
    )
    pace_innovativeness: float = Field(
        2.5,
        ge=0,
        le=20,
        description=(
            "how much sooner the innovative decide: both hazards are scaled by "
            "exp(pace_innovativeness x (innovativeness - 0.5))"
        ),
        json_schema_extra=lever(
            "how much sooner the innovative decide", "", "how people decide", "assumption"
        ),
    )
    reconsider_per_year: PerYear = Field(
        12.0,
        description=(
            "hazard that a rejecter reconsiders, per unit rise of their chance to try"
            " (sigma of intention) since they rejected"
        ),
        json_schema_extra=lever(
            "how fast a refuser reconsiders",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    commit_per_year: PerYear = Field(
        18.0,
        description="hazard that a satisfied trier becomes an active user",
        json_schema_extra=lever(
            "how fast a satisfied trier becomes a regular user",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    trial_drop_per_year: PerYear = Field(
        2.0,
        description="hazard that a trier stops for no particular reason",
        json_schema_extra=lever(
            "how fast a trier stops for no reason",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    lapse_per_year: PerYear = Field(
        0.6,
        description="baseline hazard of lapsing while active",
        json_schema_extra=lever(
            "baseline rate of lapsing while active",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    dissatisfaction_per_year: PerYear = Field(
        30.0,
        description="lapse hazard per unit shortfall of experience below expectation",
        json_schema_extra=lever(
            "lapse rate per unit of disappointment",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    effort_per_year: PerYear = Field(
        3.0,
        description="lapse hazard at full effort (untrained)",
        json_schema_extra=lever(
            "lapse rate at full effort (untrained)",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    social_per_year: PerYear = Field(
        4.0,
        description="lapse hazard when all neighbours and the manager are against",
        json_schema_extra=lever(
            "lapse rate when everyone around is against",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    support_wait_per_year: PerYear = Field(
        0.5,
        description="lapse hazard per day of support wait, for users meeting failures",
        json_schema_extra=lever(
            "lapse rate per day of support wait",
            "per person per year per day of wait",
            "how people decide",
            "assumption",
        ),
    )
    recover_per_year: PerYear = Field(
        12.0,
        description="hazard that a lapsed user comes back, at no shortfall",
        json_schema_extra=lever(
            "how fast a lapsed user comes back",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    abandon_per_year: PerYear = Field(
        6.0,
        description="hazard that a lapsed user gives up",
        json_schema_extra=lever(
            "how fast a lapsed user gives up",
            "per person per year",
            "how people decide",
            "assumption",
        ),
    )
    return_per_year: PerYear = Field(
        6.0,
        description="hazard that a burned user tries again, per unit of visible improvement",
        json_schema_extra=lever(
            "how fast a user who gave up tries again",
            "per person per year per unit of improvement",
            "how people decide",
            "assumption",
        ),
    )
    usefulness_per_year: PerYear = Field(
        4.0,
        description=(
            "lapse hazard of an active user for whom the tool is useless (usefulness "
            "0: it fits none of their work, or its answers are worth nothing at the "
            "accuracy they see); falls in proportion to usefulness"
        ),
        json_schema_extra=lever(
            "lapse rate when the tool is useless to someone",
            "per person per year",
            "how people decide",
            (
                "practitioner report (14-person pilot, low trust): without workflow"
                " fit use fell by more than half within two months, at least 4 a "
                "year"
            ),
        ),
    )
    habit_days: float = Field(
        66.0,
        gt=0,
        le=3650,
        description=(
            "days of regular use to reach 95% of full habit (automaticity rises asymptotically)"
        ),
        json_schema_extra=lever(
            "days of regular use to form a habit",
            "days",
            "how people decide",
            (
                "Lally, van Jaarsveld, Potts & Wardle, European Journal of Social "
                "Psychology 40(6), 2010: 95% of the plateau after a median 66 days "
                "(range 18–254; the median via secondary sources and Singh et al. "
                "2024's review, 59–66)"
            ),
        ),
    )
    habit_protection: Share = Field(
        0.5,
        description=(
            "share of every lapse hazard that full habit removes (habit limits how "
            "far intention, and so dissatisfaction, decides continued use)"
        ),
        json_schema_extra=lever(
            "share of lapsing a full habit prevents",
            "share (0–1)",
            "how people decide",
            (
                "assumption (structure from Limayem, Hirt & Cheung, MIS Quarterly "
                "31(4), 2007; no transferable size)"
            ),
        ),
    )
    trust_loss_per_error: float = Field(
        0.03,
        ge=0,
        lt=1,
        description=(
            "share of a user's trust in the tool that one wrong answer they see takes"
            " away (0 switches trust off: everyone keeps full trust). Trust is how "
            "far people rely on the tool: it scales the usefulness they credit it "
            "with when deciding to try, to keep using it or to come back after giving"
            " up"
        ),
        json_schema_extra=lever(
            "trust one wrong answer takes away",
            "share of trust",
            "how people decide",
            (
                "assumption for the size; direction from Dietvorst, Simmons & "
                "Massey, J. Exp. Psych.: General 144(1), 2015 (after seeing an algorithm "
                "err, people chose it less even when it outperformed them)"
            ),
        ),
    )
    trust_gain_per_success: float = Field(
        0.01,
        ge=0,
        lt=1,
        description=(
            "share of the trust a user has lost that one right answer gives back; "
            "below trust_loss_per_error because trust is hard to gain and easy to "
            "lose"
        ),
        json_schema_extra=lever(
            "lost trust one right answer gives back",
            "share of lost trust",
            "how people decide",
            (
                "assumption for the size; below trust_loss_per_error (Slovic, Risk "
                "Analysis 13(6), 1993; Yang, Schemanske & Searle, Human Factors "
                "65(5), 2023)"
            ),
        ),
    )
    weight_usefulness: float = Field(
        3.0,
        description="intention weight of expected usefulness",
        json_schema_extra=lever(
            "weight of expected usefulness in intention",
            "logit",
            "how people decide",
            (
                "assumption; ordered after UTAUT meta-analyses (usefulness the "
                "strongest driver: Blut et al. 2022; Tamilmani et al. 2021)"
            ),
        ),
    )
    weight_effort: float = Field(
        1.5,
        description="intention weight of expected ease",
        json_schema_extra=lever(
            "weight of expected ease in intention",
            "logit",
            "how people decide",
            "assumption; weaker than usefulness, as in the same meta-analyses",
        ),
    )
    weight_social: float = Field(
        3.0,
        description="intention weight of neighbours' use",
        json_schema_extra=lever(
            "weight of colleagues' use in intention", "logit", "how people decide", "assumption"
        ),
    )
    weight_manager: float = Field(
        1.5,
        description="intention weight of the manager's stance",
        json_schema_extra=lever(
            "weight of the manager's stance in intention",
            "logit",
            "how people decide",
            "assumption",
        ),
    )
    weight_conditions: float = Field(
        0.0,
        description=(
            "intention weight of support available (0: facilitating conditions act on"
            " use, not intention)"
        ),
        json_schema_extra=lever(
            "weight of available support in intention",
            "logit",
            "how people decide",
            (
                "Venkatesh, Morris, Davis & Davis, MIS Quarterly 27(3), 2003: "
                "facilitating conditions act on use, not intention (0)"
            ),
        ),
    )
    weight_resistance: float = Field(
        2.5,
        description="intention weight of team resistance",
        json_schema_extra=lever(
            "weight of team resistance in intention", "logit", "how people decide", "assumption"
        ),
    )
    weight_threat: float = Field(
        1.5,
        description="intention weight of personal threat",
        json_schema_extra=lever(
            "weight of personal threat in intention", "logit", "how people decide", "assumption"
        ),
    )
    weight_innovativeness: float = Field(
        2.0,
        description="intention weight of innovativeness",
        json_schema_extra=lever(
            "weight of innovativeness in intention", "logit", "how people decide", "assumption"
        ),
    )
    weight_word_of_mouth: float = Field(
        3.0,
        description="intention weight of neighbours who abandoned (negative word of mouth)",
        json_schema_extra=lever(
            "weight of colleagues who gave up in intention",
            "logit",
            "how people decide",
            "assumption",
        ),
    )
    weight_incentives: float = Field(
        1.0,
        description="intention weight of incentive alignment",
        json_schema_extra=lever(
            "weight of incentives in intention", "logit", "how people decide", "assumption"
        ),
    )
    intention_bias: float = Field(
        -2.0,
        description="intercept of the intention logit",
        json_schema_extra=lever(
            "starting point of intention", "logit", "how people decide", "assumption"
        ),
    )
    region_intention_offset: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "intention logit added in a region (its culture: more or less open to the"
            " tool), by region name"
        ),
        json_schema_extra=lever(
            "intention added in a region",
            "logit",
            "how people decide",
            "assumption (no regional evidence): none",
        ),
    )
    satisfaction_memory_days: float = Field(
        10.0,
        gt=0,
        le=365,
        description="days over which experience is averaged",
        json_schema_extra=lever(
            "days experience is averaged over", "days", "how people decide", "assumption"
        ),
    )
    expectation_adaptation_days: float = Field(
        120.0,
        gt=0,
        le=3650,
        description="days over which expectations drift toward experience",
        json_schema_extra=lever(
            "days expectations take to follow experience", "days", "how people decide", "assumption"
        ),
    )
    tolerance: Share = Field(
        0.05,
        description="shortfall below expectation that people shrug off",
        json_schema_extra=lever(
            "disappointment people shrug off",
            "share (accuracy points)",
            "how people decide",
            "assumption",
        ),
    )
    prior_voices: float = Field(
        3.0,
        ge=0,
        le=1000,
        description="how many neighbours' reports the official announcement counts as, in beliefs",
        json_schema_extra=lever(
            "colleagues the announcement counts as", "voices", "how people decide", "assumption"
        ),
    )
    commit_steepness: float = Field(
        12.0,
        ge=0,
        le=1000,
        description=(
            "how sharply committing depends on experience meeting expectation (per unit shortfall)"
        ),
        json_schema_extra=lever(
            "how sharply committing depends on meeting expectations",
            "per unit shortfall",
            "how people decide",
            "assumption",
        ),
    )
    recovery_sensitivity: float = Field(
        5.0,
        ge=0,
        le=1000,
        description="how fast recovery falls with the remaining shortfall (per unit)",
        json_schema_extra=lever(
            "how fast coming back falls with disappointment",
            "per unit shortfall",
            "how people decide",
            "assumption",
        ),
    )
    abandon_half_shortfall: Share = Field(
        0.05,
        gt=0,
        description=(
            "shortfall at which the shortfall-driven part of giving up is half its maximum"
        ),
        json_schema_extra=lever(
            "disappointment at which giving up is half its most",
            "share (accuracy points)",
            "how people decide",
            "assumption",
        ),
    )
    abandon_floor: Share = Field(
        0.2,
        description=(
            "share of abandon_per_year that applies with no shortfall to a person the"
            " tool does not help at all (scaled by 1 - usefulness)"
        ),
        json_schema_extra=lever(
            "share of giving up that applies when the tool does not help at all",
            "share (0–1)",
            "how people decide",
            "assumption",
        ),
    )
    relearn_share: Share = Field(
        0.25,
        description="how much slower lapsed users learn of changes than users experience them",
        json_schema_extra=lever(
            "how much slower lapsed users learn of changes",
            "share (0–1)",
            "how people decide",
            "assumption",
        ),
    )
    social_manager: Share = Field(
        0.5,
        description=(
            "social lapse pressure from a fully opposed manager (share of social_per_year)"
        ),
        json_schema_extra=lever(
            "lapse pressure from a fully opposed manager",
            "share of social_per_year",
            "how people decide",
            "assumption",
        ),
    )
    social_resistance: Share = Field(
        0.3,
        description="social lapse pressure from a resistant team (share of social_per_year)",
        json_schema_extra=lever(
            "lapse pressure from a resistant team",
            "share of social_per_year",
            "how people decide",
            "assumption",
        ),
    )
    managers: ManagersConfig = Field(
        default_factory=ManagersConfig,
        description="how managers' stance toward the tool moves (their intention weight is "
        "weight_manager)",
    )

    @model_validator(mode="after")
    def _offsets_in_range(self) -> AcceptanceRule:
        for region, offset in self.region_intention_offset.items():
            if not -5.0 <= offset <= 5.0:
                raise ValueError(f"region_intention_offset[{region}] = {offset}: expected -5..5")
        return self


class BassRule(Section):
    """Bass diffusion: adoption hazard p + q × (share of ties who adopted), per year."""

    rule: Literal["bass"]
    p: PerYear = Field(
        0.03,
        description="innovation coefficient (per year)",
        json_schema_extra=lever(
            "innovation coefficient",
            "per year",
            "how people decide",
            (
                "Sultan, Farley & Lehmann 1990 (consumer durables; only the ratio "
                "transfers to an organisation)"
            ),
        ),
    )
    q: PerYear = Field(
        0.38,
        description="imitation coefficient (per year)",
        json_schema_extra=lever(
            "imitation coefficient",
            "per year",
            "how people decide",
            (
                "Sultan, Farley & Lehmann 1990 (consumer durables; only the ratio "
                "transfers to an organisation)"
            ),
        ),
    )
    abandon_per_year: PerYear = Field(
        0.0,
        description="hazard that an adopter abandons",
        json_schema_extra=lever(
            "how fast an adopter abandons",
            "per person per year",
            "how people decide",
            "none: the textbook Bass model has no abandonment",
        ),
    )


class ThresholdRule(Section):
    """Fractional linear threshold (Granovetter 1978; Watts 2002): a person adopts once
    the share of their ties who adopted reaches their threshold."""

    rule: Literal["threshold"]
    phi: Share = Field(
        0.18,
        description="threshold shared by everyone (share of ties)",
        json_schema_extra=lever(
            "share of ties that must have adopted",
            "share (0–1)",
            "how people decide",
            (
                "assumption: a threshold inside Watts' (2002) cascade window, as "
                "docs/validation.md checks"
            ),
        ),
    )
    phi_distribution: Uncertainty | None = Field(
        None, description="draw each person's threshold from this instead (clipped to 0..1)"
    )
    phi_values: list[Share] | None = Field(
        None,
        description="each person's threshold, in the order of the network's nodes",
        json_schema_extra=lever(
            "each person's threshold", "share (0–1)", "how people decide", "none: everyone has phi"
        ),
    )
    abandon_per_year: PerYear = Field(
        0.0,
        description="hazard that an adopter abandons",
        json_schema_extra=lever(
            "how fast an adopter abandons",
            "per person per year",
            "how people decide",
            "none: the textbook threshold model has no abandonment",
        ),
    )


class ContagionRule(Section):
    """Simple contagion with recovery: adoption spreads along each tie at rate tau from
    adopters; adopters abandon at rate gamma (SIR: for good; SIS: back to aware)."""

    rule: Literal["contagion"]
    tau: float = Field(
        ge=0,
        le=1e6,
        description="per-tie adoption rate",
        json_schema_extra=lever(
            "adoption rate along each tie",
            "per tie per `per`",
            "how people decide",
            "required: no default",
        ),
    )
    gamma: float = Field(
        0.0,
        ge=0,
        le=1e6,
        description="abandonment rate",
        json_schema_extra=lever(
            "abandonment rate",
            "per `per`",
            "how people decide",
            "none: no abandonment unless given",
        ),
    )
    per: Literal["year", "day"] = Field(
        "year",
        description="unit of tau and gamma",
        json_schema_extra=lever(
            "time unit of tau and gamma",
            "",
            "how people decide",
            "assumption: per year, as every other rate",
        ),
    )
    model: Literal["SIR", "SIS"] = Field(
        "SIR",
        description="whether abandoners can return",
        json_schema_extra=lever(
            "whether abandoners can adopt again",
            "",
            "how people decide",
            "the textbook SIR: they cannot",
        ),
    )


def _rule_of(value: Any) -> str:
    """The rule a behaviour section names; `acceptance` when it names none."""
    if isinstance(value, dict):
        return value.get("rule", "acceptance")
    return getattr(value, "rule", "acceptance")


Behaviour = Annotated[
    Annotated[AcceptanceRule, Tag("acceptance")]
    | Annotated[BassRule, Tag("bass")]
    | Annotated[ThresholdRule, Tag("threshold")]
    | Annotated[ContagionRule, Tag("contagion")],
    Discriminator(_rule_of),
]
"""Decision rules selectable in a scenario as `behaviour.rule` (default `acceptance`)."""
