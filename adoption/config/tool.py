"""Scenario section `tool`: the AI tool's quality, lifecycle and infrastructure."""

from __future__ import annotations

from pydantic import Field, model_validator

from adoption.config.base import Section, Share
from adoption.config.lever import lever


class RetrainingConfig(Section):
    """Scheduled retraining: restores the accuracy lost to drift."""

    interval_days: int = Field(
        90,
        ge=0,
        le=3650,
        description="days between retrains (0 = never retrain)",
        json_schema_extra=lever(
            "days between retrains", "days", "data quality", "assumption (illustrative)"
        ),
    )
    cost: float | None = Field(
        None,
        ge=0,
        description="money per retrain (none: sized to headcount, 4,000 per 1,000 employees)",
        json_schema_extra=lever(
            "cost of one retrain",
            "money per retrain",
            "data quality",
            (
                "assumption: the 5,000-person default kept per employee at every "
                "size (docs/model.md, Teams sized to the organisation): 4,000 per "
                "1,000 employees"
            ),
        ),
    )


class FixesConfig(Section):
    """Fixes of production failure patterns: found through users' reports, made by
    ML engineers with finite capacity, up to what the data allow."""

    ml_engineers: float | None = Field(
        None,
        ge=0,
        le=1000,
        description="engineers working on fixes, full-time equivalents (none: sized to "
        "headcount, 0.8 per 1,000 employees)",
        json_schema_extra=lever(
            "ML engineers fixing failures",
            "full-time equivalents",
            "data quality",
            (
                "assumption: the 5,000-person default kept per employee at every "
                "size (docs/model.md, Teams sized to the organisation): 0.8 per "
                "1,000 employees"
            ),
        ),
    )
    release_interval_days: int = Field(
        14,
        ge=1,
        le=365,
        description="days between releases",
        json_schema_extra=lever(
            "days between releases of fixes", "days", "data quality", "assumption"
        ),
    )
    reports_to_diagnose: float = Field(
        50.0,
        gt=0,
        le=1e9,
        description=(
            "failures reported from one data segment (department × region) that reveal "
            "63% of its fixable failure patterns: the share found is 1 − exp(−reports / this)"
        ),
        json_schema_extra=lever(
            "failure reports that reveal a segment's problems",
            "reports",
            "data quality",
            (
                "assumption: with 4 engineers a big-bang launch finds most patterns"
                " within weeks; a 10% pilot finds them several times more slowly"
            ),
        ),
    )
    engineer_days_per_point: float = Field(
        2.0,
        gt=0,
        le=1e6,
        description="engineer-days to fix one point of accuracy in one data segment, once found",
        json_schema_extra=lever(
            "engineer-days to fix one accuracy point",
            "engineer-days per point per segment",
            "data quality",
            (
                "assumption: with 4 engineers the found gap is fixed within months "
                "(the default scenario samples 1–4)"
            ),
            plausible=(1.0, 4.0),
        ),
    )
    cost_per_engineer_day: float = Field(
        600.0,
        ge=0,
        description="money per engineer-day, paid while the programme runs",
        json_schema_extra=lever(
            "cost of an engineer-day", "money per engineer-day", "data quality", "assumption"
        ),
    )


class PipelineConfig(Section):
    """The production data pipeline: most of the work, and the tool is fragile without it."""

    data_engineers: float | None = Field(
        None,
        ge=0,
        le=1000,
        description="engineers building (then keeping) the production pipeline, full-time "
        "equivalents (none: sized to headcount, 0.8 per 1,000 employees)",
        json_schema_extra=lever(
            "data engineers on the production pipeline",
            "full-time equivalents",
            "data quality",
            (
                "assumption: the 5,000-person default kept per employee at every "
                "size (docs/model.md, Teams sized to the organisation): 0.8 per "
                "1,000 employees"
            ),
        ),
    )
    build_engineer_days: float | None = Field(
        None,
        ge=0,
        le=1e6,
        description=(
            "engineer-days to build the production pipeline (0: it is ready at launch; "
            "none: sized to the data, 72 per 1,000 employees)"
        ),
        json_schema_extra=lever(
            "work to build the production data pipeline",
            "engineer-days",
            "data quality",
            (
                "assumption shaped by the source: the pipeline is most of the work (a "
                "quarter-year for the 5,000-person organisation's four engineers: 360 "
                "engineer-days, against the model's weeks of fixes); the data it carries "
                "grow with the people whose work produces them, so the work is kept per "
                "employee, 72 per 1,000, as the data engineers are"
            ),
        ),
    )
    upkeep_share: Share = Field(
        0.25,
        description="share of the data engineers still needed once the pipeline is built",
        json_schema_extra=lever(
            "share of data engineers kept once the pipeline is built",
            "share (0–1)",
            "data quality",
            (
                "assumption shaped by the source: the pipeline is most of the work "
                "(a quarter-year for the 5,000-person organisation's four "
                "engineers, against the model's weeks of fixes)"
            ),
        ),
    )
    fragile_accuracy_penalty: Share = Field(
        0.05,
        description="accuracy lost while the tool runs on the demo's fragile data feed",
        json_schema_extra=lever(
            "accuracy lost on the demo's fragile data feed",
            "accuracy points (share)",
            "data quality",
            (
                "assumption shaped by the source: the pipeline is most of the work "
                "(a quarter-year for the 5,000-person organisation's four "
                "engineers, against the model's weeks of fixes)"
            ),
        ),
    )
    fragile_incidents_per_year: float = Field(
        12.0,
        ge=0,
        le=365,
        description="data incidents a year on the fragile feed (uses fail)",
        json_schema_extra=lever(
            "data incidents a year on the fragile feed",
            "incidents per year",
            "data quality",
            (
                "assumption shaped by the source: the pipeline is most of the work "
                "(a quarter-year for the 5,000-person organisation's four "
                "engineers, against the model's weeks of fixes)"
            ),
        ),
    )
    incident_hours: float = Field(
        8.0,
        gt=0,
        le=720,
        description="mean length of an incident",
        json_schema_extra=lever(
            "average length of a data incident", "hours", "data quality", "assumption"
        ),
    )


class InfrastructureConfig(Section):
    """Serving capacity, latency under load, scale-up and outages."""

    capacity_requests_per_second: float = Field(
        0.4,
        gt=0,
        description="initial serving capacity (requests per second): the demo's",
        json_schema_extra=lever(
            "serving capacity at launch",
            "requests per second",
            "infrastructure",
            (
                "sized for the proof of concept's few hundred users: the source "
                "article's point that production load is orders of magnitude above "
                "the demo's"
            ),
            plausible=(0.4, 100.0),
            key=True,
        ),
    )
    working_hours_per_day: float = Field(
        8.0,
        gt=0,
        le=24,
        description="hours uses spread over",
        json_schema_extra=lever(
            "working hours uses spread over", "hours per day", "infrastructure", "assumption"
        ),
    )
    peak_to_mean: float = Field(
        2.0,
        ge=1,
        le=20,
        description="peak-hour load over mean load",
        json_schema_extra=lever(
            "peak-hour load over average load", "ratio", "infrastructure", "assumption"
        ),
    )
    base_latency_ms: float = Field(
        800.0,
        gt=0,
        description="latency of one request, idle system",
        json_schema_extra=lever(
            "response time of an idle system", "milliseconds", "infrastructure", "assumption"
        ),
    )
    servers: int = Field(
        8,
        ge=1,
        le=10_000,
        description="replicas serving in parallel (queueing servers)",
        json_schema_extra=lever(
            "replicas serving in parallel", "servers", "infrastructure", "assumption"
        ),
    )
    latency_tolerance_ms: float = Field(
        4000.0,
        gt=0,
        description="latency above which a use feels broken (milliseconds)",
        json_schema_extra=lever(
            "response time above which a use feels broken",
            "milliseconds",
            "infrastructure",
            "assumption",
        ),
    )
    slowness_weight: Share = Field(
        0.5,
        description=(
            "share of a served use's value lost when latency reaches the tolerance "
            "(less below it, in proportion to the latency above the idle one)"
        ),
        json_schema_extra=lever(
            "value lost to slowness at the tolerance",
            "share (0–1)",
            "infrastructure",
            "assumption: share of a served use's value lost when latency reaches the tolerance",
        ),
    )
    latency_cap_factor: float = Field(
        10.0,
        ge=1,
        le=1000,
        description=(
            "requests time out at this multiple of latency_tolerance_ms, which caps "
            "latency as reported and as gates project it (multiple of the tolerance)"
        ),
        json_schema_extra=lever(
            "time-out, as a multiple of the tolerance",
            "× tolerance",
            "infrastructure",
            "assumption: requests time out at this multiple of latency_tolerance_ms",
        ),
    )
    autoscale: bool = Field(
        True,
        description="order more capacity when utilisation is high",
        json_schema_extra=lever(
            "order more capacity under load", "", "infrastructure", "assumption"
        ),
    )
    scale_up_threshold: Share = Field(
        0.8,
        description="peak utilisation that triggers scale-up",
        json_schema_extra=lever(
            "load that triggers ordering capacity",
            "share of capacity",
            "infrastructure",
            "assumption",
        ),
    )
    scale_up_factor: float = Field(
        2.0,
        gt=1,
        le=20,
        description="capacity multiplier per order",
        json_schema_extra=lever(
            "capacity multiplier per order", "×", "infrastructure", "assumption"
        ),
    )
    scale_up_lead_days: int = Field(
        21,
        ge=0,
        le=365,
        description="days between ordering and getting capacity",
        json_schema_extra=lever(
            "days from ordering capacity to having it", "days", "infrastructure", "assumption"
        ),
    )
    max_capacity_requests_per_second: float = Field(
        100.0,
        gt=0,
        description="capacity ceiling (requests per second)",
        json_schema_extra=lever(
            "most serving capacity that can be bought",
            "requests per second",
            "infrastructure",
            "assumption",
        ),
    )
    capacity_headroom: float = Field(
        1.5,
        ge=1,
        le=10,
        description="headroom when a gate sizes capacity from measured load",
        json_schema_extra=lever(
            "headroom when a gate sizes capacity", "× measured load", "infrastructure", "assumption"
        ),
    )
    presize_using_share: Share = Field(
        0.4,
        description=(
            "share of headcount a plan that sizes capacity before launch (prepare: capacity) "
            "expects to use the tool at once, at `uses_per_active_day`: about 40% used M365 "
            "Copilot regularly over six months (arXiv:2504.11443)"
        ),
        json_schema_extra=lever(
            "share expected to use the tool when capacity is sized before launch",
            "share (0–1)",
            "infrastructure",
            "about 40% of workers given Microsoft 365 Copilot used it regularly over six "
            "months (Early Impacts of M365 Copilot, arXiv:2504.11443)",
        ),
    )
    mtbf_days: float = Field(
        30.0,
        ge=0,
        description="mean time between outages (days; 0 = no outages)",
        json_schema_extra=lever(
            "average time between outages", "days", "infrastructure", "assumption"
        ),
    )
    mttr_hours: float = Field(
        4.0,
        gt=0,
        description="mean time to repair an outage (hours)",
        json_schema_extra=lever(
            "average time to repair an outage", "hours", "infrastructure", "assumption"
        ),
    )
    cost_per_rps_day: float = Field(
        40.0,
        ge=0,
        description="money per request-per-second of capacity per day",
        json_schema_extra=lever(
            "cost of serving capacity",
            "money per request-per-second per day",
            "infrastructure",
            (
                "assumption (illustrative production price): the source's 5–10× "
                "production-over-PoC cost comes from capacity growth under load at "
                "this price; the PoC's 0.4 requests/s cost 16 a day (the default "
                "scenario samples 20–80)"
            ),
            plausible=(20.0, 80.0),
        ),
    )


class ToolConfig(Section):
    """The AI tool: promised versus real quality, decay and repair, serving."""

    poc_accuracy: Share = Field(
        0.95,
        description="accuracy shown in the proof of concept",
        json_schema_extra=lever(
            "accuracy shown in the demo",
            "share (0–1)",
            "data quality",
            (
                "the brief's source article: a model at 95% on curated "
                "proof-of-concept data falls to about 70% on production data"
            ),
        ),
    )
    production_accuracy: Share = Field(
        0.70,
        description="mean accuracy on production data at launch (the data-quality gap)",
        json_schema_extra=lever(
            "accuracy on production data at launch",
            "share (0–1)",
            "data quality",
            (
                "the brief's source article: about 70% on production data (the "
                "default scenario samples 0.62–0.78: the accuracy gap a proof of "
                "concept cannot tell)"
            ),
            plausible=(0.62, 0.78),
            key=True,
        ),
    )
    achievable_accuracy: Share = Field(
        0.85,
        description=(
            "mean accuracy once every fixable failure pattern is fixed: the ceiling of "
            "learning, which data problems no fix can remove keep below the demo's (at or "
            "below production_accuracy: nothing to fix)"
        ),
        json_schema_extra=lever(
            "best accuracy once every fixable failure is fixed",
            "share (0–1)",
            "data quality",
            (
                "assumption: halfway between the production data (70%) and the demo"
                " (95%); the source says some data problems are insurmountable but "
                "gives no figure (the default scenario samples 0.78–0.92)"
            ),
            plausible=(0.78, 0.92),
            key=True,
        ),
    )
    department_accuracy_spread: float = Field(
        0.05,
        ge=0,
        le=0.5,
        description="standard deviation of production accuracy by department",
        json_schema_extra=lever(
            "how much accuracy differs between departments",
            "accuracy (sd)",
            "data quality",
            "assumption",
        ),
    )
    region_accuracy_offset: dict[str, float] = Field(
        default_factory=dict,
        description="accuracy added in a region (its data are better or worse), by region name",
        json_schema_extra=lever(
            "accuracy added in a region",
            "accuracy points (share)",
            "data quality",
            (
                "none by default; the default scenario's offsets (North +0.04, "
                "South +0.01, East −0.01, West −0.04) are an assumption "
                "(illustrative): regions' systems of record differ"
            ),
        ),
    )
    minimum_useful_accuracy: Share | None = Field(
        None,
        description=(
            "business minimum: below it a use costs more than it earns (default: the "
            "break-even accuracy of economics' value and cost of a use)"
        ),
        json_schema_extra=lever(
            "business minimum accuracy",
            "share (0–1)",
            "data quality",
            (
                "none: the break-even accuracy of economics' value and cost of a "
                "use (about 60% at the defaults; 45% to 70% over the default "
                "uncertainties)"
            ),
            plausible=(0.45, 0.7),
            key=True,
        ),
    )
    drift_per_year: float = Field(
        0.10,
        ge=0,
        le=1,
        description="accuracy points lost per year since the last retrain",
        json_schema_extra=lever(
            "accuracy lost a year without retraining",
            "accuracy points per year (share)",
            "data quality",
            (
                "assumption (illustrative; the default scenario samples 0–0.2: data"
                " and processes change at unknown speed)"
            ),
            plausible=(0.0, 0.2),
        ),
    )
    uses_per_active_day: float = Field(
        6.0,
        gt=0,
        le=500,
        description="uses a day by an active user",
        json_schema_extra=lever(
            "uses a day by an active user", "uses per day", "how people decide", "assumption"
        ),
    )
    uses_per_trying_day: float = Field(
        3.0,
        gt=0,
        le=500,
        description="uses a day while trying",
        json_schema_extra=lever(
            "uses a day while trying the tool", "uses per day", "how people decide", "assumption"
        ),
    )
    retraining: RetrainingConfig = Field(default_factory=RetrainingConfig)
    fixes: FixesConfig = Field(default_factory=FixesConfig)
    pipeline: PipelineConfig = Field(default_factory=PipelineConfig)
    infrastructure: InfrastructureConfig = Field(default_factory=InfrastructureConfig)

    @model_validator(mode="after")
    def _consistent(self) -> ToolConfig:
        for region, offset in self.region_accuracy_offset.items():
            if not -0.5 <= offset <= 0.5:
                raise ValueError(f"region_accuracy_offset[{region}] = {offset}: expected -0.5..0.5")
        infra = self.infrastructure
        if infra.max_capacity_requests_per_second < infra.capacity_requests_per_second:
            raise ValueError(
                "infrastructure.max_capacity_requests_per_second is below the initial capacity"
            )
        return self
