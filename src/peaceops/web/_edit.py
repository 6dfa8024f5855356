"""What-if edits from the workbench's forms, applied through the library's what-if patches.

A form edit (a stance, a pledge's quantity, a red line, an event's probability, a new actor)
becomes one operation of a :mod:`peaceops.planning.whatif` patch, or for an event's probability
a change of that one field; the result is validated as a whole by the same loader as the CLI
and written back as YAML text, the form in which versions are kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from peaceops.errors import Problem, ScenarioError
from peaceops.planning import apply_patch, parse_patch
from peaceops.scenario import Scenario, parse_scenario

__all__ = ["FORM_EDITS", "apply_form_edit", "scenario_text"]

#: Form edits and the fields each one reads.
FORM_EDITS: dict[str, tuple[str, ...]] = {
    "stance": ("actor", "issue", "position", "salience"),
    "pledge": ("pledge", "quantity"),
    "red_line": ("red_line",),
    "event": ("event", "probability"),
    "actor": ("actor_id", "actor_name", "actor_kind", "clout", "groups", "sources"),
}


def scenario_text(s: Scenario) -> str:
    """A validated scenario as YAML text (the keys of the scenario format, in its order)."""
    doc = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def apply_form_edit(text: str, *, file: str, edit: str, fields: Mapping[str, str]) -> str:
    """The scenario ``text`` with form edit ``edit`` applied, as YAML text.

    Raises
    ------
    ScenarioError
        When ``text`` does not validate, a field is missing or malformed, or the edited
        scenario does not validate (each problem with its field).
    """
    s = parse_scenario(text, file=file)
    if edit not in FORM_EDITS:
        raise ScenarioError([_bad("edit", f"unknown edit {edit!r}; one of {sorted(FORM_EDITS)}")])
    missing = [f for f in FORM_EDITS[edit] if not str(fields.get(f, "")).strip()]
    if edit == "actor":
        missing = [f for f in missing if f != "groups"]
    if missing:
        raise ScenarioError([_bad(f, "this field is required") for f in missing])
    get = {k: str(v).strip() for k, v in fields.items()}
    if edit == "event":
        doc = s.model_dump(mode="json", by_alias=True, exclude_none=True)
        found = [e for e in doc.get("events", []) if e.get("id") == get["event"]]
        if not found:
            raise ScenarioError([_bad("event", f"no event {get['event']!r}")])
        found[0]["probability"] = _number(get, "probability")
        edited = parse_scenario(json.dumps(doc), file=f"{file} + form", json_first=True)
        return scenario_text(edited)
    op: dict[str, Any]
    if edit == "stance":
        op = {
            "op": "set_stance",
            "actor": get["actor"],
            "issue": get["issue"],
            "position": _number(get, "position"),
            "salience": _number(get, "salience"),
        }
    elif edit == "pledge":
        op = {"op": "update_pledge", "id": get["pledge"], "quantity": _integer(get, "quantity")}
    elif edit == "red_line":
        op = {"op": "drop_red_line", "id": get["red_line"]}
    else:
        op = {
            "op": "add_actor",
            "actor": {
                "id": get["actor_id"],
                "name": get["actor_name"],
                "kind": get["actor_kind"],
                "groups": [g.strip() for g in get.get("groups", "").split(",") if g.strip()],
                "clout": {
                    "value": _number(get, "clout"),
                    "sources": [x.strip() for x in get["sources"].split(",") if x.strip()],
                },
            },
        }
    patch = parse_patch([op], file="form")
    return scenario_text(apply_patch(s, patch))


def _bad(field: str, message: str) -> Problem:
    return Problem("form", None, field, message)


def _number(get: Mapping[str, str], field: str) -> float:
    try:
        return float(get[field])
    except ValueError:
        raise ScenarioError([_bad(field, f"a number is required; got {get[field]!r}")]) from None


def _integer(get: Mapping[str, str], field: str) -> int:
    try:
        return int(get[field])
    except ValueError:
        raise ScenarioError(
            [_bad(field, f"a whole number is required; got {get[field]!r}")]
        ) from None
