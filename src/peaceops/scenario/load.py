"""Load and validate scenarios: from a file, from text, or by the name of a built-in one.

Validation reports every problem in a file together, each with file, line and field path,
in document order, and raises one :class:`~peaceops.errors.ScenarioError` carrying them all.
Nothing is written anywhere while loading.
"""

from __future__ import annotations

import hashlib
import json
import string
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError
from peaceops.scenario._yaml import MAX_BYTES, Loc, format_path, read_document
from peaceops.scenario.checks import reference_problems
from peaceops.scenario.migrate import format_version, migrate_v1, v1_location
from peaceops.scenario.model import Scenario

__all__ = [
    "builtin_patches",
    "builtin_scenarios",
    "canonical_json",
    "load_scenario",
    "parse_scenario",
    "read_text_bounded",
    "resolve_scenario_path",
    "scenario_hash",
]

_BUILTIN_PACKAGE = "peaceops.scenarios"


def builtin_scenarios() -> dict[str, Path]:
    """Names of the packaged scenarios and their files.

    Examples
    --------
    >>> sorted(builtin_scenarios())
    ['aspides-2024-02', 'ukraine-2025-04', 'unifil-2006-08']
    """
    root = resources.files(_BUILTIN_PACKAGE)
    out: dict[str, Path] = {}
    for entry in root.iterdir():
        if entry.name.endswith(".yaml"):
            out[entry.name.removesuffix(".yaml")] = Path(str(entry))
    return dict(sorted(out.items()))


def template_text(scenario_id: str = "demo", name: str = "Demo") -> str:
    """The packaged scenario template filled in: a small, complete format-2 scenario with
    every field explained (``peaceops new`` writes it).

    >>> template_text("my-mission", "My mission").splitlines()[0]
    '# peaceops scenario (format version 2): a small, complete example that validates.'
    """
    raw = (resources.files("peaceops.scenarios") / "template.yaml.tmpl").read_text()
    return string.Template(raw).substitute(id=scenario_id, name=name)


def template_scenario(scenario_id: str = "demo", name: str = "Demo") -> Scenario:
    """The template as a validated scenario, for examples and first experiments.

    >>> s = template_scenario()
    >>> s.id, s.format_version, len(s.actors) > 0
    ('demo', 2, True)
    """
    return parse_scenario(template_text(scenario_id, name), file="<template>")


def builtin_patches(scenario_id: str) -> list[Path]:
    """Packaged what-if patches written for the built-in scenario ``scenario_id``, by name.

    Examples
    --------
    >>> [p.name for p in builtin_patches("ukraine-2025-04")], builtin_patches("aspides-2024-02")
    (['turkey-joins.yaml'], [])
    """
    root = resources.files(_BUILTIN_PACKAGE) / "whatif"
    if not root.is_dir():
        return []
    out = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")) and f"scenario: {scenario_id}\n" in (
            entry.read_text(encoding="utf-8")
        ):
            out.append(Path(str(entry)))
    return out


def resolve_scenario_path(name_or_path: PathLike) -> Path:
    """The file behind a built-in scenario name or a path.

    Raises
    ------
    ScenarioError
        When ``name_or_path`` is neither an existing file nor a built-in name.

    Examples
    --------
    >>> resolve_scenario_path("aspides-2024-02").name
    'aspides-2024-02.yaml'
    """
    text = str(name_or_path)
    builtins = builtin_scenarios()
    if text in builtins:
        return builtins[text]
    path = Path(text)
    if path.is_dir():
        raise ScenarioError(
            [Problem(text, None, "", "is a directory; give a scenario file (.yaml, .yml, .json)")]
        )
    if path.exists():
        return path
    known = ", ".join(builtins) or "none"
    raise ScenarioError(
        [Problem(text, None, "", f"no such file or built-in scenario (built-ins: {known})")]
    )


def load_scenario(name_or_path: PathLike = "ukraine-2025-04") -> Scenario:
    """Load, validate and freeze a scenario given by built-in name or file path.

    Parameters
    ----------
    name_or_path
        A built-in name (see :func:`builtin_scenarios`) or a ``.yaml``/``.yml``/``.json`` file.

    Returns
    -------
    Scenario
        The validated, immutable scenario.

    Raises
    ------
    ScenarioError
        Listing every problem found, each with file, line and field path.

    Examples
    --------
    >>> s = load_scenario("ukraine-2025-04")
    >>> s.as_of.isoformat()
    '2025-04-05'
    """
    path = resolve_scenario_path(name_or_path)
    text = read_text_bounded(path)
    return parse_scenario(text, file=str(path), json_first=path.suffix.lower() == ".json")


def read_text_bounded(path: Path, *, what: str = "file") -> str:
    """The UTF-8 text of ``path``, refused unread when larger than the loader's limit.

    Raises
    ------
    ScenarioError
        When the file cannot be read, is larger than :data:`~peaceops.scenario._yaml.MAX_BYTES`
        or is not UTF-8 text (the line of the first bad byte is given).

    Examples
    --------
    >>> text = read_text_bounded(resolve_scenario_path("aspides-2024-02"), what="scenario")
    >>> text.startswith("#"), len(text) < MAX_BYTES
    (True, True)
    """
    file = str(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ScenarioError(
            [Problem(file, None, "", f"cannot read the {what}: {reason}")]
        ) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(
            [Problem(file, None, "", f"the {what} is larger than the limit of {MAX_BYTES:,} bytes")]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(
            [Problem(file, line, "", f"not UTF-8 text (byte {data[exc.start]:#04x})")]
        ) from None


def parse_scenario(text: str, *, file: str = "<string>", json_first: bool = False) -> Scenario:
    """Validate scenario ``text`` (YAML or JSON); see :func:`load_scenario`.

    Examples
    --------
    >>> from peaceops.errors import ScenarioError
    >>> try:
    ...     parse_scenario("{format_version: 2, id: x}", file="x.yaml")
    ... except ScenarioError as err:
    ...     print(err.problems[0].file, err.problems[0].line, err.problems[0].path)
    ...
    x.yaml 1 actors
    """
    doc = read_document(text, file=file, json_first=json_first)
    problems = list(doc.problems)
    if doc.data is None and problems:
        raise ScenarioError(problems)
    if not isinstance(doc.data, dict):
        raise ScenarioError(
            [Problem(file, 1, "", "a scenario must be a mapping of sections (sources, actors, …)")]
        )
    data = upgrade(doc.data)
    migrated = data is not doc.data

    def line(loc: Loc) -> int | None:
        return doc.line_of(v1_location(loc) if migrated else loc)

    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = _data_loc(data, tuple(err["loc"]))
            problems.append(Problem(file, line(loc), format_path(loc, data), _message(err)))
    for loc, message in reference_problems(data):
        problems.append(Problem(file, line(loc), format_path(loc, data), message))
    if problems or scenario is None:
        raise ScenarioError(_sorted_unique(problems))
    return scenario


def canonical_json(scenario: Scenario) -> str:
    """The scenario as canonical JSON: sorted keys, no whitespace.

    Examples
    --------
    >>> s = load_scenario("aspides-2024-02")
    >>> text = canonical_json(s)
    >>> text[:30]
    '{"actors":[{"aliases":["Palazz'
    """
    return json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON: equal content, equal hash.

    Examples
    --------
    Equal content gives an equal hash, whatever the file's layout:

    >>> s = load_scenario("aspides-2024-02")
    >>> h = scenario_hash(s)
    >>> len(h), h == scenario_hash(parse_scenario(canonical_json(s), json_first=True))
    (64, True)
    """
    return hashlib.sha256(canonical_json(scenario).encode()).hexdigest()


def _sorted_unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int | None, str, str]] = set()
    out = []
    for p in problems:
        key = (p.line, p.path, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=lambda p: (p.line if p.line is not None else 10**9, p.path))


def _data_loc(data: Any, loc: tuple[int | str, ...]) -> Loc:
    """Map a pydantic location onto the document, dropping the tags pydantic inserts.

    Discriminated unions add the discriminator value (``conditions.0.issue_min.value``) and
    function validators add their own names; neither is a key of the document.
    """
    out: list[str | int] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        elif isinstance(node, dict) and step == node.get("kind"):
            continue
        elif isinstance(step, str) and not step.startswith(("function-", "union[")):
            node = None  # a missing field, reported at its would-be path
        else:
            continue
        out.append(step)
    return tuple(out)


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as a format-2 document: format 1 (or no version) is migrated automatically."""
    return migrate_v1(data) if format_version(data) == 1 else data


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see docs/scenario-format.md)"
    if kind in ("range", "positive", "non_negative", "order"):
        return str(err["msg"])
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        want = "a whole number" if kind.startswith("int") else "a number"
        return f"expected {want}, got {value!r}"
    if kind in ("string_type", "string_too_short"):
        return f"expected non-empty text, got {value!r}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not a valid id (letters, digits, _ . -; starting with a letter)"
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        return f"expected a date YYYY-MM-DD, got {value!r}"
    if kind == "enum":
        return f"{value!r} is not one of {ctx.get('expected', '')}"
    if kind == "literal_error":
        return f"{value!r} is not one of {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return f"kind {ctx.get('tag')!r} is not one of {ctx.get('expected_tags', '')}"
    if kind == "union_tag_not_found":
        return "required field 'kind' is missing"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {value!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return f"expected a mapping of fields, got {value!r}"
    if kind == "too_short":
        return "must not be empty"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{value!r}: {err['msg'].lower()}"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"expected true or false, got {value!r}"
    return f"{err['msg']} (got {value!r})"
