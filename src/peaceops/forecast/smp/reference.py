r"""KTAB-literal reference implementation of the spatial model of politics (numpy).

One turn follows KTAB's ``SMPState::setAllAUtil`` and ``SMPState::doBCN`` step by step
(KTAB ``examples/smp/libsrc/smp.cpp`` and ``smpbcn.cpp``, version of 2017), vectorised over
one axis at a time with every order-sensitive sum and product kept in KTAB's order. It is
the ``mode="ktab"`` engine of :func:`peaceops.forecast.smp.smp_forecast`, the engine of
:func:`peaceops.forecast.smp.smp_trace`, and the oracle for the compiled kernel
(:mod:`peaceops.forecast.smp._kernel`), which must agree with it to the last bit.

Positions and saliences are on KTAB's internal scale (0..1). The model is documented in
``docs/smp.md`` and in :func:`peaceops.forecast.smp.smp_forecast`.

References
----------
.. [1] Wise, B. P., Lester, L. and Efird, B. (2015). *An Introduction to the KAPSARC Toolkit for
   Behavioral Analysis (KTAB)*. KAPSARC Discussion Paper, Riyadh.
.. [2] KAPSARC (2015-2019). KTAB: KAPSARC Toolkit for Behavioral Analysis, C++ source, MIT
   licence, ``examples/smp/libsrc/smp.cpp`` and ``smpbcn.cpp``. https://github.com/KAPSARC/KTAB
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from peaceops.forecast._core import FloatArray
from peaceops.forecast.smp.election import V_PROP, election, seq_sum, vote

__all__: list[str] = []  # internal: used by smp.py, smp_input.py and the tests

IntArray = npt.NDArray[np.int64]

#: Range of the inferred risk attitudes (KTAB ``BigRRange``): min = [0, 1], mid = [-1/2, 1],
#: max = [-1, 1].
BIG_R_RANGES: dict[str, int] = {"min": 0, "mid": 1, "max": 2}
#: How actor h perceives actor i's risk attitude (KTAB ``BigRAdjust``).
BIG_R_ADJUSTS: dict[str, int] = {"full": 0, "two_thirds": 1, "half": 2, "one_third": 3, "none": 4}
#: Third-party commitment (KTAB ``ThirdPartyCommit``).
THIRD_PARTY_COMMITS: dict[str, int] = {"full": 0, "semi": 1, "none": 2}
#: Bargain interpolation weights (KTAB ``InterVecBrgn``).
INTERPOLATIONS: dict[str, int] = {"s1p1": 0, "s2p2": 1, "s2pmax": 2}
#: Which bargains enter the queues (KTAB ``SMPBargnModel``).
BARGAIN_MODELS: dict[str, int] = {"init_only": 0, "init_rcvr": 1, "pw_comp": 2}

R_MIN, R_MID, R_MAX = range(3)
RA_FULL, RA_TWO_THIRDS, RA_HALF, RA_ONE_THIRD, RA_NONE = range(5)
TP_FULL, TP_SEMI, TP_NONE = range(3)
IB_S1P1, IB_S2P2, IB_S2PMAX = range(3)
BM_INIT_ONLY, BM_INIT_RCVR, BM_PW_COMP = range(3)

#: Two positions closer than this (Euclidean, 0..1 scale) are the same option (``posTol``).
POS_TOL = 1e-3
#: Smallest expected gain worth a challenge (``bestChallenge``).
MIN_SIG_EDU = 1e-5
#: Added to the first turn's movement in the stop rule (``smpStopFn``).
MIN_SIG_DELTA = 1e-4
#: Starting strength of a challenge coalition (``probEduChlg``).
MIN_CHALLENGE = 1e-10
#: Extra weight of the initiator in the bargain interpolation (``interpBrgnSnPm``).
MIN_W = 1e-6
#: Below this spread of win probabilities everyone is taken as risk neutral.
R_DEGENERATE = 1e-12


@dataclass(frozen=True)
class Settings:
    """Integer codes of the model variants, as in KTAB's enums (defaults = KTAB defaults)."""

    vote_rule: int = V_PROP
    victory_model: int = 0
    pce: int = 0
    big_r_range: int = R_MID
    big_r_adjust: int = RA_ONE_THIRD
    third_party: int = TP_SEMI
    interpolation: int = IB_S2P2
    bargain_model: int = BM_INIT_ONLY

    def codes(self) -> IntArray:
        """The codes as an ``int64`` array, in field order (the kernel's ``opts``)."""
        return np.array(
            [
                self.vote_rule,
                self.victory_model,
                self.pce,
                self.big_r_range,
                self.big_r_adjust,
                self.third_party,
                self.interpolation,
                self.bargain_model,
            ],
            dtype=np.int64,
        )


@dataclass(frozen=True)
class Schedule:
    """Perturbations as arrays: row ``q`` applies at the start of turn ``rounds[q]``.

    ``positions`` (0..1 scale), ``salience`` and ``clout`` hold NaN where unchanged.
    """

    rounds: IntArray
    positions: FloatArray
    salience: FloatArray
    clout: FloatArray

    @staticmethod
    def empty(n: int, m: int) -> Schedule:
        return Schedule(
            np.zeros(0, dtype=np.int64),
            np.zeros((0, n, m)),
            np.zeros((0, n, m)),
            np.zeros((0, n)),
        )


@dataclass
class Trace:
    """Everything one run produced (lists indexed by state or by turn)."""

    positions: list[FloatArray] = field(default_factory=list)  # per state, (n, m) 0..1
    risk: list[FloatArray] = field(default_factory=list)  # per state, (n,)
    p_actor: list[FloatArray] = field(default_factory=list)  # per state, split among twins
    p_ktab: list[FloatArray] = field(default_factory=list)  # per state, KTAB's posProb
    mean: list[FloatArray] = field(default_factory=list)  # per state, (m,)
    mode: list[FloatArray] = field(default_factory=list)  # per state, (m,)
    targets: list[IntArray] = field(default_factory=list)  # per turn, -1 = no challenge
    p_win: list[FloatArray] = field(default_factory=list)  # per turn
    gain: list[FloatArray] = field(default_factory=list)  # per turn
    chosen: list[IntArray] = field(default_factory=list)  # per turn: initiator of bargain
    ratio: list[float] = field(default_factory=list)  # per turn: movement / first movement
    converged: bool = False
    failed: bool = False  # a Markov election did not settle


# ---------------------------------------------------------------------------------------
# Utilities and risk attitudes


def bs_util(d: FloatArray, r: FloatArray | float) -> FloatArray:
    """KTAB ``SMPModel::bsUtil``: :math:`(1 - d)(1 + d R)`; :math:`(1 - d)(1 + R)` past 1."""
    out: FloatArray = np.where(d <= 1.0, (1.0 - d) * (1.0 + d * r), (1.0 - d) * (1.0 + r))
    return out


def sq_norms(s: FloatArray) -> FloatArray:
    """:math:`\\sum_k s_{ik}^2` per actor, summed over issues in order."""
    return seq_sum(0.0, s * s, axis=1)


def distances(x: FloatArray, s: FloatArray, ssq: FloatArray) -> FloatArray:
    """``d[i, j]``: salience-weighted distance from i's position to j's (``bvDiff``)."""
    n, m = x.shape
    ds = np.zeros((n, n))
    for k in range(m):
        t = (x[:, None, k] - x[None, :, k]) * s[:, None, k]
        ds = ds + t * t
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(ds / ssq[:, None])
    d[ssq == 0.0, :] = 0.0  # an actor with no salience is indifferent (KTAB asserts)
    out: FloatArray = d
    return out


def point_distances(x: FloatArray, s: FloatArray, ssq: FloatArray, y: FloatArray) -> FloatArray:
    """Distance from every actor's position to the point ``y`` (``bvDiff`` of x_a - y)."""
    ds = np.zeros(x.shape[0])
    for k in range(x.shape[1]):
        t = (x[:, k] - y[k]) * s[:, k]
        ds = ds + t * t
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(ds / ssq)
    d[ssq == 0.0] = 0.0
    out: FloatArray = d
    return out


def est_risk(rh: FloatArray | float, ri: FloatArray | float, ra: int) -> FloatArray:
    """KTAB ``Model::estNRA``: h's estimate of i's risk attitude."""
    h = np.asarray(rh, dtype=np.float64)
    i = np.asarray(ri, dtype=np.float64)
    if ra == RA_FULL:
        out: FloatArray = i + 0.0 * h
    elif ra == RA_TWO_THIRDS:
        out = (h + (2.0 * i)) / 3.0
    elif ra == RA_HALF:
        out = (h + i) / 2
    elif ra == RA_ONE_THIRD:
        out = ((2.0 * h) + i) / 3.0
    else:
        out = h + 0.0 * i
    return out


def big_r(p: FloatArray, rr: int) -> FloatArray:
    """KTAB ``Model::bigRfromProb``: likely winners risk averse (high R), likely losers not."""
    p_min = min(1.0, float(p.min()))
    p_max = max(0.0, float(p.max()))
    if not p_max - p_min > R_DEGENERATE:  # KTAB divides 0 by 0 here
        return np.zeros_like(p)
    if rr == R_MIN:
        out = (p - p_min) / (p_max - p_min)
    elif rr == R_MID:
        out = (3 * p - (p_max + 2 * p_min)) / (2 * (p_max - p_min))
    else:
        out = (2 * p - (p_max + p_min)) / (p_max - p_min)
    return np.asarray(out, dtype=np.float64)


def unique_positions(x: FloatArray) -> tuple[IntArray, IntArray, IntArray]:
    """KTAB ``ueIndices`` with ``equivNdx``: representatives, class of each actor, posProb.

    Returns ``(uniq, cls, last)``: the first actor of each class, the class of each actor
    (first representative it is within :data:`POS_TOL` of) and the *last* such class
    (KTAB's ``State::posProb``, which differs only when closeness is not transitive).
    """
    n = x.shape[0]
    diff = x[:, None, :] - x[None, :, :]
    close = np.sqrt(seq_sum(0.0, diff * diff, axis=2)) < POS_TOL
    uniq: list[int] = []
    cls = np.zeros(n, dtype=np.int64)
    for i in range(n):
        for c, u in enumerate(uniq):
            if close[i, u]:
                cls[i] = c
                break
        else:
            uniq.append(i)
            cls[i] = len(uniq) - 1
    u_arr = np.array(uniq, dtype=np.int64)
    last = np.array([int(np.nonzero(close[i, u_arr])[0][-1]) for i in range(n)], dtype=np.int64)
    return u_arr, cls, last


@dataclass
class Assessment:
    """A state's distances, risk attitudes, own utilities and reported election."""

    d: FloatArray
    risk: FloatArray
    u_own: FloatArray
    p_unique: FloatArray
    uniq: IntArray
    cls: IntArray
    last: IntArray
    ok: bool


def assess(
    x: FloatArray, s: FloatArray, ssq: FloatArray, c: FloatArray, st: Settings
) -> Assessment:
    """Risk attitudes from the risk-neutral election over all actors' positions
    (``setAllAUtil``), then the reported election over unique positions (``pDist(-1)``)."""
    d = distances(x, s, ssq)
    p_rn, ok1 = election(st.vote_rule, st.victory_model, st.pce, c, bs_util(d, 0.0))
    risk = big_r(p_rn, st.big_r_range)
    u_own = bs_util(d, est_risk(risk, risk, st.big_r_adjust)[:, None])
    uniq, cls, last = unique_positions(x)
    # KTAB's pDist hard-codes the proportional rule for this election
    p_u, ok2 = election(V_PROP, st.victory_model, st.pce, c, u_own[:, uniq])
    return Assessment(d, risk, u_own, p_u, uniq, cls, last, ok1 and ok2)


# ---------------------------------------------------------------------------------------
# Challenges


def prob_edu(
    a_h: FloatArray,
    k: int,
    i: int,
    js: IntArray,
    ssum: FloatArray,
    c: FloatArray,
    st: Settings,
) -> tuple[FloatArray, FloatArray]:
    """KTAB ``probEduChlg(h, k, i, j)`` for every ``j`` in ``js`` at once.

    ``a_h`` is h's estimate of the utility matrix. Returns h's estimate of the probability
    that i beats j and of k's expected gain from i challenging j (versus the status quo).
    """
    vr = st.vote_rule
    n = a_h.shape[0]
    uii, uij = a_h[i, i], a_h[i, js]
    uji, ujj = a_h[js, i], a_h[js, js]
    eu_sq = a_h[k, i] + a_h[k, js]
    u_hkij = a_h[k, i] + a_h[k, i]
    u_hkji = a_h[k, js] + a_h[k, js]
    si, sj = ssum[i], ssum[js]
    con_i = vote(vr, si * c[i], np.full(js.shape, uii), uij)
    con_j = vote(vr, sj * c[js], uji, ujj)
    chij = np.full(js.shape, MIN_CHALLENGE)
    chji = np.full(js.shape, MIN_CHALLENGE)
    chij = np.where(con_i > 0.0, chij + con_i, chij)
    chji = np.where(con_i < 0.0, chji - con_i, chji)
    chij = np.where(con_j > 0.0, chij + con_j, chij)
    chji = np.where(con_j < 0.0, chji - con_j, chji)
    c_i, c_j = chij[:, None], chji[:, None]
    # third parties x (columns), each in a "little coalition" with the two principals
    xs = np.arange(n)
    wn = (ssum * c)[None, :]
    uni = a_h[:, i][None, :]
    unj = a_h[xs[None, :], js[:, None]]
    unn = np.diagonal(a_h)[None, :]
    v = vote(vr, wn, np.broadcast_to(uni, unj.shape), unj)
    cni = np.where(v > 0.0, c_i + v, c_i)
    cnj = np.where(v < 0.0, c_j - v, c_j)
    pin = cni / (cni + cnj)
    pjn = 1.0 - pin
    if st.third_party == TP_FULL:
        u_ik_def_j, u_j_def_ik = uni + uni + uni, unj + unj + unj
        u_i_def_jk, u_jk_def_i = uni + uni + uni, unj + unj + unj
    elif st.third_party == TP_SEMI:
        u_ik_def_j, u_j_def_ik = uni + uni + unn, unj + unj + unj
        u_i_def_jk, u_jk_def_i = uni + uni + uni, unj + unj + unn
    else:
        u_ik_def_j, u_j_def_ik = uni + uni + unn, unj + unj + unn
        u_i_def_jk, u_jk_def_i = uni + uni + unn, unj + unj + unn
    u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik)
    u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i)
    vk = vote(vr, wn, u_ik_j, u_i_jk)
    third = (xs[None, :] != i) & (xs[None, :] != js[:, None])
    chij = seq_sum(chij, np.where(third & (vk > 0.0), vk, 0.0), axis=1)
    chji = seq_sum(chji, np.where(third & (vk < 0.0), -vk, 0.0), axis=1)
    phij = chij / (chij + chji)
    phji = chji / (chij + chji)
    eu_cntst = phij * u_hkij + phji * u_hkji
    eu_chlg = (1 - sj) * u_hkij + sj * eu_cntst
    return phij, eu_chlg - eu_sq


def round4(x: FloatArray) -> FloatArray:
    """KTAB's ``round4``: ``(int)(0.5 + 10000 x) / 10000`` (positions are >= 0)."""
    out: FloatArray = np.trunc(0.5 + (x * 10000.0)) / 10000.0
    return out


def interpolate(
    ivb: int,
    ti: FloatArray,
    si: FloatArray,
    pi: float,
    tj: FloatArray,
    sj: FloatArray,
    pj: float,
) -> tuple[FloatArray, FloatArray]:
    """KTAB ``interpolateBrgn``: the positions that i and j adopt in i's bargain with j."""
    if ivb == IB_S2PMAX:
        di = (pj - pi) if pj > pi else 0.0
        dj = (pi - pj) if pi > pj else 0.0
        si2, sj2 = si * si, sj * sj
        dik = (di * sj2) / ((di * sj2) + MIN_W + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + MIN_W + ((1 - dj) * sj2))
        return ti + dik * (tj - ti), tj + djk * (ti - tj)
    if ivb == IB_S1P1:
        wik, wjk = si * pi, sj * pj
    else:
        wik, wjk = (si * si) * (pi * pi), (sj * sj) * (pj * pj)
    bi = round4(((wik + MIN_W) * ti + wjk * tj) / (wik + MIN_W + wjk))
    bj = round4((wik * ti + (MIN_W + wjk) * tj) / (wik + MIN_W + wjk))
    return bi, bj


@dataclass
class Bargain:
    init: int
    rcvr: int
    pos_init: FloatArray
    pos_rcvr: FloatArray


def step(
    x: FloatArray,
    s: FloatArray,
    ssq: FloatArray,
    ssum: FloatArray,
    c: FloatArray,
    a: Assessment,
    st: Settings,
) -> tuple[FloatArray, IntArray, FloatArray, FloatArray, IntArray, bool]:
    """One turn (``doBCN``): challenges, bargains, and each actor's choice among its bargains.

    Returns the new positions, each actor's target (-1: none), its estimated win
    probability and expected gain, the initiator of the bargain each actor adopted (-1:
    status quo), and whether every Markov election settled.
    """
    n, _ = x.shape
    risk, ra = a.risk, st.big_r_adjust
    bargains = [Bargain(i, i, x[i], x[i]) for i in range(n)]
    queues: list[list[int]] = [[i] for i in range(n)]
    targets = np.full(n, -1, dtype=np.int64)
    p_win = np.zeros(n)
    gains = np.zeros(n)
    ok = a.ok
    for i in range(n):
        a_i = bs_util(a.d, est_risk(risk[i], risk, ra)[:, None])  # aUtil[i]
        js = np.array([j for j in range(n) if j != i], dtype=np.int64)
        if js.size == 0:
            continue
        p_ij, edu = prob_edu(a_i, i, i, js, ssum, c, st)
        cand = np.where(edu > MIN_SIG_EDU, edu, -np.inf)
        best = int(np.argmax(cand))
        if not cand[best] > 0.0:
            continue
        j, p = int(js[best]), float(p_ij[best])
        targets[i], p_win[i], gains[i] = j, p, float(edu[best])
        bi, bj = interpolate(st.interpolation, x[i], s[i], p, x[j], s[j], 1 - p)
        own = Bargain(i, j, bi, bj)
        if st.bargain_model == BM_INIT_ONLY:
            new = [own]
        else:
            a_j = bs_util(a.d, est_risk(risk[j], risk, ra)[:, None])  # aUtil[j]
            # j's estimate of the probability that i wins (KTAB passes j's expected gain)
            pj_i = float(prob_edu(a_j, i, i, np.array([j]), ssum, c, st)[0][0])
            ci, cj = interpolate(st.interpolation, x[i], s[i], pj_i, x[j], s[j], 1 - pj_i)
            if st.bargain_model == BM_INIT_RCVR:
                new = [own, Bargain(i, j, ci, cj)]
            else:  # power-weighted compromise; KTAB weights j's view with i's capability
                wi, wj = c[i] * ssum[i], c[j] * ssum[j]
                new = [
                    Bargain(i, j, (wi * bi + wj * ci) / (wi + wj), (wi * bj + wj * cj) / (wi + wj))
                ]
        for b in new:
            bargains.append(b)
            queues[i].append(len(bargains) - 1)
            queues[j].append(len(bargains) - 1)
    # utility to every actor of the state after each bargain (brgnUtil), averaged over actors
    sq_u = seq_sum(0.0, a.u_own, axis=1) / n
    b_util: dict[int, FloatArray] = {}
    for q in {b for qu in queues for b in qu}:
        b = bargains[q]
        if b.init == b.rcvr:
            b_util[q] = sq_u
            continue
        u_i = bs_util(point_distances(x, s, ssq, b.pos_init), risk)
        u_r = bs_util(point_distances(x, s, ssq, b.pos_rcvr), risk)
        others = np.ones(n, dtype=bool)
        others[[b.init, b.rcvr]] = False
        terms = np.where(others[None, :], a.u_own, 0.0)
        b_util[q] = seq_sum((0.0 + u_i) + u_r, terms, axis=1) / n
    new_x = x.copy()
    chosen = np.full(n, -1, dtype=np.int64)
    for k in range(n):
        u = np.stack([b_util[q] for q in queues[k]], axis=1)
        p_b, ok_k = election(st.vote_rule, st.victory_model, st.pce, c, u)
        ok = ok and ok_k
        b = bargains[queues[k][int(np.argmax(p_b))]]
        if b.init != b.rcvr:
            new_x[k] = b.pos_init if b.init == k else b.pos_rcvr
            chosen[k] = b.init
    return new_x, targets, p_win, gains, chosen, ok


# ---------------------------------------------------------------------------------------
# The run


def state_distance(x0: FloatArray, x1: FloatArray) -> float:
    """KTAB ``SMPModel::stateDist``: sum over actors of the Euclidean movement."""
    diff = x1 - x0
    return float(seq_sum(0.0, np.sqrt(seq_sum(0.0, diff * diff, axis=1))))


def _apply(sched: Schedule, q: int, x: FloatArray, s: FloatArray, c: FloatArray) -> None:
    px, ps, pc = sched.positions[q], sched.salience[q], sched.clout[q]
    x[...] = np.where(np.isnan(px), x, px)
    s[...] = np.where(np.isnan(ps), s, ps)
    c[...] = np.where(np.isnan(pc), c, pc)


def _report(tr: Trace, x: FloatArray, a: Assessment) -> None:
    counts = np.bincount(a.cls, minlength=a.uniq.size)
    tr.positions.append(x.copy())
    tr.risk.append(a.risk)
    tr.p_actor.append(a.p_unique[a.cls] / counts[a.cls])
    tr.p_ktab.append(a.p_unique[a.last])
    tr.mean.append(seq_sum(0.0, a.p_unique[:, None] * x[a.uniq], axis=0))
    tr.mode.append(x[a.uniq[int(np.argmax(a.p_unique))]].copy())


def run(
    x0: FloatArray,
    s0: FloatArray,
    c0: FloatArray,
    st: Settings,
    *,
    max_turns: int,
    min_turns: int,
    tol: float,
    sched: Schedule,
) -> Trace:
    """Run the model from positions ``x0`` (0..1) until the stop rule holds.

    An actor's saliences are rescaled to sum to one when they sum to more (again after
    every salience perturbation); KTAB's reader rejects such input.
    """
    x, s, c = x0.copy(), s0.copy(), c0.copy()
    tr = Trace()
    last_round = int(sched.rounds.max()) if sched.rounds.size else 0

    def derived(s: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        tot = seq_sum(0.0, s, axis=1)
        # divide only the rows that need it: a row of zero saliences would warn 0/0
        s = np.divide(s, tot[:, None], out=s.copy(), where=tot[:, None] > 1.0)
        return s, sq_norms(s), seq_sum(0.0, s, axis=1)

    sw, ssq, ssum = derived(s)
    a = assess(x, sw, ssq, c, st)
    _report(tr, x, a)
    first = 0.0
    for turn in range(1, max_turns + 1):
        hits = np.nonzero(sched.rounds == turn)[0]
        if hits.size:
            for q in hits:
                _apply(sched, int(q), x, s, c)
            sw, ssq, ssum = derived(s)
            a = assess(x, sw, ssq, c, st)
        new_x, targets, p_win, gains, chosen, ok = step(x, sw, ssq, ssum, c, a, st)
        tr.failed = tr.failed or not ok
        moved = state_distance(x, new_x)
        if turn == 1:
            first = moved + MIN_SIG_DELTA
        ratio = moved / first
        x = new_x
        a = assess(x, sw, ssq, c, st)
        tr.failed = tr.failed or not a.ok
        _report(tr, x, a)
        tr.targets.append(targets)
        tr.p_win.append(p_win)
        tr.gain.append(gains)
        tr.chosen.append(chosen)
        tr.ratio.append(ratio)
        if min_turns <= turn and ratio < tol and turn >= last_round:
            tr.converged = True
            break
    return tr
