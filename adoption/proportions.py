"""The confidence interval of a proportion, for every layer that estimates one.

A gate estimating accuracy from the uses it checked and a comparison estimating the
risk of missing a target both need it; it lives this low so that both can use it.
"""

from __future__ import annotations

import math
from statistics import NormalDist


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion (sound at 0 and 1 and for small n, unlike
    the normal one; Wilson 1927). (nan, nan) when n is 0."""
    if n == 0:
        return (math.nan, math.nan)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # at 0 and n the bound is exactly 0 or 1; rounding would leave a crumb
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)
