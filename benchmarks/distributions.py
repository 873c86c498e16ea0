"""Whether two versions of the engine give the same distributions: for a change of random stream.

    python benchmarks/distributions.py --save before.json     # on the old code
    python benchmarks/distributions.py --check before.json    # on the new code

A change that uses a random stream differently (fewer draws, another order) changes
runs seed by seed, so `fingerprint.py` cannot pass; what must hold is that the runs
are the same in distribution. For every plan of the bundled default scenario and
seeds 0..N-1 (30 by default), `--save` keeps every numeric metric of every run;
`--check` compares each plan's mean of each metric with the saved one, in standard
errors of the difference of the two means, z = (new - old) / sqrt(s_new²/N + s_old²/N).

Were the two versions the same in distribution, z would be about standard normal:
some 68% of (plan, metric) pairs within one standard error, 95% within two, and with
a few hundred pairs one or two beyond three by chance alone. `--check` prints those
shares and the largest |z|, names every pair beyond `--limit` (default 4, where a
pair would fall by chance about once in 16,000) and exits 1 if any is, or if fewer
than 90% of the pairs lie within two standard errors.
"""

from __future__ import annotations

import argparse
import json
import math
import numbers
import sys

SEEDS = 30


def collect(seeds: int, employees: int | None) -> dict[str, dict[str, list[float]]]:
    """Every numeric metric of every run, by plan then metric, in seed order."""
    from adoption import build_organisation, load_scenario, simulate

    overrides = {"organisation.employees": employees} if employees else None
    scenario = load_scenario(overrides=overrides)
    organisation = build_organisation(scenario.organisation)
    values: dict[str, dict[str, list[float]]] = {}
    for plan in scenario.plans:
        by_metric: dict[str, list[float]] = {}
        for seed in range(seeds):
            result = simulate(scenario, plan, seed=seed, organisation=organisation)
            for name, value in result.metrics.items():
                if isinstance(value, numbers.Real):
                    by_metric.setdefault(name, []).append(float(value))
        values[plan] = by_metric
    return values


def _mean_and_variance(values: list[float]) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return math.nan, 0.0
    mean = sum(finite) / len(finite)
    variance = sum((v - mean) ** 2 for v in finite) / max(len(finite) - 1, 1)
    return mean, variance / len(finite)


def z_scores(
    before: dict[str, dict[str, list[float]]], after: dict[str, dict[str, list[float]]]
) -> dict[tuple[str, str], float]:
    """(plan, metric) → the difference of the means in standard errors (0 where both are
    constant and equal, inf where they are constant and differ)."""
    scores = {}
    for plan, metrics in before.items():
        for name, old in metrics.items():
            new = after.get(plan, {}).get(name)
            if new is None:
                continue
            (m_old, v_old), (m_new, v_new) = _mean_and_variance(old), _mean_and_variance(new)
            if math.isnan(m_old) and math.isnan(m_new):
                continue
            error = math.sqrt(v_old + v_new)
            gap = m_new - m_old
            if error == 0.0:
                scores[plan, name] = 0.0 if gap == 0.0 else math.inf
            else:
                scores[plan, name] = gap / error
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", metavar="FILE", help="write every run's metrics to FILE")
    action.add_argument("--check", metavar="FILE", help="compare with saved metrics")
    parser.add_argument("--seeds", type=int, default=SEEDS, help="runs per plan (seeds 0..N-1)")
    parser.add_argument("--employees", type=int, default=None, help="headcount (default 5,000)")
    parser.add_argument("--limit", type=float, default=4.0, help="largest |z| allowed")
    args = parser.parse_args()

    values = collect(args.seeds, args.employees)
    if args.save:
        with open(args.save, "w") as handle:
            json.dump(values, handle)
        pairs = sum(len(metrics) for metrics in values.values())
        print(f"saved {pairs} (plan, metric) pairs × {args.seeds} seeds to {args.save}")
        return 0
    with open(args.check) as handle:
        before = json.load(handle)
    scores = z_scores(before, values)
    sizes = [abs(z) for z in scores.values()]
    within_one = sum(z <= 1.0 for z in sizes) / len(sizes)
    within_two = sum(z <= 2.0 for z in sizes) / len(sizes)
    print(
        f"{len(sizes)} (plan, metric) pairs, {args.seeds} seeds each: "
        f"{within_one:.0%} within one standard error (68% expected), "
        f"{within_two:.0%} within two (95% expected); largest |z| {max(sizes):.2f}"
    )
    beyond = sorted(
        ((abs(z), plan, name) for (plan, name), z in scores.items() if abs(z) > args.limit),
        reverse=True,
    )
    for size, plan, name in beyond:
        print(f"  {plan} {name}: |z| = {size:.2f}")
    return 1 if beyond or within_two < 0.9 else 0


if __name__ == "__main__":
    sys.exit(main())
