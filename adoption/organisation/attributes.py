"""Per-person and per-team attributes drawn from the scenario's shares and means."""

from __future__ import annotations

import numpy as np

from adoption.config.organisation import OrganisationConfig


def beta_with_mean(
    mean: float, concentration: float, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Draws in [0, 1] with the given mean, from a Beta whose alpha + beta is `concentration`."""
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    a, b = mean * concentration, (1 - mean) * concentration
    return rng.beta(a, b, size).astype(np.float32)


def adopter_category(innovativeness: np.ndarray, shares: list[float]) -> np.ndarray:
    """Rogers category from innovativeness: the top 2.5% are innovators, and so on."""
    upper_bounds = 1.0 - np.cumsum(shares)[:-1]
    # innovativeness above the first bound is category 0, below the last is category 4
    return (innovativeness <= upper_bounds[:, None]).sum(axis=0).astype(np.int8)


def stances(size: int, config: OrganisationConfig, rng: np.random.Generator) -> np.ndarray:
    """Stance priors (-1 opposed, 0 neutral, 1 sponsor) drawn with the configured shares."""
    shares = config.manager_stance
    return rng.choice(
        np.array([1, 0, -1], dtype=np.int8),
        size=size,
        p=[shares.sponsor, shares.neutral, shares.opposed],
    )


def resistant_teams(teams: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """Exactly round(share × teams) teams, chosen at random, resist as a group."""
    resistant = np.zeros(teams, dtype=bool)
    resistant[rng.choice(teams, size=round(share * teams), replace=False)] = True
    return resistant


def person_attributes(
    size: int, config: OrganisationConfig, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Innovativeness, adopter category, digital skill and threat perception for everyone."""
    innovativeness = rng.random(size).astype(np.float32)
    return {
        "innovativeness": innovativeness,
        "adopter_category": adopter_category(innovativeness, config.adopter_categories.as_list()),
        "digital_skill": beta_with_mean(
            config.digital_skill_mean, config.attribute_concentration, size, rng
        ),
        "threat_perception": beta_with_mean(
            config.threat_perception_mean, config.attribute_concentration, size, rng
        ),
    }
