"""Input generators for the fuzz tests (``tests/scenario/test_fuzz.py``, ``scripts/fuzz.py``).

Two families, both built from a valid scenario so that most inputs get deep into validation:

- *field mutations*: the template's document with one to three values replaced (by a value of
  another type, an extreme number, an unknown id, a nested structure) or deleted, written
  back as YAML or JSON;
- *text mutations*: the template's text with bytes flipped, lines cut or repeated, and YAML
  syntax that attacks the parser inserted (anchors and aliases, tags, deep brackets, control
  characters), plus raw random bytes.

A crash is any exception other than :class:`~peaceops.errors.ScenarioError` (the documented
input error); :func:`check_input` raises it, so a fuzz test only has to call it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from typing import Any

import yaml

from peaceops.errors import ScenarioError
from peaceops.scenario import Scenario, parse_scenario
from peaceops_testing import template_text

__all__ = ["NASTY", "check_input", "field_mutation", "raw_bytes", "text_mutation"]

#: Replacement values: other types, extremes, ids that do not exist, nested shapes.
NASTY: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1,
    2**63,
    -(2**63),
    10**400,
    1e308,
    -1e308,
    1e-320,
    0.5,
    "",
    " ",
    "x",
    "NOPE",
    "ADV",
    "HST",
    "UNSC",
    "ceasefire",
    "2025-13-01",
    "9999-12-31",
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    [],
    {},
    [1],
    ["ADV"],
    [["x"]],
    {"id": ["x"]},
    {"kind": "weighted", "quota": 1, "weights": {"ADV": "x"}},
    {"a": {"b": {"c": [1, 2, {"d": None}]}}},
    "x" * 300,
)

_ATTACKS: tuple[str, ...] = (
    "&a [*a]",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "!!timestamp nope",
    "!!float nope",
    "!!int nope",
    "!!set {a, b}",
    "!local x",
    "2025-13-45",
    "{<<: {a: 1}}",
    "[" * 200 + "]" * 200,
    "{a: " * 100 + "1" + "}" * 100,
    "\x00",
    "\x1b[31m",
    "\ufeff",
    "*undefined",
    "? [1, 2]\n: x",
    "&b x",
    "---\nsecond: doc",
    ".nan",
    "-.inf",
    "0x1F",
    "1_000",
    "=",
    "'unterminated",
    '"\\x"',
    "\t- tabs",
    "%YAML 1.1\n---",
)


def _paths(node: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [loc]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*loc, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, (*loc, i)))
    return out


def _template_doc() -> Any:
    return yaml.safe_load(template_text())


def field_mutation(rng: random.Random, *, n_changes: int = 0) -> str:
    """The template with 1-3 values replaced or deleted, as YAML (or JSON, one time in 5)."""
    doc = _template_doc()
    for _ in range(n_changes or rng.randint(1, 3)):
        paths = _paths(doc)[1:]
        loc = rng.choice(paths)
        parent = doc
        for step in loc[:-1]:
            parent = parent[step]
        key = loc[-1]
        action = rng.random()
        if action < 0.15:
            del parent[key]
        elif action < 0.25 and isinstance(parent[key], list) and parent[key]:
            parent[key].append(parent[key][0])  # a duplicated item (duplicate ids)
        else:
            parent[key] = copy.deepcopy(rng.choice(NASTY))  # never shared: no cycles
    if rng.random() < 0.2:
        return json.dumps(doc, default=str)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def text_mutation(rng: random.Random) -> str:
    """The template's text with 1-4 edits: attacks inserted, bytes flipped, lines cut."""
    lines = template_text().splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        action = rng.random()
        if action < 0.5:
            line = lines[i]
            cut = line.find(":") + 1 if ":" in line else len(line) // 2
            lines[i] = line[:cut] + " " + rng.choice(_ATTACKS) + "\n"
        elif action < 0.7:
            line = lines[i]
            j = rng.randrange(len(line)) if line else 0
            lines[i] = line[:j] + chr(rng.randrange(0, 0x3000)) + line[j + 1 :]
        elif action < 0.85:
            del lines[i : i + rng.randint(1, 5)]
            if not lines:
                lines = ["\n"]
        else:
            lines.insert(i, lines[rng.randrange(len(lines))])
    return "".join(lines)


def raw_bytes(rng: random.Random) -> str:
    """Random bytes decoded as Latin-1 (any character the reader may meet)."""
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 400))).decode("latin-1")


def check_input(text: str, *, json_first: bool = False) -> Scenario | None:
    """Validate ``text``: the scenario, or ``None`` for a documented input error.

    Any other exception propagates: that is a crash.
    """
    try:
        return parse_scenario(text, file="fuzz.yaml", json_first=json_first)
    except ScenarioError as exc:
        for p in exc.problems:  # every problem names the file and says something
            assert p.file == "fuzz.yaml", p
            assert p.message, p
        return None
