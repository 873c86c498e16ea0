"""The tornado figure of a switch search: the top two plans' paired difference at both
ends of every field's plausible range, widest swing on top."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adoption.inline import InlineFigure
from adoption.outcomes import OUTCOMES

if TYPE_CHECKING:
    from adoption.experiment.switches import Switches

LOW_COLOUR, HIGH_COLOUR = "#6baed6", "#fd8d3c"


def tornado_figure(switches: Switches) -> InlineFigure:
    """One row per field: a bar from the difference at the written values to the
    difference at the range's low end (blue) and at its high end (orange), each end with
    its 95% paired interval; zero is where the winner changes."""
    outcome = OUTCOMES[switches.rank_by]
    factor = {"money": 1e-6, "share": 100.0}.get(outcome.unit, 1.0)
    unit = {"money": " (millions, money units)", "share": " (points)"}.get(outcome.unit, "")
    fields = switches.table.drop_duplicates("field").copy()
    fields["swing"] = (fields["difference_high"] - fields["difference_low"]).abs()
    fields = fields.sort_values("swing", kind="stable")
    base = switches.written_difference * factor
    fig = InlineFigure(figsize=(10, 1.2 + 0.55 * len(fields)), dpi=110)
    ax = fig.add_subplot()
    for row, (_, line) in enumerate(fields.iterrows()):
        # each end's bar in its own half of the row, so that its label never hides the other
        for end, colour, offset in (("low", LOW_COLOUR, -0.18), ("high", HIGH_COLOUR, 0.18)):
            mean = line[f"difference_{end}"] * factor
            low = line[f"difference_{end}_ci_low"] * factor
            high = line[f"difference_{end}_ci_high"] * factor
            y = row + offset
            ax.barh(y, mean - base, left=base, color=colour, height=0.34)
            ax.errorbar(
                mean, y, xerr=[[mean - low], [high - mean]], fmt="none", ecolor="black", lw=0.8
            )
            ax.annotate(
                str(line[f"range_{end}"]),
                (mean, y),
                xytext=(4 if mean >= base else -4, 0),
                textcoords="offset points",
                ha="left" if mean >= base else "right",
                va="center",
                fontsize=8,
            )
    ax.axvline(0, color="black", linewidth=1.0)
    ax.axvline(base, color="grey", linestyle="--", linewidth=0.8)
    ax.set_yticks(range(len(fields)), fields["field"].tolist())
    ax.set_xlabel(f"{outcome.label}: {switches.first} minus {switches.second}{unit}")
    ax.set_title(
        f"What would change the answer: paired difference at each end of the plausible "
        f"range\n(blue: low end, orange: high end; dashed: as written; "
        f"{switches.probe_replications} paired runs, 95% CI)"
    )
    fig.tight_layout()
    return fig
