"""Closed forms of the textbook models the engine reduces to, each written once.

Pure functions, used by the validation tests, `experiments/validate.py` and the
classic-models notebook to check the simulated curves and final sizes:

- Bass (1969), "A new product growth for model consumer durables", Management
  Science 15(5): the cumulative adopted share, its peak time and the time to a share;
- Kermack & McKendrick (1927): the final size of an SIR epidemic in a well-mixed
  population;
- Newman (2002), "Spread of epidemic disease on networks", Phys. Rev. E 66; Kiss,
  Miller & Simon (2017), *Mathematics of Epidemics on Networks*, ch. 6: SIR on a
  Poisson (Erdős–Rényi) graph as bond percolation with the transmissibility;
- Watts (2002), "A simple model of global cascades on random networks", PNAS 99: the
  window of mean degrees in which one seed can set off a global cascade.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq


def bass_adopted_share(t, p: float, q: float):
    """F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p) e^{−(p+q)t}): the share adopted by time `t`.

    `p` is the coefficient of innovation, `q` of imitation, per unit of `t` (Bass 1969).
    Works on scalars and arrays.
    """
    decay = np.exp(-(p + q) * t)
    return (1 - decay) / (1 + (q / p) * decay)


def bass_time_to_share(share, p: float, q: float):
    """The time at which the Bass adopted share reaches `share` (the inverse of F)."""
    return -np.log((1 - share) / (1 + (q / p) * share)) / (p + q)


def bass_peak_time(p: float, q: float) -> float:
    """t* = ln(q/p) / (p+q): when adoptions per unit of time peak (for q > p)."""
    return math.log(q / p) / (p + q)


def bass_peak_share(p: float, q: float) -> float:
    """F(t*) = (q − p) / 2q: the share adopted when adoptions peak (the inflection)."""
    return (q - p) / (2 * q)


def sir_transmissibility(tau: float, gamma: float) -> float:
    """T = τ / (τ + γ): the chance an infected node infects a given neighbour before it
    recovers, with per-tie rate τ and recovery rate γ (exponential times; Newman 2002)."""
    return tau / (tau + gamma)


def percolation_final_size(mean_degree: float, transmissibility: float) -> float:
    """The share S ever infected in a large SIR outbreak on a Poisson graph: the giant
    component of bond percolation, the root of S = 1 − exp(−k T S) in (0, 1], or 0
    where k T ≤ 1 (no large outbreak; Newman 2002, Kiss, Miller & Simon 2017)."""
    r0 = mean_degree * transmissibility
    if r0 <= 1:
        return 0.0
    return float(brentq(lambda s: s - 1 + math.exp(-r0 * s), 1e-12, 1.0, xtol=1e-15))


def kermack_mckendrick_final_size(r0: float) -> float:
    """The share r ever infected in a well-mixed SIR epidemic: r = 1 − exp(−R0 r)
    (Kermack & McKendrick 1927); the complete graph's limit of the percolation size."""
    return percolation_final_size(r0, 1.0)


def sis_endemic_share(r0: float) -> float:
    """The mean-field endemic share infected in an SIS model, 1 − 1/R0 (0 if R0 ≤ 1)."""
    return max(0.0, 1 - 1 / r0)


def watts_cascade_window(phi: float) -> tuple[float, float]:
    """Mean degrees (low, high) of a Poisson graph between which one seed can set off a
    global cascade of a threshold-`phi` rule: the roots in z of
    Σ_k k(k−1) P_k [k ≤ 1/phi] = z, P_k Poisson(z) (Watts 2002, eq. 5), found on a grid
    of 2,000 points over 0.5 ≤ z ≤ 12."""
    vulnerable = math.floor(1 / phi)

    def excess(z: float) -> float:
        return (
            sum(
                k * (k - 1) * math.exp(-z) * z**k / math.factorial(k)
                for k in range(2, vulnerable + 1)
            )
            - z
        )

    grid = np.linspace(0.5, 12, 2000)
    values = np.array([excess(z) for z in grid])
    crossings = grid[1:][np.diff(np.sign(values)) != 0]
    return float(crossings[0]), float(crossings[-1])
