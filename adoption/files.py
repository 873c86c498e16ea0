"""Writing a file so that it is either complete or absent: the one atomic writer.

The lowest layer: it imports nothing from `adoption`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def partial_path(path: Path) -> Path:
    """The hidden sibling a write goes through: `.NAME.partial` beside `NAME`."""
    return path.with_name(f".{path.name}.partial")


def write_atomically(path: str | Path, content: bytes | Callable[[Path], object]) -> Path:
    """Write `content` to `path` so that `path` is whole (old or new) or missing.

    `content` is the bytes to write, or a writer called with the temporary path (such
    as ``lambda p: frame.to_csv(p)``). The data go to a hidden sibling, `.NAME.partial`,
    are flushed and fsynced, and the sibling is renamed over `path` (atomic on POSIX and
    Windows). On any failure, KeyboardInterrupt included, the sibling is removed and
    `path` is left as it was. Returns `path`.
    """
    path = Path(path)
    partial = partial_path(path)
    try:
        if callable(content):
            content(partial)
            with open(partial, "r+b") as handle:
                os.fsync(handle.fileno())
        else:
            with open(partial, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
