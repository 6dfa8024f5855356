"""Exact coalition counts every engine returns, from which the indices follow.

Counts refer to the free players' part ``T`` of a coalition ``S = R ∪ T`` (see
:mod:`peaceops.power._reduce`); ``c`` counts the free players critical in ``T`` (whose
departure makes it lose), so ``S`` has ``c + r`` critical players.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from peaceops.power._reduce import Reduced

__all__ = ["Counts", "counts_from_tables"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Counts:
    """What an engine computed, exactly, keyed by the players' original indices.

    Attributes
    ----------
    method
        Engine that produced the counts.
    winning_total
        Number of winning coalitions.
    winning_by_size
        ``W[k]``: winning ``T`` with ``|T| = k``, ``k = 0 .. m`` (``None`` when only the total
        was computed).
    minimal_total
        Number of minimal winning coalitions.
    minimal_by_size
        ``MW[k]``: minimal winning ``T`` with ``|T| = k``, when computed.
    swings
        Free player ``i`` -> number of losing coalitions that ``i`` turns into winning ones.
    swings_by_size
        Free player ``i`` -> ``eta[k]``: losing ``T`` without ``i``, ``|T| = k``, that win with
        ``i``; ``k = 0 .. m - 1`` (``None`` when only the totals were computed).
    holler
        Free player -> number of minimal winning coalitions containing it.
    deegan_packel
        Free player -> sum over the minimal winning coalitions ``S`` containing it of ``1/|S|``.
    johnston
        Free player -> sum over the winning ``S`` in which it is critical of ``1/c(S)``.
    critical_by_count
        ``JG[c]``: winning ``T`` with ``c`` critical free players, ``c = 0 .. m``.
    """

    method: str
    winning_total: int
    winning_by_size: tuple[int, ...] | None
    minimal_total: int
    minimal_by_size: tuple[int, ...] | None
    swings: dict[int, int]
    swings_by_size: dict[int, tuple[int, ...]] | None
    holler: dict[int, int] | None = None
    deegan_packel: dict[int, Fraction] | None = None
    johnston: dict[int, Fraction] | None = None
    critical_by_count: tuple[int, ...] | None = None


def counts_from_tables(
    red: Reduced, G: IntArray, N: IntArray, method: str, want: frozenset[str]
) -> Counts:
    """Counts from ``G[k][c]`` (winning ``T`` by size and critical count) and ``N[i][k][c]``
    (the same, restricted to ``T`` in which free player ``i``, engine order, is critical)."""
    m, r = red.m, red.r
    g = [[int(v) for v in row] for row in G]
    winning = tuple(sum(g[k]) for k in range(m + 1))
    minimal = tuple(g[k][k] for k in range(m + 1))
    swings: dict[int, tuple[int, ...]] = {}
    holler: dict[int, int] = {}
    dp: dict[int, Fraction] = {}
    john: dict[int, Fraction] = {}
    for j, orig in enumerate(red.free):
        nj = [[int(v) for v in row] for row in N[j]]
        swings[orig] = tuple(sum(nj[k + 1]) for k in range(m))
        holler[orig] = sum(nj[k][k] for k in range(m + 1))
        dp[orig] = sum((Fraction(nj[k][k], k + r) for k in range(1, m + 1)), Fraction(0))
        john[orig] = sum(
            (Fraction(nj[k][c], c + r) for k in range(m + 1) for c in range(1, k + 1) if nj[k][c]),
            Fraction(0),
        )
    return Counts(
        method=method,
        winning_total=sum(winning),
        winning_by_size=winning,
        minimal_total=sum(minimal),
        minimal_by_size=minimal,
        swings={i: sum(v) for i, v in swings.items()},
        swings_by_size=swings,
        holler=holler if "holler" in want else None,
        deegan_packel=dp if "deegan_packel" in want else None,
        johnston=john if "johnston" in want else None,
        critical_by_count=tuple(sum(g[k][c] for k in range(m + 1)) for c in range(m + 1)),
    )
