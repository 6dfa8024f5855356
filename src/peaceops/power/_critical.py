r"""Holler, Deegan-Packel and Johnston on a pure weighted game, by the last critical member.

A threshold game whose thresholds are one quota ``q`` (``0 < q``) on every coalition size is a
weighted game on the free players. With the players in engine order (weight descending, ties
by index), the critical members of a winning ``S`` are those heavier than its slack
:math:`\delta = w(S) - q`: the first ``c`` members of ``S`` in that order. Call ``j`` the last
of them (the lightest critical member) and write ``S = X + j + Y`` with ``X`` the critical
members before ``j`` and ``Y`` the others, all strictly lighter than ``j``. Then ``S`` has
``c = |X| + 1`` critical members and, with ``x = w(X)``,

* ``Y`` empty: ``S`` wins and ``j`` is critical iff :math:`q - w_j \le x < q`; these are the
  minimal winning coalitions (every member critical), ``|S| = c``;
* ``Y`` non-empty with heaviest member ``h`` and the rest ``Y'`` (after ``h`` in the order):
  ``j`` critical and ``h`` not iff :math:`q - w_j \le x + w(Y') < q - w_h`.

So, given ``j``, the number :math:`\tau_j(x)` of admissible ``Y`` depends only on ``x``, and
with :math:`E_h(t)` the number of subsets of the players after ``h`` weighing less than ``t``,
:math:`\tau_j(x) = [q - w_j \le x < q] + \sum_{h \ge h_0(j)} E_h(q - w_h - x) -
E_h(q - w_j - x)` (``h_0(j)`` the first player strictly lighter than ``j``). The tables
:math:`E_h` and the two sums over ``h`` are one-dimensional and are updated as ``j`` moves
down, :math:`O(m q)` in all.

The counts per player follow from a forward table and its adjoint (Bilbao et al. 2000 build
the generating functions; the decomposition by the lightest critical member is the ordering
argument of Staudacher et al. 2021, who count minimal winning coalitions the same way for the
public good index). ``Pre_i(c, x)`` counts the subsets of the players before ``i`` by size and
weight; the adjoint ``R_i(c, y)`` counts the ways to complete ``c`` critical members of weight
``y`` chosen up to ``i`` with critical members after ``i``, a last critical member ``j`` and
its ``Y``, each completion weighted by ``1 / (final c + r)`` (``r`` required players, always
critical) for Deegan-Packel and Johnston:

.. math::

    R_{i-1}(c, y) = R_i(c, y) + R_i(c + 1, y + w_i) + \frac{\tau_i(y)}{c + 1 + r},

and player ``i`` receives :math:`\sum_{c,x} Pre_i(c, x) (R_i(c + 1, x + w_i) +
\tau_i(x) / (c + 1 + r))`. Only ``x < q`` matters (the critical members other than ``j`` stay
below the quota) and only ``x >= q - w(players i ..)`` (lighter states cannot reach the quota
any more); this lower bound grows by exactly ``w_i`` from ``i`` to ``i + 1``, so the forward
table restricted to it is self-contained and is stored step by step (``int32`` residues) for
the backward sweep, instead of dividing players out of the full table. At ``n = 200`` with
weights up to 1000 the region is about a fifth of the full ``(size, weight)`` tables summed
over the players.

Deviations from the papers: they weigh no coalition by ``1 / |S|`` or ``1 / c(S)`` inside the
recursion; here the weights are modular inverses, so the values are recovered as
``lcm(r + 1 .. r + c_max) x index`` by the Chinese remainder theorem on primes below
:math:`2^{31}` (:mod:`peaceops.power._modular`), ``c_max`` the largest possible number of
critical free members (the ``c_max - 1`` lightest players weigh less than ``q``). Threshold
games with size-dependent thresholds (count quotas, the blocking clause) use the general sweep
of :mod:`peaceops.power._dense`.

References
----------
.. [1] Bilbao, J. M., Fernández, J. R., Jiménez Losada, A., and López, J. J. (2000).
   Generating functions for computing power indices efficiently. *TOP*, 8(2), 191-213.
   https://doi.org/10.1007/BF02628555
.. [2] Staudacher, J., Kóczy, L. Á., Stach, I., Filipp, J., Kramer, M., Noffke, T.,
   Olsson, L., Pichler, J., and Singh, T. (2021). Computing power indices for weighted voting
   games via dynamic programming. *Operations Research and Decisions*, 31(2), 123-145.
   https://doi.org/10.37190/ord210206
.. [3] Deegan, J., and Packel, E. W. (1978). A new index of power for simple n-person games.
   *International Journal of Game Theory*, 7(2), 113-123. https://doi.org/10.1007/BF01753239
.. [4] Johnston, R. J. (1978). On the measurement of power: some reactions to Laver.
   *Environment and Planning A*, 10(8), 907-914. https://doi.org/10.1068/a100907
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from peaceops._jit import cores
from peaceops.power import _critical_kernels as kern
from peaceops.power._modular import crt, primes_for_bound
from peaceops.power._reduce import INF, Reduced

__all__ = ["CriticalCounts", "critical_counts", "single_quota"]

IntArray = npt.NDArray[np.int64]

#: The kernels sum 32 products of residues in ``int64`` before reducing (see the kernels).
_PRIME_BITS = 29

#: Memory the per-prime tables of all threads may take together.
_MEMORY_BUDGET = 6 << 30


@dataclass(frozen=True)
class CriticalCounts:
    """Per free player (original index): minimal winning coalitions containing it, the sums of
    ``1/|S|`` over them and of ``1/c(S)`` over the winning ``S`` where it is critical; by size,
    the minimal winning ``T`` (``MW[k]``) and the winning ``T`` with ``c`` critical free members
    (``JG[c]``, ``c >= 1``; ``JG[0]`` left at zero), each of length ``m + 1``."""

    holler: dict[int, int] | None
    deegan_packel: dict[int, Fraction] | None
    johnston: dict[int, Fraction] | None
    minimal_by_size: tuple[int, ...] | None
    critical_by_count: tuple[int, ...] | None


def single_quota(red: Reduced) -> int | None:
    """The quota when every coalition size has the same finite positive threshold, else None."""
    if red.theta is None or red.weights is None:
        return None
    q = red.theta[0]
    if not 0 < q < INF or any(t != q for t in red.theta):
        return None
    return q


def _regions(wpos: Sequence[int], q: int) -> tuple[int, IntArray, IntArray, IntArray, int]:
    """Largest number of critical members before the last one (``cx``) and the row ranges
    ``[rowlo, rowhi)`` and buffer offsets of ``Pre_i``'s region; total buffer length."""
    mp = len(wpos)
    if mp == 0:
        zero = np.zeros((1, 1), dtype=np.int64)
        return 0, zero, zero, zero, 0
    hc = [0]
    for v in wpos:
        hc.append(hc[-1] + v)
    total = hc[-1]
    cx = 0
    while cx + 1 <= mp - 1 and hc[mp] - hc[mp - cx - 1] < q:
        cx += 1
    rowlo = np.zeros((mp, cx + 1), dtype=np.int64)
    rowhi = np.zeros((mp, cx + 1), dtype=np.int64)
    off = np.zeros((mp, cx + 1), dtype=np.int64)
    pos = 0
    for i in range(mp):
        lb = max(q - (total - hc[i]), 0)
        for c in range(min(i, cx) + 1):
            lo = max(lb, hc[i] - hc[i - c])
            hi = min(hc[c] + 1, q)
            if lo < hi:
                rowlo[i, c], rowhi[i, c], off[i, c] = lo, hi, pos
                pos += hi - lo
    return cx, rowlo, rowhi, off, pos


def critical_counts(red: Reduced, want: frozenset[str]) -> CriticalCounts:
    """Exact counts for Holler, Deegan-Packel and Johnston of a game with one quota."""
    q = single_quota(red)
    assert q is not None
    assert red.weights is not None
    m, r = red.m, red.r
    do_j = "johnston" in want
    do_h = "holler" in want
    do_d = "deegan_packel" in want
    do_mwc = do_h or do_d
    w = np.asarray(red.weights, dtype=np.int64)
    mp = int(np.count_nonzero(w))
    wpos = [int(v) for v in red.weights[:mp]]
    h0 = np.full(max(mp, 1), m, dtype=np.int64)
    for i in range(mp):
        h = i + 1
        while h < m and red.weights[h] >= red.weights[i]:
            h += 1
        h0[i] = h
    cx, rowlo, rowhi, off, size = _regions(wpos, q)
    lcm = math.lcm(*(r + k for k in range(1, cx + 2)))
    primes = primes_for_bound(lcm << m, bits=_PRIME_BITS)
    table = (cx + 2) * q
    wmax = wpos[0] if wpos else 0
    shape = (cx + 2, q)

    def group(group_primes: Sequence[int]) -> list[list[int]]:
        """The primes of one thread, in turn, on one set of tables (allocated once)."""
        buf = np.empty(max(size, 1), dtype=np.int32)
        A = np.empty((cx + 1, q), dtype=np.int32)
        RH, RD = (np.empty(shape if flag else (1, 1), np.int32) for flag in (do_h, do_d))
        # padded by the largest weight: the Johnston pass reads R(c + 1, x + w_i) up to hi + w_i
        RJ = np.empty((cx + 2, q + wmax + 1) if do_j else (1, 1), np.int32)
        E, Lam, A2, tau = (np.empty(q + 1, dtype=np.int64) for _ in range(4))
        rows = []
        for p in group_primes:
            inv = np.zeros(cx + 2, dtype=np.int64)
            for k in range(1, cx + 2):
                inv[k] = pow(k + r, -1, p)
            hol, dpv, jn = (np.zeros(m, dtype=np.int64) for _ in range(3))
            jg, mwk = (np.zeros(cx + 2, dtype=np.int64) for _ in range(2))
            if mp > 0:
                for tab in (A, RH, RD, RJ):
                    tab.fill(0)
                for vec in (E, Lam, A2, tau):
                    vec.fill(0)
                kern.forward(w[:mp], p, cx, rowlo, rowhi, off, A, buf)
                kern.backward(
                    w, mp, q, p, cx, rowlo, rowhi, off, buf, h0, inv, do_h, do_d, do_j,
                    RH, RD, RJ, E, Lam, A2, tau, hol, dpv, jn, jg, mwk,
                )  # fmt: skip
            scale = lcm % p
            rows.append(
                [
                    *hol.tolist(),
                    *(int(v) * scale % p for v in dpv),
                    *(int(v) * scale % p for v in jn),
                    *jg.tolist(),
                    *mwk.tolist(),
                ]
            )
        return rows

    per_thread = 4 * size + 4 * table * (1 + do_h + do_d + do_j) + 4 * (cx + 2) * (wmax + 1)
    threads = max(1, min(len(primes), cores(), _MEMORY_BUDGET // max(per_thread, 1)))
    groups = [primes[k::threads] for k in range(threads)]
    if threads == 1:
        done = [group(primes)]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            done = list(pool.map(group, groups))
    by_prime = {
        p: row for g, rows in zip(groups, done, strict=True) for p, row in zip(g, rows, strict=True)
    }
    out = crt([by_prime[p] for p in primes], primes)
    hol_v, dp_v, jn_v = out[:m], out[m : 2 * m], out[2 * m : 3 * m]
    jg_v, mw_v = out[3 * m : 3 * m + cx + 2], out[3 * m + cx + 2 :]
    pad = [0] * max(0, m + 1 - (cx + 2))
    free = red.free
    return CriticalCounts(
        holler={o: hol_v[j] for j, o in enumerate(free)} if do_h else None,
        deegan_packel=(
            {o: Fraction(dp_v[j], lcm) for j, o in enumerate(free)}
            if "deegan_packel" in want
            else None
        ),
        johnston={o: Fraction(jn_v[j], lcm) for j, o in enumerate(free)} if do_j else None,
        minimal_by_size=tuple((mw_v + pad)[: m + 1]) if do_mwc else None,
        critical_by_count=tuple((jg_v + pad)[: m + 1]) if do_j else None,
    )
