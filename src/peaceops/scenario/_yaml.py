"""Read YAML or JSON into plain data while remembering the line of every value.

PyYAML composes a node tree that knows where each value starts; we construct the data from that
tree ourselves so that every field path maps to a 1-based line number, and so that duplicate
mapping keys (which PyYAML would silently overwrite) are reported instead of lost.
JSON is read by the same code (JSON is YAML 1.2 flow syntax); a ``.json`` file is first parsed
with :mod:`json` so that its syntax errors carry JSON's own line numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from peaceops.errors import Problem

__all__ = ["Loc", "Located", "format_path", "read_document"]

Loc = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data read from a document, the line of each path, and problems found on the way."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int | None:
        """Line of the deepest prefix of ``loc`` whose line is known."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None


def read_document(text: str, *, file: str, json_first: bool = False) -> Located:
    """Parse ``text`` into a :class:`Located`; syntax errors become problems, never exceptions."""
    if json_first:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return Located(
                None, problems=[Problem(file, exc.lineno, "", f"invalid JSON: {exc.msg}")]
            )
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "malformed document"
        return Located(None, problems=[Problem(file, line, "", f"invalid YAML: {what}")])
    finally:
        loader.dispose()
    out = Located(None)
    if node is None:
        out.problems.append(Problem(file, 1, "", "the document is empty"))
        return out
    try:
        out.data = _build(node, (), out, file)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        out.problems.append(Problem(file, line, "", f"invalid YAML: {exc.problem}"))
    return out


_scalar_loader = yaml.SafeLoader("")


def _build(node: yaml.Node, loc: Loc, out: Located, file: str) -> Any:
    out.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar_loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            # YAML reads unquoted 0, 50, 100 as numbers; keys are names here.
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                out.problems.append(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        format_path((*loc, key)),
                        f"duplicate key {key!r} (first at line {out.lines[(*loc, key)]})",
                    )
                )
                continue
            result[key] = _build(value_node, (*loc, key), out, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*loc, i), out, file) for i, item in enumerate(node.value)]
    return _scalar_loader.construct_object(node, deep=True)


def format_path(loc: Loc, data: Any = None) -> str:
    """Render a location as a field path: ``stances[RUS][nato_share].salience``.

    A list index is shown as the item's ``id`` when ``data`` (the whole document) is given and the
    item has one (``actors[GBR].clout``), else as the number.
    """
    parts: list[str] = []
    node = data
    for i, step in enumerate(loc):
        label: str | int = step
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label = item["id"]
            parts.append(f"[{label}]")
        elif i > 0 and isinstance(loc[i - 1], str) and _is_keyed(loc[:i]):
            parts.append(f"[{step}]")
        else:
            parts.append(("." if parts else "") + str(step))
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            node = None
    return "".join(parts)


# Mappings whose keys are ids rather than field names: rendered with brackets.
_KEYED: frozenset[tuple[str, ...]] = frozenset({("stances",), ("stances", "*")})


def _is_keyed(prefix: Loc) -> bool:
    shape = tuple("*" if j > 0 else s for j, s in enumerate(prefix))
    return shape in _KEYED
