"""What would change the answer: for each uncertain or assumed field, the value inside its
plausible range at which the winner of the top two plans changes, found by paired
bisection (common random numbers: the same replication seeds for both plans at every
probe).

Budget, at most three comparisons' worth of runs (the comparison itself is the first):
every probe runs the top two plans on the same `r` seeds, the comparison's first `r`;
the written value's probe is the comparison's own runs on those seeds. First both ends
of every field's range (2 probes a field); then, for the sides whose winner differs from
the winner at the neighbouring probe (end against written value, or end against end),
BISECTION_STEPS halvings, for at most BISECTED_SIDES sides (the largest swings first;
any other is reported as a switch between its bracket's ends). So `r` is the largest
whole number with 2·r·(2·fields + BISECTION_STEPS·BISECTED_SIDES) ≤ 2 · plans ·
replications, capped at the comparison's replications.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from adoption.config import Scenario
from adoption.errors import InputError
from adoption.experiment.assumption_ranges import Span, plausible_spans
from adoption.experiment.compare import run_design
from adoption.experiment.comparison import Comparison
from adoption.experiment.design import RunSpec
from adoption.experiment.executors import Executor
from adoption.experiment.statistics import t_interval
from adoption.inline import InlineFigure
from adoption.outcomes import OUTCOMES

COMPARISONS = 3
"""The most runs `--switches` may spend, in comparisons' worth (the comparison included)."""
BISECTION_STEPS = 5
"""Halvings of each bisected side: a switch is located to 1/32 of its side's width."""
BISECTED_SIDES = 2
"""Sides (between two probes whose winners differ) bisected within the budget."""
MIN_PROBE_REPLICATIONS = 2
"""Fewest paired runs a probe may have: one pair has no interval."""


@dataclass(frozen=True)
class Budget:
    """How many paired seeds each probe gets so that the search fits COMPARISONS
    comparisons' worth of runs."""

    plans: int
    replications: int
    fields: int

    @property
    def sides(self) -> int:
        return min(BISECTED_SIDES, 2 * self.fields)

    @property
    def probes(self) -> int:
        """Probes the search may make: both ends of every field, then the bisections."""
        return 2 * self.fields + BISECTION_STEPS * self.sides

    @property
    def probe_replications(self) -> int:
        return min(self.replications, self.plans * self.replications // self.probes)

    @property
    def limit(self) -> int:
        """Runs allowed in all: COMPARISONS comparisons of every plan."""
        return COMPARISONS * self.plans * self.replications

    def check(self) -> None:
        """Refuse a search whose probes would have fewer than MIN_PROBE_REPLICATIONS seeds."""
        if self.probe_replications >= MIN_PROBE_REPLICATIONS:
            return
        needed = -(-MIN_PROBE_REPLICATIONS * self.probes // self.plans)
        raise InputError(
            f"--switches: {self.fields} field(s) need at least {needed} replications per plan "
            f"to give each probe {MIN_PROBE_REPLICATIONS} paired runs within "
            f"{COMPARISONS} comparisons' worth of runs; raise --replications or name fewer "
            "fields (--switches FIELD,FIELD)"
        )


@dataclass(frozen=True)
class Probe:
    """The top two's paired differences (first minus second) at one value of one field."""

    value: Any
    differences: np.ndarray

    def interval(self) -> tuple[float, float, float]:
        mean, _, low, high, _ = t_interval(self.differences)
        return mean, low, high


@dataclass
class Switches:
    """The switch search's answer: one row per field and switch in `table`, the paired
    differences at the ends of every field's range, and the verdict."""

    first: str
    second: str
    rank_by: str
    lead: str  # the comparison's own line on the top two
    tie: bool  # their paired interval over all the comparison's runs includes zero
    written_difference: float
    table: pd.DataFrame
    probe_replications: int
    runs: int
    limit: int
    written_winner: str  # the better of the two at the written values on the probes' seeds

    @property
    def switching(self) -> pd.DataFrame:
        return self.table[self.table["switch"] != "none"]

    def verdict(self) -> str:
        """'a tie on this evidence' (naming what would separate the two); 'X wins unless
        A < v' for each clear switch (beyond it, the other plan's paired interval excludes
        zero); the switches that are not clear on the probes' runs; or, with none in any
        range, that the winner holds."""
        parts = []
        if self.written_winner != self.first:
            parts.append(
                f"caution: on the probes' {self.probe_replications} seeds the written values "
                f"favour {self.written_winner}, unlike the whole comparison: the switches are "
                "located on too few runs; raise --replications"
            )
        if self.tie:
            evidence = self.lead.rsplit(": ", 1)[0]  # the lead line without its verdict
            parts.append(f"a tie on this evidence: {evidence}; {self._separators()}")
        switching = self.switching
        clear = switching[switching["clear"]]
        by_winner: dict[str, list[str]] = {}
        for _, row in clear.iterrows():
            by_winner.setdefault(row["winner_written"], []).append(row["condition"])
        parts.extend(
            f"{winner} wins unless {' or '.join(conditions)}"
            for winner, conditions in by_winner.items()
        )
        unclear = switching[~switching["clear"]]
        if len(unclear):
            parts.append(
                f"not clear on {self.probe_replications} paired runs a probe (beyond the "
                "switch the other plan's lead has an interval that includes zero): "
                + "; ".join(unclear["condition"])
            )
        if not self.tie and not len(clear):
            parts.append(
                f"{self.first} wins across every plausible range probed (no clear change in range)"
            )
        return "\n".join(parts)

    def _separators(self) -> str:
        """The field ends at which the top two's paired interval excludes zero."""
        outcome = OUTCOMES[self.rank_by]
        found = []
        for _, row in self.table.drop_duplicates("field").iterrows():
            for end in ("low", "high"):
                low, high = row[f"difference_{end}_ci_low"], row[f"difference_{end}_ci_high"]
                if low > 0 or high < 0:
                    mean = row[f"difference_{end}"]
                    winner = self.first if (mean > 0) == self._higher_better else self.second
                    found.append(
                        (
                            abs(mean),
                            f"{winner} leads by {outcome.show(abs(mean))} at "
                            f"{row['field']} = {row[f'range_{end}']}",
                        )
                    )
        if not found:
            return (
                f"no field at the ends of its plausible range separates them on "
                f"{self.probe_replications} paired runs; more replications would tell"
            )
        found.sort(key=lambda item: -item[0])
        return "what would separate them: " + "; ".join(text for _, text in found[:3])

    @property
    def _higher_better(self) -> bool:
        return OUTCOMES[self.rank_by].higher_is_better is not False

    def text(self) -> str:
        """The table for a terminal, then the verdict."""
        outcome = OUTCOMES[self.rank_by]
        lines = [
            f"what would change the answer ({self.first} minus {self.second}, "
            f"{outcome.label}, {self.probe_replications} paired runs a probe; "
            f"{self.runs} runs of at most {self.limit}):"
        ]
        for _, row in self.table.iterrows():
            ends = (
                f"{outcome.show(row['difference_low'])} at {row['range_low']}, "
                f"{outcome.show(row['difference_high'])} at {row['range_high']}"
            )
            where = "no change in range" if row["switch"] == "none" else row["condition"]
            lines.append(f"  {row['field']}: {where} ({ends})")
        lines.append(self.verdict())
        return "\n".join(lines)

    def figure(self) -> InlineFigure:
        from adoption.experiment.tornado import tornado_figure

        return tornado_figure(self)

    def write(self, out: Path) -> None:
        """switches.csv and switches.png in `out`."""
        out.mkdir(parents=True, exist_ok=True)
        self.table.drop(columns=["condition"]).to_csv(out / "switches.csv", index=False)
        self.figure().savefig(out / "switches.png", format="png", dpi=110)


def check_request(
    scenario: Scenario, plans: int, replications: int, samples: int, fields: list[str] | None
) -> list[Span]:
    """Refuse, before any run, a search that cannot be done: fewer than two plans, sampled
    worlds, an unknown field or a range end the scenario refuses, or too few replications
    for the budget. Returns the spans to probe."""
    if plans < 2:
        raise InputError("--switches needs at least two plans to compare")
    if samples != 1:
        raise InputError(
            "--switches varies one field at a time around the scenario as written: use --samples 1"
        )
    spans = plausible_spans(scenario, fields)
    Budget(plans, replications, len(spans)).check()
    return spans


def find_switches(
    comparison: Comparison,
    fields: list[str] | None = None,
    executor: Executor | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> Switches:
    """Search every plausible range (the scenario's uncertainties and the listed
    assumptions; with `fields`, those) for the value at which the winner of the
    comparison's top two plans by its `rank_by` changes. See the module for the budget."""
    spans = check_request(
        comparison.scenario,
        len(comparison.plans),
        comparison.replications,
        len(comparison.samples),
        fields,
    )
    budget = Budget(len(comparison.plans), comparison.replications, len(spans))
    first, second = comparison.ranking()["plan"].tolist()[:2]
    search = _Search(comparison, first, second, budget.probe_replications, executor, on_run)
    ends = search.run([(span, end) for span in spans for end in (span.low, span.high)])
    sides = []
    for index, span in enumerate(spans):
        low, high = ends[2 * index], ends[2 * index + 1]
        sides.extend(search.sides(span, low, high))
    sides.sort(key=lambda side: -side.swing)
    bisected = [side for side in sides if side.splittable][: budget.sides]
    for _ in range(BISECTION_STEPS):
        midpoints = [side for side in bisected if side.splittable]
        if not midpoints:
            break
        probes = search.run([(side.span, side.midpoint) for side in midpoints])
        for side, probe in zip(midpoints, probes, strict=True):
            side.narrow(probe, search.winner(probe))
    rows = []
    for index, span in enumerate(spans):
        low, high = ends[2 * index], ends[2 * index + 1]
        found = [side for side in sides if side.span is span]
        for side in found or [None]:
            rows.append(search.row(span, low, high, side, bisected))
    mean, _, ci_low, ci_high, _ = t_interval(search.written_differences(all_runs=True))
    return Switches(
        first=first,
        second=second,
        rank_by=comparison.rank_by,
        lead=comparison.lead(),
        tie=not (ci_low > 0 or ci_high < 0),
        written_difference=mean,
        table=pd.DataFrame(rows),
        probe_replications=budget.probe_replications,
        runs=len(comparison.runs) + search.runs,
        limit=budget.limit,
        written_winner=search.winner(Probe(None, search.written_differences())),
    )


@dataclass
class _Side:
    """Part of a range between two probes whose winners differ, narrowed by bisection."""

    span: Span
    lo: Any
    hi: Any
    winner_lo: str
    winner_hi: str
    swing: float
    written_side: str | None  # "lo" or "hi": which bracket end is the written value

    @property
    def splittable(self) -> bool:
        if not self.span.numeric:
            return False
        return self.hi - self.lo > 1 if self.span.integer else True

    @property
    def midpoint(self) -> Any:
        return self.span.at((self.lo + self.hi) / 2)

    def narrow(self, probe: Probe, winner: str) -> None:
        if winner == self.winner_lo:
            self.lo = probe.value
        else:
            self.hi = probe.value

    @property
    def switch(self) -> Any:
        """The switch's estimate: the other word; the first whole number past it; or the
        bracket's midpoint."""
        if not self.span.numeric:
            return self.hi
        if self.span.integer:
            return self.hi if self.hi - self.lo <= 1 else self.midpoint
        return float(f"{(self.lo + self.hi) / 2:.4g}")


class _Search:
    """Runs probes of the top two on the same seeds and reads their paired differences."""

    def __init__(self, comparison, first, second, replications, executor, on_run) -> None:
        self.comparison = comparison
        self.first, self.second = first, second
        runs = comparison.runs
        seeds = runs[runs["plan"] == first].sort_values("replication")["seed"].tolist()
        self.seeds = seeds[:replications]
        self.executor = executor
        self.on_run = on_run
        self.runs = 0
        self.higher_better = OUTCOMES[comparison.rank_by].higher_is_better is not False

    def run(self, probes: list[tuple[Span, Any]]) -> list[Probe]:
        """Each (field, value) probe: both plans on every seed, in one batch of runs."""
        specs = {
            (number, replication, plan): RunSpec(
                plan, number, replication, seed, ((span.field, value),)
            )
            for number, (span, value) in enumerate(probes)
            for replication, seed in enumerate(self.seeds)
            for plan in (self.first, self.second)
        }
        records, failures, _ = run_design(
            self.comparison.scenario, list(specs.values()), None, self.executor, self.on_run
        )
        if failures:
            spec, error = failures[0].spec, failures[0].error
            field, value = spec.values[0]
            raise InputError(
                f"--switches: a probe run failed ({field} = {value}, plan {spec.plan}, "
                f"seed {spec.seed}): {error}"
            )
        self.runs += len(specs)
        metric = self.comparison.rank_by

        def value_of(number: int, replication: int, plan: str) -> float:
            return float(records[specs[(number, replication, plan)]].metrics[metric])

        return [
            Probe(
                value,
                np.array(
                    [
                        value_of(number, k, self.first) - value_of(number, k, self.second)
                        for k in range(len(self.seeds))
                    ]
                ),
            )
            for number, (_, value) in enumerate(probes)
        ]

    def written_differences(self, all_runs: bool = False) -> np.ndarray:
        """First minus second at the written values: on the probes' seeds, or on all the
        comparison's replications."""
        runs = self.comparison.runs
        table = runs.pivot_table(
            index="replication", columns="plan", values=self.comparison.rank_by, aggfunc="first"
        ).sort_index()
        differences = (table[self.first] - table[self.second]).to_numpy(float)
        return differences if all_runs else differences[: len(self.seeds)]

    def winner(self, probe: Probe) -> str:
        """The better of the two at a probe, by the mean paired difference."""
        mean = float(np.mean(probe.differences))
        return self.first if (mean > 0) == self.higher_better else self.second

    def clearly_ahead(self, probe: Probe, plan: str) -> bool:
        """Whether `plan` leads at the probe with a paired interval excluding zero."""
        _, low, high = probe.interval()
        first_ahead = low > 0 if self.higher_better else high < 0
        second_ahead = high < 0 if self.higher_better else low > 0
        return first_ahead if plan == self.first else second_ahead

    def lead(self, probe: Probe) -> float:
        """The first plan's advantage at a probe, in the outcome's better direction."""
        mean = float(np.mean(probe.differences))
        return mean if self.higher_better else -mean

    def sides(self, span: Span, low: Probe, high: Probe) -> list[_Side]:
        """The parts of a range between neighbouring probes whose winners differ: the
        ends against the written value when it lies inside the range, else end against
        end."""
        inside = span.numeric and span.written is not None and span.low < span.written < span.high
        probes = [low, high]
        if inside:
            probes.insert(1, Probe(span.written, self.written_differences()))
        found = []
        for left, right in itertools.pairwise(probes):
            winner_left, winner_right = self.winner(left), self.winner(right)
            if winner_left == winner_right:
                continue
            if inside:
                written = "hi" if right is probes[1] else "lo"
            elif span.written == left.value:
                written = "lo"
            elif span.written == right.value:
                written = "hi"
            else:
                written = None
            found.append(
                _Side(
                    span,
                    left.value,
                    right.value,
                    winner_left,
                    winner_right,
                    abs(self.lead(right) - self.lead(left)),
                    written,
                )
            )
        return found

    def row(
        self, span: Span, low: Probe, high: Probe, side: _Side | None, bisected: list[_Side]
    ) -> dict[str, Any]:
        """One row of switches.csv: the field, its range, the switch (or none) with the
        winners either side, and the paired difference at both ends with its interval."""
        outcome = OUTCOMES[self.comparison.rank_by]
        low_mean, low_ci_low, low_ci_high = low.interval()
        high_mean, high_ci_low, high_ci_high = high.interval()
        row: dict[str, Any] = {
            "field": span.field,
            "origin": span.origin,
            "range_low": span.low,
            "range_high": span.high,
            "written": span.written,
        }
        if side is None:
            winner = self.winner(low)
            row.update(
                clear=False,
                switch="none",
                bracket_low=None,
                bracket_high=None,
                bisected=False,
                winner_below=winner,
                winner_above=winner,
                winner_written=winner,
                condition="no change in range",
            )
        else:
            beyond = {"hi": [(low, side.winner_lo)], "lo": [(high, side.winner_hi)]}.get(
                side.written_side, [(low, side.winner_lo), (high, side.winner_hi)]
            )
            row.update(
                clear=all(self.clearly_ahead(probe, winner) for probe, winner in beyond),
                switch=side.switch,
                bracket_low=side.lo,
                bracket_high=side.hi,
                bisected=side in bisected,
                winner_below=side.winner_lo,
                winner_above=side.winner_hi,
                winner_written=side.winner_hi if side.written_side == "hi" else side.winner_lo,
                condition=_condition(span, side, side in bisected),
            )
        row.update(
            metric=f"{self.comparison.rank_by}: {self.first} minus {self.second}",
            unit=outcome.unit,
            difference_low=low_mean,
            difference_low_ci_low=low_ci_low,
            difference_low_ci_high=low_ci_high,
            difference_high=high_mean,
            difference_high_ci_low=high_ci_low,
            difference_high_ci_high=high_ci_high,
            pairs=len(self.seeds),
        )
        return row


def _condition(span: Span, side: _Side, bisected: bool) -> str:
    """Where the other plan wins, e.g. 'tool.production_accuracy < 0.79'; a side left
    unbisected names its bracket, not a point."""
    if not span.numeric:
        other = side.lo if side.written_side == "hi" else side.hi
        return f"{span.field} is {other}"
    value = (
        f"{side.switch:g}"
        if bisected
        else f"a value between {side.lo:g} and {side.hi:g} (not bisected: budget)"
    )
    if side.written_side == "hi":
        return f"{span.field} < {value}"
    if side.written_side == "lo":
        return f"{span.field} > {value}"
    return f"{span.field} crosses {value} ({side.winner_lo} below, {side.winner_hi} above)"
