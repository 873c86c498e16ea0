"""Writing an organisation as an HR-style org chart and an edge list that load back."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from adoption.organisation.model import ROLES, STANCES, Organisation


def org_chart_frame(org: Organisation) -> pd.DataFrame:
    """One row per person in the loader's column layout, attributes included."""
    ids = org.employee_id
    manager_id = np.where(org.manager >= 0, ids[np.maximum(org.manager, 0)], "")
    stance = np.array([STANCES[int(code)] for code in (-1, 0, 1)], dtype=object)[
        org.stance_prior + 1
    ]
    return pd.DataFrame(
        {
            "employee_id": ids,
            "manager_id": manager_id,
            "team": np.array(org.team_names, dtype=object)[org.team],
            "department": np.array(org.department_names, dtype=object)[org.department],
            "region": np.array(org.region_names, dtype=object)[org.region],
            "role": np.array(ROLES, dtype=object)[org.role],
            "innovativeness": org.innovativeness,
            "digital_skill": org.digital_skill,
            "threat_perception": org.threat_perception,
            "team_resistant": np.where(org.team_resistant[org.team], "true", "false"),
            "team_workflow_fit": org.team_workflow_fit[org.team],
            "manager_stance": np.where(org.role == 0, "", stance),
        }
    )


def edge_frame(org: Organisation) -> pd.DataFrame:
    """Every tie once (source before target in file order), with its weight."""
    upper = sp.triu(org.adjacency, k=1).tocoo()
    return pd.DataFrame(
        {
            "source": org.employee_id[upper.row],
            "target": org.employee_id[upper.col],
            "weight": upper.data,
        }
    )


def _write_atomically(frame: pd.DataFrame, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        frame.to_csv(partial, index=False, float_format="%.9g")
        os.replace(partial, path)
    except BaseException:  # Ctrl-C or a full disk: leave nothing half-written behind
        partial.unlink(missing_ok=True)
        raise


def write_organisation(org: Organisation, directory: str | Path) -> tuple[Path, Path]:
    """Write `org.csv` and `edges.csv` into `directory`; each appears only when complete."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    chart, edges = directory / "org.csv", directory / "edges.csv"
    _write_atomically(org_chart_frame(org), chart)
    _write_atomically(edge_frame(org), edges)
    return chart, edges
