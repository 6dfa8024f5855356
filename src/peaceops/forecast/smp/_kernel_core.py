"""Compiled building blocks of the spatial model of politics: scalars and elections.

Twins of the numpy functions in :mod:`peaceops.forecast.smp.election` and
:mod:`peaceops.forecast.smp.reference`, with every floating-point operation in the same
order, so that the compiled engine (:mod:`peaceops.forecast.smp._kernel`) agrees with the
reference engine to the last bit.

The method and its references: :mod:`peaceops.forecast.smp.reference` (References section).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from peaceops._jit import jit as shared_jit
from peaceops.forecast._core import FloatArray

# Codes and numerical limits: the single definitions in election.py and reference.py (numba
# reads module globals as compile-time constants, so importing them costs nothing).
from peaceops.forecast.smp.election import (
    MARKOV_MAX_ITER,
    MIN_COALITION,
    PCE_CONDITIONAL,
    PCE_MARKOV_INCENTIVE,
    PRODUCT_UNDERFLOW,
    V_BINARY,
    V_CUBIC,
    V_PROP,
    V_PROP_BIN,
    V_PROP_CUBIC,
    VP_LINEAR,
    VP_OCTIC,
    VP_QUARTIC,
    VP_SQUARE,
)
from peaceops.forecast.smp.reference import (
    MIN_CHALLENGE,
    RA_FULL,
    RA_HALF,
    RA_ONE_THIRD,
    RA_TWO_THIRDS,
)

__all__: list[str] = []


def _kernel(func: Callable[..., Any]) -> Any:
    """The SMP kernels' compile options: NumPy error model (no denominator here can be zero)."""
    return shared_jit(error_model="numpy")(func)


def jit() -> Callable[[Callable[..., Any]], Any]:
    """Decorator factory used by the SMP kernel modules (see :mod:`peaceops._jit`)."""
    return _kernel


# ---------------------------------------------------------------------------------------
# Scalars


@jit()
def principals(con_i: float, con_j: float) -> tuple[float, float]:  # pragma: no cover
    """Strengths of the two sides of a challenge from the principals' own votes.

    Each side starts at ``MIN_CHALLENGE``; a positive vote adds to i's side, a negative one to
    j's, i's vote first (KTAB's order, which keeps results bit-identical).
    """
    a = MIN_CHALLENGE
    b = MIN_CHALLENGE
    if con_i > 0.0:
        a = a + con_i
    if con_i < 0.0:
        b = b - con_i
    if con_j > 0.0:
        a = a + con_j
    if con_j < 0.0:
        b = b - con_j
    return a, b


@jit()
def vote(rule: int, w: float, u1: float, u2: float) -> float:  # pragma: no cover
    du = u1 - u2
    if rule == V_PROP:
        return w * du
    r_bin = du / 1e-8
    r_bin = 1.0 if r_bin > 1.0 else r_bin
    r_bin = -1.0 if r_bin < -1.0 else r_bin
    if rule == V_BINARY:
        return w * r_bin
    if rule == V_PROP_BIN:
        return w * ((1 - 0.2) * du + 0.2 * r_bin)
    if rule == V_PROP_CUBIC:
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    if rule == V_CUBIC:
        return w * (du * du * du)
    if du < 0.0:
        return w * du
    if du > 0.0:
        return (2.0 * w * du) / 3.0
    return 0.0


@jit()
def victory(vpm: int, s1: float, s2: float) -> tuple[float, float]:  # pragma: no cover
    if vpm == VP_LINEAR:
        x1, x2 = s1, s2
    elif vpm == VP_SQUARE:
        x1, x2 = s1 * s1, s2 * s2
    elif vpm == VP_QUARTIC:
        x1, x2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
    elif vpm == VP_OCTIC:
        q1, q2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
        x1, x2 = q1 * q1, q2 * q2
    else:
        thresh = 1.10
        if s1 >= thresh * s2:
            x1, x2 = 1.0, 1e-6
        elif s2 >= thresh * s1:
            x1, x2 = 1e-6, 1.0
        else:
            r12 = s1 / (s1 + s2)
            p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
            x1, x2 = p12, 1 - p12
    return x1 / (x1 + x2), x2 / (x1 + x2)


@jit()
def bs(d: float, r: float) -> float:  # pragma: no cover
    if d <= 1.0:
        return (1.0 - d) * (1.0 + d * r)
    return (1.0 - d) * (1.0 + r)


@jit()
def est(rh: float, ri: float, ra: int) -> float:  # pragma: no cover
    if ra == RA_FULL:
        return ri
    if ra == RA_TWO_THIRDS:
        return (rh + (2.0 * ri)) / 3.0
    if ra == RA_HALF:
        return (rh + ri) / 2
    if ra == RA_ONE_THIRD:
        return ((2.0 * rh) + ri) / 3.0
    return rh


@jit()
def round4(x: float) -> float:  # pragma: no cover
    return math.trunc(0.5 + (x * 10000.0)) / 10000.0


# ---------------------------------------------------------------------------------------
# Elections


@jit()
def election(
    rule: int,
    vpm: int,
    pcem: int,
    w: FloatArray,
    uv: FloatArray,
    n_opt: int,
    c: FloatArray,
    pv: FloatArray,
    p: FloatArray,
    acc_pos: FloatArray,
    acc_neg: FloatArray,
) -> bool:  # pragma: no cover
    """Option probabilities into ``p[:n_opt]``; ``uv[k, a]`` is option a's value to voter k.

    The coalition sums run over voters in order for each pair (as KTAB's), with the pairs
    of one row side by side so that the compiler can use SIMD lanes.
    """
    na = w.shape[0]
    for a in range(n_opt):
        for b in range(a):
            acc_pos[b] = MIN_COALITION
            acc_neg[b] = MIN_COALITION
        for k in range(na):
            wk = w[k]
            ua = uv[k, a]
            row = uv[k]
            if rule == V_PROP:
                for b in range(a):
                    v = wk * (ua - row[b])
                    acc_pos[b] = acc_pos[b] + v if v > 0.0 else acc_pos[b]
                    acc_neg[b] = acc_neg[b] - v if v < 0.0 else acc_neg[b]
            else:
                for b in range(a):
                    v = vote(rule, wk, ua, row[b])
                    acc_pos[b] = acc_pos[b] + v if v > 0.0 else acc_pos[b]
                    acc_neg[b] = acc_neg[b] - v if v < 0.0 else acc_neg[b]
        for b in range(a):
            c[a, b] = acc_pos[b]
            c[b, a] = acc_neg[b]
        c[a, a] = MIN_COALITION
    for a in range(n_opt):
        for b in range(a):
            pab, pba = victory(vpm, c[a, b], c[b, a])
            pv[a, b] = pab
            pv[b, a] = pba
        pv[a, a] = 0.5
    if pcem == PCE_CONDITIONAL:
        top = 0.0
        for a in range(n_opt):
            pa = pv[a, 0]
            for b in range(1, n_opt):
                pa = pa * pv[a, b]
            p[a] = pa
            top = max(top, pa)
        if top < PRODUCT_UNDERFLOW:
            big = -np.inf
            for a in range(n_opt):
                la = 0.0
                for b in range(n_opt):
                    la = la + math.log(pv[a, b])
                p[a] = la
                big = max(big, la)
            for a in range(n_opt):
                p[a] = math.exp(p[a] - big)
        total = 0.0
        for a in range(n_opt):
            total = total + p[a]
        for a in range(n_opt):
            p[a] = p[a] / total
        return True
    q = np.empty(n_opt)
    for a in range(n_opt):
        p[a] = 1.0 / n_opt
    if pcem == PCE_MARKOV_INCENTIVE:
        tol = 1e-8
        chlg = np.empty((n_opt, n_opt))
        for b in range(n_opt):
            col = 0.0
            for a in range(n_opt):
                inc = c[a, b] * pv[a, b] + (1e-10 if a == b else 0.0)
                chlg[a, b] = inc
                col = col + inc
            for a in range(n_opt):
                chlg[a, b] = chlg[a, b] / col
    else:
        tol = 1e-6
        chlg = np.empty((0, 0))
    for _ in range(MARKOV_MAX_ITER):
        change = 0.0
        for a in range(n_opt):
            qa = 0.0
            for b in range(n_opt):
                if pcem == PCE_MARKOV_INCENTIVE:
                    qa = qa + pv[a, b] * (p[a] * chlg[b, a] + p[b] * chlg[a, b])
                else:
                    qa = qa + pv[a, b] * (p[a] + p[b])
            if pcem != PCE_MARKOV_INCENTIVE:
                qa = qa / n_opt
            q[a] = qa
            change = max(change, abs(qa - p[a]))
        for a in range(n_opt):
            p[a] = (p[a] + q[a]) / 2.0
        if not change > tol:
            return True
    return False


# ---------------------------------------------------------------------------------------
# Salience and distances


@jit()
def salience(
    s_raw: FloatArray,
    s: FloatArray,
    st: FloatArray,
    ssq: FloatArray,
    ssum: FloatArray,
) -> None:  # pragma: no cover
    """Working saliences: an actor's row rescaled to sum to one when it sums to more."""
    n, m = s_raw.shape
    for i in range(n):
        tot = 0.0
        for k in range(m):
            tot = tot + s_raw[i, k]
        for k in range(m):
            s[i, k] = s_raw[i, k] / tot if tot > 1.0 else s_raw[i, k]
            st[k, i] = s[i, k]
        sq = 0.0
        su = 0.0
        for k in range(m):
            sq = sq + s[i, k] * s[i, k]
            su = su + s[i, k]
        ssq[i] = sq
        ssum[i] = su


@jit()
def distances_to(
    xt: FloatArray, st: FloatArray, ssq: FloatArray, y: FloatArray, out: FloatArray
) -> None:  # pragma: no cover
    """``out[a]``: distance from actor a's position to the point ``y`` (``bvDiff``)."""
    m, n = xt.shape
    for a in range(n):
        out[a] = 0.0
    for k in range(m):
        yk = y[k]
        xk = xt[k]
        sk = st[k]
        for a in range(n):
            t = (xk[a] - yk) * sk[a]
            out[a] = out[a] + t * t
    for a in range(n):
        out[a] = math.sqrt(out[a] / ssq[a]) if ssq[a] != 0.0 else 0.0
