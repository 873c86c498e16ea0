"""Reading dirty CSV exports: encoding, byte-order marks, headers, blank rows, spaces."""

from __future__ import annotations

import csv
import io
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


def normalise_header(name: str) -> str:
    """'Employee ID ' -> 'employee_id': case, spaces and hyphens do not matter."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_csv(path: Path, required: list[str], optional: list[str], what: str) -> CsvTable:
    """Read a CSV export, accepting what a careful human would and saying so in `notes`.

    Accepted: a UTF-8 byte-order mark, any case and spacing in headers, spaces around
    values, blank lines. Refused with the line named: non-UTF-8 bytes, an empty file,
    missing or repeated columns, rows with the wrong number of values.
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
    for row in reader:
        if any(cell.strip() for cell in row):
            records.append((reader.line_num, row))
        elif records:
            blank += 1
    if not records:
        raise InputError(f"{path}: the {what} is empty")
    header_line, header = records[0]
    columns = [normalise_header(name) for name in header]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise InputError(f"{path}: line {header_line}: column(s) repeated: {', '.join(repeated)}")
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(columns) or 'none'}; needed: {', '.join(required)})"
        )
    ignored = [c for c in columns if c not in required and c not in optional]
    if ignored:
        notes.append(f"ignored column(s) {', '.join(ignored)}")
    if not records[1:]:
        raise InputError(f"{path}: the {what} has a header but no rows")
    rows, lines, trimmed = [], [], 0
    for number, row in records[1:]:
        if len(row) != len(columns):
            raise InputError(
                f"{path}: line {number}: expected {len(columns)} values, found {len(row)}"
            )
        stripped = [cell.strip() for cell in row]
        trimmed += sum(a != b for a, b in zip(row, stripped, strict=True))
        rows.append(dict(zip(columns, stripped, strict=True)))
        lines.append(number)
    if trimmed:
        notes.append(f"trimmed spaces around {trimmed} value(s)")
    if blank:
        notes.append(f"skipped {blank} blank line(s)")
    return CsvTable(path=path, columns=columns, rows=rows, lines=lines, notes=notes)
