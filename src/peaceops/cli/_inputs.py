"""Validate first: every command checks its input files before it imports an engine.

A command that takes a scenario calls :func:`load_first` before anything else; one that takes
a model file (KTAB, expected-utility table, DEU data, a KTAB log) calls :func:`model_file_first`.
Both use only the light loader (:mod:`peaceops.scenario`, :mod:`peaceops.io.limits`: no numpy,
no solver, no numba), so a bad file is refused in about the time of ``peaceops validate``,
and the engines (planning, forecasts, sweeps: seconds of imports and compilation) load only
for input that can be analysed. ``tests/cli/test_validate_first.py`` checks every command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from peaceops.errors import Problem, ScenarioError

if TYPE_CHECKING:
    from peaceops.scenario import Scenario

__all__ = ["load_first", "model_file_first"]


def load_first(scenario: str, *, what_if: Path | None = None) -> Scenario:
    """The validated scenario ``scenario`` (a built-in name or a file), its what-if patch
    checked as a document (size, encoding, YAML safety and syntax) with it.

    The problems of both files are reported together. The patch's operations are checked
    when the planner reads it (``peaceops.io.read_patch``), after this.

    Raises
    ------
    ScenarioError
        With every problem found, each with file, line and field path.
    """
    from peaceops.scenario import load_scenario

    problems: list[Problem] = []
    loaded: Scenario | None = None
    try:
        loaded = load_scenario(scenario)
    except ScenarioError as exc:
        problems.extend(exc.problems)
    if what_if is not None:
        problems.extend(_patch_problems(what_if))
    if problems or loaded is None:
        raise ScenarioError(problems)
    return loaded


def _patch_problems(path: Path) -> list[Problem]:
    from peaceops.scenario.documents import read_document
    from peaceops.scenario.load import read_text_bounded

    file = str(path)
    if path.is_dir():
        return [Problem(file, None, "", "is a directory; give a patch file (.yaml, .yml, .json)")]
    try:
        text = read_text_bounded(path, what="patch")
    except ScenarioError as exc:
        return list(exc.problems)
    return list(read_document(text, file=file, json_first=file.lower().endswith(".json")).problems)


def model_file_first(*paths: Path | None, log: Path | None = None) -> None:
    """Refuse a model file (or a KTAB ``log``) that is a directory or over its size limit,
    before the readers and the forecast engines are imported. A missing file passes (the
    reader names it).

    Raises
    ------
    ScenarioError
        With the file and its limit (:mod:`peaceops.io.limits`).
    """
    from peaceops.io.limits import MAX_LOG_BYTES, check_file_size

    for path in paths:
        if path is not None:
            check_file_size(path, what="model file")
    if log is not None:
        check_file_size(log, what="KTAB log", limit=MAX_LOG_BYTES)
