"""The workbench's writes and edits: upload a scenario, preview an edit, save a version.

Each validates with the CLI's loader (:func:`peaceops.scenario.parse_scenario`) before anything
is written; a save names its base version and fails with a conflict, writing nothing, when
another save got there first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peaceops.errors import Problem, ScenarioError
from peaceops.scenario import Scenario, builtin_scenarios, parse_scenario
from peaceops.store import VersionInfo, list_versions, save_version
from peaceops.web._edit import apply_form_edit
from peaceops.web._views import edit_comparison
from peaceops.web._workbench import Loaded, Workbench

__all__ = ["Preview", "check_name", "preview_edit", "save_edit", "upload"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Preview:
    """An edited scenario beside its base: the text, the validated scenario, the comparison."""

    base: Loaded
    text: str
    scenario: Scenario
    comparison: dict[str, Any]


def check_name(name: str) -> str:
    """A scenario line name: letters, digits, ``.``, ``_``, ``-`` (at most 64).

    Raises
    ------
    ScenarioError
        When ``name`` is not one.
    """
    if not _NAME.match(name):
        raise ScenarioError(
            [Problem("request", None, "name", f"letters, digits, '.', '_', '-'; got {name!r}")]
        )
    return name


def upload(wb: Workbench, *, text: str, name: str | None, note: str) -> VersionInfo:
    """Validate an uploaded scenario and store it as version 1 of a new line.

    Raises
    ------
    ScenarioError
        When the text does not validate (every problem with its line and field path), or the
        name is taken (edit that scenario instead).
    """
    file = f"{name or 'upload'}.yaml"
    s = parse_scenario(text, file=file)
    name = check_name(name or s.id)
    with wb.engine.begin() as conn:
        if name in builtin_scenarios() or list_versions(conn, name):
            raise ScenarioError(
                [Problem("request", None, "name", f"a scenario named {name!r} exists: edit it")]
            )
        return save_version(
            conn, name=name, base=0, text=text, scenario=s, note=note or "uploaded", origin="upload"
        )


def preview_edit(
    wb: Workbench,
    name: str,
    *,
    base: int,
    text: str | None,
    edit: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> Preview:
    """The edited scenario (``text``, then form edit ``edit`` if any) beside version ``base``.

    Raises
    ------
    ScenarioError
        When the edited text does not validate, with every problem's line and field path.
    """
    loaded = wb.load(name, base)
    current = loaded.text if text is None else text
    if edit:
        current = apply_form_edit(current, file=f"{name}.yaml", edit=edit, fields=fields or {})
    s = parse_scenario(current, file=f"{name}.yaml")
    return Preview(loaded, current, s, edit_comparison(wb, loaded.scenario, s))


def save_edit(wb: Workbench, name: str, *, base: int, text: str, note: str) -> VersionInfo:
    """Save ``text`` as the version after ``base`` of ``name`` with ``note``.

    Raises
    ------
    ScenarioError
        When the text does not validate or the note is empty.
    VersionConflictError
        When ``base`` is no longer the latest version (nothing is written).
    """
    if not note.strip():
        raise ScenarioError([Problem("request", None, "note", "say what this version changes")])
    loaded = wb.load(name, base)
    s = parse_scenario(text, file=f"{name}.yaml")
    with wb.engine.begin() as conn:
        return save_version(
            conn,
            name=name,
            base=base,
            text=text,
            scenario=s,
            note=note.strip(),
            origin="edit",
            base_text=loaded.text if base == 0 else "",
        )
