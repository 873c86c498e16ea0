"""What `explore` found, as one value: per-world results, robustness, sensitivity,
boxes, value of information, and the answer in plain words."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from adoption.config import Scenario
from adoption.config.lever import label_of
from adoption.experiment import analysis
from adoption.experiment.runner import RunRecord
from adoption.experiment.statistics import Target
from adoption.outcomes import OUTCOMES
from adoption.wording import percent, show, target_words

if TYPE_CHECKING:
    from adoption.plotting import ExplorationPlots


@dataclass
class Exploration:
    """What `explore` found: per-world results, robustness, sensitivity, boxes, VOI.

    `boxes`: one row per restriction PRIM made, `kept` (its quasi-p-value is at most
    `analysis.QUASI_P_LEVEL`) or dropped; `noise`: per response, the replication noise as
    a share of all runs' variance and of the world means' variance; `voi`: the EVPI and
    each uncertainty's EVPPI with its noise floor, p-value and whether it clears the
    floor (`analysis.value_of_information`).
    """

    scenario: Scenario
    plans: list[str]
    method: str
    rank_by: str
    target: Target
    replications: int
    samples: pd.DataFrame  # the sampled worlds
    points: np.ndarray  # their unit-cube design points
    runs: pd.DataFrame
    worlds: pd.DataFrame  # one row per world × plan
    robustness: pd.DataFrame
    best: dict[str, str]  # most robust plan by each criterion
    sensitivity: pd.DataFrame
    boxes: pd.DataFrame
    trajectories: dict[str, pd.DataFrame]
    voi: pd.DataFrame
    noise: pd.DataFrame
    leaders: tuple[str, str] | None
    failures: list[RunRecord] = field(default_factory=list)
    computed: int = 0
    reused: int = 0

    @property
    def plot(self) -> ExplorationPlots:
        """The exploration's figures: `.sensitivity()`, `.boxes()`, `.regret()`."""
        from adoption.plotting import ExplorationPlots

        return ExplorationPlots(self)

    def _repr_html_(self) -> str:
        from adoption.display import exploration_html

        return exploration_html(self)

    def __repr__(self) -> str:
        return (
            f"<Exploration {self.scenario.name}: {len(self.plans)} plans across "
            f"{len(self.samples)} worlds ({self.method}); print(exploration.summary())>"
        )

    @property
    def higher_is_better(self) -> bool:
        direction = OUTCOMES[self.rank_by].higher_is_better
        return True if direction is None else direction

    @property
    def choice(self) -> str:
        """The recommended plan: least maximum regret (the robust choice)."""
        return self.best.get("max_regret", self.plans[0])

    @property
    def currency(self) -> str:
        return self.scenario.economics.currency

    def _amount(self, value: float) -> str:
        """A value of the ranking outcome as read: money with its currency, a share as a
        percentage."""
        return show(self.rank_by, value, self.currency)

    def robustness_shown(self) -> pd.DataFrame:
        """The robustness table as a reader reads it: plain headings, amounts with their
        unit or currency, shares of worlds as percentages."""
        label = OUTCOMES[self.rank_by].label
        frame = self.robustness
        return pd.DataFrame(
            {
                "plan": frame["plan"],
                f"mean {label}": frame["mean"].map(self._amount),
                "worst world": frame["worst"].map(self._amount),
                "10th percentile": frame["p10"].map(self._amount),
                "mean regret": frame["mean_regret"].map(self._amount),
                "maximum regret": frame["max_regret"].map(self._amount),
                "worlds won": frame["share_won"].map(percent),
                "worlds meeting the target": frame["share_meeting_target"].map(percent),
            }
        )

    def voi_shown(self) -> pd.DataFrame:
        """The value of information as read: what learning each uncertainty before
        choosing is worth (in the ranking outcome's unit), its share of the value of
        knowing everything, and the noise floor it must clear."""
        frame = self.voi
        return pd.DataFrame(
            {
                "uncertainty": frame["uncertainty"].map(named),
                "worth learning first (EVPPI)": frame["evppi"].map(self._amount),
                "share of knowing everything": frame["share_of_evpi"].map(percent),
                "noise floor (1 in 20)": frame["evppi_null"].map(self._amount),
                "clear of the noise": frame["clear"].map(
                    lambda clear: "" if pd.isna(clear) else ("yes" if clear else "no")
                ),
            }
        )

    def table(self) -> str:
        """The robustness table as text."""
        return self.robustness_shown().to_string(index=False)

    def ranked(self, response: str, decisive_only: bool = False) -> list[str]:
        """The uncertainties by importance for one response, most important first (by
        EVPPI where the design gave no sensitivity indices). `decisive_only`: only those
        whose importance is told apart from noise (`analysis.distinguishable`; an EVPPI
        above its noise floor)."""
        table = self.sensitivity
        if table.empty:
            voi = self.voi[~self.voi["uncertainty"].str.startswith("(")]
            if decisive_only:
                voi = voi[voi["clear"].astype(bool)]
            return voi["uncertainty"].tolist()
        mine = table[table["response"] == response]
        if decisive_only:
            mine = mine[analysis.distinguishable(mine, self.method)]
        order = mine[analysis.importance_column(self.method)].abs()
        return (
            mine.assign(order=order).sort_values("order", ascending=False)["uncertainty"].tolist()
        )

    def summary(self, html_escape: bool = False) -> str:
        """In plain words (the first paragraph of report.html): which plan to choose, how
        robust that is, what would change the answer (only restrictions that matter), how
        much of that is replication noise, and what to measure in the pilot."""
        esc = html.escape if html_escape else (lambda text: text)
        shown = OUTCOMES[self.rank_by]
        choice = self.choice
        row = self.robustness.set_index("plan").loc[choice]
        worlds = len(self.worlds) // max(len(self.plans), 1)
        target = target_words(self.target, self.currency)
        text = (
            f"Choose {esc(choice)}: across {worlds} sampled worlds it has the least maximum "
            f"regret in {shown.label} ({self._amount(row['max_regret'])}), wins "
            f"{percent(row['share_won'])} of worlds and meets the target ({esc(target)}) in "
            f"{percent(row['share_meeting_target'])}; its mean is {self._amount(row['mean'])} "
            f"and its worst case {self._amount(row['worst'])}. "
        )
        disagree = {criterion: plan for criterion, plan in self.best.items() if plan != choice}
        if disagree:
            text += (
                "Other criteria disagree: "
                + "; ".join(f"{analysis.CRITERIA[c]} favours {esc(p)}" for c, p in disagree.items())
                + ". "
            )
        else:
            text += "Every robustness criterion agrees. "
        if self.leaders is not None:
            text += self._what_decides(esc)
        return text + self._what_to_measure(esc)

    def box(self, question: str) -> pd.DataFrame:
        """The kept restrictions of one PRIM box (one row each; one row with no
        uncertainty when the box restricts nothing)."""
        rows = self.boxes[self.boxes["question"] == question]
        return rows[rows["kept"]]

    def _what_decides(self, esc) -> str:
        first, second = self.leaders
        other = second if self.choice == first else first
        text = ""
        decisive = self.ranked(f"{first} - {second}", decisive_only=True)[:2]
        if decisive:
            text += (
                f"What decides between {esc(first)} and {esc(second)} most is "
                f"{esc(', then '.join(named(path) for path in decisive))}. "
            )
        noise = self.noise.set_index("response")["noise_share_of_means"].get(
            f"{first} - {second}", np.nan
        )
        if np.isfinite(noise):
            text += (
                f"Replication noise is {noise:.0%} of the variance across worlds of "
                f"{esc(first)} − {esc(second)} (each world the mean of {self.replications} "
                "replications). "
            )
        beats = self.box(f"{other} beats {self.choice}")
        restricted = not beats.empty and beats["uncertainty"].iloc[0] != ""
        if restricted and beats["coverage"].iloc[0] > 0:
            line = beats.iloc[0]
            text += (
                f"{esc(other)} would be better where {esc(line['conditions'])} "
                f"(this box holds {line['coverage']:.0%} of the worlds {esc(other)} wins, "
                f"and {esc(other)} wins {line['density']:.0%} of the worlds in it). "
            )
        return text

    def _what_to_measure(self, esc) -> str:
        """Which uncertainty the pilot should measure: the one with the largest EVPPI
        among those above their noise floor; if none is, that no single uncertainty stands
        out from the noise, and what would settle it."""
        voi = self.voi[~self.voi["uncertainty"].str.startswith("(")]
        if voi.empty or voi["evppi"].iloc[0] <= 0:
            return (
                "No single uncertainty is worth measuring first: learning it would not "
                "change the choice."
            )
        clear = voi[voi["clear"].astype(bool)]
        if not clear.empty:
            top = clear.iloc[0]
            return (
                f"Measure {esc(named(top['uncertainty']))} in the pilot: learning it before "
                f"choosing is worth {self._amount(top['evppi'])} on average "
                f"({percent(top['share_of_evpi'])} "
                "of the value of knowing everything; where learning it could not change the "
                f"choice, noise alone gives more than {self._amount(top['evppi_null'])} only one "
                "time in 20)."
            )
        top = voi.iloc[0]
        text = (
            "No single uncertainty's value of information stands out from the noise: the "
            f"largest, {esc(named(top['uncertainty']))}'s {self._amount(top['evppi'])} "
            f"({percent(top['share_of_evpi'])} of the value of knowing everything), is no more "
            "than noise gives where learning it could not change the choice (more than "
            f"{self._amount(top['evppi_null'])} one time in 20). "
        )
        needed = top["replications_to_clear"]
        if np.isfinite(needed):
            return text + (
                f"More replications per world would settle it: about {needed:,.0f} (now "
                f"{self.replications}) would show it clear of the noise, if its value is as "
                "large as estimated."
            )
        if np.isnan(needed):
            return text + (
                "More replications per world would settle it (with one, the noise cannot "
                "be measured)."
            )
        return text + (
            "More replications per world would not settle it: even without replication "
            "noise the spread between worlds sets the floor above it; more worlds would tell."
        )


def named(path: str) -> str:
    """An uncertain field as a reader reads it: its lever's label with the path to set it
    ("accuracy on production data at launch (tool.production_accuracy)"), or the path."""
    label = label_of(path)
    return f"{label} ({path})" if label else path
