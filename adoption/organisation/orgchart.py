"""Loading an organisation from an HR org-chart export and a collaboration edge list.

Either everything loads or an `InputError` names the file, line and value; nothing
is half-loaded. What was accepted on the way (a byte-order mark, spaces, role
spellings, drawn attributes) is listed in `Organisation.notes`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from adoption.arguments import file_path, instance, optional_seed
from adoption.config.organisation import OrganisationConfig
from adoption.errors import InputError
from adoption.organisation import attributes, network
from adoption.organisation.csvtext import CsvTable, positive_weight, read_csv
from adoption.organisation.model import EXECUTIVE, IC, MANAGER, STANCES, Organisation

REQUIRED = ["employee_id", "manager_id", "team", "department", "region", "role"]
PERSON_NUMBERS = ["innovativeness", "digital_skill", "threat_perception"]
TEAM_COLUMNS = ["team_resistant", "team_workflow_fit"]
OPTIONAL = [*PERSON_NUMBERS, *TEAM_COLUMNS, "manager_stance"]

ROLE_SPELLINGS = {
    IC: {"individual contributor", "ic", "contributor", "employee", "staff"},
    MANAGER: {"manager", "mgr", "team lead", "team leader", "supervisor", "people manager"},
    EXECUTIVE: {"executive", "exec", "director", "vp", "vice president", "ceo", "c level"},
}
ROLE_BY_SPELLING = {spelling: role for role, names in ROLE_SPELLINGS.items() for spelling in names}
CANONICAL_ROLES = {"individual_contributor", "manager", "executive"}
STANCE_BY_NAME = {name: code for code, name in STANCES.items()}
TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


def load_org_chart(
    org_chart: str | Path,
    config: OrganisationConfig | None = None,
    edges: str | Path | None = None,
    seed: int | None = None,
) -> Organisation:
    """An organisation from an HR export (and optional collaboration edges).

    Per-person attributes missing from the file are drawn from `config`'s
    distributions with `seed` (default `config.seed`); so are the network ties when no
    edge list is given.
    """
    config = config or OrganisationConfig()
    instance(config, OrganisationConfig, "config", "an OrganisationConfig (scenario.organisation)")
    seed = optional_seed(seed)
    if edges is not None:
        edges = file_path(edges, "edges")
    rng = np.random.default_rng(config.seed if seed is None else seed)
    table = read_csv(file_path(org_chart, "org_chart"), REQUIRED, OPTIONAL, "org chart")
    notes = list(table.notes)
    ids = _employee_ids(table)
    manager = _managers(table, ids)
    _check_hierarchy(table, manager, notes)
    role = _roles(table, notes)
    team, team_names = _codes(table, "team")
    department, department_names = _codes(table, "department")
    region, region_names = _codes(table, "region")
    size = len(ids)
    people = attributes.person_attributes(size, config, rng)
    for column in PERSON_NUMBERS:
        _fill_numbers(table, column, people[column], notes)
    people["adopter_category"] = attributes.adopter_category(
        people["innovativeness"], config.adopter_categories.as_list()
    )
    stance_prior = np.where(role == IC, 0, attributes.stances(size, config, rng)).astype(np.int8)
    _fill_stances(table, stance_prior)
    team_resistant = attributes.resistant_teams(len(team_names), config.resistant_team_share, rng)
    team_fit = attributes.beta_with_mean(
        config.workflow_fit_mean, config.attribute_concentration, len(team_names), rng
    )
    _fill_team_values(table, team, team_resistant, team_fit)
    sources, targets = network.reporting_edges(manager)
    weights = np.ones(sources.size, dtype=np.float32)
    if edges is not None:
        extra = _collaboration_edges(Path(edges), {v: k for k, v in enumerate(ids)}, notes)
    else:
        extra = _generated_edges(team, department, region, config, rng)
    sources = np.concatenate([sources, extra[0]])
    targets = np.concatenate([targets, extra[1]])
    weights = np.concatenate([weights, extra[2]])
    return Organisation(
        employee_id=np.array(ids, dtype=object),
        role=role,
        manager=manager,
        team=team,
        department=department.astype(np.int16),
        region=region.astype(np.int16),
        stance_prior=stance_prior,
        team_names=team_names,
        department_names=department_names,
        region_names=region_names,
        team_resistant=team_resistant,
        team_workflow_fit=team_fit,
        adjacency=network.to_adjacency(size, sources, targets, weights),
        notes=notes,
        **people,
    )


def _where(table: CsvTable, index: int) -> str:
    return f"{table.path}: line {table.lines[index]}"


def _employee_ids(table: CsvTable) -> list[str]:
    seen: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        employee = row["employee_id"]
        if not employee:
            raise InputError(f"{_where(table, index)}: employee_id is empty")
        if employee in seen:
            raise InputError(
                f"{_where(table, index)}: employee_id '{employee}' repeats line "
                f"{table.lines[seen[employee]]}"
            )
        seen[employee] = index
    return list(seen)


def _managers(table: CsvTable, ids: list[str]) -> np.ndarray:
    position = {employee: index for index, employee in enumerate(ids)}
    manager = np.full(len(ids), -1, dtype=np.int32)
    for index, row in enumerate(table.rows):
        boss = row["manager_id"]
        if not boss:
            continue
        if boss not in position:
            raise InputError(
                f"{_where(table, index)}: manager_id '{boss}' is not an employee_id in the file"
            )
        manager[index] = position[boss]
    return manager


def _check_hierarchy(table: CsvTable, manager: np.ndarray, notes: list[str]) -> None:
    """Refuse management cycles and a chart with no root; note several roots."""
    roots = np.flatnonzero(manager < 0)
    if roots.size == 0:
        raise InputError(
            f"{table.path}: no root: every employee has a manager_id, so nobody is at the top "
            "(leave the top person's manager_id empty)"
        )
    if roots.size > 1:
        notes.append(f"{roots.size} people have no manager; each heads a separate hierarchy")
    # state: 0 unvisited, 1 on the current path, 2 known to reach a root
    state = np.zeros(manager.size, dtype=np.int8)
    for start in range(manager.size):
        path = []
        node = start
        while node >= 0 and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = manager[node]
        if node >= 0 and state[node] == 1:
            cycle = path[path.index(node) :]
            ids = [table.rows[i]["employee_id"] for i in cycle]
            lines = ", ".join(str(table.lines[i]) for i in cycle)
            label = "line" if len(cycle) == 1 else "lines"
            raise InputError(
                f"{table.path}: management cycle {' -> '.join([*ids, ids[0]])} ({label} {lines})"
            )
        state[path] = 2


def _roles(table: CsvTable, notes: list[str]) -> np.ndarray:
    role = np.empty(len(table.rows), dtype=np.int8)
    respelt = 0
    for index, row in enumerate(table.rows):
        given = row["role"]
        spelling = " ".join(given.lower().replace("_", " ").replace("-", " ").split())
        if spelling not in ROLE_BY_SPELLING:
            raise InputError(
                f"{_where(table, index)}: role '{given}' is not one of individual_contributor, "
                "manager, executive (or a usual spelling of them)"
            )
        role[index] = ROLE_BY_SPELLING[spelling]
        respelt += given not in CANONICAL_ROLES
    if respelt:
        notes.append(f"read {respelt} role value(s) written another way (e.g. case or 'IC')")
    return role


def _codes(table: CsvTable, column: str) -> tuple[np.ndarray, list[str]]:
    """Integer codes for a text column, in order of first appearance."""
    names: dict[str, int] = {}
    codes = np.empty(len(table.rows), dtype=np.int32)
    for index, row in enumerate(table.rows):
        value = row[column]
        if not value:
            raise InputError(f"{_where(table, index)}: {column} is empty")
        codes[index] = names.setdefault(value, len(names))
    return codes, list(names)


def _number(table: CsvTable, index: int, column: str) -> float | None:
    text = table.rows[index].get(column, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise InputError(f"{_where(table, index)}: {column} '{text}' is not a number in 0..1")
    return value


def _fill_numbers(table: CsvTable, column: str, values: np.ndarray, notes: list[str]) -> None:
    if column not in table.columns:
        return
    drawn = 0
    for index in range(len(table.rows)):
        value = _number(table, index, column)
        if value is None:
            drawn += 1
        else:
            values[index] = value
    if drawn:
        notes.append(f"drew {column} for {drawn} people with no value")


def _fill_stances(table: CsvTable, stance: np.ndarray) -> None:
    if "manager_stance" not in table.columns:
        return
    for index, row in enumerate(table.rows):
        text = row["manager_stance"].lower()
        if not text:
            continue
        if text not in STANCE_BY_NAME:
            raise InputError(
                f"{_where(table, index)}: manager_stance '{row['manager_stance']}' is not one of "
                "sponsor, neutral, opposed"
            )
        stance[index] = STANCE_BY_NAME[text]


def _flag(table: CsvTable, index: int) -> bool | None:
    text = table.rows[index]["team_resistant"].lower()
    if not text:
        return None
    if text in TRUE | FALSE:
        return text in TRUE
    raise InputError(f"{_where(table, index)}: team_resistant '{text}' is not true or false")


def _fill_team_values(
    table: CsvTable, team: np.ndarray, resistant: np.ndarray, fit: np.ndarray
) -> None:
    """Team-level columns: every member of a team must carry the same value."""
    readers = {"team_resistant": (_flag, resistant), "team_workflow_fit": (_number, fit)}
    for column, (read, target) in readers.items():
        if column not in table.columns:
            continue
        first_line: dict[int, int] = {}
        for index in range(len(table.rows)):
            value = read(table, index, column) if read is _number else read(table, index)
            if value is None:
                continue
            code = int(team[index])
            if code in first_line and target[code] != value:
                raise InputError(
                    f"{_where(table, index)}: {column} differs within team "
                    f"'{table.rows[index]['team']}' (line {first_line[code]} says otherwise)"
                )
            first_line.setdefault(code, table.lines[index])
            target[code] = value


def _collaboration_edges(
    path: Path, position: dict[str, int], notes: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = read_csv(path, ["source", "target"], ["weight"], "edge list")
    notes.extend(f"edges: {note}" for note in table.notes)
    count = len(table.rows)
    sources = np.empty(count, dtype=np.int64)
    targets = np.empty(count, dtype=np.int64)
    weights = np.ones(count, dtype=np.float32)
    for index, row in enumerate(table.rows):
        for column, out in (("source", sources), ("target", targets)):
            if row[column] not in position:
                raise InputError(
                    f"{_where(table, index)}: {column} '{row[column]}' is not an employee_id "
                    "in the org chart"
                )
            out[index] = position[row[column]]
        if sources[index] == targets[index]:
            raise InputError(f"{_where(table, index)}: self-loop on '{row['source']}'")
        text = row.get("weight", "")
        if text:
            weights[index] = positive_weight(text, _where(table, index))
    pairs = np.unique(np.sort(np.stack([sources, targets], axis=1), axis=1), axis=0)
    if pairs.shape[0] < count:
        notes.append(f"edges: merged {count - pairs.shape[0]} repeated tie(s)")
    return sources, targets, weights


def _generated_edges(
    team: np.ndarray,
    department: np.ndarray,
    region: np.ndarray,
    config: OrganisationConfig,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sources, targets = network.informal_edges(team, department, region, config.network, rng)
    return sources, targets, np.ones(sources.size, dtype=np.float32)
