"""Everything a comparison checks before its first run, and what it says after its last.

A sweep may take hours: a mistake in the plans, the target, the baseline, the org
chart or `--out` must be refused in the first second, not after every run has been
computed (or every run has failed for the same reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from adoption.config import Scenario
from adoption.errors import InputError, RunsFailed
from adoption.experiment.runner import RunRecord
from adoption.experiment.statistics import Target


def preflight(
    scenario: Scenario,
    plans: Sequence[str] | None,
    target: str | Target,
    baseline: str | None,
    out: str | Path | None,
) -> None:
    """Refuse, with an `InputError`, what would fail or be wasted once runs have started."""
    if plans is not None and len(plans) == 0:
        raise InputError("no plans to compare: name at least one (or none for all)")
    if plans is not None and not all(isinstance(plan, str) for plan in plans):
        raise InputError(f"plans: expected plan names, got {list(plans)!r}")
    # parsing checks that the target names a numeric outcome (adoption.outcomes)
    if not isinstance(target, Target):
        Target.parse(target)
    if baseline is not None and plans is not None and baseline not in plans:
        raise InputError(f"baseline '{baseline}' is not among the compared plans")
    if out is not None:
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise InputError(f"--out: '{out}' exists and is not a directory")
        if not out.exists() and out.parent.exists() and not out.parent.is_dir():
            raise InputError(f"--out: '{out.parent}' is not a directory")
    check_files(scenario)
    if not scenario.classic:
        check_waves(scenario, list(scenario.plans) if plans is None else list(plans))


def check_files(scenario: Scenario) -> None:
    """Every file the scenario reads exists; an edge list for a plain network loads."""
    from adoption.experiment.design import referenced_files

    for key, path in referenced_files(scenario).items():
        if not path.is_file():
            raise InputError(f"{key}: file '{path}' not found")
    if scenario.network is not None and scenario.network.kind == "edge_list":
        from adoption.organisation import plain_organisation

        plain_organisation(scenario.network)


def check_waves(scenario: Scenario, plans: list[str]) -> None:
    """Every region and department a compared plan's waves name exists in the organisation.

    A generated organisation is checked when the scenario loads; an org chart only
    says which regions and departments it has once it is read, so it is read here,
    once, before any run (which also reports a bad org chart at once).
    """
    if scenario.organisation.org_chart is None:
        return
    from adoption.organisation import build_organisation

    org = build_organisation(scenario.organisation)
    known = {"region": set(org.region_names), "department": set(org.department_names)}
    for name in plans:
        plan = scenario.plans.get(name)
        if plan is None:
            continue  # an unknown plan is reported by the caller, with the known ones
        for wave in plan.waves:
            if wave.group in known and wave.name not in known[wave.group]:
                raise InputError(
                    f"plan '{name}': the org chart {scenario.organisation.org_chart} has no "
                    f"{wave.group} named '{wave.name}' (it has: "
                    f"{', '.join(sorted(known[wave.group]))}); compare other plans with "
                    "--plans, or change the plan's waves"
                )


def compared_plans(
    plans: list[str], baseline: str, finished: list[RunRecord], failures: list[RunRecord]
) -> list[str]:
    """The plans with at least one finished run; `RunsFailed` if the baseline has none.

    A plan whose every run failed is left out of the comparison (its failures are
    reported with their seeds); without the baseline nothing can be compared.
    """
    done = {record.spec.plan for record in finished}
    if baseline in done:
        return [plan for plan in plans if plan in done]
    first = next(
        (f for f in failures if f.spec.plan == baseline), failures[0] if failures else None
    )
    what = "every run failed" if not finished else f"every run of the baseline '{baseline}' failed"
    detail = (
        f"; the first (plan {first.spec.plan}, seed {first.spec.seed}): {first.error}"
        if first is not None
        else ""
    )
    raise RunsFailed(what + detail)
