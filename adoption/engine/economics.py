"""Money on the clock: what uses earn, and what keeping the programme running costs."""

from __future__ import annotations

from adoption.config import Scenario
from adoption.engine.experience import UsesOutcome
from adoption.engine.ledger import Ledger


class Economics:
    """Books a run's value and costs in its ledger as they happen.

    A correct use earns `value_per_successful_use`, a wrong one costs
    `cost_per_wrong_use`, and every use costs `cost_per_use`. While the programme runs,
    capacity, support agents and the programme itself cost money per day; the first
    wave pays the launch. Licences are paid by the seats (`licences.Seats`).
    """

    def __init__(self, scenario: Scenario, ledger: Ledger) -> None:
        self.economics = scenario.economics
        self.cost_per_rps_day = scenario.tool.infrastructure.cost_per_rps_day
        self.support = scenario.change_management.support
        self.ledger = ledger
        self.launched = False

    def launch(self) -> None:
        """The one-off launch cost, paid at the first wave that gives anyone access."""
        if not self.launched:
            self.launched = True
            self.ledger.charge("launch", self.economics.launch_cost)

    def book_uses(self, uses: UsesOutcome) -> None:
        """Value of the step's correct uses; the cost of its wrong answers and of all uses."""
        economics = self.economics
        self.ledger.earn(uses.successes * economics.value_per_successful_use)
        self.ledger.charge("errors", (uses.served - uses.successes) * economics.cost_per_wrong_use)
        self.ledger.charge("uses", uses.uses * economics.cost_per_use)

    def charge_running(self, capacity_requests_per_second: float, agents: float, dt: float) -> None:
        """Capacity, support agents and the programme, for `dt` days of running."""
        ledger = self.ledger
        ledger.charge("capacity", capacity_requests_per_second * self.cost_per_rps_day * dt)
        ledger.charge("support", agents * self.support.cost_per_agent_day * dt)
        ledger.charge("programme", self.economics.programme_cost_per_day * dt)

    def charge_preparation(self, dt: float) -> None:
        """The programme office, for `dt` days of preparing a launch nobody uses yet."""
        self.ledger.charge("programme", self.economics.programme_cost_per_day * dt)
