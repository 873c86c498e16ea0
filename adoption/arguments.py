"""Checks of the public functions' arguments: a wrong type or value passed from Python
is an `InputError` naming the argument, the error the command line gives for it."""

from __future__ import annotations

import numbers
from pathlib import Path
from typing import Any

from adoption.errors import InputError


def whole_number(value: Any, name: str, minimum: int = 0) -> int:
    """`value` as an int if it is a whole number >= `minimum`; else an InputError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"{name}: expected a whole number, got {value!r}")
    if value < minimum:
        raise InputError(f"{name}: expected a number >= {minimum}, got {value}")
    return int(value)


def optional_seed(value: Any, name: str = "seed") -> int | None:
    """A seed (a whole number >= 0) or None."""
    return None if value is None else whole_number(value, name)


def file_path(value: Any, name: str) -> Path:
    """`value` as a Path if it is a str or a path; else an InputError."""
    if not isinstance(value, str | Path):
        raise InputError(f"{name}: expected a file path, got {type(value).__name__}")
    return Path(value)


def instance(value: Any, kind: type, name: str, hint: str) -> Any:
    """`value` if it is a `kind`; else an InputError saying what `hint` describes."""
    if not isinstance(value, kind):
        raise InputError(f"{name}: expected {hint}, got {type(value).__name__}")
    return value


def name_list(value: Any, name: str) -> list[str] | None:
    """None, a list of names, or a comma-separated string of them, as a list."""
    if value is None:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{name}: expected a list of names, got {value!r}")
    return list(value)
