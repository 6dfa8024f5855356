"""The scenario: frozen, validated input of every engine, and how to load it."""

from __future__ import annotations

from peaceops.scenario.load import (
    builtin_scenarios,
    canonical_json,
    load_scenario,
    parse_scenario,
    resolve_scenario_path,
    scenario_hash,
    template_scenario,
    template_text,
)
from peaceops.scenario.model import (
    DOMAINS,
    Actor,
    Capability,
    Event,
    Issue,
    Members,
    Mission,
    Pledge,
    RedLine,
    Scenario,
    Source,
    Stance,
    Venue,
)

__all__ = [
    "DOMAINS",
    "Actor",
    "Capability",
    "Event",
    "Issue",
    "Members",
    "Mission",
    "Pledge",
    "RedLine",
    "Scenario",
    "Source",
    "Stance",
    "Venue",
    "builtin_scenarios",
    "canonical_json",
    "load_scenario",
    "parse_scenario",
    "resolve_scenario_path",
    "scenario_hash",
    "template_scenario",
    "template_text",
]
