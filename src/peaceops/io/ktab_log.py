"""KTAB's reference logs of ``smpc`` runs, and the turn-by-turn comparison with them.

A log (for example KTAB's ``ref-dummyData_3Dim.txt``) is plain text. The lines read here:

- ``Number of actors: N`` and ``Actor: i name: NAME`` (any name, used to find the
  probability lines), ``Dimension k : NAME``;
- the model parameters, one ``Name: Value`` line each (``VotingRule: Prop``, ...);
- ``pos[i, k] =  75.790``: the initial position of actor ``i`` on dimension ``k``;
- ``postn i , k :`` followed by a line of the actor's coordinates after turn ``k``
  (4 decimals on 0..100); ``N`` such blocks make one state;
- ``Inferred risk attitudes`` followed by ``N`` lines, one per actor;
- ``In turn t actor i has most advantageous target j worth g`` and
  ``In turn t Actor i has no advantageous targets``;
- ``Fractional change compared to first step: r``;
- ``There were S states``;
- ``NAME, prob : p0 p1 ...``: each actor's winning probability in every state.

Every other line is skipped. :func:`write_ktab_log` writes those lines back (and nothing
else), so a log survives a round trip.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast import MODELS
from peaceops.io._common import FloatArray, ModelFile, read_text
from peaceops.io.ktab import KTAB_DEFAULTS, KTAB_OPTIONS
from peaceops.io.limits import MAX_LOG_BYTES

__all__ = ["KtabLog", "LogComparison", "compare_with_log", "read_ktab_log", "write_ktab_log"]


@dataclass(frozen=True)
class KtabLog:
    """What a KTAB log records about a run.

    Attributes
    ----------
    path
        The file read.
    actors, dimensions
        Actor and dimension names in KTAB's order.
    parameters
        KTAB model parameters as written (``{"VotingRule": "Prop", ...}``).
    positions
        One ``(n, m)`` array per state on 0..100: the initial positions, then each turn's.
    risk
        Inferred risk attitudes ``(n,)`` per state.
    targets
        ``(turn, actor) -> (target, worth)``; ``no_target`` the pairs without a target.
    ratios
        The stop rule's ratio per turn.
    prob
        ``(n, states)`` winning probabilities; empty when the log has none.
    n_states
        "There were S states" (-1 when absent).
    """

    path: str
    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    parameters: dict[str, str]
    positions: list[FloatArray]
    risk: list[FloatArray] = field(default_factory=list)
    targets: dict[tuple[int, int], tuple[int, float]] = field(default_factory=dict)
    no_target: frozenset[tuple[int, int]] = frozenset()
    ratios: list[float] = field(default_factory=list)
    prob: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    n_states: int = -1

    def smp_options(self) -> dict[str, str]:
        """The log's model parameters as keywords of the SMP (KTAB's defaults left out)."""
        out: dict[str, str] = {}
        for key, value in self.parameters.items():
            keyword, values = KTAB_OPTIONS.get(key, ("", {}))
            if keyword and value in values and values[value] != KTAB_DEFAULTS[keyword]:
                out[keyword] = values[value]
        return out


_PARAMETERS = frozenset(KTAB_OPTIONS)
_RE = {
    "n": re.compile(r"Number of actors:\s*(\d+)"),
    "actor": re.compile(r"Actor:\s*(\d+) name:\s*(.*?)\s*$"),
    "dim": re.compile(r"Dimension (\d+) :\s*(.*?)\s*$"),
    "param": re.compile(r"(\w+): (\w+)\s*$"),
    "pos": re.compile(r"pos\[\s*(\d+),\s*(\d+)\]\s*=\s*(\S+)"),
    "postn": re.compile(r"postn\s+\d+\s*,\s*\d+\s*:"),
    "target": re.compile(
        r"In turn (\d+) actor (\d+) has most advantageous target (\d+) worth (\S+)"
    ),
    "none": re.compile(r"In turn (\d+) Actor (\d+) has no advantageous targets"),
    "ratio": re.compile(r"Fractional change compared to first step: (\S+)"),
    "states": re.compile(r"There were (\d+) states"),
    "prob": re.compile(r"(.*), prob :(.*)$"),
}


def read_ktab_log(path: PathLike) -> KtabLog:
    """Read a KTAB ``smpc`` log (see the module docstring for the lines read).

    Raises
    ------
    ScenarioError
        With file and line: no ``Number of actors`` line, a value that is not a number, a
        position block or risk list cut short, initial positions missing for an actor.
    """
    name = str(path)
    lines = read_text(path, what="KTAB log", limit=MAX_LOG_BYTES).splitlines()
    problems: list[Problem] = []
    n = -1
    names: dict[int, str] = {}
    dims: dict[int, str] = {}
    params: dict[str, str] = {}
    initial: dict[tuple[int, int], float] = {}
    states: list[FloatArray] = []
    block: list[list[float]] = []
    risk: list[FloatArray] = []
    targets: dict[tuple[int, int], tuple[int, float]] = {}
    no_target: set[tuple[int, int]] = set()
    ratios: list[float] = []
    prob: dict[str, list[float]] = {}
    n_states = -1

    def floats(text: str, lineno: int) -> list[float]:
        try:
            return [float(v) for v in text.split()]
        except ValueError:
            problems.append(Problem(name, lineno, "", f"expected numbers; got {text.strip()!r}"))
            return []

    for k, line in enumerate(lines):
        lineno = k + 1
        stripped = line.strip()
        if n < 0 and (mt := _RE["n"].match(stripped)):
            n = int(mt[1])
        elif mt := _RE["actor"].match(stripped):
            names[int(mt[1])] = mt[2]
        elif mt := _RE["dim"].match(stripped):
            dims[int(mt[1])] = mt[2]
        elif mt := _RE["pos"].match(stripped):
            value = floats(mt[3], lineno)
            if value:
                initial[(int(mt[1]), int(mt[2]))] = value[0]
        elif (mt := _RE["param"].match(stripped)) and mt[1] in _PARAMETERS:
            params.setdefault(mt[1], mt[2])
        elif _RE["postn"].match(stripped):
            if k + 1 >= len(lines):
                problems.append(Problem(name, lineno, "postn", "no coordinates after it"))
                break
            block.append(floats(lines[k + 1], lineno + 1))
            if len(block) == n:
                states.append(_matrix(block, name, lineno, problems))
                block = []
        elif stripped.startswith("Inferred risk attitudes"):
            values = [floats(lines[k + 1 + i], lineno + 1 + i) for i in range(max(n, 0))
                      if k + 1 + i < len(lines)]  # fmt: skip
            if len(values) < n or any(len(v) != 1 for v in values):
                problems.append(Problem(name, lineno, "risk", f"expected {n} lines of one number"))
            else:
                risk.append(np.array([v[0] for v in values]))
        elif mt := _RE["target"].match(stripped):
            targets[(int(mt[1]), int(mt[2]))] = (int(mt[3]), _one(mt[4], name, lineno, problems))
        elif mt := _RE["none"].match(stripped):
            no_target.add((int(mt[1]), int(mt[2])))
        elif mt := _RE["ratio"].match(stripped):
            ratios.append(_one(mt[1], name, lineno, problems))
        elif mt := _RE["states"].match(stripped):
            n_states = int(mt[1])
        elif (mt := _RE["prob"].match(line)) and mt[1].strip() in names.values():
            prob[mt[1].strip()] = floats(mt[2], lineno)
    if n < 1:
        raise ScenarioError([Problem(name, None, "", "no 'Number of actors: N' line")])
    actors = tuple(names.get(i, f"actor{i}") for i in range(n))
    m = 1 + max((kk for _, kk in initial), default=-1)
    missing = [a for i, a in enumerate(actors) if any((i, kk) not in initial for kk in range(m))]
    if m == 0 or missing:
        problems.append(
            Problem(name, None, "pos", "no initial positions ('pos[i, k] = x' lines) for "
                    + (", ".join(missing) or "any actor"))
        )  # fmt: skip
    if problems:
        raise ScenarioError(problems)
    first = np.array([[initial[(i, kk)] for kk in range(m)] for i in range(n)])
    rows = [prob[a] for a in actors if a in prob]
    widths = {len(r) for r in rows}
    return KtabLog(
        path=name,
        actors=actors,
        dimensions=tuple(dims.get(kk, f"dim{kk + 1}") for kk in range(m)),
        parameters=params,
        positions=[first, *states],
        risk=risk,
        targets=targets,
        no_target=frozenset(no_target),
        ratios=ratios,
        prob=np.array(rows) if len(rows) == n and len(widths) == 1 else np.zeros((0, 0)),
        n_states=n_states,
    )


def write_ktab_log(path: PathLike, log: KtabLog) -> None:
    """Write the lines :func:`read_ktab_log` reads, in KTAB's wording (a round trip)."""
    n = len(log.actors)
    out = [f"Number of actors: {n} ", f"Number of dimensions: {len(log.dimensions)} "]
    out += [f"Dimension {k} : {d} " for k, d in enumerate(log.dimensions)]
    for i, actor in enumerate(log.actors):
        out.append(f"Actor: {i} name: {actor} ")
        out += [f"pos[{i}, {k}] =  {float(x)!r} " for k, x in enumerate(log.positions[0][i])]
    out += [f"{key}: {value}" for key, value in log.parameters.items()]
    for t, state in enumerate(log.positions[1:]):
        for i in range(n):
            out += [f"postn {i} , {t} : ", " ".join(repr(float(x)) for x in state[i])]
    for risk in log.risk:
        out += ["Inferred risk attitudes: ", *(repr(float(r)) for r in risk)]
    for (t, i), (j, worth) in sorted(log.targets.items()):
        out.append(f"In turn {t} actor {i} has most advantageous target {j} worth {worth!r}")
    out += [f"In turn {t} Actor {i} has no advantageous targets" for t, i in sorted(log.no_target)]
    out += [f"Fractional change compared to first step: {r!r}" for r in log.ratios]
    if log.n_states >= 0:
        out.append(f"There were {log.n_states} states, with {log.n_states - 1} steps between them")
    for i, actor in enumerate(log.actors):
        if log.prob.size:
            out.append(f"{actor}, prob : " + " ".join(repr(float(p)) for p in log.prob[i]))
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class LogComparison:
    """KTAB mode of the spatial model against a KTAB log, state by state.

    Attributes
    ----------
    turns_log, turns_model
        Number of turns (states - 1) in the log and in the model's run.
    deviation
        Largest absolute position difference (0..100 scale) per state present in both.
    """

    turns_log: int
    turns_model: int
    deviation: tuple[float, ...]

    @property
    def max_deviation(self) -> float:
        """The largest deviation over all states."""
        return max(self.deviation, default=float("nan"))

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per state: turn and the largest position deviation."""
        return [{"turn": t, "max_deviation": d} for t, d in enumerate(self.deviation)]


def compare_with_log(
    model: ModelFile, log: KtabLog, *, options: Mapping[str, str] | None = None
) -> LogComparison:
    """Run the spatial model in KTAB mode on ``model`` and compare each state with ``log``.

    The model runs with the log's parameters (or ``options``); actors are matched by name
    when both files name them alike, else by order.

    Raises
    ------
    ScenarioError
        When the log and the model file disagree on the number of actors or dimensions.
    """
    d = model.data
    if len(log.actors) != len(d.actors) or log.positions[0].shape[1] != len(d.issues):
        raise ScenarioError(
            [Problem(log.path, None, "", f"the log has {len(log.actors)} actors and "
                     f"{log.positions[0].shape[1]} dimensions; {model.path} has "
                     f"{len(d.actors)} and {len(d.issues)}")]
        )  # fmt: skip
    order = (
        [d.actors.index(a) for a in log.actors]
        if set(log.actors) == set(d.actors)
        else list(range(len(d.actors)))
    )
    opts = dict(log.smp_options() if options is None else options)
    result = MODELS["smp"](d, mode="ktab", **opts)
    assert result.positions is not None
    states = min(len(log.positions), result.positions.shape[0])
    deviation = tuple(
        float(np.abs(result.positions[t][order] - log.positions[t]).max()) for t in range(states)
    )
    return LogComparison(len(log.positions) - 1, result.positions.shape[0] - 1, deviation)


def _matrix(block: list[list[float]], name: str, line: int, problems: list[Problem]) -> FloatArray:
    widths = {len(r) for r in block}
    if len(widths) != 1:
        problems.append(Problem(name, line, "postn", "coordinate lines of different lengths"))
        return np.zeros((len(block), 0))
    return np.array(block)


def _one(text: str, name: str, line: int, problems: list[Problem]) -> float:
    try:
        return float(text)
    except ValueError:
        problems.append(Problem(name, line, "", f"not a number: {text!r}"))
        return float("nan")
