"""Money: costs by category and value, collected as they happen, read once a day."""

from __future__ import annotations

from collections import defaultdict

COST_CATEGORIES = (
    "errors",
    "uses",
    "licences",
    "capacity",
    "training",
    "support",
    "retraining",
    "fixes",
    "pipeline",
    "programme",
    "launch",
    "evaluation",
)


class Ledger:
    """Costs and value since the last `close_day`, plus running totals by category."""

    def __init__(self) -> None:
        self._today: dict[str, float] = defaultdict(float)
        self.totals: dict[str, float] = dict.fromkeys(COST_CATEGORIES, 0.0)
        self.value_today = 0.0
        self.value_total = 0.0

    def charge(self, category: str, amount: float) -> None:
        """Record a cost (money) in one of COST_CATEGORIES."""
        if category not in self.totals:
            raise KeyError(f"unknown cost category {category!r}")
        self._today[category] += amount
        self.totals[category] += amount

    def earn(self, amount: float) -> None:
        """Record value delivered (money)."""
        self.value_today += amount
        self.value_total += amount

    def close_day(self) -> tuple[float, float]:
        """(value, cost) since the last call; starts a new day."""
        value, cost = self.value_today, sum(self._today.values())
        self._today.clear()
        self.value_today = 0.0
        return value, cost
