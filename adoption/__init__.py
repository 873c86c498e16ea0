"""adoption: simulate how an organisation rolls out an AI tool, and compare plans."""

from adoption._numba_cache import ensure_writable_cache

ensure_writable_cache()  # before anything imports numba

# ruff: noqa: E402 - the numba cache folder must be chosen before numba is imported

from adoption.api import compare, explore
from adoption.api import search as _search
from adoption.calibration import Calibration, calibrate
from adoption.config import Scenario, load_scenario
from adoption.engine.model import AdoptionModel
from adoption.errors import InputError
from adoption.experiment.comparison import Comparison
from adoption.experiment.executors import DaskExecutor, PoolExecutor, SerialExecutor
from adoption.experiment.experiment_design import Design
from adoption.experiment.exploration import Exploration
from adoption.experiment.switches import Switches, find_switches
from adoption.organisation import build_organisation, generate_organisation, load_org_chart
from adoption.result import SimulationResult
from adoption.search.searching import Search
from adoption.simulate import simulate

__all__ = [
    "AdoptionModel",
    "Calibration",
    "Comparison",
    "DaskExecutor",
    "Design",
    "Exploration",
    "InputError",
    "PoolExecutor",
    "Scenario",
    "Search",
    "SerialExecutor",
    "SimulationResult",
    "Switches",
    "build_organisation",
    "calibrate",
    "compare",
    "explore",
    "find_switches",
    "generate_organisation",
    "load_org_chart",
    "load_scenario",
    "search",
    "simulate",
]

search = _search
"""`adoption.search(...)`: the function (the subpackage of the same name stays importable
as `adoption.search.<module>`, which Python resolves through the module registry)."""
