r"""Split engine: (size, weight) states of two halves of the players, combined by sorted search.

When the weights are large (populations in persons: the EU Council's 65% quota is about
:math:`2.9 \times 10^8`), a dense table over the weight axis is out of reach, yet a threshold game
(:mod:`peaceops.power._reduce`) only ever compares a coalition's weight with
:math:`\theta(k)` and with :math:`\theta(k-1) + w_j`. Split the free players, sorted by weight,
into the heavier half ``H`` (``h`` players) and the lighter half ``L``; every coalition is
:math:`T = X \cup Y` with :math:`X \subseteq H`, :math:`Y \subseteq L`. List the
:math:`2^{|L|}` states ``(|Y|, w(Y))`` sorted by size then weight (Horowitz and Sahni 1974). For
each ``X`` and each ``|Y|``, the ``Y`` that make ``T`` win form a suffix of the sorted list, found
by binary search; inside it, the critical members of ``T`` are those heavier than
:math:`\delta = w(T) - \theta(|T| - 1)`, a prefix of the weight order whose length ``b`` falls as
:math:`w(Y)` grows, so the suffix splits into at most ``m + 1`` runs of constant ``b``. A run
with :math:`b \le h` credits the ``b``-prefix of ``X``; a run with :math:`b > h` credits all of
``X`` (counts by the number of critical ``Y`` members come from prefix sums over the list) and
marks the run in a difference array, from which every ``Y`` later credits its own critical
members. The result is the table ``N[i][k][c]`` (winning ``T`` of size ``k`` with ``c`` critical
free members, ``i`` among them) and its total ``G[k][c]``, from which every index follows, in
:math:`O(2^{m/2} m^2 \log m)` time and :math:`O(2^{m/2} m^2)` memory: the EU-27 rule with exact
populations in well under a second instead of :math:`2^{27}` coalitions.

References
----------
.. [1] Horowitz, E., and Sahni, S. (1974). Computing partitions with applications to the
   knapsack problem. *Journal of the ACM*, 21(2), 277-292. https://doi.org/10.1145/321812.321823
.. [2] Staudacher, J., Kóczy, L. Á., Stach, I., Filipp, J., Kramer, M., Noffke, T.,
   Olsson, L., Pichler, J., and Singh, T. (2021). Computing power indices for weighted voting
   games via dynamic programming. *Operations Research and Decisions*, 31(2), 123-145.
   https://doi.org/10.37190/ord210206
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from peaceops._jit import cores, jit
from peaceops.power._counts import Counts, counts_from_tables
from peaceops.power._reduce import INF, Reduced

__all__ = ["MAX_MITM", "mitm_counts", "mitm_work"]

IntArray = npt.NDArray[np.int64]

#: Most free players the split engine takes (its memory grows as 2^(m/2) m^2).
MAX_MITM = 34


def mitm_work(red: Reduced) -> int:
    """Rough operation count of the split engine, to compare with the dense one."""
    m = red.m
    h = (m + 1) // 2
    return (1 << h) * (m - h + 1) * (m + 2) * 24


def _subsets(w: IntArray) -> tuple[IntArray, IntArray]:
    """Size and weight of every subset of ``w`` (bit ``j`` of the index selects ``w[j]``)."""
    idx = np.arange(1 << w.shape[0], dtype=np.int64)
    size = np.zeros(idx.shape[0], dtype=np.int64)
    weight = np.zeros(idx.shape[0], dtype=np.int64)
    for j, wj in enumerate(w.tolist()):
        bit = (idx >> j) & 1
        size += bit
        weight += bit * wj
    return size, weight


def mitm_counts(red: Reduced, want: frozenset[str]) -> Counts:
    """Exact counts of a threshold game by the split engine."""
    assert red.weights is not None
    assert red.theta is not None
    m = red.m
    w = np.asarray(red.weights, dtype=np.int64)
    theta = np.asarray(red.theta, dtype=np.int64)
    h = (m + 1) // 2
    n_l = m - h
    x_size, x_weight = _subsets(w[:h])
    y_size, y_weight = _subsets(w[h:])
    order = np.lexsort((y_weight, y_size))
    y_size, y_weight = y_size[order], y_weight[order]
    y_mask = order.astype(np.int64)
    gstart = np.searchsorted(y_size, np.arange(n_l + 1), side="left").astype(np.int64)
    gend = np.searchsorted(y_size, np.arange(n_l + 1), side="right").astype(np.int64)
    valid = [0] + [b for b in range(1, m + 1) if b == m or red.weights[b - 1] > red.weights[b]]
    bounds_desc = np.asarray(sorted(valid, reverse=True), dtype=np.int64)
    light = [b for b in valid if b > h]
    pindex = np.full(m + 1, -1, dtype=np.int64)
    n_y = y_size.shape[0]
    prefix = np.zeros((max(len(light), 1), n_y + 1, n_l + 1), dtype=np.int64)
    for pi, b in enumerate(light):
        pindex[b] = pi
        low = y_mask & ((1 << (b - h)) - 1)
        crit = np.zeros(n_y, dtype=np.int64)
        for j in range(b - h):
            crit += (low >> j) & 1
        onehot = np.zeros((n_y, n_l + 1), dtype=np.int64)
        onehot[np.arange(n_y), crit] = 1
        prefix[pi, 1:] = np.cumsum(onehot, axis=0)
    n_x = x_size.shape[0]
    threads = max(1, min(cores(), n_x // 1024 or 1))
    cuts = np.linspace(0, n_x, threads + 1).astype(np.int64)

    def work(t: int) -> tuple[IntArray, IntArray, IntArray]:
        G = np.zeros((m + 1, m + 1), dtype=np.int64)
        N = np.zeros((m, m + 1, m + 1), dtype=np.int64)
        diff = np.zeros((max(len(light), 1), h + 1, n_y + 1), dtype=np.int64)
        _combine(
            int(cuts[t]), int(cuts[t + 1]), x_size, x_weight, y_weight, gstart, gend,
            theta, w, h, n_l, bounds_desc, pindex, prefix, G, N, diff,
        )  # fmt: skip
        return G, N, diff

    if threads == 1:
        parts = [work(0)]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(work, range(threads)))
    G = sum((p[0] for p in parts), np.zeros((m + 1, m + 1), dtype=np.int64))
    N = sum((p[1] for p in parts), np.zeros((m, m + 1, m + 1), dtype=np.int64))
    diff = sum((p[2] for p in parts), np.zeros_like(parts[0][2]))
    light_arr = np.asarray(light, dtype=np.int64)
    _credit_light(diff, y_size, y_mask, light_arr, h, N)
    return counts_from_tables(red, G, N, "mitm", want)


@jit
def _lower_bound(a: IntArray, lo: int, hi: int, value: int) -> int:
    """First index in ``[lo, hi)`` with ``a[index] >= value`` (``hi`` if none)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


@jit
def _credit_bits(mask: int, offset: int, N: IntArray, k: int, c: int, cnt: int) -> None:
    j = offset
    while mask:
        if mask & 1:
            N[j, k, c] += cnt
        mask >>= 1
        j += 1


@jit
def _popcount(x: int) -> int:
    c = 0
    while x:
        x &= x - 1
        c += 1
    return c


@jit
def _combine(
    x0: int,
    x1: int,
    x_size: IntArray,
    x_weight: IntArray,
    y_weight: IntArray,
    gstart: IntArray,
    gend: IntArray,
    theta: IntArray,
    w: IntArray,
    h: int,
    n_l: int,
    bounds_desc: IntArray,
    pindex: IntArray,
    prefix: IntArray,
    G: IntArray,
    N: IntArray,
    diff: IntArray,
) -> None:
    """Credit every winning ``X ∪ Y`` with ``X`` in ``[x0, x1)`` (see the module docstring)."""
    m = w.shape[0]
    for xm in range(x0, x1):
        kx = x_size[xm]
        sx = x_weight[xm]
        for ky in range(n_l + 1):
            g0 = gstart[ky]
            g1 = gend[ky]
            if g0 >= g1:
                continue
            k = kx + ky
            t1 = theta[k]
            if t1 >= INF:
                continue
            a = _lower_bound(y_weight, g0, g1, t1 - sx)
            if a >= g1:
                continue
            t0 = theta[k - 1] if k >= 1 else INF
            cur = a
            for bi in range(bounds_desc.shape[0]):
                if cur >= g1:
                    break
                b = bounds_desc[bi]
                if t0 >= INF:
                    if b != m:
                        continue
                    end = g1
                elif b == 0:
                    end = g1
                else:
                    end = _lower_bound(y_weight, cur, g1, t0 + w[b - 1] - sx)
                if end <= cur:
                    continue
                if b <= h:
                    pm = xm & ((1 << b) - 1)
                    c = _popcount(pm)
                    cnt = end - cur
                    G[k, c] += cnt
                    _credit_bits(pm, 0, N, k, c, cnt)
                else:
                    pi = pindex[b]
                    for cp in range(min(ky, b - h) + 1):
                        cnt = prefix[pi, end, cp] - prefix[pi, cur, cp]
                        if cnt:
                            c = kx + cp
                            G[k, c] += cnt
                            _credit_bits(xm, 0, N, k, c, cnt)
                    diff[pi, kx, cur] += 1
                    diff[pi, kx, end] -= 1
                cur = end


@jit
def _credit_light(
    diff: IntArray, y_size: IntArray, y_mask: IntArray, light: IntArray, h: int, N: IntArray
) -> None:
    """Let every ``Y`` credit its critical members, from the runs marked in ``diff``."""
    n_y = y_size.shape[0]
    for pi in range(light.shape[0]):
        low_mask = (1 << (light[pi] - h)) - 1
        for kx in range(diff.shape[1]):
            run = 0
            for idx in range(n_y):
                run += diff[pi, kx, idx]
                if run:
                    ym = y_mask[idx] & low_mask
                    k = kx + y_size[idx]
                    c = kx + _popcount(ym)
                    _credit_bits(ym, h, N, k, c, run)
