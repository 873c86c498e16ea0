"""Employees as Mesa agents: thin views onto the model's arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import FixedAgent

from adoption.engine.states import STATE_NAMES
from adoption.organisation.model import ROLES

if TYPE_CHECKING:
    from adoption.engine.model import AdoptionModel


class Employee(FixedAgent):
    """One person; every attribute reads the arrays, so agents never go stale.

    The model updates everyone at once on arrays; agents exist so that Mesa's tools
    (AgentSet selection, grouping, agent reporters, space drawing) work on people.
    Each sits in their own cell of the model's `grid` (the organisation network as a
    Mesa `Network` space) once that is built.
    """

    model: AdoptionModel

    def __init__(self, model: AdoptionModel, position: int) -> None:
        super().__init__(model)
        self.position = position

    @property
    def employee_id(self) -> str:
        return str(self.model.organisation.employee_id[self.position])

    @property
    def state(self) -> str:
        return STATE_NAMES[self.model.people.state[self.position]]

    @property
    def role(self) -> str:
        return ROLES[self.model.organisation.role[self.position]]

    @property
    def team(self) -> str:
        org = self.model.organisation
        return org.team_names[org.team[self.position]]

    @property
    def department(self) -> str:
        org = self.model.organisation
        return org.department_names[org.department[self.position]]

    @property
    def region(self) -> str:
        org = self.model.organisation
        return org.region_names[org.region[self.position]]

    @property
    def manager(self) -> Employee | None:
        boss = self.model.organisation.manager[self.position]
        return None if boss < 0 else self.model.employee_at[boss]

    @property
    def trained(self) -> bool:
        return bool(self.model.people.trained[self.position])

    @property
    def champion(self) -> bool:
        return bool(self.model.people.champion[self.position])

    @property
    def expectation(self) -> float:
        return float(self.model.people.expectation[self.position])

    @property
    def experienced_accuracy(self) -> float:
        return float(self.model.people.experienced_accuracy[self.position])
