"""Where numba keeps compiled code: somewhere writable, or `import adoption` fails.

numba caches next to the source (`adoption/engine/__pycache__`) or in the user's
cache folder (`~/.cache/numba`). A user without a writable HOME running a read-only
installation has neither, and numba then raises at import, even for `--help`. In
that case only, the cache goes to a per-user folder under the system's temp folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def _can_write(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def ensure_writable_cache() -> None:
    """Set NUMBA_CACHE_DIR to a temp folder when numba's own choices are not writable."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    in_tree = Path(__file__).resolve().parent / "engine" / "__pycache__"
    user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser())
    if _can_write(in_tree) or _can_write(user_cache / "numba"):
        return
    try:
        folder = Path(tempfile.gettempdir()) / f"adoption-numba-{os.getuid()}"
    except (FileNotFoundError, AttributeError):
        return  # nowhere writable at all: numba's own error is as good as any
    if not _can_write(folder):
        return
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    if "numba" in sys.modules:  # imported before us: tell its configuration too
        sys.modules["numba"].config.CACHE_DIR = str(folder)
