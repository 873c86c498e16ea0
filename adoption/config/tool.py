"""Scenario section `tool`: the AI tool's quality, lifecycle and infrastructure."""

from __future__ import annotations

from pydantic import Field, model_validator

from adoption.config.base import Section, Share


class RetrainingConfig(Section):
    """Scheduled retraining: restores the accuracy lost to drift."""

    interval_days: int = Field(
        90, ge=0, le=3650, description="days between retrains (0 = never retrain)"
    )
    cost: float | None = Field(
        None,
        ge=0,
        description="money per retrain (none: sized to headcount, 4,000 per 1,000 employees)",
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
    )
    release_interval_days: int = Field(14, ge=1, le=365, description="days between releases")
    reports_to_diagnose: float = Field(
        50.0,
        gt=0,
        le=1e9,
        description=(
            "failures reported from one data segment (department × region) that reveal "
            "63% of its fixable failure patterns: the share found is 1 − exp(−reports / this)"
        ),
    )
    engineer_days_per_point: float = Field(
        2.0,
        gt=0,
        le=1e6,
        description="engineer-days to fix one point of accuracy in one data segment, once found",
    )
    cost_per_engineer_day: float = Field(
        600.0, ge=0, description="money per engineer-day, paid while the programme runs"
    )


class PipelineConfig(Section):
    """The production data pipeline: most of the work, and the tool is fragile without it."""

    data_engineers: float | None = Field(
        None,
        ge=0,
        le=1000,
        description="engineers building (then keeping) the production pipeline, full-time "
        "equivalents (none: sized to headcount, 0.8 per 1,000 employees)",
    )
    build_engineer_days: float = Field(
        360.0,
        ge=0,
        le=1e6,
        description="engineer-days to build the production pipeline (0: it is ready at launch)",
    )
    upkeep_share: Share = Field(
        0.25, description="share of the data engineers still needed once the pipeline is built"
    )
    fragile_accuracy_penalty: Share = Field(
        0.05, description="accuracy lost while the tool runs on the demo's fragile data feed"
    )
    fragile_incidents_per_year: float = Field(
        12.0, ge=0, le=365, description="data incidents a year on the fragile feed (uses fail)"
    )
    incident_hours: float = Field(8.0, gt=0, le=720, description="mean length of an incident")


class InfrastructureConfig(Section):
    """Serving capacity, latency under load, scale-up and outages."""

    capacity_requests_per_second: float = Field(
        0.4, gt=0, description="initial serving capacity (requests per second): the demo's"
    )
    working_hours_per_day: float = Field(8.0, gt=0, le=24, description="hours uses spread over")
    peak_to_mean: float = Field(2.0, ge=1, le=20, description="peak-hour load over mean load")
    base_latency_ms: float = Field(800.0, gt=0, description="latency of one request, idle system")
    servers: int = Field(
        8, ge=1, le=10_000, description="replicas serving in parallel (queueing servers)"
    )
    latency_tolerance_ms: float = Field(
        4000.0, gt=0, description="latency above which a use feels broken (milliseconds)"
    )
    slowness_weight: Share = Field(
        0.5,
        description="share of a served use's value lost when latency reaches the tolerance "
        "(less below it, in proportion to the latency above the idle one); assumption",
    )
    latency_cap_factor: float = Field(
        10.0,
        ge=1,
        le=1000,
        description="requests time out at this multiple of latency_tolerance_ms, which caps "
        "latency as reported and as gates project it (multiple of the tolerance); assumption",
    )
    autoscale: bool = Field(True, description="order more capacity when utilisation is high")
    scale_up_threshold: Share = Field(0.8, description="peak utilisation that triggers scale-up")
    scale_up_factor: float = Field(2.0, gt=1, le=20, description="capacity multiplier per order")
    scale_up_lead_days: int = Field(
        21, ge=0, le=365, description="days between ordering and getting capacity"
    )
    max_capacity_requests_per_second: float = Field(
        100.0, gt=0, description="capacity ceiling (requests per second)"
    )
    capacity_headroom: float = Field(
        1.5, ge=1, le=10, description="headroom when a gate sizes capacity from measured load"
    )
    presize_using_share: Share = Field(
        0.4,
        description=(
            "share of headcount a plan that sizes capacity before launch (prepare: capacity) "
            "expects to use the tool at once, at `uses_per_active_day`: about 40% used M365 "
            "Copilot regularly over six months (arXiv:2504.11443)"
        ),
    )
    mtbf_days: float = Field(
        30.0, ge=0, description="mean time between outages (days; 0 = no outages)"
    )
    mttr_hours: float = Field(4.0, gt=0, description="mean time to repair an outage (hours)")
    cost_per_rps_day: float = Field(
        40.0, ge=0, description="money per request-per-second of capacity per day"
    )


class ToolConfig(Section):
    """The AI tool: promised versus real quality, decay and repair, serving."""

    poc_accuracy: Share = Field(0.95, description="accuracy shown in the proof of concept")
    production_accuracy: Share = Field(
        0.70, description="mean accuracy on production data at launch (the data-quality gap)"
    )
    achievable_accuracy: Share = Field(
        0.85,
        description=(
            "mean accuracy once every fixable failure pattern is fixed: the ceiling of "
            "learning, which data problems no fix can remove keep below the demo's (at or "
            "below production_accuracy: nothing to fix)"
        ),
    )
    department_accuracy_spread: float = Field(
        0.05, ge=0, le=0.5, description="standard deviation of production accuracy by department"
    )
    region_accuracy_offset: dict[str, float] = Field(
        default_factory=dict,
        description="accuracy added in a region (its data are better or worse), by region name",
    )
    minimum_useful_accuracy: Share | None = Field(
        None,
        description=(
            "business minimum: below it a use costs more than it earns (default: the "
            "break-even accuracy of economics' value and cost of a use)"
        ),
    )
    drift_per_year: float = Field(
        0.10, ge=0, le=1, description="accuracy points lost per year since the last retrain"
    )
    uses_per_active_day: float = Field(
        6.0, gt=0, le=500, description="uses a day by an active user"
    )
    uses_per_trying_day: float = Field(3.0, gt=0, le=500, description="uses a day while trying")
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
