"""KTAB's input files for the spatial model of politics: the CSV and the XML layout.

KTAB (the KAPSARC Toolkit for Behavioral Analysis; Wise, Lester and Efird, KAPSARC, MIT
licence) reads a negotiation for its ``smpc`` program from either layout; both hold the
same data: actors with a capability ("power"), and per dimension a position and a salience,
both on 0..100.

**CSV.** Line 1: scenario name, description, number of actors ``n``, number of dimensions
``m`` (more cells are ignored). Line 2: a header, ``Actor, Description, Power`` followed by a
position and a salience column per dimension (the position columns name the dimensions).
Then ``n`` lines, one per actor: name, description, power, then position and salience per
dimension. Trailing empty cells are ignored::

    Demo,"A small example",3,1,
    Actor,Description,Power,Speed,Sal1,
    North,"North bloc",40,80,60,
    South,"South bloc",35,20,90,
    Mediator,"",10,50,30,

**XML.** A ``Scenario`` element holding ``name``, ``desc``, ``prngSeed``, optionally
``ModelParameters`` (KTAB's option names, mapped to the keywords of
:func:`peaceops.forecast.smp.smp_forecast`), optionally ``Dimensions`` (``dName`` per
dimension), and ``Actors``: one ``Actor`` each with ``name``, ``description``,
``capability``, ``Position`` (one ``dCoord`` per dimension) and ``Salience`` (one ``dSal``
per dimension). An ``IdealAdjustment`` element is not supported (an error names it).

Positions stay on 0..100; saliences are divided by 100 (KTAB's model uses them only relative
to each other, so nothing changes); capabilities are used as given. KTAB's stochastic state
transitions are not implemented by peaceops, so ``StateTransitions`` must be
``Deterministic``.

References
----------
1. Wise, B., Lester, L. and Efird, B. (2015-2017). KTAB: KAPSARC Toolkit for Behavioral
   Analysis, ``examples/smp`` (``dummyData_3Dim.csv``, ``smpSchema.xsd``).
   https://github.com/KAPSARC/KTAB
"""

from __future__ import annotations

import csv
import math
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast import NegotiationInput
from peaceops.io._common import ModelFile, parse_number, read_text

__all__ = [
    "KTAB_DEFAULTS",
    "KTAB_OPTIONS",
    "read_ktab_csv",
    "read_ktab_xml",
    "write_ktab_csv",
    "write_ktab_xml",
]

#: KTAB ``ModelParameters`` element -> (keyword of the SMP, KTAB value -> keyword value).
KTAB_OPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "VictoryProbModel": (
        "victory_model",
        {"Linear": "linear", "Square": "square", "Quartic": "quartic", "Octic": "octic",
         "Binary": "binary"},
    ),
    "PCEModel": (
        "pce",
        {"Conditional": "conditional", "MarkovIncentive": "markov_incentive",
         "MarkovUniform": "markov_uniform"},
    ),
    "VotingRule": (
        "vote_rule",
        {"Binary": "binary", "PropBin": "prop_bin", "Proportional": "proportional",
         "Prop": "proportional", "PropCbc": "prop_cubic", "Cubic": "cubic",
         "ASymProsp": "asym_prospect"},
    ),
    "BigRAdjust": (
        "big_r_adjust",
        {"Full": "full", "TwoThirds": "two_thirds", "Half": "half", "OneThird": "one_third",
         "No": "none"},
    ),
    "BigRRange": ("big_r_range", {"Min": "min", "Mid": "mid", "Max": "max"}),
    "ThirdPartyCommit": (
        "third_party", {"NoCommit": "none", "SemiCommit": "semi", "FullCommit": "full"}
    ),
    "InterVecBrgn": ("interpolation", {"S1P1": "s1p1", "S2P2": "s2p2", "S2PMax": "s2pmax"}),
    "BargnModel": (
        "bargain_model",
        {"InitOnlyInterp": "init_only", "InitRcvrInterp": "init_rcvr",
         "PWCompInterp": "pw_comp"},
    ),
    "StateTransitions": ("", {"Deterministic": ""}),
}  # fmt: skip


def read_ktab_csv(path: PathLike) -> ModelFile:
    """Read a KTAB SMP input file in the CSV layout (see the module docstring).

    Raises
    ------
    ScenarioError
        With the file and line of every problem: a missing or malformed first line, too few
        header or actor cells, a value that is not a number or is out of range, a duplicate
        actor name, fewer or more actor lines than line 1 announces.
    """
    name = str(path)
    rows = [_trim(r) for r in csv.reader(read_text(path).splitlines())]
    problems: list[Problem] = []
    if not rows or len(rows[0]) < 4:
        raise ScenarioError(
            [Problem(name, 1, "", "line 1 must be: name, description, n_actors, n_dimensions")]
        )
    n = _count(rows[0][2], name, 1, "n_actors", problems)
    m = _count(rows[0][3], name, 1, "n_dimensions", problems)
    if problems:
        raise ScenarioError(problems)
    width = 3 + 2 * m
    if len(rows) < 2 or len(rows[1]) < width:
        raise ScenarioError(
            [Problem(name, 2, "", f"the header needs {width} cells (Actor, Description, "
                     f"Power, then a position and a salience per dimension)")]
        )  # fmt: skip
    issues = tuple(rows[1][3 + 2 * k] or f"dim{k + 1}" for k in range(m))
    body = [(k + 1, r) for k, r in enumerate(rows) if k >= 2 and any(r)]
    if len(body) != n:
        problems.append(
            Problem(name, body[n][0] if len(body) > n else len(rows) or 1, "",
                    f"line 1 announces {n} actors; the file has {len(body)} actor lines")
        )  # fmt: skip
    actors = _Actors(name)
    for lineno, r in body[:n]:
        if len(r) < width:
            problems.append(Problem(name, lineno, "", f"{len(r)} cells; expected {width}"))
            continue
        actors.add(
            lineno,
            r[0],
            r[1],
            r[2],
            [r[3 + 2 * k] for k in range(m)],
            [r[4 + 2 * k] for k in range(m)],
            problems,
        )
    if problems:
        raise ScenarioError(problems)
    return actors.model_file("ktab-csv", rows[0][0] or Path(path).stem, rows[0][1], issues)


def write_ktab_csv(path: PathLike, model: ModelFile) -> None:
    """Write ``model`` in KTAB's CSV layout (salience back on 0..100); see :func:`read_ktab_csv`."""
    d = model.data
    lines = [[model.name, model.description, str(len(d.actors)), str(len(d.issues))]]
    header = ["Actor", "Description", "Power"]
    for k, issue in enumerate(d.issues):
        header += [issue, f"Sal{k + 1}"]
    lines.append(header)
    for i, actor in enumerate(d.actors):
        row = [actor, _description(model, i), repr(float(d.clout[i]))]
        for k in range(len(d.issues)):
            row += [repr(float(d.positions[i, k])), repr(float(d.salience[i, k] * 100.0))]
        lines.append(row)
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(lines)


def read_ktab_xml(path: PathLike) -> ModelFile:
    """Read a KTAB SMP input file in the XML layout (see the module docstring).

    Raises
    ------
    ScenarioError
        With the file and line of every problem: malformed XML, a missing element, a value
        that is not a number or is out of range, an unknown ``ModelParameters`` value, a
        ``Dimensions`` list that does not match the actors' coordinates.
    """
    name = str(path)
    root = _parse_xml(name, read_text(path))
    problems: list[Problem] = []
    if root.tag != "Scenario":
        raise ScenarioError([Problem(name, root.line, root.tag, "the root must be <Scenario>")])
    options: dict[str, str] = {}
    params = root.child("ModelParameters")
    if params is not None:
        for el in params.children:
            if el.tag not in KTAB_OPTIONS:
                problems.append(Problem(name, el.line, el.tag, "unknown model parameter"))
                continue
            keyword, values = KTAB_OPTIONS[el.tag]
            if el.text not in values:
                problems.append(
                    Problem(name, el.line, el.tag, f"got {el.text!r}; supported: "
                            f"{', '.join(values)}")
                )  # fmt: skip
            elif keyword and values[el.text] != KTAB_DEFAULTS[keyword]:
                options[keyword] = values[el.text]
    if (ideal := root.child("IdealAdjustment")) is not None:
        problems.append(Problem(name, ideal.line, "IdealAdjustment", "not supported"))
    dims = root.child("Dimensions")
    issues = tuple(d.text for d in dims.children) if dims is not None else ()
    actor_list = root.child("Actors")
    if actor_list is None or not actor_list.children:
        problems.append(Problem(name, root.line, "Actors", "no <Actors> with <Actor> elements"))
        raise ScenarioError(problems)
    actors = _Actors(name)
    for el in actor_list.children:
        fields = {c.tag: c for c in el.children}
        missing = [t for t in ("name", "capability", "Position", "Salience") if t not in fields]
        if missing:
            problems.append(Problem(name, el.line, "Actor", f"missing {', '.join(missing)}"))
            continue
        coords = [c.text for c in fields["Position"].children]
        sals = [c.text for c in fields["Salience"].children]
        if not issues:
            issues = tuple(f"dim{k + 1}" for k in range(len(coords)))
        if len(coords) != len(issues) or len(sals) != len(issues):
            problems.append(
                Problem(name, el.line, fields["name"].text, f"{len(coords)} coordinates and "
                        f"{len(sals)} saliences; expected {len(issues)} (one per dimension)")
            )  # fmt: skip
            continue
        desc = fields["description"].text if "description" in fields else ""
        actors.add(el.line, fields["name"].text, desc, fields["capability"].text, coords, sals,
                   problems)  # fmt: skip
    if problems:
        raise ScenarioError(problems)
    title = root.child("name")
    desc_el = root.child("desc")
    return actors.model_file(
        "ktab-xml",
        title.text if title is not None and title.text else Path(path).stem,
        desc_el.text if desc_el is not None else "",
        issues,
        options,
    )


def write_ktab_xml(path: PathLike, model: ModelFile) -> None:
    """Write ``model`` in KTAB's XML layout; see :func:`read_ktab_xml`."""
    d = model.data
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<Scenario>"]
    out += [f"  <name>{escape(model.name)}</name>", f"  <desc>{escape(model.description)}</desc>"]
    out.append("  <prngSeed>0</prngSeed>")
    if model.smp_options:
        out.append("  <ModelParameters>")
        for element, (keyword, values) in KTAB_OPTIONS.items():
            value = model.smp_options.get(keyword, KTAB_DEFAULTS.get(keyword, ""))
            ktab = next((k for k, v in values.items() if v == value), "Deterministic")
            out.append(f"    <{element}>{ktab}</{element}>")
        out.append("  </ModelParameters>")
    out.append("  <Dimensions>")
    out += [f"    <dName>{escape(k)}</dName>" for k in d.issues]
    out += ["  </Dimensions>", "  <Actors>"]
    for i, actor in enumerate(d.actors):
        out += [
            "    <Actor>",
            f"      <name>{escape(actor)}</name>",
            f"      <description>{escape(_description(model, i))}</description>",
            f"      <capability>{float(d.clout[i])!r}</capability>",
            "      <Position>",
            *(f"        <dCoord>{float(x)!r}</dCoord>" for x in d.positions[i]),
            "      </Position>",
            "      <Salience>",
            *(f"        <dSal>{float(s * 100.0)!r}</dSal>" for s in d.salience[i]),
            "      </Salience>",
            "    </Actor>",
        ]
    out += ["  </Actors>", "</Scenario>", ""]
    Path(path).write_text("\n".join(out), encoding="utf-8")


#: KTAB's defaults, as keywords of the SMP (options equal to these are not recorded).
KTAB_DEFAULTS = {
    "victory_model": "linear",
    "pce": "conditional",
    "vote_rule": "proportional",
    "big_r_adjust": "one_third",
    "big_r_range": "mid",
    "third_party": "semi",
    "interpolation": "s2p2",
    "bargain_model": "init_only",
}


def _trim(row: list[str]) -> list[str]:
    cells = [c.strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _description(model: ModelFile, i: int) -> str:
    return model.actor_descriptions[i] if i < len(model.actor_descriptions) else ""


def _count(text: str, name: str, line: int, what: str, problems: list[Problem]) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        problems.append(Problem(name, line, what, f"expected a positive integer; got {text!r}"))
    return value


@dataclass
class _Actors:
    """Actor rows collected by a reader, checked one by one."""

    file: str
    names: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    clout: list[float] = field(default_factory=list)
    positions: list[list[float]] = field(default_factory=list)
    salience: list[list[float]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        line: int,
        actor: str,
        description: str,
        power: str,
        coords: list[str],
        sals: list[str],
        problems: list[Problem],
    ) -> None:
        f = self.file
        if not actor:
            problems.append(Problem(f, line, "name", "blank actor name"))
        elif actor in self.lines:
            problems.append(
                Problem(f, line, actor, f"duplicate actor (first on line {self.lines[actor]})")
            )
        self.lines.setdefault(actor, line)
        c = parse_number(power, f, line, f"{actor}.power", problems, 0.0, math.inf)
        if c == 0.0:
            problems.append(Problem(f, line, f"{actor}.power", "must be above 0"))
        self.names.append(actor)
        self.descriptions.append(description)
        self.clout.append(c)
        self.positions.append(
            [parse_number(x, f, line, f"{actor}.position[{k + 1}]", problems, 0.0, 100.0)
             for k, x in enumerate(coords)]
        )  # fmt: skip
        self.salience.append(
            [parse_number(s, f, line, f"{actor}.salience[{k + 1}]", problems, 0.0, 100.0) / 100.0
             for k, s in enumerate(sals)]
        )  # fmt: skip

    def model_file(
        self,
        fmt: str,
        title: str,
        description: str,
        issues: tuple[str, ...],
        options: dict[str, str] | None = None,
    ) -> ModelFile:
        data = NegotiationInput(
            actors=tuple(self.names),
            issues=issues,
            positions=np.array(self.positions, dtype=float).reshape(len(self.names), len(issues)),
            salience=np.array(self.salience, dtype=float).reshape(len(self.names), len(issues)),
            clout=np.array(self.clout, dtype=float),
            status_quo=np.full(len(issues), np.nan),
        )
        return ModelFile(
            self.file, fmt, title, description, data, tuple(self.descriptions), options or {}
        )


@dataclass
class _Element:
    tag: str
    line: int
    text: str = ""
    children: list[_Element] = field(default_factory=list)

    def child(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)


def _parse_xml(name: str, text: str) -> _Element:
    """A small element tree with the line of every element (expat; no external entities)."""
    parser = xml.parsers.expat.ParserCreate()
    stack: list[_Element] = []
    roots: list[_Element] = []

    def start(tag: str, _attrs: dict[str, str]) -> None:
        el = _Element(tag, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(el)
        stack.append(el)

    def end(_tag: str) -> None:
        el = stack.pop()
        el.text = el.text.strip()

    def chars(data: str) -> None:
        if stack:
            stack[-1].text += data

    def no_entities(*_args: object) -> int:
        raise ScenarioError(
            [Problem(name, parser.CurrentLineNumber, "", "entity declarations are not allowed")]
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = no_entities
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as exc:
        raise ScenarioError(
            [
                Problem(
                    name,
                    exc.lineno,
                    "",
                    f"not well-formed XML: {xml.parsers.expat.errors.messages[exc.code]}",
                )
            ]
        ) from None
    if not roots:
        raise ScenarioError([Problem(name, 1, "", "no XML element")])
    return roots[0]
