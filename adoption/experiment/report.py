"""A comparison's files: tables, figures, and a self-contained HTML report."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from adoption.config.lever import declared_fields
from adoption.experiment import tables
from adoption.experiment.comparison import Comparison
from adoption.experiment.explain import REMAINDER, TOTAL
from adoption.experiment.figures import adoption_curves_figure, outcomes_figure
from adoption.experiment.statistics import few_runs_warning, t_interval
from adoption.files import write_atomically
from adoption.outcomes import OUTCOMES
from adoption.wording import GLOSSARY, TERMS, money, percent, show

_CONTRIBUTIONS = {
    "value": "earns {amount} more from correct uses",
    "cost_errors": "loses {amount} less to wrong answers",
    "cost_licences": "pays {amount} less in licences",
    "cost_pipeline": "spends {amount} less on the data pipeline",
    "cost_fixes": "spends {amount} less on ML engineers",
    "cost_capacity": "spends {amount} less on capacity",
    "cost_support": "spends {amount} less on support",
    "cost_training": "spends {amount} less on training",
    "cost_uses": "spends {amount} less on inference",
    "cost_programme": "spends {amount} less running the programme",
    "cost_retraining": "spends {amount} less on retraining",
    "cost_launch": "spends {amount} less on the launch",
    "cost_evaluation": "spends {amount} less on offline evaluation",
}
"""How a difference in value or in one cost reads, when it favours the winner."""


def why(comparison: Comparison, best: str, other: str, currency: str) -> str:
    """In plain words, the two money differences that most favour `best` over `other`
    (in `currency`), and what its gates decided."""
    runs = comparison.runs
    mean = runs.groupby("plan")[[c for c in _CONTRIBUTIONS if c in runs]].mean()
    favour = {
        name: (1 if name == "value" else -1) * (mean.loc[best, name] - mean.loc[other, name])
        for name in mean.columns
    }
    reasons = [
        _CONTRIBUTIONS[name].format(amount=money(amount, currency))
        for name, amount in sorted(favour.items(), key=lambda item: -item[1])[:2]
        if amount > 0
    ]
    text = ""
    if reasons:
        text += f"Per run, {html.escape(best)} {' and '.join(reasons)} than {html.escape(other)}. "
    mine = runs[runs["plan"] == best]
    stopped = mine["decision"] == "stop"
    if stopped.any():
        measured, truth = (
            mine.loc[stopped, "gate_accuracy"],
            mine.loc[stopped, "gate_true_accuracy"],
        )
        text += (
            f"Its gate stopped the rollout in {stopped.mean():.0%} of runs, on day "
            f"{mine.loc[stopped, 'decision_day'].mean():.0f} on average, before the many were "
            f"exposed: the organisation's accuracy it estimated ({measured.mean():.1%}) was not "
            "shown above what a user's uses need to pay for their seat (the business minimum "
            f"is {comparison.scenario.business_minimum:.1%}); the truth for everyone was "
            f"{truth.mean():.1%}. "
        )
    proceeded = mine["decision"] == "proceed"
    if proceeded.any() and not stopped.any():
        own = (
            mine.loc[proceeded, "gate_pilot_accuracy"] - mine.loc[proceeded, "gate_true_accuracy"]
        ).mean()
        gap = (
            mine.loc[proceeded, "gate_accuracy"] - mine.loc[proceeded, "gate_true_accuracy"]
        ).mean()
        text += (
            f"Its gate proceeded; the pilot's own checked accuracy was {own * 100:+.1f} points "
            "off the truth for everyone (a pilot sees only its own people's data, and the users "
            "who stay are those the tool serves best), and the gate's estimate for the "
            f"organisation, weighted by headcount, {gap * 100:+.1f}. "
        )
    return text + gate_price(mine, currency)


def gate_price(runs, currency: str) -> str:
    """What a plan's gate paused on and what its pauses and decisions cost (in
    `currency`), from the paired counterfactual runs (empty for a plan without gates)."""
    if "gate_regret" not in runs or runs["gate_regret"].isna().all():
        return ""
    paused = runs["gate_pauses"] > 0
    text = ""
    if paused.any():
        reasons = runs.loc[paused, "gate_pause_reasons"].value_counts().index[0]
        cost = runs.loc[paused, "gate_pause_cost"].dropna()
        pauses = runs.loc[paused, "gate_pauses"].mean()
        text += (
            f"It paused in {paused.mean():.0%} of runs ({pauses:.1f} pauses on average, "
            f"most often on {html.escape(reasons)})"
            + (
                f"; the pauses cost {money(cost.mean(), currency)} per paused run against taking "
                "the same decision at once"
                if not cost.empty
                else ""
            )
            + ". "
        )
    text += (
        f"Its regret against the better of stopping and proceeding at its first gate "
        f"(paired runs) is {money(runs['gate_regret'].mean(), currency)} per run. "
    )
    return text


def _amount(value: float, currency: str) -> str:
    return f"{value:+,.0f} {html.escape(currency)}".replace("-", "−")


def _with_interval(row, currency: str) -> str:
    """A part's mean difference and its 95% interval, each with the currency."""
    return (
        f"{_amount(row['difference'], currency)} (95% interval "
        f"{_amount(row['ci_low'], currency)} to {_amount(row['ci_high'], currency)})"
    )


def parts_paragraph(comparison: Comparison) -> str:
    """In plain words, each plan's NPV difference against the baseline split into its
    parts (compare --explain), or how to get them."""
    why = comparison.why
    if why is None:
        return (
            "<p>Run <code>adoption compare --explain</code> to split each plan's NPV "
            f"difference against {html.escape(comparison.baseline)} into its parts "
            "(exposure while the tool is worst, learning from use, capacity sized from "
            "measured load, the gate's decisions), by paired counterfactual runs.</p>"
        )
    sentences = []
    for plan, rows in why.groupby("plan", sort=False):
        parts = rows.set_index("part")
        total = parts.loc[TOTAL]
        currency = total["currency"]
        pieces = "; ".join(
            f"{html.escape(part)} {_with_interval(row, currency)}"
            for part, row in parts.drop(index=TOTAL).iterrows()
        )
        named = parts.drop(index=[TOTAL, REMAINDER])["difference"]
        leaning = (
            f" Most in its favour: {html.escape(named.idxmax())}; most against it: "
            f"{html.escape(named.idxmin())}."
            if named.max() > 0 > named.min()
            else ""
        )
        sentences.append(
            f"<li><b>{html.escape(plan)}</b> differs from {html.escape(comparison.baseline)} "
            f"by {_with_interval(total, currency)} a run: {pieces}.{leaning}</li>"
        )
    return (
        "<p>Each part is what the difference loses when one reason is taken away from "
        "both plans, on the same seeds: the production pipeline ready at launch "
        "(exposure while the tool is worst), nothing for users' reports to reveal "
        "(learning from use), capacity sized before launch for the expected load "
        "(capacity sized from measured load), every gate proceeding at its first "
        "measurement (the gate's decisions). The rest — when value arrives, and what the "
        "parts share — makes the parts add up to the difference in every run "
        f"({comparison.why_runs} counterfactual runs; 95% intervals; why.csv). Each part "
        "is taken away alone: where the reasons interact (with nothing to learn, a gate "
        "stops runs it would let through), a part can be large and the rest offsets it, "
        "so read each with its interval and with the rest.</p>"
        f"<ul>{''.join(sentences)}</ul>"
    )


def verdict(comparison: Comparison, currency: str | None = None) -> str:
    """A plain-language paragraph: which plan comes first, by how much, and why (money
    in `currency`, else the scenario's; shares as percentages)."""
    currency = tables.currency_of(comparison, currency)
    ranking = comparison.ranking()
    best, runner_up = ranking.iloc[0], ranking.iloc[1] if len(ranking) > 1 else None
    metric = comparison.rank_by
    label = OUTCOMES[metric].label
    caveat = few_runs_warning(comparison.replications * max(1, len(comparison.samples)))
    text = (f"<b>{html.escape(caveat[0].upper() + caveat[1:])}.</b> " if caveat else "") + (
        f"Ranked by {label}, <b>{html.escape(best['plan'])}</b> comes first: its NPV is "
        f"{show('npv', best['npv'], currency)} (95% interval "
        f"{show('npv', best['npv_low'], currency)} to {show('npv', best['npv_high'], currency)}); "
        f"{show('adoption_rate', best['adoption_rate'])} of people are active at the horizon "
        f"and {show('abandonment_rate', best['abandonment_rate'])} of those who tried "
        "abandoned. "
    )
    if runner_up is not None:
        runs = comparison.runs.set_index(["sample", "replication"])
        difference = (
            runs[runs["plan"] == best["plan"]][metric]
            - runs[runs["plan"] == runner_up["plan"]][metric]
        ).dropna()
        mean, _, low, high, _ = t_interval(difference.to_numpy(float))
        clear = "a clear difference" if low > 0 or high < 0 else "not a clear difference"
        text += (
            f"Against the runner-up, {html.escape(runner_up['plan'])}, paired on the same "
            f"random streams, the difference in {label} is {show(metric, mean, currency)} "
            f"(95% interval {show(metric, low, currency)} to {show(metric, high, currency)}): "
            f"{clear}. "
        )
        text += why(comparison, best["plan"], runner_up["plan"], currency)
    ranks = comparison.ranks()
    others = [
        f"{html.escape(column)} puts {html.escape(ranks.index[ranks[column] == 1][0])} first"
        for column in ranks.columns
        if column != label
        and (ranks[column] == 1).any()
        and ranks.index[ranks[column] == 1][0] != best["plan"]
    ]
    if others:
        text += "Other rankings disagree: " + "; ".join(others) + ". "
    return text


def _table(frame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in frame.columns:
            shown = row[column]
            if isinstance(shown, float):
                shown = f"{shown:,.0f}" if abs(shown) >= 1000 else f"{shown:.3f}"
            cells.append(f"<td>{html.escape(str(shown))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def sampled_worlds(comparison: Comparison) -> bool:
    """Whether the comparison ran over sampled uncertainties (more than one world)."""
    return len(comparison.samples) > 1 and comparison.samples.shape[1] > 0


def _share(comparison: Comparison, key: str, value: float) -> str:
    """A share as written, or the range it was sampled over, as percentages."""
    if sampled_worlds(comparison) and key in comparison.samples.columns:
        column = comparison.samples[key].astype(float)
        return f"{percent(column.min())}–{percent(column.max())} (sampled)"
    return percent(value)


def sampled_range(comparison: Comparison, path: str, currency: str) -> str:
    """An uncertain field and the range its samples span, in its lever's words and unit
    ("accuracy on production data at launch 62% to 78%"); a field sampled over words
    (a choice) by its label alone."""
    meta = {field.path: field.meta for field in declared_fields()}.get(path)
    label = meta["label"] if meta else path
    column = comparison.samples.get(path)
    if column is None or column.dtype.kind not in "fiu":
        return label
    low, high = float(column.min()), float(column.max())
    unit = meta["unit"] if meta else ""
    if unit.startswith("share"):
        return f"{label} {percent(low)} to {percent(high)}"
    if unit.startswith("money"):
        per = unit.removeprefix("money")  # " per engineer-day"
        low_words, high_words = (
            money(value, currency) if abs(value) >= 1e4 else f"{value:.3g} {currency}"
            for value in (low, high)
        )
        return f"{label} {low_words}{per} to {high_words}{per}"
    return f"{label} {low:.3g} to {high:.3g}" + (f" {unit}" if unit else "")


def worlds_won(comparison: Comparison) -> str:
    """The per-world split: in how many sampled worlds each plan comes first (mean over
    the world's replications), and a pointer to `adoption explore`; empty without
    sampled uncertainties."""
    if not sampled_worlds(comparison):
        return ""
    metric = comparison.rank_by
    means = comparison.runs.pivot_table(
        index="sample", columns="plan", values=metric, aggfunc="mean"
    ).reindex(columns=comparison.plans)
    direction = OUTCOMES[metric].higher_is_better
    best = (means if direction is not False else -means).idxmax(axis=1)
    counts = best.value_counts().reindex(comparison.plans, fill_value=0)
    cells = ", ".join(
        f"{html.escape(plan)} {count} of {len(means)}" for plan, count in counts.items()
    )
    return (
        "<h2>Where each plan wins</h2><p>The intervals above pool every sampled world. "
        f"World by world (mean {html.escape(OUTCOMES[metric].label)} over its replications), "
        f"the plans come first in: {cells}. Pooling hides where each plan wins: "
        "<code>adoption explore</code> says which assumptions decide the choice, where "
        "each plan wins, and what a pilot should measure (docs/explore.md).</p>"
    )


def licence_lines(comparison: Comparison, currency: str) -> str:
    """The seats each plan paid for and what a day of real use cost in licences, under the
    scenario's licence terms."""
    terms = comparison.scenario.economics.licences
    given = "when they first try it" if terms.assign == "first_use" else "with their access"
    reclaim = (
        "never taken back"
        if terms.reclaim_idle_days is None
        else f"taken back after {terms.reclaim_idle_days:g} days without use"
    )
    bought = (
        f"bought for {terms.commitment_days:g}-day terms"
        if terms.commitment_days > 0
        else "paid only while held"
    )
    return (
        f"<h2>Licences (mean per run)</h2><p>People get a seat {given} (usable "
        f"{terms.provision_days:g} days after asking); seats are {reclaim} and {bought}, at "
        f"{terms.price_per_seat_day:g} {html.escape(currency)} a seat-day.</p>"
        f"{tables.licences(comparison, currency).html()}"
    )


PAGE_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th { background: #f0f0f0; } td:first-child { text-align: left; }
img { max-width: 100%; } .warn { color: #a00; }
"""


def page_head(title: str) -> str:
    """The opening of a self-contained report page: title and the shared style."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PAGE_STYLE}</style></head><body>\n"
    )


GLOSSED = ("npv", "adoption", "abandonment", "interval", "target", "paired", "ranks", "money")
GLOSSED += ("decisions", "causes")
"""The glossary entries a comparison's report explains, in the order it lists them."""


def glossary_html(entries: tuple[str, ...] = GLOSSED) -> str:
    """The report's glossary section: each term and what it means."""
    terms = "".join(
        f"<dt>{html.escape(TERMS[entry])}</dt><dd>{html.escape(GLOSSARY[entry])}</dd>"
        for entry in entries
    )
    return f'<h2 id="glossary">What the words mean</h2><dl>{terms}</dl>'


def report_html(
    comparison: Comparison,
    figures: dict[str, bytes],
    preface: str | None = None,
    currency: str | None = None,
) -> str:
    """A self-contained page (figures embedded) for a workshop audience: plain-words
    headings explained on hover and in a glossary, shares as percentages, money in
    `currency` (else the scenario's `economics.currency`). `preface`, HTML escaped by its
    maker, replaces the scenario's description text (the workshop puts there the
    scenario its numbers are for, what changed, and A against B)."""
    currency = tables.currency_of(comparison, currency)
    scenario = comparison.scenario
    tool = scenario.tool
    plans = "".join(
        f"<li><b>{html.escape(name)}</b>: {html.escape(scenario.plans[name].description)}</li>"
        for name in comparison.plans
    )
    uncertain = (
        "<p>Uncertain (sampled by Latin hypercube): "
        + ", ".join(
            html.escape(sampled_range(comparison, k, currency)) for k in scenario.uncertainties
        )
        + ".</p>"
        if sampled_worlds(comparison)
        else "<p>No uncertainties sampled: the scenario's values as written"
        + (
            " (it declares uncertainties: sample them with --samples N, or explore them "
            "with <code>adoption explore</code>)"
            if scenario.uncertainties
            else ""
        )
        + ".</p>"
    )
    images = "".join(
        f'<figure><img alt="{name}" src="data:image/png;base64,'
        f'{base64.b64encode(data).decode()}"/></figure>'
        for name, data in figures.items()
    )
    failures = (
        f"<p class='warn'>{len(comparison.failures)} run(s) failed and are left out; "
        "see failures.csv.</p>"
        if comparison.failures
        else ""
    )
    headcount = scenario.organisation.employees
    production = _share(comparison, "tool.production_accuracy", tool.production_accuracy)
    achievable = _share(
        comparison,
        "tool.achievable_accuracy",
        max(tool.achievable_accuracy, tool.production_accuracy),
    )
    streams = "every plan sees the same random streams" + (
        " (each sampled world has its own)" if len(comparison.samples) > 1 else ""
    )
    head = page_head(f"Rollout comparison: {scenario.name}")
    return f"""{head}<h1>Which rollout plan? {html.escape(scenario.name)}</h1>
{preface if preface is not None else f"<p>{html.escape(scenario.description)}</p>"}
<p>{headcount:,} people; the tool showed {tool.poc_accuracy:.0%} accuracy in its proof of
concept and reaches about {production} on production data at launch, and
at most about {achievable} once every
fixable failure pattern is fixed; a use pays from {scenario.business_minimum:.0%} accuracy
(the business minimum).
{comparison.replications} replications × {len(comparison.samples)} uncertainty sample(s)
per plan over {scenario.horizon_days} days; {streams}.
Money is in {html.escape(currency)}; hover over a heading, or see
<a href="#glossary">what the words mean</a>.</p>
{uncertain}
<h2>The plans</h2><ul>{plans}</ul>
<h2>What separates them</h2><p>{verdict(comparison, currency)}</p>
<h2>Why, part by part</h2>{parts_paragraph(comparison)}
<h2>Ranking by {html.escape(OUTCOMES[comparison.rank_by].label)}</h2>
{tables.ranking(comparison, currency).html()}
{worlds_won(comparison)}
<h2>Rankings side by side (1 = best)</h2>{tables.ranks(comparison, currency).html()}
<h2>Where the money goes (mean per run)</h2>
{tables.money_by_category(comparison, currency).html()}
{licence_lines(comparison, currency)}
{failures}
<h2>Figures</h2>{images}
<h2>Paired differences against {html.escape(comparison.baseline)}</h2>
<p>Each plan minus {html.escape(comparison.baseline)} on the same replication; an interval
that excludes 0 is a difference the noise cannot explain.</p>
{tables.paired(comparison, currency).html()}
<h2>Gate decisions (percentage of runs)</h2>{tables.decisions(comparison).html()}
<h2>Why people abandoned (percentage of abandonments, by cause)</h2>
{tables.causes(comparison).html()}
{glossary_html()}
</body></html>
"""


def _parquet_bytes(frame) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return sink.getvalue().to_pybytes()


def write_comparison(comparison: Comparison, directory: Path) -> list[Path]:
    """runs.parquet, summary.csv, paired.csv, risk.csv, timeseries.csv, figures, report.html
    (and why.csv for an explained comparison).

    Each file is written atomically; report.html comes last, so its presence means the
    set is complete.
    """
    figures = {
        "adoption_curves.png": adoption_curves_figure(comparison).png(),
        "outcomes.png": outcomes_figure(comparison).png(),
    }
    files = {
        "runs.parquet": _parquet_bytes(comparison.runs),
        "summary.csv": comparison.summary.to_csv(index=False).encode(),
        "paired.csv": comparison.paired.to_csv(index=False).encode(),
        "risk.csv": comparison.risk.to_csv(index=False).encode(),
        "timeseries.csv": comparison.timeseries.to_csv(index=False).encode(),
        **figures,
    }
    if comparison.failures:
        lines = ["plan,sample,replication,seed,error"] + [
            f'{f.spec.plan},{f.spec.sample},{f.spec.replication},{f.spec.seed},"'
            + f.error.replace('"', "'")
            + '"'
            for f in comparison.failures
        ]
        files["failures.csv"] = ("\n".join(lines) + "\n").encode()
    if comparison.why is not None:
        files["why.csv"] = comparison.why.to_csv(index=False).encode()
    files["report.html"] = report_html(comparison, figures).encode()
    written = []
    for name, data in files.items():
        write_atomically(directory / name, data)
        written.append(directory / name)
    return written
