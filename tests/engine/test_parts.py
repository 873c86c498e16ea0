"""The engine's parts on their own: hazards, waves, gates, training seats, champions."""

from __future__ import annotations

import re

import numpy as np
import pytest
import simpy
from scipy.stats import binom

from adoption import build_organisation, load_scenario
from adoption.config.change import ChampionsConfig, TrainingConfig
from adoption.config.plans import Gate, Wave
from adoption.engine.acceptance import competing
from adoption.engine.champions import choose_champions, most_tied
from adoption.engine.clock import step_probability
from adoption.engine.estimate import (
    AccuracyEstimate,
    accuracy_change,
    organisation_accuracy,
    pooled_part,
    z_score,
)
from adoption.engine.events import EventLog
from adoption.engine.ledger import Ledger
from adoption.engine.people import People
from adoption.engine.rollout import (
    AccuracyEvidence,
    PilotMeasurement,
    decided_days,
    extends,
    extension,
    extension_reach,
    failed_criteria,
    judge,
    select_wave,
    variance_after,
)
from adoption.engine.states import ACTIVE, AWARE, NO_ACCESS, UNAWARE
from adoption.engine.training import Training


@pytest.fixture(scope="module")
def org():
    return build_organisation(
        load_scenario(overrides={"organisation.employees": 4000}).organisation
    )


def test_step_probability_is_exponential_in_the_rate():
    assert step_probability(365.0, 1.0) == pytest.approx(1 - np.exp(-1))
    assert step_probability(0.0, 1.0) == 0.0
    # two half-steps compound to one step
    half = step_probability(100.0, 0.5)
    assert 1 - (1 - half) ** 2 == pytest.approx(step_probability(100.0, 1.0))


def test_competing_hazards_fire_in_proportion():
    rng = np.random.default_rng(0)
    n = 200_000
    choice = np.array([competing(100.0, 300.0, u, 1.0) for u in rng.random(n)])
    fired = choice >= 0
    p_any = step_probability(400.0, 1.0)
    # binomial standard errors: about 0.001 for the share firing, 0.0015 for the split
    assert fired.mean() == pytest.approx(p_any, abs=0.005)
    assert (choice[fired] == 1).mean() == pytest.approx(0.75, abs=0.006)


def test_random_and_stratified_waves_take_the_share(org):
    rng = np.random.default_rng(0)
    state = np.full(org.size, NO_ACCESS, dtype=np.int8)
    champion = np.zeros(org.size, dtype=bool)
    chosen = select_wave(Wave(group="random", share=0.1), org, state, champion, rng)
    assert chosen.size == 400 and np.unique(chosen).size == 400
    stratified = select_wave(Wave(group="stratified", share=0.25), org, state, champion, rng)
    for d in range(len(org.department_names)):
        for r in range(len(org.region_names)):
            stratum = (org.department == d) & (org.region == r)
            taken = np.isin(np.flatnonzero(stratum), stratified).sum()
            assert abs(taken - 0.25 * stratum.sum()) <= 0.5 + 1e-9


def test_group_waves_take_only_those_without_access(org):
    rng = np.random.default_rng(0)
    state = np.full(org.size, NO_ACCESS, dtype=np.int8)
    champion = np.zeros(org.size, dtype=bool)
    north = select_wave(Wave(group="region", name="North"), org, state, champion, rng)
    assert (org.region[north] == org.region_names.index("North")).all()
    state[north] = UNAWARE
    rest = select_wave(Wave(group="rest"), org, state, champion, rng)
    assert np.intersect1d(rest, north).size == 0
    assert rest.size + north.size == org.size


def test_champion_teams_wave_takes_the_teams_of_active_champions(org):
    rng = np.random.default_rng(0)
    state = np.full(org.size, NO_ACCESS, dtype=np.int8)
    champion = choose_champions(ChampionsConfig(selection="per_team"), org, rng)
    state[champion] = AWARE
    wave = Wave(group="champion_teams")
    assert select_wave(wave, org, state, champion, rng).size == 0
    ready = np.flatnonzero(champion)[:3]
    state[ready] = ACTIVE
    taken = select_wave(wave, org, state, champion, rng)
    teams = org.team[ready]
    assert np.array_equal(taken, np.flatnonzero(np.isin(org.team, teams) & ~champion))
    state[taken] = UNAWARE
    assert select_wave(wave, org, state, champion, rng).size == 0


def measurement(
    low: float = 0.65,
    high: float = 0.75,
    sampling: float = 0.0009,
    prior: float = 0.0,
    trend: float = 0.0,
    reach: tuple[int, ...] = (20,) * 10,
    checks_per_person_day: float = 0.5,
    decisions_per_day: float = 0.03,
    **changes,
) -> PilotMeasurement:
    """A gate's reading: 200 checked uses, 140 right; the organisation's accuracy
    [low, high] with its sampling and prior variances; a break-even at 0.6. Where the
    prior is not 0, ten unseen segments hold the headcount it stands for (the prior is
    their weight² × 0.08², the default spread), an extension reaching `reach` people
    in each, who would be checked at `checks_per_person_day` once decided, deciding at
    `decisions_per_day` (the default world's try and reject rates, about 0.03), the
    pilot's checks spread evenly over four segments."""
    estimate = AccuracyEstimate((low + high) / 2, low, high, sampling, prior, 1.0)
    unseen = np.sqrt(prior) / 0.08 / len(reach)
    fields = dict(
        day=60.0,
        with_access=100,
        adoption=0.4,
        adoption_high=0.48,
        decided_share=0.5,
        abandonment=0.1,
        evidence=AccuracyEvidence(
            estimate,
            200,
            140,
            trend,
            14.0,
            unseen_weight=(unseen,) * len(reach) if prior else (),
            extension_reach=reach if prior else (),
            checks_per_decided_person_day=checks_per_person_day,
            decisions_per_day=decisions_per_day,
            check_concentration=0.25,
        ),
        business_minimum=0.6,
        break_even_accuracy=0.6,
        support_wait_days=2.0,
        peak_requests_per_user=None,
        using_share=0.5,
        true_accuracy=0.7,
    )
    return PilotMeasurement(**{**fields, **changes})


def test_a_gate_reading_is_written_in_percentages_with_plain_labels():
    """The gate's event text (shown in "Gates and regions" and the event log) gives shares
    as percentages that say what they count, never fractions like 'adoption 0.400'."""
    text = measurement().describe()
    for words in (
        "100 people with access: 40.0% of them active users",
        "10.0% of those who tried gave up",
        "accuracy for the organisation estimated at 70.0% (interval 65.0% to 75.0%)",
        "from 200 checked uses (the pilot's own 70.0%",
        "a use pays from 60.0%",
        "the truth 70.0%",
    ):
        assert words in text, words
    reasons = failed_criteria(
        Gate(min_adoption=1.0, max_abandonment=0.05, min_observed_accuracy=0.8), measurement()
    )
    assert reasons[:3] == [
        "adoption 40.0% below 50.0% (100% of the 50% who had time to decide)",
        "abandonment 10.0% above 5% of those who tried",
        "observed accuracy below 80%",
    ]
    for line in (text, *reasons):
        assert re.search(r"\b0\.\d", line) is None, line


def test_gate_criteria():
    measured = measurement()
    assert measured.observed_accuracy == pytest.approx(0.7)
    assert failed_criteria(Gate(min_adoption=0.3, max_abandonment=0.2), measured) == []
    failed = failed_criteria(
        Gate(min_adoption=0.5, min_observed_accuracy=0.8, max_support_wait_days=1), measured
    )
    # adoption is judged against the half who had time to decide: 0.48 < 0.5 x 0.5 fails not
    assert len(failed) == 2
    assert len(failed_criteria(Gate(min_adoption=1.0), measured)) == 1  # 0.48 < 0.5
    short = measurement(break_even_accuracy=0.7)
    assert len(failed_criteria(Gate(), short)) == 1  # the business case is not shown


def test_the_gate_pauses_only_when_more_evidence_could_show_the_case():
    gate = Gate(pause_days=30, max_pauses=3)
    assert judge(gate, measurement(), 3)[0] == "proceed"
    # shown below, no rise: nothing to wait for
    assert judge(gate, measurement(low=0.4, high=0.5, sampling=0.001), 3)[0] == "stop"
    # below, but rising beyond noise: 0.45 + 0.03 x 6.4 windows clears 0.6
    assert judge(gate, measurement(low=0.4, high=0.5, trend=0.03), 3)[0] == "pause"
    # straddling: more checks narrow the interval (sd 0.055 -> 0.02 after 90 more days)
    assert judge(gate, measurement(low=0.55, high=0.73, sampling=0.003), 3)[0] == "pause"
    # straddling on segments no check has seen: a pause extends the pilot to them, and
    # their checks can show the case where more of the same could not
    unseen = measurement(low=0.55, high=0.73, sampling=0.0, prior=0.003)
    assert judge(gate, unseen, 3)[0] == "pause"
    assert judge(Gate(pause_days=30, max_pauses=3, extension_share=0.0), unseen, 3)[0] == "stop"
    # ... but not when even the unseen segments' checks could hardly lift it: 0.46 ± 0.055
    assert judge(gate, measurement(low=0.37, high=0.55, sampling=0.0, prior=0.003), 3)[0] == (
        "stop"
    )
    assert judge(gate, measurement(low=0.55, high=0.73, sampling=0.003), 0)[0] == "stop"
    # ... nor when the extension's people would be checked too little to settle them
    # (0.001 checks a person-day: about 1.2 checks a segment in 90 days)
    scarce = measurement(
        low=0.55, high=0.73, sampling=0.0, prior=0.003, checks_per_person_day=0.001
    )
    assert judge(gate, scarce, 3)[0] == "stop"
    # ... nor when it reaches nobody (every unseen segment has access already)
    nobody = measurement(low=0.55, high=0.73, sampling=0.0, prior=0.003, reach=(0,) * 10)
    assert not extends(gate, nobody) and judge(gate, nobody, 3)[0] == "stop"


def test_an_extension_reaches_at_least_one_person_in_every_unseen_segment():
    """`extension_share` 0.1 of a segment of 5 rounds to 0: each unseen segment where
    someone waits still gets one person, so the next measurement can see it."""
    reach = extension_reach(np.array([5, 15, 40, 3, 8]), np.array([5, 15, 0, 2, 8]), 0.1)
    assert reach.tolist() == [1, 2, 0, 1, 1]
    assert extension_reach(np.array([50]), np.array([50]), 0.0).tolist() == [0]
    segment = np.repeat(np.arange(4), 5)  # four segments of five
    state = np.full(segment.size, NO_ACCESS, dtype=np.int8)
    state[segment == 3] = UNAWARE
    chosen = extension(segment, np.array([1, 2, 3]), state, 0.1, np.random.default_rng(0))
    assert segment[chosen].tolist() == [1, 2]  # one each; segment 3 has no one waiting


def test_the_variance_expected_after_an_extension_is_what_its_checks_can_show():
    """After an extension, an unseen segment's estimate is its own checks' (those of the
    people reached, at the pilot's checks per decided person-day, as they come to decide
    over the days waited) with their sampling variance and the pooled share's part
    keeping the prior, unless none of its uses is checked (a Poisson chance); a segment
    the extension cannot reach keeps its whole prior. Not 0, as if seeing a tenth of a
    segment settled it."""
    gate = Gate(pause_days=30, max_pauses=3)
    z = z_score(gate.confidence)
    measured = measurement(low=0.55, high=0.73, sampling=0.002, prior=0.003, reach=(20, 0))
    weight = measured.evidence.unseen_weight[0]
    checks = 20 * 0.5 * decided_days(30, 0.03)
    # newcomers settle in: 30 days at 0.03 decisions a day are 10.2 decided days
    assert decided_days(30, 0.03) == pytest.approx(30 - (1 - np.exp(-0.9)) / 0.03)
    assert decided_days(30, 100.0) == pytest.approx(30, abs=0.02)
    assert decided_days(30, 0.0) == 0.0
    share = measured.evidence.organisation.estimate
    checked = 1 - np.exp(-checks)  # the chance the reached segment is seen
    expected = (
        0.002 * 14 / (14 + 30)  # the seen segments' checks, over 44 days instead of 14
        + weight**2 * checked * share * (1 - share) / (checks + z * z)  # its checks
        # its pooled part's prior: its own gap, and that of the pilot's four segments
        + (weight * checked * pooled_part(checks, z)) ** 2 * (1 + 0.25) * 0.08**2
        + (weight + weight * (1 - checked)) ** 2 * 0.08**2  # what is left unseen
    )
    assert variance_after(gate, measured, 30) == pytest.approx(expected)
    # the unreachable segment's prior (half of it: a quarter of the variance) stays
    assert variance_after(gate, measured, 30) > 0.003 / 4
    # more checks leave less; without an extension, the prior stays whole
    assert variance_after(gate, measured, 90) < variance_after(gate, measured, 30)
    waiting = Gate(pause_days=30, max_pauses=3, extension_share=0.0)
    assert variance_after(waiting, measured, 30) == pytest.approx(0.002 * 14 / 44 + 0.003)


def test_the_organisation_estimate_weighs_segments_by_headcount():
    """A pilot whose checks come mostly from a good segment: the pooled share right is
    high; weighted by the headcount each segment brings, it is the organisation's."""
    checked, correct = np.array([900, 100]), np.array([810, 50])  # 0.9 and 0.5
    headcount = np.array([500, 500])
    estimate = organisation_accuracy(checked, correct, headcount, 0.9, 0.08)
    assert correct.sum() / checked.sum() == pytest.approx(0.86)
    # (each pulled by z² pseudo-checks toward the pooled share: a fraction of a point)
    assert estimate.estimate == pytest.approx(0.7, abs=0.01)
    assert estimate.prior_variance == 0.0 and estimate.low < 0.7 < estimate.high
    # an unseen half: the seen mean, its interval widened by the prior
    unseen = organisation_accuracy(np.array([1000, 0]), np.array([900, 0]), headcount, 0.9, 0.08)
    assert unseen.estimate == pytest.approx(0.9, abs=0.0015)  # Agresti-Coull: 901.35/1002.7
    assert unseen.prior_variance == pytest.approx(0.5**2 * 0.08**2)
    assert unseen.seen_share == 0.5


def test_a_few_checks_all_right_are_not_read_as_certain():
    """Three checked uses, all right (a 20-person pilot's first weeks): the Wald variance
    p(1 − p)/n is zero at p = 1, and a gate once proceeded on "100.0% (interval 90.3% to
    100.0%)" against a break-even of 65% and a truth of 65.4%. With no other segment
    to borrow from, the estimate is Agresti & Coull's; many checks are read as they are."""
    headcount = np.array([300, 700])
    z = z_score(0.9)
    few = organisation_accuracy(np.array([3, 0]), np.array([3, 0]), headcount, 0.9, 0.08)
    assert few.estimate == pytest.approx((3 + z * z / 2) / (3 + z * z))
    assert few.low < 0.5  # cannot show a case that pays from 65%
    many = organisation_accuracy(np.array([2000, 0]), np.array([1800, 0]), headcount, 0.9, 0.08)
    assert many.estimate == pytest.approx(0.9, abs=0.001)
    perfect = accuracy_change((np.array([5]), np.array([5])), (np.array([5]), np.array([5])))
    assert perfect == (0.0, pytest.approx((12 / 14) * (2 / 14) / 2.5))


@pytest.mark.parametrize("checks", [3, 5, 10, 20, 50])
def test_the_interval_holds_the_truth_about_as_often_as_it_says(checks):
    """Exact coverage of the 90% interval over every count right (binomial weights), one
    segment: at least 85% at every true accuracy from 0.6 to 0.95 (Agresti & Coull's
    worst here is 85.7%; the Wald-like interval before held 0.95 in 13.5% of cases
    with 3 checks, 0.9 in 64% with 10)."""
    one = np.array([1])
    for truth in (0.6, 0.7, 0.8, 0.9, 0.95):
        coverage = 0.0
        for right in range(checks + 1):
            read = organisation_accuracy(np.array([checks]), np.array([right]), one, 0.9, 0.0)
            coverage += binom.pmf(right, checks, truth) * (read.low <= truth <= read.high)
        assert coverage >= 0.85, (truth, coverage)


def test_segments_with_few_checks_each_are_covered_as_the_interval_says():
    """Three equal segments, 3 checks each, the same truth: the 90% interval holds it in
    at least 84% of 4,000 draws (standard error 0.5 points); before, 56% at 0.9."""
    rng = np.random.default_rng(1)
    for truth in (0.7, 0.9):
        right = rng.binomial(3, truth, (4000, 3))
        held = [
            (r := organisation_accuracy(np.full(3, 3), draw, np.ones(3), 0.9, 0.0)).low
            <= truth
            <= r.high
            for draw in right
        ]
        assert np.mean(held) >= 0.84, (truth, np.mean(held))


def test_a_segment_with_few_checks_keeps_the_prior_of_what_is_pooled_in_it():
    """A segment with 2 checks is mostly the pooled share, here the other segment's: that
    part keeps the prior spread of segments, so its interval is wider than its own
    checks' sampling says. A representative pilot (checks in proportion to headcount,
    every segment pulled alike) pools no segment's bias into another: nothing added."""
    headcount = np.array([500, 500])
    z = z_score(0.9)
    checked, correct = np.array([1000, 2]), np.array([900, 1])
    few = organisation_accuracy(checked, correct, headcount, 0.9, 0.08)
    without = organisation_accuracy(checked, correct, headcount, 0.9, 0.0)
    parts = 0.5 * pooled_part(checked, z)  # the pooled share's part of each, weighted
    shares = checked / checked.sum()  # the pooled share is almost all the first segment's
    pooled = (((parts.sum() * shares - parts) ** 2).sum()) * 0.08**2
    # half the estimate is pulled 2.7/4.7 of the way to the other segment: the gap
    # between two segments, each within 0.08 of the rest, has variance 2 × 0.08²
    assert pooled == pytest.approx((0.5 * 2.7 / 4.7) ** 2 * 2 * 0.08**2, rel=0.02)
    assert few.sampling_variance == pytest.approx(without.sampling_variance + pooled)
    assert few.high - few.low > without.high - without.low
    even = (np.array([4, 4]), np.array([3, 2]))
    assert organisation_accuracy(*even, headcount, 0.9, 0.08).sampling_variance == (
        pytest.approx(organisation_accuracy(*even, headcount, 0.9, 0.0).sampling_variance)
    )


def test_the_trend_is_read_within_the_segments_both_windows_checked():
    """A pilot that grows into a worse segment is not a move of the tool; a rise in every
    segment is, pooled by what each segment's checks can show."""
    grown = accuracy_change(
        (np.array([100, 100]), np.array([80, 50])), (np.array([100, 0]), np.array([80, 0]))
    )
    assert grown is not None and grown[0] == pytest.approx(0.0)
    rise, variance = accuracy_change(
        (np.array([100, 20]), np.array([80, 14])), (np.array([100, 20]), np.array([70, 12]))
    )
    assert rise == pytest.approx(0.1)  # both segments rose 10 points
    share = (
        178 / 244
    )  # right among all four windows-and-segments, one right and wrong added to each window
    assert variance == pytest.approx(share * (1 - share) / 60)  # weights 50 and 10
    assert accuracy_change((np.array([5, 0]), np.array([4, 0])), (np.zeros(2), np.zeros(2))) is None


def test_training_seats_limit_how_many_are_trained(org):
    env = simpy.Environment()
    people = People.start(org.size, org.stance_prior, np.zeros(org.size, dtype=bool))
    config = TrainingConfig(trainers=2, seats_per_session=10, session_days=7.0, cost_per_seat=1)
    ledger = Ledger()
    training = Training(config, people, env, EventLog(), ledger)
    training.enqueue(np.arange(1000))
    env.run(until=69.9)
    # a session every 3.5 days (two trainers, each weekly): 20 sessions of 10 seats
    # start before day 70; everyone else still waits
    assert people.trained.sum() == 200
    assert training.queued == 800
    assert ledger.totals["training"] == 200
    assert training.waits[0] == 0.0 and training.waits[-1] > 60


@pytest.mark.parametrize(("queued_before_the_tick", "wait"), [(True, 0.0), (False, 7.0)])
def test_a_session_sees_who_queued_at_its_instant_only_if_they_came_first(
    org, queued_before_the_tick, wait
):
    """One trainer, a session offered every 7 days; five people queue at day 7 exactly,
    by an event scheduled before the schedule set its day-7 turn (the session of day 7
    takes them) or after it (they wait for day 14): SimPy's order of an instant, as when
    the schedule was a process."""
    env = simpy.Environment()
    people = People.start(org.size, org.stance_prior, np.zeros(org.size, dtype=bool))
    config = TrainingConfig(trainers=1, seats_per_session=10, session_days=7.0)

    def queue_at_day_seven():
        yield env.timeout(7.0)
        training.enqueue(np.arange(5))

    if queued_before_the_tick:
        env.process(queue_at_day_seven())
    training = Training(config, people, env, EventLog(), Ledger())
    if not queued_before_the_tick:
        env.process(queue_at_day_seven())
    env.run(until=20.0)
    assert training.waits == [wait]
    assert people.trained.sum() == 5


def test_champions_queue_first(org):
    env = simpy.Environment()
    champion = np.zeros(org.size, dtype=bool)
    champion[500:510] = True
    people = People.start(org.size, org.stance_prior, champion)
    training = Training(
        TrainingConfig(trainers=1, seats_per_session=10, session_days=7.0),
        people,
        env,
        EventLog(),
        Ledger(),
    )
    training.enqueue(np.arange(0, 510))
    env.run(until=1.5)
    assert people.trained[500:510].all() and people.trained.sum() == 10


def test_champion_selection(org):
    rng = np.random.default_rng(0)
    by_degree = choose_champions(ChampionsConfig(share=0.02, selection="centrality"), org, rng)
    assert by_degree.sum() == 80
    assert org.degree()[by_degree].min() >= np.sort(org.degree())[-80]
    per_team = choose_champions(ChampionsConfig(selection="per_team"), org, rng)
    assert per_team.sum() == org.team_count
    assert np.bincount(org.team[per_team], minlength=org.team_count).max() == 1
    random = choose_champions(ChampionsConfig(share=0.05, selection="random"), org, rng)
    assert random.sum() == 200


def test_the_most_tied_are_the_first_of_the_lexsort_they_replace():
    """Equal degrees and, in some draws, equal tie breaks (the first position wins, as
    in the stable lexsort), for every count from one to everyone."""
    rng = np.random.default_rng(5)
    for draw in range(40):
        size = int(rng.integers(1, 300))
        degree = rng.integers(0, 1 + draw % 12, size)
        tie_break = rng.random(size)
        if draw % 3 == 0:
            tie_break = np.round(tie_break, 1)
        ranked = np.lexsort((tie_break, -degree))
        for count in range(1, size + 1):
            chosen = most_tied(degree, tie_break, count)
            assert np.array_equal(np.sort(chosen), np.sort(ranked[:count])), (draw, count)


def test_outage_share_counts_every_outage_in_the_step():
    from adoption.config.tool import InfrastructureConfig
    from adoption.engine.infrastructure import Infrastructure

    infrastructure = Infrastructure(
        InfrastructureConfig(mtbf_days=0),
        simpy.Environment(),
        np.random.default_rng(0),
        EventLog(),
    )
    for day in range(3):
        for k in range(20):
            begin = day + k * 0.05
            infrastructure.add_outage(begin, begin + 0.01, "outage", "test")
    assert infrastructure.down_share(1.0, 2.0) == pytest.approx(0.2)
    assert infrastructure.down_share(3.0, 4.0) == 0.0


def test_the_tools_accuracy_is_the_clipped_decay_bit_for_bit():
    """`Tool.accuracy` skips the clip when the lowest and highest segments stay inside
    [0, 1]; every step of a run whose tool drifts below zero between fixes (no
    retraining, the fastest drift) gives what clipping every step gives, to the bit and
    the sign of zero, as do segments put above 1 and at exactly 0."""
    from adoption.engine.clock import DAYS_PER_YEAR
    from adoption.engine.model import AdoptionModel

    model = AdoptionModel(
        overrides={
            "organisation.employees": 300,
            "tool.drift_per_year": 1.0,
            "tool.retraining.interval_days": 0,
        },
        plan="big-bang",
        days=500,
    )
    tool = model.dynamics.tool

    def clipped() -> np.ndarray:
        years = (model.env.now - tool.last_retrain_day) / DAYS_PER_YEAR
        decayed = tool.launch_accuracy + tool.fixed
        decayed = decayed - tool.config.drift_per_year * years - tool.pipeline.penalty
        return np.clip(decayed, 0.0, 1.0)

    def same(accuracy: np.ndarray, expected: np.ndarray) -> bool:
        signs = np.array_equal(np.signbit(accuracy), np.signbit(expected))
        return np.array_equal(accuracy, expected) and signs

    zeros = inside = 0
    releases = tool.fix_releases
    while model.running:
        model.step()
        accuracy = tool.accuracy()
        assert same(accuracy, clipped()), model.steps
        zeros += bool((accuracy == 0.0).any())
        inside += bool((accuracy > 0.0).all())
    assert zeros > 50 and inside > 50 and tool.fix_releases > releases
    tool.last_retrain_day = model.env.now
    for launch in (1.3, 0.0, -0.0):
        tool.launch_accuracy[:] = launch
        tool._fixes_changed()
        assert same(tool.accuracy(), clipped()), launch
