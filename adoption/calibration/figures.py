"""The posterior predictive check as a figure."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from adoption.files import write_atomically

MAX_GROUPS = 8


def predictive_figure(calibration, path: Path) -> Path:
    """One panel per measure: each group's simulated 5-95% band and its observations."""
    frame = calibration.predictive
    measures = list(dict.fromkeys(frame["measure"]))
    fig, axes = plt.subplots(1, len(measures), figsize=(4.2 * len(measures), 3.4), squeeze=False)
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

    def save(p: Path) -> None:
        fig.savefig(p, format="png", dpi=110)

    write_atomically(path, save)
    plt.close(fig)
    return path
