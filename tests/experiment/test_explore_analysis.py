"""The analyses of `adoption explore` on functions whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adoption.experiment import analysis

ISHIGAMI = {"S1": [0.3139, 0.4424, 0.0], "ST": [0.5576, 0.4424, 0.2437]}
"""The Ishigami function's analytic indices (a = 7, b = 0.1; Saltelli et al. 2008)."""


def ishigami(points: np.ndarray) -> np.ndarray:
    x = -np.pi + 2 * np.pi * points
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_reproduce_the_ishigami_function():
    names = ["x1", "x2", "x3"]
    points = analysis.unit_design("sobol", names, 2048, seed=3)
    indices = analysis.sensitivity_indices("sobol", names, points, ishigami(points), seed=3)
    for kind in ("S1", "ST"):
        error = np.abs(indices[kind].to_numpy() - ISHIGAMI[kind])
        # within the bootstrap 95% half-width, or 0.05 where the interval is tighter
        assert (error <= np.maximum(indices[f"{kind}_conf"].to_numpy(), 0.05)).all(), indices


def test_morris_ranks_ishigami_x3_above_nothing_and_screens_a_dummy_out():
    names = ["x1", "x2", "x3", "dummy"]
    points = analysis.unit_design("morris", names, 40, seed=1)
    indices = analysis.sensitivity_indices("morris", names, points, ishigami(points[:, :3]))
    mu = indices.set_index("uncertainty")["mu_star"]
    assert mu["dummy"] == pytest.approx(0.0, abs=1e-9)
    assert min(mu["x1"], mu["x2"], mu["x3"]) > 1.0


def test_a_decisive_uncertainty_has_the_largest_total_index_for_the_paired_difference():
    """Toy world: plan A's edge over B is set by 'decisive'; 'loud' moves both plans alike
    (it dominates each plan's outcome but not the choice)."""
    names = ["decisive", "loud", "idle"]
    points = analysis.unit_design("sobol", names, 512, seed=0)
    worlds = pd.DataFrame(points, columns=names)
    a = 10 * worlds["loud"] + (worlds["decisive"] - 0.5)
    b = 10 * worlds["loud"] + 0.05 * worlds["idle"]
    paired = analysis.sensitivity_indices("sobol", names, points, (a - b).to_numpy())
    assert paired.set_index("uncertainty")["ST"].idxmax() == "decisive"
    alone = analysis.sensitivity_indices("sobol", names, points, a.to_numpy())
    assert alone.set_index("uncertainty")["ST"].idxmax() == "loud"


def test_prim_recovers_a_planted_box():
    rng = np.random.default_rng(4)
    x = pd.DataFrame(rng.random((1000, 4)), columns=["a", "b", "c", "d"])
    cases = ((x["a"] > 0.6) & (x["b"] < 0.3)).to_numpy()
    box = analysis.prim_box(x, cases)
    assert box.coverage >= 0.9 and box.density >= 0.9, box
    assert set(box.limits) == {"a", "b"}
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.05)
    assert box.limits["b"][1] == pytest.approx(0.3, abs=0.05)
    assert len(box.trajectory) > 1


def test_evppi_equals_the_analytic_value_on_a_two_action_toy():
    """a = x, b = 0 with x ~ U(-1, 1): EVPPI(x) = E[max(x, 0)] - max(E[x], 0) = 1/4."""
    x = np.random.default_rng(0).uniform(-1, 1, 4000)
    value = analysis.evppi(x, np.column_stack([x, np.zeros_like(x)]))
    assert value == pytest.approx(0.25, abs=0.02)
    assert analysis.evpi(np.column_stack([x, np.zeros_like(x)])) == pytest.approx(0.25, abs=0.02)


def test_evppi_is_zero_for_an_uncertainty_that_does_not_change_the_ranking():
    rng = np.random.default_rng(1)
    z = rng.random(2000)
    outcomes = np.column_stack([1 + z + rng.normal(0, 0.1, z.size), 0.5 * z])  # a always wins
    assert analysis.evppi(z, outcomes) == pytest.approx(0.0, abs=1e-3)


def test_robustness_winners_agree_with_per_world_means():
    means = pd.DataFrame({"a": [3.0, 1.0, 2.0], "b": [2.5, 2.0, 2.5]})
    table = analysis.robustness(means).set_index("plan")
    assert table.loc["a", "share_won"] == pytest.approx(1 / 3)
    assert table.loc["b", "max_regret"] == pytest.approx(0.5)
    assert table.loc["a", "worst"] == 1.0
    best = analysis.most_robust(table.reset_index())
    assert best["max_regret"] == "b" and best["share_won"] == "b"


def test_noise_share_separates_replication_noise_from_worlds():
    rng = np.random.default_rng(2)
    sample = np.repeat(np.arange(200), 5)
    quiet = pd.DataFrame({"sample": sample, "y": sample + rng.normal(0, 0.01, sample.size)})
    noisy = pd.DataFrame({"sample": sample, "y": rng.normal(0, 1, sample.size)})
    assert analysis.noise_share(quiet, "y") < 0.01
    assert analysis.noise_share(noisy, "y") > 0.8


def test_criteria_that_tie_do_not_disagree():
    means = pd.DataFrame({"a": [3.0, 0.0], "b": [2.0, 1.5]})  # b: least max regret
    table = analysis.robustness(means, meets=pd.DataFrame({"a": [False, False], "b": [False] * 2}))
    assert analysis.most_robust(table)["share_meeting_target"] == "b"
