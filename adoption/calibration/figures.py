"""A calibration's figures: the posterior predictive check and the posterior itself."""

from __future__ import annotations

from adoption.inline import InlineFigure

MAX_GROUPS = 8


def predictive_figure(calibration) -> InlineFigure:
    """One panel per measure: each group's simulated 5-95% band and its observations."""
    frame = calibration.predictive
    measures = list(dict.fromkeys(frame["measure"]))
    fig = InlineFigure(figsize=(4.2 * len(measures), 3.4), dpi=110)
    axes = fig.subplots(1, len(measures), squeeze=False)
    for ax, measure in zip(axes[0], measures, strict=True):
        part = frame[frame["measure"] == measure]
        for i, (group, rows) in enumerate(part.groupby("group", sort=False)):
            if i >= MAX_GROUPS:
                break
            colour = f"C{i % 10}"
            ax.fill_between(rows["day"], rows["p05"], rows["p95"], color=colour, alpha=0.2)
            ax.plot(rows["day"], rows["p50"], color=colour, lw=1)
            ax.plot(rows["day"], rows["observed"], "o", ms=3, color=colour, label=str(group))
        ax.set_title(measure)
        ax.set_xlabel("day of the pilot")
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.suptitle("Pilot telemetry (points) against the posterior's 90% bands")
    fig.tight_layout()
    return fig


def posterior_figure(calibration) -> InlineFigure:
    """One panel per fitted parameter: the weighted posterior particles as a histogram,
    its mean and 90% interval, and how much the telemetry narrowed the prior (sds)."""
    summary = calibration.summary.set_index("parameter")
    particles = calibration.posterior
    weights = particles["weight"].to_numpy(float)
    fig = InlineFigure(figsize=(4.2 * len(calibration.fit), 3.4), dpi=110)
    axes = fig.subplots(1, len(calibration.fit), squeeze=False)[0]
    for ax, parameter in zip(axes, calibration.fit, strict=True):
        values = particles[parameter].to_numpy(float)
        ax.hist(values, bins=25, weights=weights / weights.sum(), color="#6baed6")
        row = summary.loc[parameter]
        ax.axvspan(row["q05"], row["q95"], color="#31a354", alpha=0.15, label="90% interval")
        ax.axvline(row["mean"], color="black", linewidth=1, label="mean")
        ax.set_title(f"{parameter}\nsd {row['sd']:.3g} (prior {row['prior_sd']:.3g})", fontsize=9)
        ax.set_ylabel("posterior weight")
    axes[0].legend(fontsize=7, loc="upper left")
    fig.suptitle("Posterior of each fitted parameter, from the pilot's telemetry")
    fig.tight_layout()
    return fig
