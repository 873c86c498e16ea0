"""Reproduce the textbook results the engine must reduce to, with figures.

    python experiments/validate.py --out docs/figures

Writes one figure per result and prints the numbers quoted in docs/validation.md:
the Bass closed form, Granovetter's riot, the Watts (2002) cascade window, SIR final
sizes against percolation theory and Kermack–McKendrick, and overambitious seeding
(Iyer & Adamic 2019). Takes about two minutes on two cores.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import adoption
from adoption.theory import (
    bass_adopted_share,
    bass_peak_time,
    bass_time_to_share,
    percolation_final_size,
    watts_cascade_window,
)


def classic(network, behaviour, days, initial=None):
    spec = {"network": network, "behaviour": behaviour, "horizon_days": days}
    if initial is not None:
        spec["initial_adopters"] = initial
    return adoption.load_scenario(spec)


def bass(out: Path) -> None:
    p, q, n = 0.03, 0.38, 10_000
    series = adoption.simulate(
        classic({"kind": "complete", "n": n}, {"rule": "bass", "p": p, "q": q}, 20 * 365), seed=1
    ).timeseries
    years = (series["day"] + 1) / 365
    closed = bass_adopted_share(years, p, q)
    gap = np.abs(series["ever_active"] / n - closed).max()
    print(f"Bass (p={p}, q={q}, n={n:,}): largest gap to the closed form {gap:.4f}")
    for share in (0.1, 0.5, 0.9):
        theory = bass_time_to_share(share, p, q)
        simulated = years[np.argmax(series["ever_active"].to_numpy() / n >= share)]
        print(f"  {share:.0%} adopted: {simulated:.2f} years (closed form {theory:.2f})")
    fig = Figure(figsize=(7, 4.5), dpi=110)
    ax = fig.add_subplot()
    ax.plot(years, series["ever_active"] / n, label="simulated (10,000 people)")
    ax.plot(years, closed, "--", label="closed form")
    ax.axvline(bass_peak_time(p, q), color="grey", linewidth=0.8, label="peak t*")
    ax.set(xlabel="years", ylabel="adopted share", title="Bass diffusion on a complete graph")
    ax.legend()
    fig.savefig(out / "validation-bass.png")


def granovetter() -> None:
    n = 100
    phis = [i / (n - 1) for i in range(n)]
    everyone = (
        adoption.simulate(
            classic({"kind": "complete", "n": n}, {"rule": "threshold", "phi_values": phis}, 150)
        )
        .timeseries["ever_active"]
        .iloc[-1]
    )
    phis[1] = 2 / (n - 1)
    one = (
        adoption.simulate(
            classic({"kind": "complete", "n": n}, {"rule": "threshold", "phi_values": phis}, 150)
        )
        .timeseries["ever_active"]
        .iloc[-1]
    )
    print(f"Granovetter: thresholds 0..99 -> {everyone} riot; second raised to 2 -> {one} riots")


def watts(out: Path, runs: int) -> None:
    phi, n = 0.18, 10_000
    degrees = [0.8, 1.0, 1.5, 2, 3, 4, 5, 6, 7, 8, 10, 12]
    frequency, size = [], []
    for z in degrees:
        finals = []
        for run in range(runs):
            scenario = classic(
                {"kind": "erdos_renyi", "n": n, "mean_degree": z, "seed": run},
                {"rule": "threshold", "phi": phi},
                150,
                {"count": 1},
            )
            finals.append(adoption.simulate(scenario, seed=run).timeseries["ever_active"].iloc[-1])
        finals = np.array(finals) / n
        cascades = finals > 0.1
        frequency.append(cascades.mean())
        size.append(finals[cascades].mean() if cascades.any() else 0.0)
        share, mean_size = cascades.mean(), size[-1]
        print(f"  z={z:>4}: global cascades in {share:.0%} of runs, mean size {mean_size:.0%}")
    low, high = watts_cascade_window(phi)
    print(f"Watts (phi={phi}): analytic window {low:.2f} < z < {high:.2f}")
    fig = Figure(figsize=(7, 4.5), dpi=110)
    ax = fig.add_subplot()
    ax.plot(degrees, frequency, "o-", label="frequency of global cascades")
    ax.plot(degrees, size, "s--", label="mean size of global cascades")
    for edge in (low, high):
        ax.axvline(edge, color="grey", linewidth=0.8)
    ax.set(xlabel="mean degree z", ylabel="share", title=f"Cascade window, phi = {phi}, n = 10,000")
    ax.legend()
    fig.savefig(out / "validation-watts.png")


def sir(out: Path) -> None:
    n, k, gamma = 10_000, 4.0, 2.0
    rows = []
    for transmissibility in (0.2, 0.3, 0.4, 0.5, 0.6, 0.8):
        tau = gamma * transmissibility / (1 - transmissibility)
        sizes = [
            adoption.simulate(
                classic(
                    {"kind": "erdos_renyi", "n": n, "mean_degree": k, "seed": run},
                    {"rule": "contagion", "tau": tau, "gamma": gamma},
                    6 * 365,
                    {"count": 20},
                ),
                seed=run,
            )
            .timeseries["ever_active"]
            .iloc[-1]
            / n
            for run in range(2)
        ]
        theory = percolation_final_size(k, transmissibility)
        rows.append((transmissibility, float(np.mean(sizes)), theory))
        print(f"  SIR T={transmissibility}: final size {np.mean(sizes):.1%} (theory {theory:.1%})")
    fig = Figure(figsize=(7, 4.5), dpi=110)
    ax = fig.add_subplot()
    ax.plot([r[0] for r in rows], [r[1] for r in rows], "o", label="simulated (mean of 2 runs)")
    ax.plot([r[0] for r in rows], [r[2] for r in rows], "-", label="percolation: S = 1 - exp(-kTS)")
    ax.set(
        xlabel="transmissibility T = tau/(tau+gamma)",
        ylabel="final size",
        title="SIR on Erdős–Rényi, mean degree 4",
    )
    ax.legend()
    fig.savefig(out / "validation-sir.png")


def seeding(out: Path) -> None:
    scenario = adoption.load_scenario(
        None,
        {
            "organisation.employees": 1000,
            "tool.production_accuracy": 0.6,
            "behaviour.return_per_year": 0.0,
            "plans": {
                "everyone": {"waves": [{"day": 0, "group": "all"}]},
                "conservative": {
                    "waves": [
                        {"day": 0, "group": "random", "share": 0.1},
                        {"day": 120, "group": "rest"},
                    ]
                },
            },
        },
    )
    comparison = adoption.compare(scenario, replications=40, executor=adoption.SerialExecutor())
    print(comparison.table())
    paired = comparison.paired.set_index("metric")
    for metric in ("adoption_rate", "abandonment_rate"):
        row = paired.loc[metric]
        print(
            f"  conservative - everyone, {metric}: {row['difference']:+.3f} "
            f"[{row['ci_low']:+.3f}, {row['ci_high']:+.3f}] (paired, 40 replications)"
        )
    fig = Figure(figsize=(7, 4.5), dpi=110)
    ax = fig.add_subplot()
    for plan in ("everyone", "conservative"):
        band = comparison.timeseries[comparison.timeseries["plan"] == plan]
        ax.plot(band["day"], band["active_mean"], label=plan)
        ax.fill_between(band["day"], band["active_p10"], band["active_p90"], alpha=0.2)
    ax.set(
        xlabel="day",
        ylabel="active users (of 1,000)",
        title="Overambitious seeding: poor early accuracy, abandonment for good",
    )
    ax.legend()
    fig.savefig(out / "validation-seeding.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("docs/figures"),
        help="folder for the validation figures (default docs/figures)",
    )
    parser.add_argument(
        "--watts-runs",
        type=int,
        default=20,
        help="single-seed runs per mean degree in the Watts check (default 20)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    bass(args.out)
    granovetter()
    watts(args.out, args.watts_runs)
    sir(args.out)
    seeding(args.out)


if __name__ == "__main__":
    main()
