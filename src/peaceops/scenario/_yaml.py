"""Read YAML or JSON into plain data while remembering the line of every value.

PyYAML composes a node tree that knows where each value starts; we construct the data from that
tree ourselves so that every field path maps to a 1-based line number, and so that duplicate
mapping keys (which PyYAML would silently overwrite) are reported instead of lost.
JSON is read by the same code (JSON is YAML 1.2 flow syntax); a ``.json`` file is first parsed
with :mod:`json` so that its syntax errors carry JSON's own line numbers.

Scanning and parsing run in libyaml (PyYAML's C extension) when it is installed, as it is in
PyYAML's binary wheels; composition, every limit, tag resolution and construction stay in
Python, the same code over either parser. A document libyaml cannot read, or one with a tab in
it (which libyaml accepts in places where PyYAML does not), is read by PyYAML's pure-Python
parser, so both paths accept the same documents and word their errors the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from peaceops.errors import Problem

try:  # libyaml's parser, shipped in PyYAML's binary wheels; absent in a pure build
    from yaml._yaml import CParser as _CParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - the locked wheels have it
    HAVE_LIBYAML = False

__all__ = [
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Loc",
    "Located",
    "format_path",
    "read_document",
]

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


#: Limits on one document, checked while it is read and composed, before anything is built.
MAX_BYTES = 8 * 1024 * 1024
"""Largest document read (8 MiB; the built-in Ukraine scenario is about 90 KB)."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings."""
MAX_ALIASES = 1_000
"""Most aliases (``*name``) in one document."""
MAX_NODES = 1_000_000
"""Most values in the document once every alias is expanded (an alias bomb stops here)."""

_CORE = "tag:yaml.org,2002:"
#: Tags a document may spell out: the plain YAML scalars and collections, nothing else.
_ALLOWED_TAGS = frozenset(
    _CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")
) | {"!"}
# Characters YAML forbids (PyYAML's reader would fail on them): C0/C1 controls except tab,
# newlines and NEL, surrogates, and the two non-characters.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")

#: Whether :func:`read_document` parses with libyaml (a switch for the tests that compare the two).
_FAST = HAVE_LIBYAML


class _RefusedError(Exception):
    """A limit or rule broken while composing: message and 1-based line."""

    def __init__(self, message: str, line: int | None, loc: Loc = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.loc = loc

    def problem(self, file: str) -> Problem:
        return Problem(file, self.line, format_path(self.loc), self.message)


class _Bounds(Composer):
    """PyYAML's composer with limits counted while the node tree is composed.

    Nesting depth, the number of aliases and the number of values after alias expansion are
    counted as each node is composed, so a deep or exponential document (an alias bomb) is
    refused before anything is built from it; an alias to a node that is still being composed
    (a recursive alias) and any explicit tag outside the plain YAML types are refused too.
    The composer only pulls events (``peek_event``, ``get_event``), so the same checks run
    over either parser: PyYAML's pure-Python one or libyaml's (:class:`_FastLoader`).
    """

    _depth: int
    _aliases: int
    _expanded: int
    _sizes: dict[int, int]

    def _start_counting(self) -> None:
        self._depth = 0
        self._aliases = 0
        self._expanded = 0
        self._sizes = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[attr-defined]
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _RefusedError(f"more than {MAX_ALIASES} aliases", line)
            target = self.anchors.get(event.anchor)
            if target is not None and target.end_mark is None:
                raise _RefusedError(f"the alias *{event.anchor} refers to itself", line)
            node = super().compose_node(parent, index)
            self._count(self._sizes.get(id(node), 1), line)
            return node
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            shown = tag.replace(_CORE, "!!", 1)
            raise _RefusedError(f"the tag {shown!r} is not allowed: write plain values", line)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _RefusedError(f"nested deeper than {MAX_DEPTH} levels", line)
        before = self._expanded
        self._count(1, line)
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._sizes[id(node)] = self._expanded - before
        return node

    def _count(self, n: int, line: int) -> None:
        self._expanded += n
        if self._expanded > MAX_NODES:
            raise _RefusedError(
                f"more than {MAX_NODES:,} values once aliases are expanded (an alias bomb?)", line
            )


class _BoundedLoader(_Bounds, Reader, Scanner, Parser, Resolver):
    """The bounded composer over PyYAML's pure-Python reader, scanner and parser.

    The reference: its messages are the ones users see for a document that does not parse,
    and it is the whole loader where libyaml is missing.
    """

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        Resolver.__init__(self)
        self._start_counting()


if HAVE_LIBYAML:

    class _FastLoader(_Bounds, _CParser, Resolver):
        """The bounded composer over libyaml's scanner and parser (PyYAML's C extension).

        Scanning and parsing are about nine tenths of the pure loader's time; here they run
        in C while composition (with every limit), tag resolution and construction stay the
        same Python code as in :class:`_BoundedLoader`: the composer's ``get_single_node``
        comes first in the method order, libyaml only supplies the events.
        """

        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            Composer.__init__(self)
            Resolver.__init__(self)
            self._start_counting()


def _compose(text: str, *, fast: bool) -> yaml.Node | None:
    """The node tree of ``text`` from the fast loader (when ``fast`` and present) or the pure one.

    Raises
    ------
    _RefusedError
        A limit or rule broken while composing.
    yaml.YAMLError
        The text is not YAML.
    """
    if fast and HAVE_LIBYAML:
        return _FastLoader(text).get_single_node()
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_document(text: str, *, file: str, json_first: bool = False) -> Located:
    """Parse ``text`` into a :class:`Located`; syntax errors become problems, never exceptions.

    The document is refused (one problem, nothing built) when it is larger than
    :data:`MAX_BYTES`, holds characters YAML forbids, nests deeper than :data:`MAX_DEPTH`,
    has more than :data:`MAX_ALIASES` aliases or :data:`MAX_NODES` values once they are
    expanded, refers to itself through an alias, or spells out a tag other than the plain
    scalars and collections (``!!python/...``, ``!!binary``, ``!!timestamp``, local tags).

    Examples
    --------
    >>> doc = read_document("{a: 1, b: [x]}", file="t.yaml")
    >>> doc.data, doc.line_of(("b", 0)), doc.problems
    ({'a': 1, 'b': ['x']}, 1, [])
    >>> bad = read_document("a: [1,", file="t.yaml")
    >>> bad.data, bad.problems[0].line
    (None, 1)
    """
    refused = _precheck(text, json_first=json_first)
    if refused is not None:
        return Located(None, problems=[refused.problem(file)])
    try:
        # libyaml reads a tab after an indicator (``a:\tb``) where PyYAML refuses it: a document
        # with a tab anywhere takes the pure path, so both paths accept the same documents.
        fast = _FAST and "\t" not in text
        try:
            node = _compose(text, fast=fast)
        except yaml.YAMLError:
            if not fast:
                raise
            # Not YAML: read it again with the pure parser, whose messages are the reference
            # (libyaml words them differently); only a broken document pays twice.
            node = _compose(text, fast=False)
    except _RefusedError as exc:
        return Located(None, problems=[exc.problem(file)])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "malformed document"
        return Located(None, problems=[Problem(file, line, "", f"invalid YAML: {what}")])
    except yaml.YAMLError as exc:  # the reader's errors carry no mark
        return Located(None, problems=[Problem(file, None, "", f"invalid YAML: {exc}")])
    out = Located(None)
    if node is None:
        out.problems.append(Problem(file, 1, "", "the document is empty"))
        return out
    try:
        out.data = _build(node, (), out, file)
    except _RefusedError as exc:
        out.problems.append(exc.problem(file))
        out.data = None
    return out


def _precheck(text: str, *, json_first: bool) -> _RefusedError | None:
    """Refuse a document too large, with forbidden characters, or (JSON) nested too deep."""
    if len(text) > MAX_BYTES:
        return _RefusedError(
            f"the document is {len(text):,} characters; the limit is {MAX_BYTES:,}", None
        )
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        return _RefusedError(
            f"control character {bad.group()!r} is not allowed in a document", line
        )
    if not json_first:
        return None
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        return _RefusedError(f"nested deeper than {MAX_DEPTH} levels", None)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return _RefusedError(f"invalid JSON: {exc.msg}", exc.lineno)
    except RecursionError:
        return _RefusedError(f"nested deeper than {MAX_DEPTH} levels", None)
    return None


_scalar_loader = yaml.SafeLoader("")
_KEY_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))


def _scalar(node: yaml.Node, loc: Loc) -> Any:
    """Construct one scalar; a value its tag cannot hold (``!!int x``, month 13) is refused."""
    constructors: dict[Any, Any] = _scalar_loader.yaml_constructors
    try:
        # The constructor directly, not construct_object: that caches every node it has seen
        # on the loader, which would keep every document ever read alive.
        return constructors.get(node.tag, constructors[None])(_scalar_loader, node)
    except (ValueError, OverflowError, TypeError, yaml.YAMLError) as exc:
        what = _KINDS.get(node.tag, node.tag.replace(_CORE, "!!", 1))
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _RefusedError(
            f"{node.value!r} is not a valid {what} ({detail})", node.start_mark.line + 1, loc
        ) from exc


_KINDS = {_CORE + "timestamp": "date", _CORE + "int": "whole number", _CORE + "float": "number"}


def _build(node: yaml.Node, loc: Loc, out: Located, file: str) -> Any:
    out.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
                merge = key_node.tag.endswith(":merge")
                raise _RefusedError(
                    "merge keys (<<) are not supported: write the fields out"
                    if merge
                    else "a mapping key must be a plain value",
                    key_node.start_mark.line + 1,
                    loc,
                )
            key = _scalar(key_node, loc)
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
    return _scalar(node, loc)


def format_path(loc: Loc, data: Any = None) -> str:
    """Render a location as a field path: ``stances[RUS][nato_share].salience``.

    A list index is shown as the item's ``id`` when ``data`` (the whole document) is given and the
    item has one (``actors[GBR].clout``), else as the number.

    Examples
    --------
    List items are named by their ``id`` when the document is given:

    >>> doc = {"actors": [{"id": "RUS", "clout": {}}]}
    >>> loc = ("actors", 0, "clout", "value")
    >>> format_path(loc), format_path(loc, doc)
    ('actors[0].clout.value', 'actors[RUS].clout.value')
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
