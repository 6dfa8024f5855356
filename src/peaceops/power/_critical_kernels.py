r"""Compiled kernels for the critical-member indices of a pure weighted game (modulo ``p``).

See :mod:`peaceops.power._critical` for the maths. Players are the free players with positive
weight, in engine order (weight descending); ``q`` the quota (``0 < q``); every residue is below
``p < 2**29``, so that a product of two stays below ``2**58`` and 32 of them can be summed in
``int64`` before a reduction.

*Regions.* ``Pre_i(c, x)`` counts the subsets of players ``0 .. i-1`` with ``c`` members and
weight ``x``. Only the cells with ``x >= lb[i] = q - (weight of players i .. m-1)`` (lighter
cells can no longer reach the quota), ``x < q`` (the critical members alone stay below the
quota) and ``L_i(c) <= x <= H(c)`` (the ``c`` lightest, resp. heaviest, of the players) can be
non-zero and useful; row ``c`` of step ``i`` is the range ``[rowlo[i, c], rowhi[i, c])``. The
lower bound grows by ``w_i`` from step ``i`` to ``i + 1``, exactly the shift of the recurrence,
so the forward table restricted to the region is self-contained.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from peaceops._jit import jit

__all__ = ["backward", "forward"]

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
AnyIntArray = npt.NDArray[np.int64] | npt.NDArray[np.int32]


@jit
def _mulmod(a: int, b: int, p: int, pinv: float) -> int:
    """``a * b mod p`` for residues below ``p < 2**31`` (float quotient, corrected by one)."""
    x = a * b
    t = int(x * pinv)
    r = x - t * p
    if r < 0:
        r += p
    elif r >= p:
        r -= p
    return r


@jit
def _dot(a: Int32Array, b: AnyIntArray, p: int) -> int:
    """``sum_k a[k] b[k] mod p`` for residues below ``p < 2**29``: blocks of 32 products (each
    below ``2**58``) are summed before one reduction, so the inner loop has no branch."""
    n = a.shape[0]
    total = 0
    for blk in range(n // 32):
        base = blk * 32
        s = 0
        for t in range(32):
            s += np.int64(a[base + t]) * b[base + t]
        total += s % p
    s = 0
    for k in range(n - n % 32, n):
        s += np.int64(a[k]) * b[k]
    return (total + s % p) % p


@jit
def _dot2(a: Int32Array, b: IntArray, c: Int32Array, p: int) -> tuple[int, int]:
    """``(sum_k a[k] b[k], sum_k a[k] c[k]) mod p`` in one pass, as :func:`_dot`."""
    n = a.shape[0]
    tb = 0
    tc = 0
    for blk in range(n // 32):
        base = blk * 32
        sb = 0
        sc = 0
        for t in range(32):
            av = np.int64(a[base + t])
            sb += av * b[base + t]
            sc += av * c[base + t]
        tb += sb % p
        tc += sc % p
    sb = 0
    sc = 0
    for k in range(n - n % 32, n):
        av = np.int64(a[k])
        sb += av * b[k]
        sc += av * c[k]
    return (tb + sb % p) % p, (tc + sc % p) % p


@jit
def _add_into_scaled(dst: Int32Array, src: Int32Array, g: IntArray, f: int, p: int) -> None:
    """``dst[k] = (dst[k] + src[k] + f g[k]) mod p`` with Shoup's precomputed quotient
    ``f' = floor(f 2**29 / p)``: ``floor(g[k] f' / 2**29)`` is the quotient of ``g[k] f`` by
    ``p`` or one less (the trick of Shoup's NTL as analysed by Harvey 2014, "Faster arithmetic
    for number-theoretic transforms", J. Symbolic Computation 60, 113-119), so every product
    stays below ``2**58`` in ``int64`` and the loop has no division."""
    fq = (f << 29) // p
    for k in range(dst.shape[0]):
        x = g[k]
        r = x * f - ((x * fq) >> 29) * p
        if r >= p:
            r -= p
        v = dst[k] + src[k]
        if v >= p:
            v -= p
        v += r
        dst[k] = v - p if v >= p else v


@jit
def _add_into(dst: AnyIntArray, src: AnyIntArray, p: int) -> None:
    """``dst[k] = (dst[k] + src[k]) mod p`` (``dst`` and ``src`` do not overlap)."""
    for k in range(dst.shape[0]):
        v = dst[k] + src[k]
        dst[k] = v - p if v >= p else v


@jit
def _add_const(dst: AnyIntArray, f: int, p: int) -> None:
    """``dst[k] = (dst[k] + f) mod p``."""
    for k in range(dst.shape[0]):
        v = dst[k] + f
        dst[k] = v - p if v >= p else v


@jit
def _store(dst: Int32Array, src: Int32Array) -> None:
    for k in range(dst.shape[0]):
        dst[k] = src[k]


@jit
def forward(
    w: IntArray,
    p: int,
    cx: int,
    rowlo: IntArray,
    rowhi: IntArray,
    off: IntArray,
    A: Int32Array,
    buf: Int32Array,
) -> None:
    """Build ``Pre_0, Pre_1, ...`` on their regions and store each one in ``buf``.

    ``A`` is a zeroed ``(cx + 1, q)`` ``int32`` work table; row ``c`` of ``Pre_i`` goes to
    ``buf[off[i, c] : off[i, c] + rowhi[i, c] - rowlo[i, c]]``."""
    mp = w.shape[0]
    A[0, 0] = 1
    for i in range(mp):
        top = i if i < cx else cx
        for c in range(top + 1):
            lo = rowlo[i, c]
            hi = rowhi[i, c]
            if lo < hi:
                _store(buf[off[i, c] : off[i, c] + hi - lo], A[c, lo:hi])
        if i + 1 >= mp:
            break
        wi = w[i]
        top = i + 1 if i + 1 < cx else cx
        for c in range(top, 0, -1):
            lo = rowlo[i + 1, c]
            hi = rowhi[i + 1, c]
            if lo < wi:
                lo = wi
            if lo < hi:
                _add_into(A[c, lo:hi], A[c - 1, lo - wi : hi - wi], p)


@jit
def backward(
    w: IntArray,
    mp: int,
    q: int,
    p: int,
    cx: int,
    rowlo: IntArray,
    rowhi: IntArray,
    off: IntArray,
    buf: Int32Array,
    h0: IntArray,
    inv: IntArray,
    do_h: bool,
    do_d: bool,
    do_j: bool,
    RH: Int32Array,
    RD: Int32Array,
    RJ: Int32Array,
    E: IntArray,
    Lam: IntArray,
    A2: IntArray,
    tau: IntArray,
    hol: IntArray,
    dpv: IntArray,
    jn: IntArray,
    jg: IntArray,
    mwk: IntArray,
) -> None:
    """Backward (adjoint) sweep over the last critical member ``i = mp - 1 .. 0``.

    ``w`` holds every free player's weight (zeros last); players ``0 .. mp - 1`` have positive
    weight. ``RH``, ``RD``, ``RJ`` are zeroed ``(cx + 2, q)`` ``int32`` adjoint tables:
    ``R_i(c, y)`` is the number of ways (weighted by ``inv[final critical count]`` for ``RD``
    and ``RJ``) to complete ``c`` critical members of weight ``y`` chosen among players
    ``0 .. i`` with later players. ``E``, ``Lam``, ``A2``, ``tau`` are zeroed work vectors of
    length ``q + 1``. ``h0[i]`` is the first player after ``i`` strictly lighter than it
    (``len(w)`` if none)."""
    m = w.shape[0]
    pinv = 1.0 / p
    for t in range(1, q + 1):
        E[t] = 1
    hp = m - 1
    for i in range(mp - 1, -1, -1):
        wi = w[i]
        win = q - wi if q > wi else 0  # x >= win: X + i wins alone
        if do_j:
            while hp >= h0[i]:
                wh = w[hp]
                _add_into(Lam[wh + 1 :], E[1 : q + 1 - wh], p)
                _add_into(A2[1:], E[1:], p)
                if wh == 0:
                    _add_into(E[1:], E[1:].copy(), p)
                else:
                    _add_into(E[wh + 1 :], E[1 : q + 1 - wh].copy(), p)
                hp -= 1
            xlo = q
            for c in range((i if i < cx else cx) + 1):
                if rowlo[i, c] < rowhi[i, c] and rowlo[i, c] < xlo:
                    xlo = rowlo[i, c]
            # tau[x] = Lam[q - x] - A2[win - x] (when positive) + [x >= win], x in [xlo, q)
            n = q - xlo
            n2 = win - xlo if win > xlo else 0
            lam_r = Lam[1 : n + 1][::-1]  # lam_r[k] = Lam[q - xlo - k]
            a2_r = A2[1 : n2 + 1][::-1]  # a2_r[k] = A2[win - xlo - k]
            out = tau[xlo:q]
            for k in range(n2):
                v = lam_r[k] - a2_r[k]
                out[k] = v + p if v < 0 else v
            for k in range(n2, n):
                v = lam_r[k] + 1
                out[k] = v - p if v >= p else v
        top = i if i < cx else cx
        own_h = 0
        own_d = 0
        own_j = 0
        dh = 0
        dd = 0
        dj = 0
        for c in range(top + 1):
            lo = rowlo[i, c]
            hi = rowhi[i, c]
            if lo >= hi:
                continue
            pre = buf[off[i, c] : off[i, c] + hi - lo]
            f = inv[c + 1]
            inner = q - wi if hi > q - wi else hi  # x + wi < q: the adjoint is non-zero
            n_in = inner - lo if inner > lo else 0
            wlo = lo if lo > win else win
            if do_h or do_d:
                sm = 0
                for k in range(wlo - lo, hi - lo):
                    sm += pre[k]
                sm %= p
                v = mwk[c + 1] + sm
                mwk[c + 1] = v - p if v >= p else v
                own_h += sm
                own_d += _mulmod(sm, f, p, pinv)
            if do_h:
                src = RH[c + 1, lo + wi : lo + wi + n_in]
                dh += _dot(pre[:n_in], src, p)
                _add_into(RH[c, lo : lo + n_in], src, p)
                _add_const(RH[c, wlo:hi], 1, p)
            if do_d:
                src = RD[c + 1, lo + wi : lo + wi + n_in]
                dd += _dot(pre[:n_in], src, p)
                _add_into(RD[c, lo : lo + n_in], src, p)
                _add_const(RD[c, wlo:hi], f, p)
            if do_j:
                # RJ is padded to q + max weight: its cells at x + wi >= q are zero
                src = RJ[c + 1, lo + wi : hi + wi]
                oj, d = _dot2(pre, tau[lo:hi], src, p)
                dj += d
                v = jg[c + 1] + oj
                jg[c + 1] = v - p if v >= p else v
                own_j += _mulmod(oj, f, p, pinv)
                _add_into_scaled(RJ[c, lo:hi], src, tau[lo:hi], f, p)
        if do_h:
            hol[i] = (own_h + dh) % p
        if do_d:
            dpv[i] = (own_d + dd) % p
        if do_j:
            jn[i] = (own_j % p + dj % p) % p
