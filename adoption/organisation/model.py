"""The organisation as arrays indexed by employee, plus a sparse network."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

ROLES = ("individual_contributor", "manager", "executive")
IC, MANAGER, EXECUTIVE = 0, 1, 2

ADOPTER_CATEGORIES = ("innovators", "early_adopters", "early_majority", "late_majority", "laggards")

STANCES = {-1: "opposed", 0: "neutral", 1: "sponsor"}
"""Manager stance codes: the sign says for or against."""


@dataclass(eq=False)
class Organisation:
    """People, teams, departments, regions and who talks to whom.

    Every per-person attribute is a NumPy array of length `size`, indexed by employee
    position; per-team attributes are indexed by team. The network is a symmetric
    CSR matrix with no self-loops (weights are tie strengths).
    """

    employee_id: np.ndarray  # str, unique
    role: np.ndarray  # int8, index into ROLES
    manager: np.ndarray  # int32, position of the manager, -1 for a root
    team: np.ndarray  # int32, index into team_names
    department: np.ndarray  # int16, index into department_names
    region: np.ndarray  # int16, index into region_names
    innovativeness: np.ndarray  # float32 in [0, 1]; 1 is the most innovative
    adopter_category: np.ndarray  # int8, index into ADOPTER_CATEGORIES
    digital_skill: np.ndarray  # float32 in [0, 1]
    threat_perception: np.ndarray  # float32 in [0, 1]
    stance_prior: np.ndarray  # int8 in {-1, 0, 1}; meaningful for managers and executives
    team_names: list[str]
    department_names: list[str]
    region_names: list[str]
    team_resistant: np.ndarray  # bool per team
    team_workflow_fit: np.ndarray  # float32 per team in [0, 1]
    adjacency: sp.csr_matrix
    notes: list[str] = field(default_factory=list)
    complete: bool = False  # everyone is tied to everyone; `adjacency` is then left empty

    @property
    def size(self) -> int:
        """Headcount."""
        return int(self.employee_id.shape[0])

    @property
    def team_count(self) -> int:
        """Number of teams."""
        return len(self.team_names)

    def degree(self) -> np.ndarray:
        """Number of ties of each person."""
        if self.complete:
            return np.full(self.size, self.size - 1)
        return np.diff(self.adjacency.indptr)

    def team_manager(self) -> np.ndarray:
        """For each team, the position of the person most of its members report to (-1: none)."""
        result = np.full(self.team_count, -1, dtype=np.int64)
        has_manager = self.manager >= 0
        same_team = np.zeros(self.size, dtype=bool)
        same_team[has_manager] = self.team[self.manager[has_manager]] == self.team[has_manager]
        # the manager inside the team: someone in the team whom a teammate reports to
        inside = self.manager[same_team]
        result[self.team[inside]] = inside
        # teams whose members all report outside: the most common outside manager, the
        # first position among equally common ones
        members = np.flatnonzero(has_manager & (result < 0)[self.team])
        if members.size:
            pairs, counts = np.unique(
                self.team[members].astype(np.int64) * self.size + self.manager[members],
                return_counts=True,
            )
            team, boss = np.divmod(pairs, self.size)
            order = np.lexsort((boss, -counts, team))
            first = np.ones(order.size, dtype=bool)
            first[1:] = team[order[1:]] != team[order[:-1]]
            result[team[order[first]]] = boss[order[first]]
        return result

    def to_networkx(self) -> nx.Graph:
        """The organisation network as a NetworkX graph, node attributes included."""
        graph = nx.from_scipy_sparse_array(self.adjacency)
        attributes = {
            i: {
                "employee_id": str(self.employee_id[i]),
                "role": ROLES[self.role[i]],
                "team": self.team_names[self.team[i]],
                "department": self.department_names[self.department[i]],
                "region": self.region_names[self.region[i]],
            }
            for i in range(self.size)
        }
        nx.set_node_attributes(graph, attributes)
        return graph
