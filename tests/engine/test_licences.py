"""Seats follow use: assigned at first use, taken back when idle, paid by the term.

Model-level checks run 1,000 people on paired seeds (common random numbers); the pool's
and the seats' rules are checked exactly on hand-made people.
"""

from __future__ import annotations

import numpy as np
import pytest

from adoption import build_organisation, load_scenario, simulate
from adoption.config.economics import LicencesConfig
from adoption.engine.ledger import Ledger
from adoption.engine.licences import Seats, kept_terms, mark_used, settle_seats
from adoption.engine.people import SAME_DAY, users_of
from adoption.engine.states import ABANDONED, ACTIVE, AWARE, LAPSED, TRYING, UNAWARE
from tests.conftest import assert_clean_error
from tests.engine.helpers import assert_paired_increase


def settle(seats: Seats, state: np.ndarray, now: float, dt: float = 1.0) -> None:
    """The end of a step for the pool, as the rollout's fused call does it: idle seats
    taken back, seats asked for (`settle_seats`), the pool paid for `dt`."""
    counts = settle_seats(
        state, seats.seat_from, seats.last_use, now, seats.config.provision_days, seats.idle_limit
    )
    seats.pay(counts, now, dt)


SEEDS = range(6)
PEOPLE = {"organisation.employees": 1000, "horizon_days": 365}
PAY_AS_HELD = {
    "economics.licences.assign": "first_use",
    "economics.licences.reclaim_idle_days": None,
    "economics.licences.commitment_days": 0,
}


def runs(overrides: dict, plan: str = "big-bang", seeds=SEEDS):
    scenario = load_scenario(overrides={**PEOPLE, **overrides})
    org = build_organisation(scenario.organisation)
    return [simulate(scenario, plan, seed=seed, organisation=org) for seed in seeds]


def metric(results, name: str) -> np.ndarray:
    return np.array([result.metrics[name] for result in results], dtype=float)


@pytest.mark.parametrize("provision", [0, 2, 5])
def test_first_use_pays_the_price_times_the_seat_days_of_those_who_tried(provision):
    """Without taking seats back or terms, the seats held on day d are the people who had
    tried by day d − provision_days, and the licence bill is price × their seat-days."""
    price = 2.0
    overrides = {
        **PAY_AS_HELD,
        "economics.licences.provision_days": provision,
        "economics.licences.price_per_seat_day": price,
    }
    for result in runs(overrides, seeds=range(2)):
        series = result.timeseries
        tried = series["ever_tried"].to_numpy()
        held = np.concatenate(
            [np.zeros(provision, dtype=np.int64), tried[: tried.size - provision]]
        )
        assert (series["seats_held"].to_numpy() == held).all()
        assert result.metrics["seat_days"] == pytest.approx(held.sum())
        assert result.costs["licences"] == pytest.approx(price * held.sum())


def test_first_use_pays_less_than_a_seat_for_everyone_with_access():
    access = runs({**PAY_AS_HELD, "economics.licences.assign": "access"})
    first_use = runs(PAY_AS_HELD)
    # everyone with access from day 0 to the horizon: 1,000 x 365 seat-days
    assert metric(access, "seat_days") == pytest.approx([1000 * 365] * len(SEEDS))
    assert_paired_increase(metric(first_use, "cost_licences"), metric(access, "cost_licences"))
    assert_paired_increase(
        metric(first_use, "licence_cost_per_active_user_day"),
        metric(access, "licence_cost_per_active_user_day"),
    )


def test_waiting_for_a_seat_is_neither_using_nor_deciding():
    """With seats that never arrive within the run, those who decide to try are held:
    no use, no value, nobody commits or lapses."""
    results = runs({**PAY_AS_HELD, "economics.licences.provision_days": 365}, seeds=range(2))
    for result in results:
        series = result.timeseries
        assert series["uses"].sum() == 0
        assert series["value"].sum() == 0
        assert series["ever_active"].iloc[-1] == 0
        assert series["lapsed"].max() == 0
        # those waiting at a step are everyone who had started trying by the step before
        waiting = series["waiting_for_seat"].to_numpy()
        assert (waiting[1:] == series["trying"].to_numpy()[:-1]).all() and waiting[-1] > 0


def test_reclaiming_idle_seats_lowers_the_bill_and_delays_returners():
    kept = runs(PAY_AS_HELD)
    reclaimed = runs({**PAY_AS_HELD, "economics.licences.reclaim_idle_days": 30})
    assert_paired_increase(metric(reclaimed, "cost_licences"), metric(kept, "cost_licences"))
    # without reclaiming, only first tries wait (2 days each, the last few cut by the
    # horizon); with it, people coming back wait for a seat again
    provision = LicencesConfig().provision_days
    for result in kept:
        series = result.timeseries
        started = np.diff(series["ever_tried"].to_numpy(), prepend=0)
        steps_left = np.arange(started.size)[::-1]
        expected = (started * np.minimum(provision, steps_left)).sum()
        assert series["waiting_for_seat"].sum() == expected
    waits = [
        (k.timeseries["waiting_for_seat"].sum(), r.timeseries["waiting_for_seat"].sum())
        for k, r in zip(kept, reclaimed, strict=True)
    ]
    assert_paired_increase(*np.array(waits).T)


def test_a_reclaimed_seat_costs_to_the_end_of_its_term_and_is_reused_within_it():
    config = LicencesConfig(
        assign="first_use", provision_days=0, reclaim_idle_days=30, commitment_days=365
    )
    ledger = Ledger()
    seats = Seats(config, 2, ledger)
    state = np.array([TRYING, UNAWARE], dtype=np.int8)
    settle(seats, state, 0.0)
    assert (seats.held, seats.paid) == (1, 1)
    state[0] = LAPSED  # never uses it again
    paid = []
    for day in range(1, 366):
        if day == 100:
            state[1] = TRYING  # asks for a seat: the free one in its term
        if day > 100:
            mark_used(np.array([1]), np.array([3]), seats.last_use, float(day))
        settle(seats, state, float(day))
        paid.append(seats.paid)
    assert seats.seat_from[0] == np.inf  # taken back after 30 idle days
    assert max(paid) == 1  # the second person reused the paid seat
    assert ledger.totals["licences"] == pytest.approx(366 * config.price_per_seat_day)
    # at the end of the term the seat is renewed, for the one who holds it
    assert seats.terms.tolist() == [730.0]


def test_an_unneeded_seat_lapses_at_the_end_of_its_term():
    config = LicencesConfig(provision_days=0, reclaim_idle_days=30, commitment_days=365)
    seats = Seats(config, 1, Ledger())
    state = np.array([TRYING], dtype=np.int8)
    settle(seats, state, 0.0)
    state[0] = ABANDONED
    paid = {}
    for day in range(1, 400):
        settle(seats, state, float(day))
        paid[day] = seats.paid
    assert paid[40] == 1 and seats.held == 0
    assert paid[364] == 1 and paid[365] == 0


def test_a_person_waits_provision_days_for_a_seat_and_then_uses_it():
    config = LicencesConfig(provision_days=2, reclaim_idle_days=None, commitment_days=0)
    seats = Seats(config, 3, Ledger())
    state = np.array([AWARE, TRYING, ACTIVE], dtype=np.int8)
    settle(seats, state, 10.0)  # two start without a seat: they ask for one
    assert seats.seat_from.tolist() == [np.inf, 12.0, 12.0]
    for now, usable in ((11.0, []), (12.0, []), (13.0, [1, 2])):
        held = np.ones(3, dtype=bool)
        users, active, waiting = users_of(state, seats.seat_from, now - 1.0, held)
        assert users.tolist() == usable
        assert active.tolist() == [p == 2 for p in usable]
        assert np.flatnonzero(held).tolist() == sorted({1, 2} - set(usable))
        assert waiting == 2 - len(usable)


def test_access_gives_seats_at_once_and_takes_idle_ones_back():
    config = LicencesConfig(assign="access", reclaim_idle_days=30, commitment_days=0)
    seats = Seats(config, 2, Ledger())
    seats.give(np.array([0, 1]), 0.0)
    state = np.array([UNAWARE, UNAWARE], dtype=np.int8)
    for day in range(1, 31):
        settle(seats, state, float(day))
    assert seats.held == 0 and seats.reclaimed == 2


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [
        ("price_per_seat_day", 0.5, 2.0),
        ("commitment_days", 0, 365),
    ],
)
def test_each_licence_term_moves_the_bill_its_way(field, low, high):
    """(`provision_days` is checked exactly above: seats held lag first tries by it.)"""
    base = {"economics.licences.reclaim_idle_days": 30}
    cheap = runs({**base, f"economics.licences.{field}": low}, seeds=range(4))
    dear = runs({**base, f"economics.licences.{field}": high}, seeds=range(4))
    assert_paired_increase(metric(cheap, "cost_licences"), metric(dear, "cost_licences"))


def test_the_old_licence_field_says_where_the_price_moved(cli, tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("economics:\n  licence_per_seat_day: 2.0\n")
    assert_clean_error(
        cli("scenario", "show", path), "economics.licences.price_per_seat_day", "assign: access"
    )


def test_licence_cost_per_active_user_day_is_the_bill_over_active_user_days():
    from adoption.metrics import run_metrics
    from tests.test_outcomes import synthetic_series

    series = synthetic_series()  # active 0, 15, 30, 45, 60 on days 0..4
    metrics = run_metrics(series, headcount=100, burned=0, decisions=[], costs={"licences": 300})
    assert metrics["seat_days"] == pytest.approx(5 * 70.0)
    assert metrics["licence_cost_per_active_user_day"] == pytest.approx(300 / 150)


def terms_as_stated(terms: np.ndarray, held: int, now: float, term: float) -> np.ndarray:
    """The pool's rule in NumPy, as the docstring of `kept_terms` states it."""
    live = terms > now + SAME_DAY
    kept, ended = terms[live], terms[~live]
    needed = held - kept.size
    if needed <= 0:
        return kept
    renewed = ended[:needed]
    renewed = renewed + (np.floor((now - renewed) / term + SAME_DAY) + 1.0) * term
    return np.concatenate((kept, renewed, np.full(needed - renewed.size, now + term)))


def test_kept_terms_follow_the_pools_rule_exactly():
    """Scrambled pools (terms ended, live, ending today), every size of need: the compiled
    pool gives the rule's terms bit for bit, in the same order."""
    rng = np.random.default_rng(7)
    for _ in range(500):
        now = float(rng.integers(0, 1000)) + rng.choice([0.0, 0.5])
        terms = now + rng.choice([-400.0, -365.0, -1.0, 0.0, 1e-12, 0.5, 30.0], rng.integers(0, 12))
        held = int(rng.integers(0, 15))
        expected = terms_as_stated(terms, held, now, 365.0)
        assert kept_terms(terms, held, now, 365.0).tobytes() == expected.tobytes()


def test_the_pool_kept_between_ended_terms_is_the_pool_brought_up_every_step():
    """`Seats` calls `kept_terms` only when a term may have ended or a seat is missing:
    over three years of needs that rise, fall and come back (terms ending, renewed,
    lapsing, steps a fraction of a day), its pool is, bit for bit, the pool brought up
    at every step."""
    rng = np.random.default_rng(8)
    config = LicencesConfig(commitment_days=365)
    seats = Seats(config, 1, Ledger())
    expected = np.zeros(0)
    now = 0.0
    for step in range(3 * 365 * 2):
        now += 0.5
        held = int(rng.integers(0, 40) * (1 + np.sin(step / 90)))
        seats.pay((held, 0, 0), now, 0.5)
        expected = kept_terms(expected, held, now, 365.0)
        assert seats.terms.tobytes() == expected.tobytes(), step
