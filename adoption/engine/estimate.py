"""What a gate can know of the tool's accuracy for the whole organisation.

Uses are checked by hand as they happen (a random share of each step's served uses,
by data segment). A gate reads the checks of its window segment by segment and weighs
each segment by the headcount it would bring, so that a pilot in the best region, or
users who stay because the tool serves them best, do not speak for everyone. Segments
the pilot has not seen are estimated from an offline evaluation on a labelled sample of
their data, or else take the seen segments' accuracy with an interval widened to the
prior spread of segments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


class SegmentChecks:
    """Uses checked by hand, by step and data segment (checked, of which right).

    Each step a random `share` of the served uses of every segment is checked: a
    Binomial count of them, and a hypergeometric number right among the step's
    successes.
    """

    def __init__(self, steps: int, segments: int) -> None:
        self.checked = np.zeros((steps, segments), dtype=np.int64)
        self.correct = np.zeros((steps, segments), dtype=np.int64)
        self.handicap = np.zeros(steps)  # accuracy a known temporary cause took that step

    def check(
        self,
        step: int,
        successes: np.ndarray,
        failures: np.ndarray,
        share: float,
        rng: np.random.Generator,
        handicap: float = 0.0,
    ) -> None:
        """Check a random `share` of step `step`'s served uses, by segment; `handicap` is
        the accuracy a cause the organisation knows to be temporary (the fragile feed)
        took from them."""
        self.handicap[step] = handicap
        good = np.rint(successes).astype(np.int64)
        bad = np.rint(failures).astype(np.int64)
        checked = rng.binomial(good + bad, share)
        self.checked[step] = checked
        self.correct[step] = rng.hypergeometric(good, bad, checked)

    def handicap_share(self, first: int, last: int) -> float:
        """The checks' mean handicap over steps `first` to `last` (excluded)."""
        first = max(first, 0)
        checked = self.checked[first:last].sum(axis=1)
        total = checked.sum()
        return float(checked @ self.handicap[first:last] / total) if total else 0.0

    def mean_step(self, first: int, last: int) -> float:
        """The checks' mean step over steps `first` to `last` (excluded)."""
        first = max(first, 0)
        checked = self.checked[first:last].sum(axis=1)
        total = checked.sum()
        return float(checked @ np.arange(first, first + checked.size) / total) if total else 0.0

    def totals(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Checked and right by segment over steps `first` (included) to `last` (excluded)."""
        first = max(first, 0)
        return (
            self.checked[first:last].sum(axis=0),
            self.correct[first:last].sum(axis=0),
        )


@dataclass(frozen=True)
class AccuracyEstimate:
    """The organisation's accuracy as a gate estimates it, with its interval.

    `sampling_variance` shrinks as more uses are checked; `prior_variance` (the part of
    the organisation no use or labelled example has shown) does not.
    """

    estimate: float
    low: float
    high: float
    sampling_variance: float
    prior_variance: float
    seen_share: float  # headcount share of the segments with checked uses or examples

    @property
    def variance(self) -> float:
        return self.sampling_variance + self.prior_variance


def moved(
    estimate: AccuracyEstimate, points: float, variance: float, confidence: float
) -> AccuracyEstimate:
    """`estimate` moved by `points`, its sampling variance grown by `variance` (the
    uncertainty of the move), its interval recomputed at `confidence`."""
    centre = min(1.0, max(0.0, estimate.estimate + points))
    sampling = estimate.sampling_variance + variance
    half = z_score(confidence) * math.sqrt(sampling + estimate.prior_variance)
    return AccuracyEstimate(
        estimate=centre,
        low=max(0.0, centre - half),
        high=min(1.0, centre + half),
        sampling_variance=sampling,
        prior_variance=estimate.prior_variance,
        seen_share=estimate.seen_share,
    )


def z_score(confidence: float) -> float:
    """The two-sided normal quantile of a `confidence` interval."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def pooled_part(checks: np.ndarray | float, z: float) -> np.ndarray | float:
    """The share of a segment's estimate borrowed from the other segments, not its own
    checks: z² pseudo-checks among its `checks` + z² (1 for a segment nobody checked)."""
    return z * z / (checks + z * z)


def pooled_others(checks: np.ndarray, right: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """For each segment, the share right of the other segments' checks with z²/2 right
    and z²/2 wrong added (Agresti & Coull 1998: one half where no other segment is
    checked), and the sampling variance of that share."""
    others = checks.sum() - checks
    share = (right.sum() - right + z * z / 2) / (others + z * z)
    return share, share * (1 - share) * others / (others + z * z) ** 2


def pooled_variance(weight: np.ndarray, checks: np.ndarray, z: float, sd: float) -> float:
    """The variance the borrowed parts bring to a weighted estimate over segments of
    headcount weight `weight` with `checks` each, every segment's accuracy lying
    independently within `sd` of the others.

    With a_i = weight × `pooled_part` and c_j each segment's share of the checks, the
    parts add Σ_i a_i (Σ_j c_j t_j − t_i) = Σ_j (A c_j − a_j) t_j to the estimate
    (A = Σ a_i): nothing when the checks come from the segments in proportion to their
    headcount and every segment is pulled alike (a representative pilot), most when
    the checks come from a few segments and the rest are pulled toward them.
    """
    parts = weight * pooled_part(checks, z)
    share = checks / checks.sum()
    return float(((parts.sum() * share - parts) ** 2).sum()) * sd * sd


def organisation_accuracy(
    checked: np.ndarray,
    correct: np.ndarray,
    headcount: np.ndarray,
    confidence: float,
    unseen_sd: float,
) -> AccuracyEstimate:
    """Headcount-weighted accuracy over data segments, from checks by segment.

    Each seen segment's accuracy is its share right pulled by z² pseudo-checks toward
    what the other segments' checks say (`pooled_others`): a segment with few checks,
    all right or all wrong, is neither taken as certain nor allowed to swing the
    estimate (the others' share enters where its checks are few; none where they are
    many). With no other segment checked the pull is Agresti & Coull's (1998), toward
    one half: a pilot with three checks, all right, is not read as certain (a share's
    variance p(1 − p)/n vanishes at p = 1, the Wald interval's known failure). What a
    segment borrows of the others brings their sampling error with it. The part of a
    segment's estimate that is borrowed (`pooled_part`) is not the segment's own: it
    keeps the prior `unseen_sd`² of how far the segment lies from the segments the
    checks come from (`pooled_variance`), and shrinks only as its checks grow. An
    unseen segment takes the seen segments' weighted mean, with the prior variance
    `unseen_sd`² on top. With nothing seen, the estimate is the interval [0, 1].
    """
    z = z_score(confidence)
    weight = headcount / headcount.sum()
    seen = checked > 0
    seen_share = float(weight[seen].sum())
    if not seen.any():
        return AccuracyEstimate(0.5, 0.0, 1.0, 0.25, 0.0, 0.0)
    n, right = checked[seen], correct[seen]
    others, others_variance = pooled_others(n, right, z)
    borrowed = pooled_part(n, z)
    pulled = (right + z * z * others) / (n + z * z)
    w = weight[seen] / seen_share
    estimate = float((w * pulled).sum())
    # the unseen segments take the seen mean: its sampling error counts for them too;
    # the others' shares are read from overlapping checks, so their errors add in full
    sampling = float((w * w * pulled * (1 - pulled) / (n + z * z)).sum())
    sampling += float((w * borrowed * np.sqrt(others_variance)).sum()) ** 2
    sampling += pooled_variance(w, n, z, unseen_sd)
    prior = (1.0 - seen_share) ** 2 * unseen_sd**2
    half = z * math.sqrt(sampling + prior)
    return AccuracyEstimate(
        estimate=estimate,
        low=max(0.0, estimate - half),
        high=min(1.0, estimate + half),
        sampling_variance=sampling,
        prior_variance=prior,
        seen_share=seen_share,
    )


def accuracy_change(
    recent: tuple[np.ndarray, np.ndarray], early: tuple[np.ndarray, np.ndarray]
) -> tuple[float, float] | None:
    """How much the share right rose from the `early` checks (checked, right by segment)
    to the `recent` ones, and the variance of that rise; None when no segment has both.

    Fixes and drift move the tool for every segment, so the rise is one quantity, read
    within each segment both checked and pooled in proportion to what each segment's
    checks can show (weights 1 / (1/recent + 1/early), as in a stratified difference
    of proportions): a pilot that grows into new segments is not taken for a move of
    the tool, and a segment with two checks cannot swing it. The variance is at the
    share right of all these checks together, one right and one wrong added to each
    window (Agresti & Caffo 2000), so that windows with every check right do not read
    as a rise known exactly.
    """
    both = (recent[0] > 0) & (early[0] > 0)
    if not both.any():
        return None
    n_recent, n_early = recent[0][both], early[0][both]
    within = recent[1][both] / n_recent - early[1][both] / n_early
    weight = 1.0 / (1.0 / n_recent + 1.0 / n_early)
    right = recent[1][both].sum() + early[1][both].sum() + 2
    share = right / (n_recent.sum() + n_early.sum() + 4)
    return float(weight @ within / weight.sum()), float(share * (1 - share) / weight.sum())


def labelled_sample(
    accuracy: np.ndarray, unseen: np.ndarray, examples: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """An offline evaluation: `examples` labelled examples of each unseen segment's data
    run through the tool as it is today (checked, right) by segment."""
    checked = np.where(unseen, examples, 0).astype(np.int64)
    return checked, rng.binomial(checked, accuracy).astype(np.int64)
