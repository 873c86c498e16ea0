"""The closed forms themselves: consistent with their definitions and known values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from adoption import theory

P, Q = 0.03, 0.38


def test_bass_share_starts_at_zero_and_tends_to_one():
    assert theory.bass_adopted_share(0.0, P, Q) == 0.0
    assert theory.bass_adopted_share(200.0, P, Q) == pytest.approx(1.0)
    years = np.linspace(0, 30, 301)
    assert np.all(np.diff(theory.bass_adopted_share(years, P, Q)) > 0)


def test_bass_time_to_share_inverts_the_share():
    for t in (0.5, 3.0, 6.19, 12.0):
        share = theory.bass_adopted_share(t, P, Q)
        assert theory.bass_time_to_share(share, P, Q) == pytest.approx(t)


def test_bass_adoptions_peak_at_the_inflection():
    peak = theory.bass_peak_time(P, Q)
    assert peak == pytest.approx(6.19, abs=0.01)
    times = np.linspace(0, 20, 200_001)
    rate = np.gradient(theory.bass_adopted_share(times, P, Q), times)
    assert times[np.argmax(rate)] == pytest.approx(peak, abs=1e-3)
    assert theory.bass_adopted_share(peak, P, Q) == pytest.approx(theory.bass_peak_share(P, Q))


def test_percolation_final_size_solves_its_equation():
    for k, t in ((4.0, 0.5), (4.0, 0.3), (10.0, 0.2)):
        size = theory.percolation_final_size(k, t)
        assert 0 < size < 1
        assert size == pytest.approx(1 - math.exp(-k * t * size), abs=1e-12)
    assert theory.percolation_final_size(4.0, 0.2) == 0.0  # below the threshold
    assert theory.percolation_final_size(4.0, theory.sir_transmissibility(2.0, 2.0)) == (
        pytest.approx(0.797, abs=5e-4)
    )


def test_kermack_mckendrick_and_sis():
    assert theory.kermack_mckendrick_final_size(2.0) == pytest.approx(0.7968, abs=1e-4)
    assert theory.kermack_mckendrick_final_size(0.9) == 0.0
    assert theory.sis_endemic_share(2.0) == 0.5
    assert theory.sis_endemic_share(0.5) == 0.0


def test_watts_window_for_phi_018():
    low, high = theory.watts_cascade_window(0.18)
    assert low == pytest.approx(1.0, abs=0.05)
    assert high == pytest.approx(5.77, abs=0.05)
