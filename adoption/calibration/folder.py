"""A calibration folder: its files bound to one calibration by a manifest, written whole.

`manifest.json` names every file with its SHA-256 and the calibration's id. The folder
is written as a whole: into a hidden sibling first, the manifest last, then renamed
into place (a previous calibration there is swapped out and removed). A folder whose
files do not match its manifest, one without a manifest, or a file copied in by hand
is not a calibration, and `read_folder` refuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from adoption.errors import InputError

MANIFEST = "manifest.json"
KIND = "adoption calibration"
FILES = (
    "posterior.parquet",
    "summary.csv",
    "predictive.csv",
    "diagnostics.json",
    "calibrated.yaml",
    "predictive.png",
)
"""Every file a calibration folder holds besides its manifest."""


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _manifest(folder: Path) -> dict | None:
    """The folder's manifest if it has one that reads as a calibration's, else None."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        return None
    return manifest


def check_target(out: Path) -> None:
    """Refuse, before any work, an `--out` a calibration may not replace: a file, or a
    folder holding anything but a previous calibration."""
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a folder")
    if any(out.iterdir()) and _manifest(out) is None:
        raise InputError(
            f"--out {out}: holds files that are not a calibration's; choose another folder "
            "(a calibration replaces the folder as a whole)"
        )


def write_folder(out: Path, write: Callable[[Path], None]) -> str:
    """Write a calibration to `out` as a whole: `write(folder)` fills a hidden sibling,
    the manifest binds its files, and the sibling replaces `out`. On any failure (a full
    disk, an interrupt) `out` is as it was and the sibling is removed. Returns the id."""
    check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    staging = out.parent / f".{out.name}.partial-{token}"
    retired = out.parent / f".{out.name}.old-{token}"
    staging.mkdir()
    try:
        write(staging)
        for name in FILES:  # on disk before the manifest vouches for them
            with open(staging / name, "rb") as handle:
                os.fsync(handle.fileno())
        identity = secrets.token_hex(16)
        manifest = {
            "kind": KIND,
            "calibration": identity,
            "written": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {name: digest(staging / name) for name in FILES},
        }
        with open(staging / MANIFEST, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        if out.exists():
            os.replace(out, retired)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out.exists():
            os.replace(retired, out)  # put the previous calibration back
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return identity


def read_folder(folder: Path, option: str = "--posterior") -> dict:
    """The manifest of a whole calibration folder; an InputError if any file is missing,
    changed or not listed, or if the folder has no calibration manifest."""
    if not folder.is_dir():
        raise InputError(f"{option} {folder}: not a folder (make one with adoption calibrate)")
    manifest = _manifest(folder)
    if manifest is None:
        raise InputError(
            f"{option} {folder}: not a calibration folder (no readable {MANIFEST}; make "
            "one with adoption calibrate)"
        )
    listed = manifest.get("files")
    if not isinstance(listed, dict) or set(listed) != set(FILES):
        raise InputError(f"{option} {folder}: {MANIFEST} does not list a calibration's files")
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise InputError(f"{option} {folder}: {name} is missing (calibrate again)")
        if digest(path) != listed[name]:
            raise InputError(
                f"{option} {folder}: {name} is not the file this calibration wrote "
                "(changed, truncated or copied in after it; calibrate again)"
            )
    return manifest
