"""What every reader of :mod:`peaceops.io` returns, and the helpers they share.

A reader turns a model file into a :class:`ModelFile`: the forecast models' own input
(:class:`~peaceops.forecast.NegotiationInput`) plus what the file says about itself (its
name, a description per actor, the KTAB options it was run with). Every problem a reader
finds becomes a :class:`~peaceops.errors.Problem` with the file and line, raised together in
one :class:`~peaceops.errors.ScenarioError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from peaceops._types import PathLike
from peaceops.errors import Problem
from peaceops.forecast import NegotiationInput
from peaceops.io.limits import MAX_MODEL_BYTES, read_text_limited

__all__ = ["FloatArray", "ModelFile", "parse_number", "read_text"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ModelFile:
    """A negotiation model read from a file.

    Attributes
    ----------
    path
        The file read.
    format
        ``"ktab-csv"``, ``"ktab-xml"``, ``"eu-table"`` or ``"deu"``.
    name, description
        The model's name and description as the file gives them (else the file's stem, "").
    data
        Actors, issues, positions (0..100), salience (0..1), capability and status quo (NaN
        where the file gives none).
    actor_descriptions
        One description per actor ("" where the file has none).
    smp_options
        Keyword options of the spatial model of politics the file asks for (KTAB XML's
        ``ModelParameters``), e.g. ``{"vote_rule": "prop_cubic"}``; empty for KTAB defaults.
    """

    path: str
    format: str
    name: str
    description: str
    data: NegotiationInput
    actor_descriptions: tuple[str, ...] = ()
    smp_options: dict[str, str] = field(default_factory=dict)


def read_text(path: PathLike, *, what: str = "model file", limit: int = MAX_MODEL_BYTES) -> str:
    """The text of ``path`` (UTF-8, BOM allowed), refused unread over ``limit`` bytes
    (:func:`peaceops.io.limits.read_text_limited`), or a ScenarioError naming the file."""
    return read_text_limited(path, what=what, limit=limit)


def parse_number(
    text: str, name: str, line: int, path: str, problems: list[Problem], lo: float, hi: float
) -> float:
    """``text`` as a float in ``lo..hi``; else a Problem is recorded and NaN returned."""
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(name, line, path, f"not a number: {text!r}"))
        return math.nan
    if not lo <= value <= hi or math.isnan(value):
        span = f"within {lo:g}..{hi:g}" if math.isfinite(hi) else f"at least {lo:g}"
        problems.append(Problem(name, line, path, f"must be {span}; got {text!r}"))
        return math.nan
    return value
