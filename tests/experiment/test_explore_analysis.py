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


GATE_SWITCH = 0.6
"""Where the toy's gate flips: above it the pilot's gate lets the rollout through."""
GATE_EVPPI = {"switch": 0.2, "value": 0.05625}
"""Analytic EVPPI of the gate-switch toy (difference d = 1{switch > 0.6} - 0.5 +
0.8 (value - 0.5)): E[d | switch] is +0.5 w.p. 0.4 and -0.5 w.p. 0.6, so EVPPI(switch) =
0.4 × 0.5 = 0.2 (= the EVPI, since the switch alone fixes the sign of d); E[d | value] =
0.8 value - 0.5, positive above 0.625, so EVPPI(value) = ∫ from 0.625 to 1 of
(0.8 v - 0.5) dv = 0.05625."""


def gate_switch_world(seed: int, worlds: int = 400, noise: float = 0.2):
    """A step-shaped toy: plan B's edge over A is set by which side of a gate's switch
    the world lies, nudged by a second uncertainty, plus replication noise."""
    rng = np.random.default_rng(seed)
    switch, value = rng.random(worlds), rng.random(worlds)
    edge = (switch > GATE_SWITCH) - 0.5 + 0.8 * (value - 0.5) + rng.normal(0, noise, worlds)
    return {"switch": switch, "value": value}, np.column_stack([np.zeros(worlds), edge])


def test_evppi_recovers_a_gate_switch_and_never_exceeds_the_evpi():
    """20 toy worlds of 400 worlds each: the mean EVPPI of each uncertainty within 3
    standard errors (plus a 0.004 small-sample bias) of the analytic value, and in every
    one EVPPI <= EVPI (the spline this replaced overshot a gate's switch to 104%)."""
    values = {name: [] for name in GATE_EVPPI}
    for seed in range(20):
        uncertainties, outcomes = gate_switch_world(seed)
        total = analysis.evpi(outcomes)
        for name, x in uncertainties.items():
            value = analysis.evppi(x, outcomes)
            assert value <= total + 1e-12, (seed, name, value, total)
            values[name].append(value)
    for name, analytic in GATE_EVPPI.items():
        estimates = np.array(values[name])
        tolerance = 3 * estimates.std(ddof=1) / np.sqrt(len(estimates)) + 0.004
        assert estimates.mean() == pytest.approx(analytic, abs=tolerance), (name, estimates)


@pytest.mark.parametrize("seed", range(30))
def test_evppi_cannot_exceed_the_evpi_even_on_noise(seed):
    """Pure noise, three plans, a continuous, a Morris-grid and a categorical uncertainty,
    few worlds: the bound holds by construction, not on average."""
    rng = np.random.default_rng(seed)
    worlds = int(rng.integers(6, 80))
    outcomes = rng.normal(0, 1, (worlds, 3)) * rng.uniform(0.1, 10, 3)
    total = analysis.evpi(outcomes)
    for x in (
        rng.random(worlds),
        rng.integers(0, 4, worlds) / 3,
        rng.choice(np.array(["north", "south", "east"]), worlds),
    ):
        assert analysis.evppi(x, outcomes) <= total + 1e-12
        assert (
            analysis.evppi(x, outcomes, higher_is_better=False)
            <= analysis.evpi(outcomes, higher_is_better=False) + 1e-12
        )


def noise_world(seed: int, worlds: int = 40):
    """x irrelevant: the two plans' difference is replication noise about a mean near 0,
    where a noisy estimator finds the most spurious value (40 worlds, as on the issue's)."""
    rng = np.random.default_rng(seed)
    edge = rng.normal(0, 0.1) + rng.normal(0, 1, worlds)
    return rng.random(worlds), np.column_stack([np.zeros(worlds), edge])


def clears_its_floor(x: np.ndarray, outcomes: np.ndarray, seed: int) -> bool:
    null = analysis.evppi_null(x, outcomes, seed=seed)
    return analysis.evppi(x, outcomes) > analysis.null_floor(null)


def test_an_evppi_clears_its_noise_floor_on_a_switch_and_not_on_noise():
    """20 seeded data sets of 40 worlds each. A gate's switch (the step-shaped toy)
    clears its floor in all 20. An irrelevant x on pure noise has an EVPPI above 0 in
    most (the defect: it read as value) but clears its floor in at most 2 of 20: the
    floor is the 95th percentile of the EVPPIs where x cannot change the choice, so an
    irrelevant x clears it about one time in 20 by chance; tolerance: at least 90% stay
    under (at a 5% rate 20 data sets exceed 2 with probability 0.075)."""
    switch_clears, noise_clears, noise_positive = 0, 0, 0
    for seed in range(20):
        uncertainties, outcomes = gate_switch_world(seed, worlds=40)
        switch_clears += clears_its_floor(uncertainties["switch"], outcomes, seed)
        x, outcomes = noise_world(seed)
        noise_positive += analysis.evppi(x, outcomes) > 0
        noise_clears += clears_its_floor(x, outcomes, seed)
    assert switch_clears == 20
    assert noise_clears <= 2, noise_clears
    assert noise_positive >= 6, "noise no longer fools the EVPPI: the test tests nothing"


@pytest.mark.slow
def test_noise_clears_the_floor_about_one_time_in_20():
    """200 pure-noise data sets: the share that clears is the floor's level, 5%; with a
    95th percentile of 200 draws per data set, at most 9% (5% plus 2.6 binomial standard
    errors of 1.5%). Measured: 6.5%."""
    cleared = [clears_its_floor(*noise_world(seed), seed) for seed in range(200, 400)]
    assert np.mean(cleared) <= 0.09, np.mean(cleared)


def test_an_uncertainty_that_moves_the_lead_without_reversing_it_does_not_clear():
    """The issue's case: x shrinks the pilot's lead towards 0 at the top of its range but
    never reverses it; with noise some high-x worlds flip. x is far from irrelevant (a
    shuffled x would give an EVPPI near 0, so shuffling would call it clear), yet
    learning it cannot change the choice: at most 2 of 20 data sets clear the floor."""
    cleared = 0
    for seed in range(20):
        rng = np.random.default_rng(seed)
        x = rng.random(40)
        lead = 2.0 * (1.0 - x) + rng.normal(0, 0.6, 40)
        outcomes = np.column_stack([np.zeros(40), lead])
        cleared += clears_its_floor(x, outcomes, seed)
    assert cleared <= 2, cleared


def test_the_null_is_seeded_and_never_exceeds_the_evpi_of_its_data():
    x, outcomes = noise_world(3)
    null = analysis.evppi_null(x, outcomes, seed=1)
    assert len(null) == analysis.NULL_DRAWS
    assert (null == analysis.evppi_null(x, outcomes, seed=1)).all()
    assert (null >= 0).all()
    assert analysis.null_p(np.inf, null) == pytest.approx(1 / (len(null) + 1))
    assert analysis.null_p(-1.0, null) == 1.0


def test_replications_to_clear_follows_the_replication_noise():
    """A switch in 40 worlds drowned in replication noise (2 replications): its EVPPI does
    not clear the floor, and shrinking the noise as more replications would lets it at a
    finite count; with no replication noise (the spread is the worlds' own) no count
    does, and with one replication (noise unknown) none is estimated."""
    rng = np.random.default_rng(11)
    switch = rng.random(40)
    edge = (switch > GATE_SWITCH) - 0.4 + rng.normal(0, 1.5, 40)
    outcomes = np.column_stack([np.zeros(40), edge])
    value = analysis.evppi(switch, outcomes)
    assert 0 < value <= analysis.null_floor(analysis.evppi_null(switch, outcomes))
    needed = analysis.replications_to_clear(switch, outcomes, value, 1.5**2, 2)
    assert np.isfinite(needed) and needed >= 4
    assert analysis.replications_to_clear(switch, outcomes, value, 0.0, 2) == np.inf
    assert np.isnan(analysis.replications_to_clear(switch, outcomes, value, np.nan, 1))


def launch_cost_world(seed: int, worlds: int = 120) -> tuple[pd.DataFrame, np.ndarray]:
    """The issue's case: whether big-bang beats the pilot depends on production accuracy
    alone (one world in ten flips by noise); the launch cost, which both plans pay on day
    0, cannot matter."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(
        {
            "tool.production_accuracy": rng.uniform(0.62, 0.78, worlds),
            "economics.launch_cost": rng.uniform(0, 10_000, worlds),
        }
    )
    cases = (x["tool.production_accuracy"] > 0.70).to_numpy() ^ (rng.random(worlds) < 0.1)
    return x, cases


def test_prim_keeps_only_restrictions_that_matter():
    """Over 20 such worlds PRIM's peeling restricts the launch cost in several; the box
    never keeps it (its quasi-p-value is large), and always keeps production accuracy."""
    peeled = 0
    for seed in range(20):
        x, cases = launch_cost_world(seed)
        box = analysis.prim_box(x, cases)
        peeled += "economics.launch_cost" in box.peeled
        assert "economics.launch_cost" not in box.limits, (seed, box.quasi_p)
        assert "economics.launch_cost" not in box.describe()
        assert list(box.limits) == ["tool.production_accuracy"], seed
        assert box.quasi_p["tool.production_accuracy"] <= analysis.QUASI_P_LEVEL
        assert box.limits["tool.production_accuracy"][0] == pytest.approx(0.70, abs=0.015)
    assert peeled >= 5, "the planted dimension no longer tempts PRIM: the test tests nothing"


def test_quasi_p_is_the_binomial_test_of_the_box_against_the_box_without_the_restriction():
    from scipy.stats import binomtest

    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.random((300, 2)), columns=["a", "b"])
    cases = (x["a"] > 0.5).to_numpy() & (rng.random(300) < 0.8)
    limits = {"a": (0.5, 1.0), "b": (0.0, 0.6)}
    inside = analysis.in_box(x, limits)
    for name, other in (("a", "b"), ("b", "a")):
        without = analysis.in_box(x, {other: limits[other]})
        expected = binomtest(
            int(cases[inside].sum()), int(inside.sum()), cases[without].mean(), "greater"
        ).pvalue
        assert analysis.quasi_p_values(x, cases, limits)[name] == pytest.approx(expected)
    kept, quasi_p = analysis.significant_limits(x, cases, limits)
    assert list(kept) == ["a"] and quasi_p["b"] > analysis.QUASI_P_LEVEL


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


def test_noise_share_of_means_is_the_noise_left_after_averaging_replications():
    """Signal variance 1, noise variance 1, 4 replications: the world means carry noise
    variance 1/4, a share of 0.25 / 1.25 = 0.2 (200 worlds: within 0.05)."""
    rng = np.random.default_rng(3)
    sample = np.repeat(np.arange(200), 4)
    signal = rng.normal(0, 1, 200)[sample]
    runs = pd.DataFrame({"sample": sample, "y": signal + rng.normal(0, 1, sample.size)})
    assert analysis.mean_noise_share(runs, "y") == pytest.approx(0.2, abs=0.05)
    assert analysis.noise_share(runs, "y") == pytest.approx(0.5, abs=0.08)


def test_criteria_that_tie_do_not_disagree():
    means = pd.DataFrame({"a": [3.0, 0.0], "b": [2.0, 1.5]})  # b: least max regret
    table = analysis.robustness(means, meets=pd.DataFrame({"a": [False, False], "b": [False] * 2}))
    assert analysis.most_robust(table)["share_meeting_target"] == "b"


def answer_about(voi: pd.DataFrame, replications: int = 2) -> str:
    """The answer's sentence on what to measure, for a value-of-information table."""
    from adoption.config import load_scenario
    from adoption.experiment.exploration import Exploration

    empty = pd.DataFrame()
    exploration = Exploration(
        load_scenario(None), ["a", "b"], "lhs", "npv", None, replications, empty,
        np.empty(0), empty, empty, empty, {}, empty, empty, {}, voi, empty, None,
    )  # fmt: skip
    return exploration._what_to_measure(lambda text: text)


def test_the_answer_names_what_to_measure_only_when_it_clears_its_floor():
    uncertainties, outcomes = gate_switch_world(0, worlds=40)
    frame = pd.DataFrame(uncertainties)
    means = pd.DataFrame(outcomes, columns=["a", "b"])
    voi = analysis.value_of_information(frame, means, True, 0.2**2 / 2, 2)
    assert voi.set_index("uncertainty").loc["switch", "clear"]
    assert answer_about(voi).startswith("Measure switch in the pilot")
    # a declared field is named in its lever's words with the path to set it, its worth
    # in the scenario's currency
    named = frame.rename(columns={"switch": "tool.production_accuracy"})
    lever_voi = analysis.value_of_information(named, means, True, 0.2**2 / 2, 2)
    answer = answer_about(lever_voi)
    assert answer.startswith(
        "Measure accuracy on production data at launch (tool.production_accuracy) in the pilot"
    )
    assert answer.count(" USD ") == 2, answer  # the EVPPI and its noise floor
    x, outcomes = noise_world(101)  # an EVPPI of noise above 0, under its floor
    noise = pd.DataFrame(outcomes, columns=["a", "b"])
    voi = analysis.value_of_information(pd.DataFrame({"x": x}), noise, True, 1.0 / 2, 2)
    top = voi.set_index("uncertainty").loc["x"]
    assert top["evppi"] > 0 and not top["clear"]
    answer = answer_about(voi)
    assert "stands out from the noise" in answer and "Measure" not in answer
    assert f"about {top['replications_to_clear']:,.0f} (now 2)" in answer
    spread = analysis.value_of_information(pd.DataFrame({"x": x}), noise, True, 0.0, 2)
    assert "more worlds would tell" in answer_about(spread)
    unknown = analysis.value_of_information(pd.DataFrame({"x": x}), noise, True, np.nan, 1)
    assert "with one, the noise cannot be measured" in answer_about(unknown, 1)
