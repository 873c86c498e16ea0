"""Reading dirty CSV exports: encoding, byte-order marks, headers, blank rows, spaces."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from adoption.errors import InputError


@dataclass
class CsvTable:
    """A CSV file's rows as dicts keyed by normalised column name, with their line numbers."""

    path: Path
    columns: list[str]
    rows: list[dict[str, str]]
    lines: list[int]
    notes: list[str] = field(default_factory=list)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Characters a value may not hold (tab and line breaks in quoted values may)."""


def normalise_header(name: str) -> str:
    """'Employee ID ' -> 'employee_id': case, spaces and hyphens do not matter."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_csv(path: Path, required: list[str], optional: list[str], what: str) -> CsvTable:
    """Read a CSV export, accepting what a careful human would and saying so in `notes`.

    Accepted: a UTF-8 byte-order mark, any case and spacing in headers, spaces around
    values, blank lines. Refused with the line named: non-UTF-8 bytes, an empty file,
    missing or repeated columns, rows with the wrong number of values, a value with a
    control character (a NUL byte, an escape: never part of an id or a name).
    """
    if not path.is_file():
        raise InputError(f"{what} '{path}' not found")
    data = path.read_bytes()
    notes = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append("accepted a UTF-8 byte-order mark at the start of the file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line} is not UTF-8 (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    records, blank = [], 0
    start = 1  # the physical line a record starts on (a quoted value may span lines)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                records.append((start, row, reader.line_num))
            elif records:
                blank += 1
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f'{path}: line {start}: {_csv_problem(exc)}; is a quote (") left open there?'
        ) from None
    if not records:
        raise InputError(f"{path}: the {what} is empty")
    header_line, header, _ = records[0]
    width = len(header)
    while len(header) > 1 and not header[-1].strip():
        header = header[:-1]  # empty columns a spreadsheet appended
    columns = [normalise_header(name) or "(blank)" for name in header]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise InputError(f"{path}: line {header_line}: column(s) repeated: {', '.join(repeated)}")
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(columns) or 'none'}; needed: {', '.join(required)})"
            + _delimiter_hint(header)
        )
    ignored = [c for c in columns if c not in required and c not in optional]
    if ignored:
        notes.append(f"ignored column(s) {', '.join(ignored)}")
    if not records[1:]:
        raise InputError(f"{path}: the {what} has a header but no rows")
    rows, lines, trimmed = [], [], 0
    for number, row, end in records[1:]:
        if (
            len(row) > len(columns)
            and len(row) <= width
            and not any(c.strip() for c in row[len(columns) :])
        ):
            row = row[: len(columns)]
        if len(row) != len(columns):
            spans = (
                f" (a quoted value runs from line {number} to line {end}: is a quote left open?)"
                if end > number
                else ""
            )
            raise InputError(
                f"{path}: line {number}: expected {len(columns)} values, found {len(row)}{spans}"
            )
        stripped = [cell.strip() for cell in row]
        for column, cell in zip(columns, stripped, strict=True):
            control = CONTROL.search(cell)
            if control:
                raise InputError(
                    f"{path}: line {number}: {column} {cell!r} contains a control character "
                    f"({control.group()!r}); ids and names are printable text"
                )
        trimmed += sum(a != b for a, b in zip(row, stripped, strict=True))
        rows.append(dict(zip(columns, stripped, strict=True)))
        lines.append(number)
    if trimmed:
        notes.append(f"trimmed spaces around {trimmed} value(s)")
    if blank:
        notes.append(f"skipped {blank} blank line(s)")
    return CsvTable(path=path, columns=columns, rows=rows, lines=lines, notes=notes)


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return "a value is longer than 128 KB"
    return text


def _delimiter_hint(header: list[str]) -> str:
    """'; the file looks semicolon-separated ...' when one header cell hides a delimiter."""
    joined = ",".join(header)
    for delimiter, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
        if len(header) == 1 and joined.count(delimiter) >= 1:
            return f"; the file looks {name}-separated: save it comma-separated (CSV)"
    return ""


def positive_weight(text: str, where: str) -> float:
    """A tie's weight: a finite number > 0 (InputError naming `where` otherwise)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= 1e30):
        raise InputError(f"{where}: weight '{text}' is not a positive finite number")
    return value
