"""What a pilot recorded: a long table, one row per period and group, read and checked.

Columns (see docs/calibration.md):

- time, exactly one of `day` (0-based day since the pilot began, the last day of the
  row's period), `week` (1-based: days 7w-7 .. 7w-1) or `date` (ISO, the period's last
  day; day 0 is `start`, by default the earliest date less one period);
- group, at most one of `team`, `department`, `region` (a name in the organisation) or
  `employee_id` (per person; summed over the organisation); none: the whole organisation;
- measures, any of: `with_access`, `active`, `first_time`, `stopped` (people), `uses`,
  `tickets` (counts in the period), `accuracy` (share right of the checked samples),
  `latency_ms` (mean). An empty cell is "not recorded".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from adoption.errors import InputError
from adoption.organisation import Organisation

TIME_COLUMNS = ("day", "week", "date")
GROUP_COLUMNS = ("team", "department", "region", "employee_id")
PEOPLE = ("with_access", "active", "first_time", "stopped")
"""Measures of people, simulated per group."""
ORGANISATION_WIDE = ("uses", "tickets", "accuracy", "latency_ms")
"""Measures the engine records for the organisation only: compared summed over groups."""
MEASURES = (*PEOPLE, *ORGANISATION_WIDE)
STOCKS = ("with_access", "active")
"""Measured at the end of the period (the rest are totals over it, or means)."""
MEANS = ("accuracy", "latency_ms")
ASTRONOMIC = 10**9
"""A day or week number past this is refused as read (it would overflow as days)."""


@dataclass(frozen=True)
class Telemetry:
    """Checked telemetry: `frame` has columns group, day, period_days and the measures
    present (NaN where not recorded); `kind` is the group column or 'organisation'."""

    frame: pd.DataFrame
    kind: str
    groups: list[str]
    period_days: int
    source: str

    @property
    def measures(self) -> list[str]:
        return [m for m in MEASURES if m in self.frame and self.frame[m].notna().any()]

    @property
    def days(self) -> int:
        """Days the pilot ran: the simulation's horizon."""
        return int(self.frame["day"].max()) + 1

    def aggregated(self) -> pd.DataFrame:
        """Per period (end day): measures summed over groups (means averaged)."""
        grouped = self.frame.groupby("day")[self.measures]
        totals = grouped.sum(min_count=1)
        for measure in MEANS:
            if measure in totals:
                totals[measure] = grouped[measure].mean()
        return totals.sort_index()


def _fail(source: str, row: int | None, message: str) -> None:
    where = f"{source}, row {row}" if row is not None else source
    raise InputError(f"{where}: {message}")


def read_telemetry(
    source: str | Path | pd.DataFrame,
    organisation: Organisation,
    start: str | None = None,
) -> Telemetry:
    """Read a CSV or Parquet telemetry table (or a DataFrame) and check it against the
    organisation; raise `InputError` naming the first bad row (rows count from 2 in a
    CSV, after its header)."""
    if isinstance(source, pd.DataFrame):
        frame, name, first_row = source.copy(), "telemetry", 1
    else:
        path = Path(source)
        name = str(path)
        if not path.is_file():
            raise InputError(f"--telemetry: no file '{path}'")
        try:
            if path.suffix.lower() in (".parquet", ".pq"):
                frame, first_row = pd.read_parquet(path), 1
            else:
                frame, first_row = pd.read_csv(path, dtype=str, keep_default_na=False), 2
        except (ValueError, OSError, pd.errors.ParserError) as exc:
            raise InputError(f"{name}: not a readable table ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        _fail(name, None, "has no rows")
    known = {*TIME_COLUMNS, *GROUP_COLUMNS, *MEASURES}
    unknown = [c for c in frame.columns if c not in known]
    if unknown:
        _fail(
            name,
            None,
            f"unknown column(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})",
        )
    times = [c for c in TIME_COLUMNS if c in frame]
    if len(times) != 1:
        _fail(name, None, "needs exactly one time column: day, week or date")
    groups = [c for c in GROUP_COLUMNS if c in frame]
    if len(groups) > 1:
        _fail(name, None, f"has several group columns ({', '.join(groups)}): use one")
    measures = [m for m in MEASURES if m in frame]
    if not measures:
        _fail(name, None, f"records no measure (any of {', '.join(MEASURES)})")
    rows = np.arange(len(frame)) + first_row
    day = _days(frame, times[0], start, name, rows)
    kind = groups[0] if groups else "organisation"
    group = _groups(frame, kind, organisation, name, rows)
    values = {m: _numbers(frame[m], m, name, rows) for m in measures}
    checked = pd.DataFrame({"group": group, "day": day, **values, "row": rows})
    period = _check_periods(checked, name)
    if kind == "employee_id":  # per person: the organisation's totals
        kind = "organisation"
        checked = _sum_people(checked, measures)
        group = checked["group"]
    checked["period_days"] = period
    names = list(dict.fromkeys(checked["group"]))
    return Telemetry(
        frame=checked.drop(columns="row").reset_index(drop=True),
        kind=kind,
        groups=names,
        period_days=period,
        source=name,
    )


def _days(frame, column, start, name, rows) -> np.ndarray:
    text = frame[column].astype(str).str.strip()
    if column == "date":
        dates = pd.to_datetime(text, format="ISO8601", errors="coerce")
        for row, value, date in zip(rows, text, dates, strict=True):
            if pd.isna(date):
                _fail(name, int(row), f"date {value!r} is not an ISO date (YYYY-MM-DD)")
        distinct = sorted(pd.DatetimeIndex(dates.unique()))
        step = (distinct[1] - distinct[0]).days if len(distinct) > 1 else 1
        # a row's date ends its period: by default the first period's last day is day
        # step-1, so day 0 is the first date less one period plus a day
        if start:
            try:
                origin = pd.Timestamp(start)
            except ValueError:
                raise InputError(f"--start {start!r} is not an ISO date (YYYY-MM-DD)") from None
        else:
            origin = distinct[0] - pd.Timedelta(days=step - 1)
        day = (dates - origin).dt.days.to_numpy()
        bad = np.flatnonzero(day < 0)
        if bad.size:
            _fail(name, int(rows[bad[0]]), f"date {text.iloc[bad[0]]} is before the pilot start")
        return day.astype(int)
    numbers = pd.to_numeric(text, errors="coerce")
    for row, value, number in zip(rows, text, numbers, strict=True):
        if pd.isna(number) or not np.isfinite(number) or number != int(number):
            _fail(name, int(row), f"{column} {value!r} is not a whole number")
        if abs(number) > ASTRONOMIC:
            _fail(name, int(row), f"{column} {value} is beyond any simulation")
    numbers = numbers.astype(int).to_numpy()
    if column == "week":
        bad = np.flatnonzero(numbers < 1)
        if bad.size:
            _fail(name, int(rows[bad[0]]), f"week {numbers[bad[0]]} is before week 1")
        return 7 * numbers - 1
    bad = np.flatnonzero(numbers < 0)
    if bad.size:
        _fail(name, int(rows[bad[0]]), f"day {numbers[bad[0]]} is negative")
    return numbers


def _groups(frame, kind, organisation, name, rows) -> np.ndarray:
    if kind == "organisation":
        return np.full(len(frame), "all", dtype=object)
    names = {
        "team": organisation.team_names,
        "department": organisation.department_names,
        "region": organisation.region_names,
        "employee_id": [str(e) for e in organisation.employee_id],
    }[kind]
    allowed = set(names)
    text = frame[kind].astype(str).str.strip().to_numpy()
    for row, value in zip(rows, text, strict=True):
        if value not in allowed:
            shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
            _fail(name, int(row), f"unknown {kind} {value!r} (the organisation has: {shown})")
    return text.astype(object)


def _numbers(column: pd.Series, measure: str, name, rows) -> np.ndarray:
    text = column.astype(str).str.strip()
    blank = text.isin(["", "nan", "NaN", "None", "<NA>"]) | column.isna()
    numbers = pd.to_numeric(text.where(~blank), errors="coerce")
    for row, value, number, empty in zip(rows, text, numbers, blank, strict=True):
        if empty:
            continue
        if pd.isna(number) or not np.isfinite(number):
            _fail(name, int(row), f"{measure} {value!r} is not a number")
        if number < 0:
            _fail(name, int(row), f"{measure} is negative ({value})")
        if measure == "accuracy" and number > 1:
            _fail(name, int(row), f"accuracy {value} is not a share between 0 and 1")
        if measure in PEOPLE and number != int(number):
            _fail(name, int(row), f"{measure} {value} is not a whole number of people")
    return numbers.to_numpy(dtype=float)


def _check_periods(checked: pd.DataFrame, name: str) -> int:
    if {"active", "with_access"} <= set(checked):
        over = checked["active"] > checked["with_access"]
        if over.any():
            row = checked[over].iloc[0]
            _fail(
                name,
                int(row["row"]),
                f"more active users ({row['active']:g}) than people with access "
                f"({row['with_access']:g})",
            )
    period = None
    for group, rows in checked.groupby("group", sort=False):
        days = rows["day"].to_numpy()
        steps = np.diff(days)
        if (steps <= 0).any():
            at = int(np.flatnonzero(steps <= 0)[0]) + 1
            what = "repeats" if steps[at - 1] == 0 else "comes before the row above it"
            _fail(name, int(rows["row"].iloc[at]), f"{group}: day {days[at]} {what}")
        step = int(steps.min()) if steps.size else int(days[0]) + 1
        if period is None:
            period = step
        if steps.size and (steps != period).any():
            at = int(np.flatnonzero(steps != period)[0]) + 1
            _fail(
                name,
                int(rows["row"].iloc[at]),
                f"{group}: a gap before day {days[at]} (periods are {period} days apart; "
                "leave a row with empty cells for a period nothing was recorded)",
            )
        if days[0] + 1 > period and days[0] + 1 != period and (days[0] + 1) % period:
            _fail(name, int(rows["row"].iloc[0]), f"{group}: day {days[0]} is off the periods")
    if period is None or period < 1:
        raise InputError(f"{name}: has no periods")
    return int(period)


def _sum_people(checked: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    grouped = checked.groupby("day")[measures]
    totals = grouped.sum(min_count=1)
    for measure in MEANS:
        if measure in totals:
            totals[measure] = grouped[measure].mean()
    totals = totals.reset_index()
    totals.insert(0, "group", "all")
    totals["row"] = 0
    return totals
