"""`.plot` on results: the package's figures, one method each, ready to show.

Each method returns an `InlineFigure` (a Matplotlib figure that shows itself in a
notebook; `.savefig(path)` writes it, `.axes` reaches its axes). The HTML reports and
the workshop draw the same figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adoption.inline import InlineFigure

if TYPE_CHECKING:
    from adoption.calibration.calibrate import Calibration
    from adoption.experiment.comparison import Comparison
    from adoption.experiment.exploration import Exploration
    from adoption.result import SimulationResult


class RunPlots:
    """Figures of one run."""

    def __init__(self, result: SimulationResult) -> None:
        self._result = result

    def adoption(self) -> InlineFigure:
        """People in each state by day, with waves, gates and outages marked."""
        from adoption.plots import adoption_figure

        return adoption_figure(self._result)


class ComparisonPlots:
    """Figures of a comparison of plans."""

    def __init__(self, comparison: Comparison) -> None:
        self._comparison = comparison

    def adoption(self) -> InlineFigure:
        """Active users by plan over time: mean and 10th–90th percentile band."""
        from adoption.experiment.figures import adoption_curves_figure

        return adoption_curves_figure(self._comparison)

    def outcomes(self) -> InlineFigure:
        """Abandonment, NPV and the risk of missing the target, with 95% intervals."""
        from adoption.experiment.figures import outcomes_figure

        return outcomes_figure(self._comparison)

    def money(self) -> InlineFigure:
        """Cumulative net value by day and NPV with its interval, by plan."""
        from adoption.experiment.figures import money_figure

        return money_figure(self._comparison)

    def paired(self) -> InlineFigure:
        """Each plan minus the baseline on the same random streams, with intervals."""
        from adoption.experiment.figures import paired_figure

        return paired_figure(self._comparison)

    def causes(self) -> InlineFigure:
        """Why people abandoned, by plan."""
        from adoption.experiment.figures import causes_figure

        return causes_figure(self._comparison)


class ExplorationPlots:
    """Figures of an exploration across sampled worlds."""

    def __init__(self, exploration: Exploration) -> None:
        self._exploration = exploration

    def sensitivity(self) -> InlineFigure:
        """Which uncertainties matter most (Sobol indices or Morris mu*), per response."""
        from adoption.experiment.explore_report import sensitivity_figure

        return sensitivity_figure(self._exploration)

    def boxes(self) -> InlineFigure:
        """Where each plan wins: the scenario-discovery (PRIM) box of the leaders."""
        from adoption.experiment.explore_report import box_figure

        return box_figure(self._exploration)

    def regret(self) -> InlineFigure:
        """Each plan's regret across the sampled worlds."""
        from adoption.experiment.explore_report import regret_figure

        return regret_figure(self._exploration)


class CalibrationPlots:
    """Figures of a calibration to a pilot's telemetry."""

    def __init__(self, calibration: Calibration) -> None:
        self._calibration = calibration

    def predictive(self) -> InlineFigure:
        """The telemetry against the posterior predictive 90% bands, by measure and group."""
        from adoption.calibration.figures import predictive_figure

        return predictive_figure(self._calibration)

    def posterior(self) -> InlineFigure:
        """Each fitted parameter's posterior, its 90% interval and the prior's range."""
        from adoption.calibration.figures import posterior_figure

        return posterior_figure(self._calibration)
