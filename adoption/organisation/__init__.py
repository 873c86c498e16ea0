"""The organisation: people, teams, managers, regions and their network."""

from __future__ import annotations

from adoption.arguments import instance
from adoption.config.organisation import OrganisationConfig
from adoption.config.scenario import Scenario
from adoption.organisation.export import write_organisation
from adoption.organisation.generate import generate_organisation
from adoption.organisation.model import Organisation
from adoption.organisation.orgchart import load_org_chart
from adoption.organisation.plain import plain_organisation


def organisation_for(scenario: Scenario) -> Organisation:
    """The scenario's population: its plain network if it names one, else its organisation."""
    if scenario.network is not None:
        return plain_organisation(scenario.network)
    return build_organisation(scenario.organisation)


def headcount_of(scenario: Scenario) -> int:
    """How many people the scenario's runs simulate (its network, org chart or employees)."""
    if scenario.network is not None or scenario.organisation.org_chart is not None:
        return organisation_for(scenario).size
    return scenario.organisation.employees


def build_organisation(config: OrganisationConfig, seed: int | None = None) -> Organisation:
    """The scenario's organisation: loaded from its org chart if it names one, else generated."""
    instance(config, OrganisationConfig, "config", "an OrganisationConfig (scenario.organisation)")
    if config.org_chart is not None:
        return load_org_chart(config.org_chart, config, config.collaboration_edges, seed)
    return generate_organisation(config, seed)


__all__ = [
    "Organisation",
    "build_organisation",
    "generate_organisation",
    "headcount_of",
    "load_org_chart",
    "organisation_for",
    "plain_organisation",
    "write_organisation",
]
