"""The forecast from a calibration: the remaining rollout's plans under the posterior,
and the go/no-go decision with its probability of meeting the target."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from adoption.arguments import file_path
from adoption.calibration.folder import read_folder
from adoption.config import Scenario, load_scenario
from adoption.errors import InputError
from adoption.experiment.comparison import Comparison

GO_CONFIDENCE = 0.8
"""Least probability of meeting the target for 'go'."""


def posterior_scenario(folder: str | Path, overrides=None) -> Scenario:
    """The calibrated scenario of a whole calibration folder (its files checked against
    its manifest), with the fitted fields' posteriors in `uncertainties`."""
    folder = file_path(folder, "posterior")
    read_folder(folder)
    scenario = load_scenario(folder / "calibrated.yaml", overrides)
    fitted = posterior_diagnostics(folder).get("fit")
    if not isinstance(fitted, list) or not fitted:
        raise InputError(f"--posterior {folder}: diagnostics.json names no fitted field")
    for name in fitted:
        uncertainty = scenario.uncertainties.get(str(name))
        if uncertainty is None or uncertainty.distribution != "choice":
            raise InputError(
                f"--posterior {folder}: calibrated.yaml holds no posterior draws for {name}"
            )
    return scenario


def posterior_diagnostics(folder: str | Path) -> dict:
    """The diagnostics a calibration wrote (read as checked by `posterior_scenario`)."""
    try:
        return json.loads((Path(folder) / "diagnostics.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"--posterior {folder}: diagnostics.json unreadable ({exc})") from None


@dataclass(frozen=True)
class Decision:
    verdict: str  # go, extend or no-go
    plan: str
    probability: float  # that `plan` meets the target
    target: str

    def text(self) -> str:
        verdict = {"go": "GO", "extend": "EXTEND THE PILOT", "no-go": "NO-GO"}[self.verdict]
        return (
            f"recommendation: {verdict} — '{self.plan}' meets {self.target} with probability "
            f"{self.probability:.2f} (go needs {GO_CONFIDENCE:.2f}), over the posterior"
        )


def decide(comparison: Comparison) -> Decision:
    """Go with the expanding plan most likely to meet the target if that likelihood is at
    least GO_CONFIDENCE; extend the pilot if extending reaches it; otherwise no-go."""
    meets = {row.plan: 1.0 - row.p_miss for row in comparison.risk.itertuples()}
    target = str(comparison.target)
    expanding = [p for p in ("proceed", "next-region") if p in meets]
    if expanding:
        best = max(expanding, key=lambda p: meets[p])
        if meets[best] >= GO_CONFIDENCE:
            return Decision("go", best, meets[best], target)
    if meets.get("extend-pilot", 0.0) >= GO_CONFIDENCE:
        return Decision("extend", "extend-pilot", meets["extend-pilot"], target)
    best = max(meets, key=lambda p: meets[p])
    return Decision("no-go", best, meets[best], target)
