"""What `import adoption` loads: every command, worker and notebook pays for it.

`scipy.stats` took about 0.45 s of the 1.8-1.95 s `import adoption` took (5 December
2026, docs/performance.md), for a few functions that need it (quantiles, t intervals, the
calibration's densities, the search's Halton points): they import it when called.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_importing_the_package_leaves_scipy_stats_for_when_it_is_used():
    check = (
        "import sys, adoption; "
        "print(sorted(name for name in sys.modules if name.startswith('scipy.stats')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
