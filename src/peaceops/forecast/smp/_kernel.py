r"""Compiled engine of the spatial model of politics (``mode="fast"`` and batches).

The same model as :mod:`peaceops.forecast.smp.reference`, written as plain loops compiled by
numba. Every floating-point operation happens in the same order as there (and as in KTAB),
so the two engines agree to the last bit; what differs is the algorithm's bookkeeping:

* utilities are computed where needed instead of storing KTAB's ``n`` perspective matrices
  (:math:`n^3` numbers) and logging every estimator's view of every challenge, which makes
  KTAB's turn cost grow as :math:`n^4`; here a turn costs :math:`O(n^3 + n^2 m)`;
* each bargain's value to every actor is computed once and shared by the two queues it
  enters;
* once a turn moves nobody, later turns repeat it until a perturbation; they are copied,
  not recomputed;
* a batch runs its members in parallel threads (the compiled code releases the GIL),
  each member exactly as a single run.

Compilation takes 15-30 s on first use; the machine code is cached on disk
(``cache=True``) when numba finds a writable cache directory, and compiled in memory
otherwise (read-only installations work, they just compile once per process).

The method and its references: :mod:`peaceops.forecast.smp.reference` (References section).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from peaceops.forecast._core import FloatArray
from peaceops.forecast.smp._kernel_core import (
    bs,
    election,
    est,
    jit,
    salience,
)
from peaceops.forecast.smp._kernel_turn import step
from peaceops.forecast.smp.election import (
    V_PROP,
)
from peaceops.forecast.smp.reference import (
    MIN_SIG_DELTA,
    POS_TOL,
    R_DEGENERATE,
    R_MID,
    R_MIN,
)

__all__: list[str] = []

# ---------------------------------------------------------------------------------------
# One state


@jit()
def assess(
    x: FloatArray,
    xt: FloatArray,
    s: FloatArray,
    st: FloatArray,
    ssq: FloatArray,
    c: FloatArray,
    opts: Any,
    d: FloatArray,
    risk: FloatArray,
    u_own: FloatArray,
    u_own_t: FloatArray,
    uv: FloatArray,
    cm: FloatArray,
    pv: FloatArray,
    pe: FloatArray,
    acc_pos: FloatArray,
    acc_neg: FloatArray,
    uniq: Any,
    cls: Any,
) -> tuple[Any, bool]:  # pragma: no cover
    """Distances, risk attitudes, own utilities and the reported election of a state.

    Returns the number of unique positions (their election probabilities are in
    ``pe[:n_unique]``) and whether the elections settled.
    """
    n, m = x.shape
    for k in range(m):
        for i in range(n):
            xt[k, i] = x[i, k]
    for i in range(n):
        di = d[i]
        for j in range(n):
            di[j] = 0.0
        for k in range(m):
            xik = x[i, k]
            sik = s[i, k]
            xk = xt[k]
            for j in range(n):
                t = (xik - xk[j]) * sik
                di[j] = di[j] + t * t
        for j in range(n):
            di[j] = math.sqrt(di[j] / ssq[i]) if ssq[i] != 0.0 else 0.0
    for k in range(n):
        for j in range(n):
            uv[k, j] = bs(d[k, j], 0.0)
    ok = True
    nu = np.int64(0)
    rule = np.int64(opts[0])
    n_opt = np.int64(n)
    # two elections with one call site (keeps the compiled code small): first the
    # risk-neutral one over all positions (risk attitudes), then the reported one
    for stage in range(2):
        ok = election(rule, opts[1], opts[2], c, uv, n_opt, cm, pv, pe, acc_pos, acc_neg) and ok
        if stage == 1:
            break
        p_min = 1.0
        p_max = 0.0
        for i in range(n):
            p_min = min(p_min, pe[i])
            p_max = max(p_max, pe[i])
        for i in range(n):
            if not p_max - p_min > R_DEGENERATE:
                risk[i] = 0.0
            elif opts[3] == R_MIN:
                risk[i] = (pe[i] - p_min) / (p_max - p_min)
            elif opts[3] == R_MID:
                risk[i] = (3 * pe[i] - (p_max + 2 * p_min)) / (2 * (p_max - p_min))
            else:
                risk[i] = (2 * pe[i] - (p_max + p_min)) / (p_max - p_min)
        for i in range(n):
            ri = est(risk[i], risk[i], opts[4])
            for j in range(n):
                u = bs(d[i, j], ri)
                u_own[i, j] = u
                u_own_t[j, i] = u
        for i in range(n):
            cls[i] = -1
            for cu in range(nu):
                ds = 0.0
                for k in range(m):
                    t = x[i, k] - x[uniq[cu], k]
                    ds = ds + t * t
                if math.sqrt(ds) < POS_TOL:
                    cls[i] = cu
                    break
            if cls[i] < 0:
                uniq[nu] = i
                cls[i] = nu
                nu += 1
        for k in range(n):
            for cu in range(nu):
                uv[k, cu] = u_own[k, uniq[cu]]
        rule = np.int64(V_PROP)  # KTAB's pDist hard-codes the proportional rule
        n_opt = nu
    return nu, ok


# ---------------------------------------------------------------------------------------
# Runs


@jit()
def report(
    t: int,
    x: FloatArray,
    nu: int,
    pe: FloatArray,
    uniq: Any,
    cls: Any,
    out_p: FloatArray,
    out_mean: FloatArray,
    out_mode: FloatArray,
) -> None:  # pragma: no cover
    n, m = x.shape
    counts = np.zeros(nu, dtype=np.int64)
    for i in range(n):
        counts[cls[i]] += 1
    for i in range(n):
        out_p[i] = pe[cls[i]] / counts[cls[i]]
    top = 0
    for cu in range(1, nu):
        if pe[top] < pe[cu]:
            top = cu
    for k in range(m):
        acc = 0.0
        for cu in range(nu):
            acc = acc + pe[cu] * x[uniq[cu], k]
        out_mean[t, k] = acc
        out_mode[t, k] = x[uniq[top], k]


@jit()
def run_member(
    x0: FloatArray,
    s0: FloatArray,
    c0: FloatArray,
    opts: Any,
    tol: float,
    max_turns: int,
    min_turns: int,
    p_rounds: Any,
    p_pos: FloatArray,
    p_sal: FloatArray,
    p_cap: FloatArray,
    out_pos: FloatArray,
    out_p: FloatArray,
    out_mean: FloatArray,
    out_mode: FloatArray,
    out_final: FloatArray,
) -> tuple[int, bool, bool, float]:  # pragma: no cover
    """Run one negotiation; returns (turns, converged, failed, last movement ratio).

    ``out_pos`` is ``(max_turns + 1, n, m)`` to keep every state or ``(1, n, m)`` to keep
    none; ``out_mean`` and ``out_mode`` get one row per state, ``out_p`` ``(n,)`` the
    final election probabilities of the actors' positions (split among actors sharing one).
    """
    n, m = x0.shape
    keep = out_pos.shape[0] > 1
    x = x0.copy()
    s_raw = s0.copy()
    c = c0.copy()
    s = np.empty((n, m))
    st = np.empty((m, n))
    xt = np.empty((m, n))
    ssq = np.empty(n)
    ssum = np.empty(n)
    d = np.empty((n, n))
    risk = np.empty(n)
    u_own = np.empty((n, n))
    u_own_t = np.empty((n, n))
    ncap = 2 * n + 1
    uv = np.empty((n, ncap))
    cm = np.empty((ncap, ncap))
    pv = np.empty((ncap, ncap))
    pe = np.empty(ncap)
    acc_pos = np.empty(ncap)
    acc_neg = np.empty(ncap)
    uniq = np.empty(n, dtype=np.int64)
    cls = np.empty(n, dtype=np.int64)
    new_x = np.empty((n, m))
    last_round = 0
    for q in range(p_rounds.shape[0]):
        last_round = max(last_round, p_rounds[q])
    salience(s_raw, s, st, ssq, ssum)
    failed = False
    first = 0.0
    ratio = 0.0
    turn = 0
    converged = False
    fresh = True  # the state to assess is new (report it), not a perturbed one
    # fixed: the last turn moved nobody, so this state equals the previous one and, the
    # model being deterministic, so will every later state until a perturbation; its
    # assessment and turn are not recomputed (the results are the same to the bit)
    fixed = False
    nu = np.int64(0)
    while True:
        if not (fresh and fixed):
            nu, ok = assess(
                x,
                xt,
                s,
                st,
                ssq,
                c,
                opts,
                d,
                risk,
                u_own,
                u_own_t,
                uv,
                cm,
                pv,
                pe,
                acc_pos,
                acc_neg,
                uniq,
                cls,
            )
            failed = failed or not ok
        if fresh:
            if fixed:
                out_mean[turn] = out_mean[turn - 1]
                out_mode[turn] = out_mode[turn - 1]
            else:
                report(turn, x, nu, pe, uniq, cls, out_p, out_mean, out_mode)
            if keep:
                out_pos[turn] = x
            if converged or turn >= max_turns:
                break
            turn += 1
            hit = False
            for q in range(p_rounds.shape[0]):
                if p_rounds[q] == turn:
                    hit = True
                    for i in range(n):
                        if not math.isnan(p_cap[q, i]):
                            c[i] = p_cap[q, i]
                        for k in range(m):
                            if not math.isnan(p_pos[q, i, k]):
                                x[i, k] = p_pos[q, i, k]
                            if not math.isnan(p_sal[q, i, k]):
                                s_raw[i, k] = p_sal[q, i, k]
            if hit:  # assess the perturbed state before bargaining on it
                salience(s_raw, s, st, ssq, ssum)
                fresh = False
                fixed = False
                continue
        fresh = True
        moved = 0.0
        if not fixed:
            ok = step(
                x,
                xt,
                s,
                st,
                ssq,
                ssum,
                c,
                opts,
                d,
                risk,
                u_own,
                u_own_t,
                new_x,
                uv,
                cm,
                pv,
                pe,
                acc_pos,
                acc_neg,
            )
            failed = failed or not ok
            same = True
            for i in range(n):
                acc = 0.0
                for k in range(m):
                    t = new_x[i, k] - x[i, k]
                    acc = acc + t * t
                    same = same and new_x[i, k] == x[i, k]
                moved = moved + math.sqrt(acc)
            x[:, :] = new_x
            fixed = same
        if turn == 1:
            first = moved + MIN_SIG_DELTA
        ratio = moved / first
        converged = min_turns <= turn and ratio < tol and turn >= last_round
    out_final[:, :] = x
    return turn, converged, failed, ratio


@jit()
def run_chunk(
    lo: int,
    hi: int,
    x0: FloatArray,
    s0: FloatArray,
    c0: FloatArray,
    opts: Any,
    tol: float,
    max_turns: int,
    min_turns: int,
    p_rounds: Any,
    p_pos: FloatArray,
    p_sal: FloatArray,
    p_cap: FloatArray,
    out_pos: FloatArray,
    out_p: FloatArray,
    out_mean: FloatArray,
    out_mode: FloatArray,
    out_final: FloatArray,
    out_turns: Any,
    out_flags: Any,
    out_ratio: FloatArray,
) -> None:  # pragma: no cover
    """:func:`run_member` for members ``lo..hi-1`` of a batch (called from worker threads)."""
    for b in range(lo, hi):
        turns, conv, failed, ratio = run_member(
            x0[b],
            s0[b],
            c0[b],
            opts,
            tol,
            max_turns,
            min_turns,
            p_rounds,
            p_pos,
            p_sal,
            p_cap,
            out_pos[b],
            out_p[b],
            out_mean[b],
            out_mode[b],
            out_final[b],
        )
        out_turns[b] = turns
        out_flags[b, 0] = conv
        out_flags[b, 1] = failed
        out_ratio[b] = ratio
