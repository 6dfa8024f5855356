"""Compiled turn of the spatial model of politics: challenges, bargains, resolution.

KTAB's ``SMPState::doBCN`` (``examples/smp/libsrc/smpbcn.cpp``) in the same arithmetic order
as :func:`peaceops.forecast.smp.reference.step`.

The method and its references: :mod:`peaceops.forecast.smp.reference` (References section).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from peaceops.forecast._core import FloatArray
from peaceops.forecast.smp._kernel_core import (
    bs,
    distances_to,
    election,
    est,
    jit,
    principals,
    round4,
    vote,
)
from peaceops.forecast.smp.election import (
    V_PROP,
)
from peaceops.forecast.smp.reference import (
    BM_INIT_ONLY,
    BM_INIT_RCVR,
    IB_S1P1,
    IB_S2PMAX,
    MIN_SIG_EDU,
    MIN_W,
    TP_FULL,
    TP_SEMI,
)

__all__: list[str] = []


@jit()
def challenge(
    i: int,
    j: int,
    rr: FloatArray,
    col: FloatArray,
    diag: FloatArray,
    d: FloatArray,
    ssum: FloatArray,
    c: FloatArray,
    vr: int,
    tpc: int,
) -> float:  # pragma: no cover
    """h's estimate of P(i beats j) (``probEduChlg(h, ., i, j)``), for one pair.

    ``rr[x]`` is h's estimate of x's risk attitude, ``col[x]`` = U^h(x, i) and
    ``diag[x]`` = U^h(x, x). Used for the target's view of a bargain.
    """
    n = d.shape[0]
    uii = diag[i]
    uij = bs(d[i, j], rr[i])
    uji = col[j]
    ujj = diag[j]
    con_i = vote(vr, ssum[i] * c[i], uii, uij)
    con_j = vote(vr, ssum[j] * c[j], uji, ujj)
    sides: tuple[float, float] = principals(con_i, con_j)
    chij, chji = sides
    c_i = chij
    c_j = chji
    for x in range(n):
        if x in (i, j):
            continue
        wn = ssum[x] * c[x]
        uni = col[x]
        unj = bs(d[x, j], rr[x])
        unn = diag[x]
        v = vote(vr, wn, uni, unj)
        cni = c_i + v if v > 0.0 else c_i
        cnj = c_j - v if v < 0.0 else c_j
        pin = cni / (cni + cnj)
        pjn = 1.0 - pin
        vk = vote(vr, wn, *third_party(tpc, pin, pjn, uni, unj, unn))
        if vk > 0.0:
            chij = chij + vk
        if vk < 0.0:
            chji = chji - vk
    return chij / (chij + chji)


@jit()
def third_party(
    tpc: int, pin: float, pjn: float, uni: float, unj: float, unn: float
) -> tuple[float, float]:  # pragma: no cover
    """KTAB ``thirdPartyVoteSU``: a third party's value of joining i's side and j's side."""
    if tpc == TP_FULL:
        u_ik_def_j = uni + uni + uni
        u_j_def_ik = unj + unj + unj
        u_i_def_jk = uni + uni + uni
        u_jk_def_i = unj + unj + unj
    elif tpc == TP_SEMI:
        u_ik_def_j = uni + uni + unn
        u_j_def_ik = unj + unj + unj
        u_i_def_jk = uni + uni + uni
        u_jk_def_i = unj + unj + unn
    else:
        u_ik_def_j = uni + uni + unn
        u_j_def_ik = unj + unj + unn
        u_i_def_jk = uni + uni + unn
        u_jk_def_i = unj + unj + unn
    return (pin * u_ik_def_j) + (pjn * u_j_def_ik), (pin * u_i_def_jk) + (pjn * u_jk_def_i)


@jit()
def challenges_by(
    i: int,
    rr: FloatArray,
    col: FloatArray,
    diag: FloatArray,
    d: FloatArray,
    ssum: FloatArray,
    c: FloatArray,
    vr: int,
    tpc: int,
    c_i: FloatArray,
    c_j: FloatArray,
    chij: FloatArray,
    chji: FloatArray,
    p_out: FloatArray,
    e_out: FloatArray,
) -> None:  # pragma: no cover
    """i's estimates of P(i beats j) and of its expected gain, for every target j at once.

    The same arithmetic as :func:`challenge`, with the targets side by side in the inner
    loop (SIMD lanes) and the third parties outside it, so that each target's coalition
    still adds its third parties in KTAB's order.
    """
    n = d.shape[0]
    uii = diag[i]
    wi = ssum[i] * c[i]
    for j in range(n):
        uij = bs(d[i, j], rr[i])
        con_i = vote(vr, wi, uii, uij)
        con_j = vote(vr, ssum[j] * c[j], col[j], diag[j])
        a, b = principals(con_i, con_j)
        c_i[j] = a
        c_j[j] = b
        chij[j] = a
        chji[j] = b
        e_out[j] = uij
    for x in range(n):
        if x == i:
            continue
        wn = ssum[x] * c[x]
        uni = col[x]
        unn = diag[x]
        rx = rr[x]
        dx = d[x]
        if vr == V_PROP and tpc == TP_SEMI:  # KTAB's defaults, written out
            for j in range(n):
                dj = dx[j]
                unj = (1.0 - dj) * (1.0 + dj * rx) if dj <= 1.0 else (1.0 - dj) * (1.0 + rx)
                v = wn * (uni - unj)
                cni = c_i[j] + v if v > 0.0 else c_i[j]
                cnj = c_j[j] - v if v < 0.0 else c_j[j]
                pin = cni / (cni + cnj)
                pjn = 1.0 - pin
                u_ik_j = (pin * (uni + uni + unn)) + (pjn * (unj + unj + unj))
                u_i_jk = (pin * (uni + uni + uni)) + (pjn * (unj + unj + unn))
                vk = wn * (u_ik_j - u_i_jk)
                chij[j] = chij[j] + vk if (vk > 0.0 and x != j) else chij[j]
                chji[j] = chji[j] - vk if (vk < 0.0 and x != j) else chji[j]
        else:
            for j in range(n):
                unj = bs(dx[j], rx)
                v = vote(vr, wn, uni, unj)
                cni = c_i[j] + v if v > 0.0 else c_i[j]
                cnj = c_j[j] - v if v < 0.0 else c_j[j]
                pin = cni / (cni + cnj)
                pjn = 1.0 - pin
                vk = vote(vr, wn, *third_party(tpc, pin, pjn, uni, unj, unn))
                chij[j] = chij[j] + vk if (vk > 0.0 and x != j) else chij[j]
                chji[j] = chji[j] - vk if (vk < 0.0 and x != j) else chji[j]
    for j in range(n):
        uij = e_out[j]
        sj = ssum[j]
        phij = chij[j] / (chij[j] + chji[j])
        phji = chji[j] / (chij[j] + chji[j])
        u_hkij = uii + uii
        u_hkji = uij + uij
        eu_cntst = phij * u_hkij + phji * u_hkji
        eu_chlg = (1 - sj) * u_hkij + sj * eu_cntst
        p_out[j] = phij
        e_out[j] = eu_chlg - (uii + uij)


@jit()
def perspective(
    h: int,
    i: int,
    risk: FloatArray,
    ra: int,
    d: FloatArray,
    rr: FloatArray,
    col: FloatArray,
    diag: FloatArray,
) -> None:  # pragma: no cover
    for x in range(d.shape[0]):
        rr[x] = est(risk[h], risk[x], ra)
        col[x] = bs(d[x, i], rr[x])
        diag[x] = bs(d[x, x], rr[x])


@jit()
def interpolate(
    ivb: int,
    x: FloatArray,
    s: FloatArray,
    i: int,
    j: int,
    pi: float,
    pj: float,
    bi: FloatArray,
    bj: FloatArray,
) -> None:  # pragma: no cover
    for k in range(x.shape[1]):
        ti, si, tj, sj = x[i, k], s[i, k], x[j, k], s[j, k]
        if ivb == IB_S2PMAX:
            di = (pj - pi) if pj > pi else 0.0
            dj = (pi - pj) if pi > pj else 0.0
            si2 = si * si
            sj2 = sj * sj
            dik = (di * sj2) / ((di * sj2) + MIN_W + ((1 - di) * si2))
            djk = (dj * si2) / ((dj * si2) + MIN_W + ((1 - dj) * sj2))
            bi[k] = ti + dik * (tj - ti)
            bj[k] = tj + djk * (ti - tj)
            continue
        if ivb == IB_S1P1:
            wik = si * pi
            wjk = sj * pj
        else:
            wik = (si * si) * (pi * pi)
            wjk = (sj * sj) * (pj * pj)
        bi[k] = round4(((wik + MIN_W) * ti + wjk * tj) / (wik + MIN_W + wjk))
        bj[k] = round4((wik * ti + (MIN_W + wjk) * tj) / (wik + MIN_W + wjk))


@jit()
def step(
    x: FloatArray,
    xt: FloatArray,
    s: FloatArray,
    st: FloatArray,
    ssq: FloatArray,
    ssum: FloatArray,
    c: FloatArray,
    opts: Any,
    d: FloatArray,
    risk: FloatArray,
    u_own: FloatArray,
    u_own_t: FloatArray,
    new_x: FloatArray,
    uv: FloatArray,
    cm: FloatArray,
    pv: FloatArray,
    pe: FloatArray,
    acc_pos: FloatArray,
    acc_neg: FloatArray,
) -> bool:  # pragma: no cover
    """One turn: challenges, bargains, each actor's election among its bargains."""
    n, m = x.shape
    vr, ra, tpc, ivb, bmod = opts[0], opts[4], opts[5], opts[6], opts[7]
    cap = 3 * n
    b_init = np.empty(cap, dtype=np.int64)
    b_rcvr = np.empty(cap, dtype=np.int64)
    b_pi = np.empty((cap, m))
    b_pj = np.empty((cap, m))
    q_len = np.ones(n, dtype=np.int64)
    q_idx = np.empty((n, 2 * n + 1), dtype=np.int64)
    for i in range(n):
        b_init[i] = i
        b_rcvr[i] = i
        q_idx[i, 0] = i
    nb = n
    rr = np.empty(n)
    col = np.empty(n)
    diag = np.empty(n)
    w1 = np.empty(n)
    w2 = np.empty(n)
    w3 = np.empty(n)
    w4 = np.empty(n)
    p_ij = np.empty(n)
    edu = np.empty(n)
    tmp_i = np.empty(m)
    tmp_j = np.empty(m)
    for i in range(n):
        perspective(i, i, risk, ra, d, rr, col, diag)
        challenges_by(i, rr, col, diag, d, ssum, c, vr, tpc, w1, w2, w3, w4, p_ij, edu)
        best = -1
        best_eu = -1.0
        for j in range(n):
            if j != i and edu[j] > MIN_SIG_EDU and edu[j] > best_eu:
                best = j
                best_eu = edu[j]
        if not best_eu > 0.0:
            continue
        j = best
        best_p = p_ij[j]
        interpolate(ivb, x, s, i, j, best_p, 1 - best_p, b_pi[nb], b_pj[nb])
        b_init[nb] = i
        b_rcvr[nb] = j
        n_new = 1
        if bmod != BM_INIT_ONLY:
            perspective(j, i, risk, ra, d, rr, col, diag)
            pji = challenge(i, np.int64(j), rr, col, diag, d, ssum, c, vr, tpc)
            interpolate(ivb, x, s, i, j, pji, 1 - pji, tmp_i, tmp_j)
            if bmod == BM_INIT_RCVR:
                b_pi[nb + 1] = tmp_i
                b_pj[nb + 1] = tmp_j
                b_init[nb + 1] = i
                b_rcvr[nb + 1] = j
                n_new = 2
            else:
                wi = c[i] * ssum[i]
                wj = c[j] * ssum[j]
                for k in range(m):
                    b_pi[nb, k] = (wi * b_pi[nb, k] + wj * tmp_i[k]) / (wi + wj)
                    b_pj[nb, k] = (wi * b_pj[nb, k] + wj * tmp_j[k]) / (wi + wj)
        for q in range(nb, nb + n_new):
            q_idx[i, q_len[i]] = q
            q_len[i] += 1
            q_idx[j, q_len[j]] = q
            q_len[j] += 1
        nb += n_new
    # value to every actor (columns) of the state after each bargain (rows)
    bu = np.empty((nb, n))
    acc = w1
    for a in range(n):
        acc[a] = 0.0
    for q in range(n):
        uq = u_own_t[q]
        for a in range(n):
            acc[a] = acc[a] + uq[a]
    for a in range(n):
        acc[a] = acc[a] / n
    for b in range(n):
        bu[b] = acc
    for b in range(n, nb):
        ini = b_init[b]
        rcv = b_rcvr[b]
        distances_to(xt, st, ssq, b_pi[b], w2)
        distances_to(xt, st, ssq, b_pj[b], w3)
        for a in range(n):
            acc[a] = (0.0 + bs(w2[a], risk[a])) + bs(w3[a], risk[a])
        for q in range(n):
            if q != ini and q != rcv:
                uq = u_own_t[q]
                for a in range(n):
                    acc[a] = acc[a] + uq[a]
        for a in range(n):
            bu[b, a] = acc[a] / n
    ok = True
    for k in range(n):
        nq = q_len[k]
        for o in range(nq):
            b = q_idx[k, o]
            for a in range(n):
                uv[a, o] = bu[b, a]
        ok = election(vr, opts[1], opts[2], c, uv, nq, cm, pv, pe, acc_pos, acc_neg) and ok
        top = 0
        for o in range(1, nq):
            if pe[top] < pe[o]:
                top = o
        b = q_idx[k, top]
        for kk in range(m):
            if b < n:
                new_x[k, kk] = x[k, kk]
            elif b_init[b] == k:
                new_x[k, kk] = b_pi[b, kk]
            else:
                new_x[k, kk] = b_pj[b, kk]
    return ok
