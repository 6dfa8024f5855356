r"""Compiled kernels of the dense generating-function engine (all arithmetic modulo ``p``).

Players are in engine order (weight descending); ``w`` their weights, ``theta[k]`` the
threshold of a ``k``-coalition (:data:`INF` for none), ``cap`` the width of the weight axis.
Tables are ``int64`` arrays of residues; see :mod:`peaceops.power._dense` for the maths.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from peaceops._jit import jit
from peaceops.power._reduce import INF

__all__ = [
    "binomials",
    "build",
    "build_flat",
    "cumulate",
    "holler_flat",
    "sweep",
    "swings",
    "swings_flat",
]

IntArray = npt.NDArray[np.int64]


@jit
def binomials(m: int, p: int, out: IntArray) -> None:
    """``out[a, b] = C(a, b) mod p`` for ``0 <= b <= a <= m`` (Pascal's triangle)."""
    for a in range(m + 1):
        out[a, 0] = 1
        for b in range(1, a + 1):
            v = out[a - 1, b - 1] + out[a - 1, b]
            if v >= p:
                v -= p
            out[a, b] = v


@jit
def _add_shifted(dst: IntArray, src: IntArray, a: int, b: int, shift: int, p: int) -> None:
    """``dst[s] += src[s - shift]`` for ``s`` in ``[a, b)``, modulo ``p`` (rows do not overlap)."""
    for s in range(a, b):
        v = dst[s] + src[s - shift]
        if v >= p:
            v -= p
        dst[s] = v


@jit
def build(
    w: IntArray,
    theta: IntArray,
    cap: int,
    p: int,
    binom: IntArray,
    A: IntArray,
    lo: IntArray,
    hi: IntArray,
    mw: IntArray,
    with_mw: bool,
) -> None:
    """``A[k, s]`` = number of ``k``-subsets of weight ``s < cap``; ``mw[k]`` += minimal winning
    ``k``-coalitions, counted by their lightest member while the table holds its prefix."""
    m = w.shape[0]
    A[0, 0] = 1
    lo[0] = 0
    hi[0] = 1
    for k in range(1, m + 1):
        lo[k] = cap
        hi[k] = 0
    for ell in range(m):
        wl = w[ell]
        if with_mw:
            for c in range(ell + 1):
                t1 = theta[c + 1]
                if t1 >= INF:
                    continue
                a = t1 - wl
                if a < 0:
                    a = 0
                t0 = theta[c]
                val = 0
                if t0 >= INF:
                    e = min(a, hi[c])
                    for x in range(lo[c], e):
                        val += A[c, x]
                        if val >= p:
                            val -= p
                    val = binom[ell, c] - val
                    if val < 0:
                        val += p
                else:
                    b = min(t0, hi[c])
                    for x in range(max(a, lo[c]), b):
                        val += A[c, x]
                        if val >= p:
                            val -= p
                v = mw[c + 1] + val
                if v >= p:
                    v -= p
                mw[c + 1] = v
        for k in range(ell + 1, 0, -1):
            a = lo[k - 1] + wl
            b = min(hi[k - 1] + wl, cap)
            if a >= b:
                continue
            _add_shifted(A[k], A[k - 1], a, b, wl, p)
            if a < lo[k]:
                lo[k] = a
            if b > hi[k]:
                hi[k] = b


@jit
def build_flat(w: IntArray, q: int, p: int, A: IntArray) -> int:
    """One-dimensional :func:`build` for a pure weighted game (quota ``q``, table width ``q``).

    Returns the number of minimal winning coalitions modulo ``p``."""
    m = w.shape[0]
    A[0] = 1
    hi = 1
    mw = 0
    for ell in range(m):
        wl = w[ell]
        a = q - wl
        if a < 0:
            a = 0
        for x in range(a, min(q, hi)):
            mw += A[x]
            if mw >= p:
                mw -= p
        b = min(hi + wl, q)
        for s in range(b - 1, wl - 1, -1):
            v = A[s] + A[s - wl]
            if v >= p:
                v -= p
            A[s] = v
        if b > hi:
            hi = b
    return mw


@jit
def cumulate(A: IntArray, p: int) -> None:
    """Rows of ``A`` become prefix sums: ``A[k, t] = sum_{s < t} A[k, s]`` (last column free)."""
    cols = A.shape[1]
    for k in range(A.shape[0]):
        run = 0
        for t in range(cols):
            v = A[k, t]
            A[k, t] = run
            run += v
            if run >= p:
                run -= p


@jit
def _below_without(C: IntArray, k: int, u: int, v: int, p: int) -> int:
    """``k``-subsets of weight ``< u`` avoiding one player of weight ``v``: the table divided by
    ``(1 + x^v y)`` as the alternating series ``sum_r (-1)^r x^{rv} y^r``."""
    total = 0
    for r in range(k + 1):
        t = u - r * v
        if t <= 0:
            break
        val = C[k - r, t]
        if r % 2 == 0:
            total += val
            if total >= p:
                total -= p
        else:
            total -= val
            if total < 0:
                total += p
    return total


@jit
def swings(
    C: IntArray,
    theta: IntArray,
    p: int,
    binom: IntArray,
    vals: IntArray,
    eta: IntArray,
    wk: IntArray,
) -> None:
    """From prefix sums ``C``: winning counts ``wk[k]`` and, per weight ``vals[j]``, the swings
    ``eta[j, k]`` of a player of that weight joining a losing ``k``-coalition."""
    m = C.shape[0] - 1
    for k in range(m + 1):
        t = theta[k]
        if t >= INF:
            wk[k] = 0
        else:
            x = binom[m, k] - C[k, t]
            wk[k] = x + p if x < 0 else x
    for j in range(vals.shape[0]):
        v = vals[j]
        for k in range(m):
            t1 = theta[k + 1]
            if t1 >= INF:
                eta[j, k] = 0
                continue
            low = t1 - v
            if low < 0:
                low = 0
            up = theta[k]
            below_low = _below_without(C, k, low, v, p)
            if up >= INF:
                below_up = binom[m - 1, k]
            else:
                below_up = _below_without(C, k, up, v, p)
            x = below_up - below_low
            eta[j, k] = x + p if x < 0 else x


@jit
def swings_flat(C: IntArray, q: int, p: int, vals: IntArray, eta: IntArray) -> None:
    """One-dimensional :func:`swings`: ``eta[j]`` for a player of weight ``vals[j] > 0``.

    Subsets avoiding the player with weight in ``[q - v, q)``: the difference of the
    alternating series at ``q`` and ``q - v``, which telescopes to
    ``C[q] + 2 sum_{r >= 1} (-1)^r C[q - r v]``."""
    for j in range(vals.shape[0]):
        v = vals[j]
        alt = 0
        r = 1
        while q - r * v > 0:
            val = C[q - r * v]
            if r % 2 == 0:
                alt += val
                if alt >= p:
                    alt -= p
            else:
                alt -= val
                if alt < 0:
                    alt += p
            r += 1
        x = C[q] + alt
        if x >= p:
            x -= p
        x += alt
        if x >= p:
            x -= p
        eta[j] = x


@jit
def _shift_add(B: IntArray, rows: int, ws: int, cap: int, p: int) -> None:
    """``B[c, x] += B[c + 1, min(x + ws, cap)]`` for ``c < rows`` (rows read before written)."""
    for c in range(rows):
        for x in range(cap + 1):
            y = x + ws
            if y > cap:
                y = cap
            v = B[c, x] + B[c + 1, y]
            if v >= p:
                v -= p
            B[c, x] = v


@jit
def _mulmod(a: int, b: int, p: int, pinv: float) -> int:
    """``a * b mod p`` for residues below ``p < 2**31``: the quotient from floating point is
    off by at most one, which the two corrections absorb."""
    x = a * b
    q = int(x * pinv)
    r = x - q * p
    if r < 0:
        r += p
    elif r >= p:
        r -= p
    return r


@jit
def _dot_shifted(
    Pre: IntArray, over: IntArray, B: IntArray, rows: int, wi: int, cap: int, p: int
) -> int:
    """``sum_{c < rows, x} Pre[c, x] B[c + 1, min(x + wi, cap)]`` with the overflow mass.

    Products of residues below ``p < 2**31`` stay below ``2**62``; the running sum is kept
    below ``2**63`` by subtracting a multiple of ``p`` near ``2**62`` and reduced once."""
    big = ((1 << 62) // p) * p
    total = 0
    for c in range(rows):
        src = Pre[c]
        dst = B[c + 1]
        top = cap - wi if cap > wi else 0
        for x in range(top):
            total += src[x] * dst[x + wi]
            if total >= big:
                total -= big
        for x in range(top, cap):
            total += src[x] * dst[cap]
            if total >= big:
                total -= big
        total += over[c] * dst[cap]
        if total >= big:
            total -= big
    return total % p


@jit
def sweep(
    w: IntArray,
    theta: IntArray,
    cap: int,
    p: int,
    binom: IntArray,
    is_boundary: IntArray,
    regimes: IntArray,
    fd: IntArray,
    fj: IntArray,
    do_mwc: bool,
    do_j: bool,
    Pre: IntArray,
    Suf: IntArray,
    CS2: IntArray,
    K: IntArray,
    BBh: IntArray,
    BBd: IntArray,
    BBj: IntArray,
    over: IntArray,
    hol: IntArray,
    dpv: IntArray,
    jn: IntArray,
    jg: IntArray,
) -> None:
    """Backward sweep for the per-player minimal-winning and Johnston sums (``p < 2**31``).

    On entry ``Pre`` holds the full forward table of all players (width ``cap``); the sweep
    divides one player out per step, keeps the suffix table ``Suf`` and the adjoint tables
    ``BB*`` (whose last column stands for every weight ``>= cap``)."""
    m = w.shape[0]
    pinv = 1.0 / p
    big = ((1 << 62) // p) * p
    Suf[0, 0] = 1
    for i in range(m - 1, -1, -1):
        pb = i + 1
        kvalid = False
        if do_j and is_boundary[pb] == 1:
            kvalid = True
            n_y = m - pb
            if pb < m:
                for t in range(cap + 1):
                    CS2[0, t] = 0
                for j in range(n_y + 1):
                    run = 0
                    for t in range(cap + 1):
                        v = CS2[j, t] + run
                        if v >= p:
                            v -= p
                        CS2[j + 1, t] = v
                        if t < cap:
                            run += Suf[j, t]
                            if run >= p:
                                run -= p
            for c in range(1, pb + 1):
                for x in range(cap + 1):
                    K[c, x] = 0
                for g in range(regimes.shape[0]):
                    ka = regimes[g, 0]
                    kb = regimes[g, 1]
                    t0 = regimes[g, 2]
                    t1 = regimes[g, 3]
                    if pb == m:
                        if c < ka or c > kb:
                            continue
                        lo = t1
                        hi = INF if t0 >= INF else t0 + w[m - 1]
                        if lo >= hi:
                            continue
                        for x in range(lo, min(hi, cap)):
                            v = K[c, x] + 1
                            K[c, x] = v - p if v >= p else v
                        if hi >= INF:
                            v = K[c, cap] + 1
                            K[c, cap] = v - p if v >= p else v
                    else:
                        if t0 >= INF:
                            continue
                        lo = max(t1, t0 + w[pb])
                        hi = t0 + w[pb - 1]
                        if lo >= hi:
                            continue
                        ja = max(0, ka - c)
                        jb = min(n_y, kb - c)
                        if ja > jb:
                            continue
                        for x in range(min(hi, cap)):
                            th = min(hi - x, cap)
                            tl = lo - x
                            if tl < 0:
                                tl = 0
                            cnt = CS2[jb + 1, th] - CS2[ja, th]
                            if cnt < 0:
                                cnt += p
                            cnt -= CS2[jb + 1, tl] - CS2[ja, tl]
                            if cnt < 0:
                                cnt += p
                            if cnt >= p:
                                cnt -= p
                            v = K[c, x] + cnt
                            K[c, x] = v - p if v >= p else v
                acc = 0
                tot = 0
                for x in range(cap):
                    pv = Pre[c, x]
                    acc += pv * K[c, x]
                    if acc >= big:
                        acc -= big
                    tot += pv
                    if tot >= p:
                        tot -= p
                ov = binom[pb, c] - tot
                if ov < 0:
                    ov += p
                acc = (acc % p + _mulmod(ov, K[c, cap], p, pinv)) % p
                v = jg[c] + acc
                jg[c] = v - p if v >= p else v
                f = fj[c]
                for x in range(cap + 1):
                    K[c, x] = _mulmod(K[c, x], f, p, pinv)
        if do_j:
            if i + 1 <= m - 1:
                _shift_add(BBj, min(i + 2, m), w[i + 1], cap, p)
            if kvalid:
                for c in range(1, pb + 1):
                    for x in range(cap + 1):
                        v = BBj[c, x] + K[c, x]
                        BBj[c, x] = v - p if v >= p else v
        if do_mwc and i + 1 <= m - 1:
            ell = i + 1
            wl = w[ell]
            _shift_add(BBh, min(i + 2, m), wl, cap, p)
            _shift_add(BBd, min(i + 2, m), wl, cap, p)
            for c in range(ell + 1):
                t1 = theta[c + 1]
                if t1 >= INF:
                    continue
                lo = max(0, t1 - wl)
                hi = theta[c]
                gd = fd[c + 1]
                for x in range(lo, min(hi, cap)):
                    v = BBh[c, x] + 1
                    BBh[c, x] = v - p if v >= p else v
                    v = BBd[c, x] + gd
                    BBd[c, x] = v - p if v >= p else v
                if hi >= INF:
                    v = BBh[c, cap] + 1
                    BBh[c, cap] = v - p if v >= p else v
                    v = BBd[c, cap] + gd
                    BBd[c, cap] = v - p if v >= p else v
        wi = w[i]
        for k in range(1, i + 2):
            for s in range(wi, cap):
                v = Pre[k, s] - Pre[k - 1, s - wi]
                Pre[k, s] = v + p if v < 0 else v
        for c in range(i + 1):
            tot = 0
            for x in range(cap):
                tot += Pre[c, x]
                if tot >= p:
                    tot -= p
            v = binom[i, c] - tot
            over[c] = v + p if v < 0 else v
        if do_mwc:
            own_h = 0
            own_d = 0
            for c in range(i + 1):
                t1 = theta[c + 1]
                if t1 >= INF:
                    continue
                lo = max(0, t1 - wi)
                hi = theta[c]
                s = 0
                for x in range(lo, min(hi, cap)):
                    s += Pre[c, x]
                    if s >= p:
                        s -= p
                if hi >= INF:
                    s = (s + over[c]) % p
                own_h = (own_h + s) % p
                own_d = (own_d + s * fd[c + 1]) % p
            hol[i] = (own_h + _dot_shifted(Pre, over, BBh, i + 1, wi, cap, p)) % p
            dpv[i] = (own_d + _dot_shifted(Pre, over, BBd, i + 1, wi, cap, p)) % p
        if do_j:
            jn[i] = _dot_shifted(Pre, over, BBj, i + 1, wi, cap, p)
            for k in range(m - i, 0, -1):
                for s in range(cap - 1, wi - 1, -1):
                    v = Suf[k, s] + Suf[k - 1, s - wi]
                    Suf[k, s] = v - p if v >= p else v


@jit
def holler_flat(w: IntArray, q: int, p: int, A: IntArray, B: IntArray, hol: IntArray) -> None:
    """Minimal winning coalitions containing each player of a pure weighted game (``p < 2**31``).

    Players in engine order with positive weights, quota ``q``; tables of width ``q`` without a
    size axis. A minimal winning coalition is ``X + l`` with ``l`` its last member and ``X`` a
    subset of the players before ``l`` weighing ``[q - w_l, q)``. Sweeping ``i`` downwards,
    ``A`` holds the subsets of the players before ``i`` by weight (the full table with one
    player divided out per step) and ``B[y]`` counts the completions of a partial weight ``y``
    by players after ``i`` and a last member ``l > i``:
    ``B_{i-1}(y) = [q - w_i <= y < q] + B_i(y) + B_i(y + w_i)``."""
    m = w.shape[0]
    big = ((1 << 62) // p) * p
    A[0] = 1
    for j in range(m):
        wj = w[j]
        for s in range(q - 1, wj - 1, -1):
            v = A[s] + A[s - wj]
            A[s] = v - p if v >= p else v
    for i in range(m - 1, -1, -1):
        wi = w[i]
        for s in range(wi, q):
            v = A[s] - A[s - wi]
            A[s] = v + p if v < 0 else v
        lo = q - wi if q > wi else 0
        own = 0
        for x in range(lo, q):
            own += A[x]
        total = own % p
        for x in range(lo):
            total += A[x] * B[x + wi]
            if total >= big:
                total -= big
        hol[i] = total % p
        for y in range(q - wi):
            v = B[y] + B[y + wi]
            B[y] = v - p if v >= p else v
        for y in range(lo, q):
            v = B[y] + 1
            B[y] = v - p if v >= p else v
