"""adoption: simulate how an organisation rolls out an AI tool, and compare plans."""

from adoption.config import Scenario, load_scenario
from adoption.errors import InputError
from adoption.organisation import build_organisation, generate_organisation, load_org_chart
from adoption.result import SimulationResult
from adoption.simulate import simulate

__all__ = [
    "InputError",
    "Scenario",
    "SimulationResult",
    "build_organisation",
    "generate_organisation",
    "load_org_chart",
    "load_scenario",
    "simulate",
]
