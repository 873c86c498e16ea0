"""Scenario schema and loading: the validated input of every simulation."""

from adoption.config.loading import default_scenario_text, load_scenario, scenario_yaml
from adoption.config.scenario import Scenario

__all__ = ["Scenario", "default_scenario_text", "load_scenario", "scenario_yaml"]
