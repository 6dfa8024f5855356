"""The expected-utility model's table: actor, capability, position, salience (one or more issues).

Bueno de Mesquita's expected-utility model needs, per actor, a capability and, per issue, a
position and a salience; published replications (Bueno de Mesquita 1994; Scholz, Calbert
and Smith 2011) print it as a table with one row per actor. The CSV read here has a header
naming the columns (any order, case ignored):

- ``Actor`` (or ``Name``): the actor;
- ``Capability``: a positive number on any scale;
- ``Position``: on the issue's scale, within 0..100 (a 4..10 scale, as in the EC example,
  is used as is: the models work on the values given);
- ``Salience``: 0..1, or 0..100 when any salience of the file is above 1 (then divided by 100);
- ``Issue`` (optional): the issue of the row, for tables with several issues; one row per
  actor and issue, the actor's capability the same on each. Without it the file has one
  issue, named after the file.

::

    Actor,Capability,Position,Salience
    Netherlands,0.08,4,0.8
    France,0.16,10,0.6

An actor without a row for an issue holds no stance on it.

References
----------
1. Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
   B. Bueno de Mesquita and F. N. Stokman (eds.), *European Community Decision Making*,
   71-104. Yale University Press.
2. Scholz, J. B., Calbert, G. J. and Smith, G. A. (2011). Unravelling Bueno De Mesquita's
   group decision model. *Journal of Theoretical Politics* 23(4), 510-531.
   doi:10.1177/0951629811418142
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast import NegotiationInput
from peaceops.io._common import ModelFile, parse_number, read_text

__all__ = ["read_eu_table", "write_eu_table"]

_ALIASES = {"name": "actor"}
_REQUIRED = ("actor", "capability", "position", "salience")


def read_eu_table(path: PathLike) -> ModelFile:
    """Read an expected-utility table (see the module docstring).

    Raises
    ------
    ScenarioError
        With the file and line of every problem: a missing column, a blank actor, a value
        that is not a number or is out of range, an actor listed twice on one issue, an
        actor whose capability differs between its rows.
    """
    name = str(path)
    rows = list(csv.reader(read_text(path).splitlines()))
    if not rows:
        raise ScenarioError([Problem(name, 1, "", "the file is empty: expected a header line")])
    header = [_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in rows[0]]
    col = {h: k for k, h in enumerate(header)}
    missing = [c for c in _REQUIRED if c not in col]
    if missing:
        raise ScenarioError([Problem(name, 1, c, "required column is missing") for c in missing])
    problems: list[Problem] = []
    body = [(k + 1, [c.strip() for c in r]) for k, r in enumerate(rows) if k and any(r)]
    if not body:
        raise ScenarioError([Problem(name, None, "", "no actor rows")])
    raw_sal = [r[col["salience"]] for _, r in body if len(r) > col["salience"]]
    percent = any(_float(s) > 1.0 for s in raw_sal)
    default_issue = Path(path).stem
    actors: list[str] = []
    issues: list[str] = []
    clout: dict[str, tuple[float, int]] = {}
    cells: dict[tuple[str, str], tuple[float, float, int]] = {}
    for lineno, r in body:
        if len(r) < len(header):
            r = r + [""] * (len(header) - len(r))
        actor = r[col["actor"]]
        issue = r[col["issue"]] if "issue" in col else default_issue
        if not actor or not issue:
            problems.append(Problem(name, lineno, "actor" if not actor else "issue", "blank"))
            continue
        where = (name, lineno)
        top = 100.0 if percent else 1.0
        c = parse_number(r[col["capability"]], *where, f"{actor}.capability", problems, 0, math.inf)
        x = parse_number(r[col["position"]], *where, f"{actor}.position", problems, 0.0, 100.0)
        s = parse_number(r[col["salience"]], *where, f"{actor}.salience", problems, 0.0, top)
        if actor not in clout:
            actors.append(actor)
            clout[actor] = (c, lineno)
        elif not math.isnan(c) and c != clout[actor][0]:
            problems.append(
                Problem(name, lineno, f"{actor}.capability", f"{c:g} differs from "
                        f"{clout[actor][0]:g} on line {clout[actor][1]}")
            )  # fmt: skip
        if issue not in issues:
            issues.append(issue)
        if (actor, issue) in cells:
            problems.append(
                Problem(name, lineno, f"{actor}.{issue}", "actor listed twice on this issue "
                        f"(first on line {cells[(actor, issue)][2]})")
            )  # fmt: skip
        cells[(actor, issue)] = (x, s / 100.0 if percent else s, lineno)
    if any(c == 0.0 for c, _ in clout.values()):
        problems += [
            Problem(name, line, f"{a}.capability", "must be above 0")
            for a, (c, line) in clout.items()
            if c == 0.0
        ]
    if problems:
        raise ScenarioError(problems)
    positions = np.full((len(actors), len(issues)), np.nan)
    salience = np.zeros((len(actors), len(issues)))
    for (actor, issue), (x, s, _) in cells.items():
        positions[actors.index(actor), issues.index(issue)] = x
        salience[actors.index(actor), issues.index(issue)] = s
    data = NegotiationInput(
        actors=tuple(actors),
        issues=tuple(issues),
        positions=positions,
        salience=salience,
        clout=np.array([clout[a][0] for a in actors]),
        status_quo=np.full(len(issues), np.nan),
    )
    return ModelFile(name, "eu-table", Path(path).stem, "", data, ("",) * len(actors))


def write_eu_table(path: PathLike, model: ModelFile) -> None:
    """Write ``model`` as an expected-utility table (an ``Issue`` column when it has several)."""
    d = model.data
    several = len(d.issues) > 1
    lines = [["Actor", *(["Issue"] if several else []), "Capability", "Position", "Salience"]]
    for k, issue in enumerate(d.issues):
        for i, actor in enumerate(d.actors):
            if np.isnan(d.positions[i, k]):
                continue
            lines.append(
                [actor, *([issue] if several else []), repr(float(d.clout[i])),
                 repr(float(d.positions[i, k])), repr(float(d.salience[i, k]))]
            )  # fmt: skip
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(lines)


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan
