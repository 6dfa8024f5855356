"""Enumeration engine: every coalition of the free players, for any rule.

Walks all :math:`2^m` subsets ``T`` of the free players in Gray-code order (one player joins or
leaves per step, so each criterion's weight is updated in O(1)), tests the rule on
:math:`R \\cup T`, and for each winning ``T`` tests every member's departure: the table
``G[k][c]`` of winning coalitions by size and number of critical members, and ``N[i][k][c]``
for the coalitions in which ``i`` is critical. It needs no structure (any number of weight
criteria), costs :math:`O(2^m m d)` for ``d`` criteria, and serves small games and games with two
or more weight vectors that are not member counts.

References
----------
.. [1] Knuth, D. E. (2011). *The Art of Computer Programming, Vol. 4A: Combinatorial
   Algorithms, Part 1*, sec. 7.2.1.1 (Gray binary code). Addison-Wesley.
   ISBN 978-0-201-03804-0.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from peaceops._jit import cores, jit
from peaceops.errors import InfeasibleError
from peaceops.power._counts import Counts, counts_from_tables
from peaceops.power._reduce import Reduced

__all__ = ["MAX_ENUMERATE", "enumerate_counts"]

IntArray = npt.NDArray[np.int64]

#: Most free players the enumeration engine takes (2^30 coalitions).
MAX_ENUMERATE = 30
_LOW_BITS = 16


def enumerate_counts(red: Reduced, want: frozenset[str]) -> Counts:
    """Exact counts of any game by enumerating the free players' coalitions."""
    m, d = red.m, len(red.crit_weights)
    weights = np.asarray(red.crit_weights, dtype=np.int64).reshape(d, m)
    if d and int(np.abs(weights).sum(axis=1).max()) >= 1 << 62:
        raise InfeasibleError(
            "criterion weights too large for exact enumeration in 64-bit integers",
            conflicts=("method='enumerate'", "weights above 2**62"),
        )
    residual = np.asarray(red.crit_residual, dtype=np.int64).reshape(d)
    max_against = -1 if red.max_against is None else red.max_against
    low = min(m, _LOW_BITS)
    blocks = 1 << (m - low)
    threads = max(1, min(cores(), blocks))
    cuts = np.linspace(0, blocks, threads + 1).astype(np.int64)

    def work(t: int) -> tuple[IntArray, IntArray]:
        G = np.zeros((m + 1, m + 1), dtype=np.int64)
        N = np.zeros((m, m + 1, m + 1), dtype=np.int64)
        _walk(
            int(cuts[t]), int(cuts[t + 1]), low, weights, residual, red.r, red.n,
            max_against, G, N,
        )  # fmt: skip
        return G, N

    if threads == 1:
        parts = [work(0)]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(work, range(threads)))
    G = sum((p[0] for p in parts), np.zeros((m + 1, m + 1), dtype=np.int64))
    N = sum((p[1] for p in parts), np.zeros((m, m + 1, m + 1), dtype=np.int64))
    return counts_from_tables(red, G, N, "enumerate", want)


@jit
def _wins(sums: IntArray, residual: IntArray, k: int, r: int, n: int, max_against: int) -> bool:
    if max_against >= 0 and n - r - k <= max_against:
        return True
    for c in range(sums.shape[0]):  # noqa: SIM110 (numba: no generators in all())
        if sums[c] < residual[c]:
            return False
    return True


@jit
def _wins_without(
    sums: IntArray,
    weights: IntArray,
    j: int,
    residual: IntArray,
    k: int,
    r: int,
    n: int,
    max_against: int,
) -> bool:
    if max_against >= 0 and n - r - (k - 1) <= max_against:
        return True
    for c in range(sums.shape[0]):  # noqa: SIM110 (numba: no generators in all())
        if sums[c] - weights[c, j] < residual[c]:
            return False
    return True


@jit
def _walk(
    b0: int,
    b1: int,
    low: int,
    weights: IntArray,
    residual: IntArray,
    r: int,
    n: int,
    max_against: int,
    G: IntArray,
    N: IntArray,
) -> None:
    """Visit the coalitions whose high bits (above ``low``) run over ``[b0, b1)``."""
    d = weights.shape[0]
    m = weights.shape[1]
    sums = np.zeros(d, dtype=np.int64)
    for blk in range(b0, b1):
        mask = blk << low
        k = 0
        for c in range(d):
            sums[c] = 0
        for j in range(m):
            if (mask >> j) & 1:
                k += 1
                for c in range(d):
                    sums[c] += weights[c, j]
        for g in range(1 << low):
            if g > 0:
                j = 0
                while not (g >> j) & 1:
                    j += 1
                bit = 1 << j
                if mask & bit:
                    mask ^= bit
                    k -= 1
                    for c in range(d):
                        sums[c] -= weights[c, j]
                else:
                    mask |= bit
                    k += 1
                    for c in range(d):
                        sums[c] += weights[c, j]
            if not _wins(sums, residual, k, r, n, max_against):
                continue
            crit = 0
            for j in range(m):
                if (mask >> j) & 1 and not _wins_without(
                    sums, weights, j, residual, k, r, n, max_against
                ):
                    crit += 1
            G[k, crit] += 1
            if crit:
                for j in range(m):
                    if (mask >> j) & 1 and not _wins_without(
                        sums, weights, j, residual, k, r, n, max_against
                    ):
                        N[j, k, crit] += 1
