"""Helpers shared by test modules (imported by name; conftest modules are not importable)."""

from __future__ import annotations

import string
from importlib import resources


def template_text(scenario_id: str = "demo", name: str = "Demo") -> str:
    """The packaged scenario template, filled in (a small valid scenario)."""
    raw = (resources.files("peaceops.scenarios") / "template.yaml.tmpl").read_text()
    return string.Template(raw).substitute(id=scenario_id, name=name)
