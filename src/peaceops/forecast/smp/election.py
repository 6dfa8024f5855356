r"""Probabilistic Condorcet elections, as in KTAB's spatial model of politics.

Voters :math:`k` with weights :math:`w_k` and utilities :math:`u_{ka}` for options :math:`a`
vote on every pair of options; the coalition for :math:`a` against :math:`b` is the sum of
the positive votes, and the victory probability comes from the two coalition strengths.
The election then says how likely each option is to be the outcome: by default the
*conditional* model, the probability that :math:`a` beats every other option given that
some option does (Wise, Lester and Efird; KTAB ``Model::condPCE``).

This module holds the public :func:`condorcet_election` and the numpy building blocks that
the KTAB-literal reference implementation (:mod:`peaceops.forecast.smp.reference`) uses;
:mod:`peaceops.forecast.smp._kernel` has compiled twins of the same formulas. Every
reduction runs in KTAB's order (sequential sums and products over voters and options), so
the two implementations agree to the last bit and both reproduce KTAB's reference log.
"""

from __future__ import annotations

import numpy as np

from peaceops.errors import ConvergenceError, Problem, ScenarioError
from peaceops.forecast._core import FloatArray

__all__ = ["condorcet_election"]

#: Voting rules ``f`` in :math:`v_k(a:b) = w_k f(u_{ka} - u_{kb})` (KTAB ``VotingRule``).
VOTE_RULES: dict[str, int] = {
    "binary": 0,
    "prop_bin": 1,
    "proportional": 2,
    "prop_cubic": 3,
    "cubic": 4,
    "asym_prospect": 5,
}
#: Victory probability from coalition strengths (KTAB ``VPModel``).
VICTORY_MODELS: dict[str, int] = {"linear": 0, "square": 1, "quartic": 2, "octic": 3, "binary": 4}
#: Probabilistic Condorcet election models (KTAB ``PCEModel``).
PCE_MODELS: dict[str, int] = {"conditional": 0, "markov_incentive": 1, "markov_uniform": 2}

# Integer codes used below (and in the compiled kernel).
V_BINARY, V_PROP_BIN, V_PROP, V_PROP_CUBIC, V_CUBIC, V_ASYM = range(6)
VP_LINEAR, VP_SQUARE, VP_QUARTIC, VP_OCTIC, VP_BINARY = range(5)
PCE_CONDITIONAL, PCE_MARKOV_INCENTIVE, PCE_MARKOV_UNIFORM = range(3)

#: Coalition strength before any vote (KTAB ``Model::coalitions``).
MIN_COALITION = 1e-8
#: Below this largest product the conditional election is evaluated with logarithms.
PRODUCT_UNDERFLOW = 1e-250
#: Iteration cap of the Markov elections (KTAB loops without a cap).
MARKOV_MAX_ITER = 100_000


def condorcet_election(
    utilities: FloatArray,
    weights: FloatArray,
    *,
    vote_rule: str = "proportional",
    victory_model: str = "linear",
    pce: str = "conditional",
) -> FloatArray:
    r"""Probability that each option wins a probabilistic Condorcet election.

    Voter :math:`k` gives option :math:`a` over :math:`b` the vote
    :math:`v_k(a:b) = w_k\, f(u_{ka} - u_{kb})`; coalition strengths and victory
    probabilities (linear model) are

    .. math::

        C(a:b) = 10^{-8} + \sum_k \max(0, v_k(a:b)), \qquad
        V(a, b) = \frac{C(a:b)}{C(a:b) + C(b:a)}, \qquad V(a, a) = \tfrac12,

    and the conditional election gives

    .. math::

        P(a) = \frac{\prod_b V(a, b)}{\sum_{a'} \prod_b V(a', b)},

    the probability that :math:`a` beats every other option in independent pairwise
    contests, given that one option does.

    Parameters
    ----------
    utilities
        ``(n_voters, n_options)``: utility to each voter of each option.
    weights
        ``(n_voters,)`` voting weights (capabilities), finite and >= 0.
    vote_rule
        ``f``: ``"proportional"`` (:math:`f(d) = d`, default), ``"binary"`` (sign, with a
        linear ramp over :math:`|d| < 10^{-8}`), ``"prop_bin"`` (0.8 proportional + 0.2
        binary), ``"prop_cubic"`` (:math:`d/2 + d^3/2`), ``"cubic"`` (:math:`d^3`) or
        ``"asym_prospect"`` (gains count 2/3).
    victory_model
        ``"linear"`` (default), ``"square"``, ``"quartic"``, ``"octic"`` (the coalition
        strengths raised to that power before normalising) or ``"binary"`` (certain
        victory with a 10 % advantage, linear in between).
    pce
        ``"conditional"`` (default), ``"markov_uniform"`` (stationary distribution of a
        process in which a uniformly chosen option challenges the current winner) or
        ``"markov_incentive"`` (challenges in proportion to coalition strength times
        victory probability).

    Returns
    -------
    numpy.ndarray
        ``(n_options,)`` probabilities summing to one.

    Raises
    ------
    ScenarioError
        If the shapes disagree, a value is not finite, a weight is negative or an option
        name is unknown.
    ConvergenceError
        If a Markov election does not settle within 100 000 iterations.

    See Also
    --------
    peaceops.forecast.smp.smp_forecast : the spatial model that runs these elections.

    Notes
    -----
    Identical options are allowed: each gets :math:`V = 1/2` against its twin (both
    coalitions are :math:`10^{-8}`), as in KTAB. The conditional products are evaluated in
    KTAB's order; when the largest product falls below :math:`10^{-250}` (hundreds of
    options), they are evaluated with logarithms instead, where KTAB would divide zero by
    zero. With the asymmetric rule KTAB derives both coalitions of a pair from the votes
    for the option listed later, :math:`C(b:a) = 10^{-8} + \sum_k \max(0, -v_k(a:b))`, and
    so does this function.

    References
    ----------
    .. [1] Wise, B. P., Lester, S. and Efird, B. (2015-2017). KTAB: KAPSARC Toolkit for
       Behavioral Analysis, C++ source (MIT licence), ``kmodel/libsrc/kmodel.cpp``
       (``Model::vote``, ``coalitions``, ``vProb``, ``condPCE``, ``markovUniformPCE``,
       ``markovIncentivePCE``). https://github.com/KAPSARC/KTAB
    .. [2] Efird, B., Lester, S. and Wise, B. P. (2016). *The Spatial Model of Politics:
       Specification, Estimation and Application*. KAPSARC discussion paper
       KS-1655-DP049A, Riyadh.

    Examples
    --------
    Two voters, two options; the heavier voter's favourite is more likely:

    >>> import numpy as np
    >>> u = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> p = condorcet_election(u, np.array([3.0, 1.0]))
    >>> [round(float(x), 6) for x in p]  # C(0:1) = 3, C(1:0) = 1
    [0.75, 0.25]
    """
    u = np.asarray(utilities, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    problems: list[Problem] = []
    if u.ndim != 2 or u.shape[1] < 1:
        problems.append(_problem("utilities", f"must be (n_voters, n_options); got {u.shape!r}"))
    elif w.shape != (u.shape[0],):
        problems.append(_problem("weights", f"must be ({u.shape[0]},); got {w.shape!r}"))
    if u.size and not np.isfinite(u).all():
        problems.append(_problem("utilities", "must be finite"))
    if w.size and not (np.isfinite(w).all() and (w >= 0.0).all()):
        problems.append(_problem("weights", "must be finite and >= 0"))
    codes = []
    for name, value, table in (
        ("vote_rule", vote_rule, VOTE_RULES),
        ("victory_model", victory_model, VICTORY_MODELS),
        ("pce", pce, PCE_MODELS),
    ):
        if value not in table:
            problems.append(_problem(name, f"must be one of {sorted(table)}; got {value!r}"))
        else:
            codes.append(table[value])
    if problems:
        raise ScenarioError(problems)
    rule, vpm, pcem = codes
    p, ok = election(rule, vpm, pcem, w, u)
    if not ok:
        raise ConvergenceError(
            "Markov election did not settle", iterations=MARKOV_MAX_ITER, tolerance=1e-6
        )
    return p


def _problem(path: str, message: str) -> Problem:
    return Problem("<condorcet_election>", None, path, message)


# ---------------------------------------------------------------------------------------
# Building blocks (numpy, vectorised over pairs; reductions in KTAB's sequential order).


def seq_sum(start: float | FloatArray, terms: FloatArray, axis: int = 0) -> FloatArray:
    """``start + terms[0] + terms[1] + ...`` along ``axis``, added strictly left to right.

    ``numpy.add.accumulate`` is sequential (unlike ``numpy.sum``, which adds pairwise), so
    the result matches a C++ loop bit for bit.
    """
    t = np.moveaxis(np.asarray(terms, dtype=np.float64), axis, 0)
    first = np.broadcast_to(np.asarray(start, dtype=np.float64), t.shape[1:])[None]
    acc: FloatArray = np.add.accumulate(np.concatenate([first, t]), axis=0)[-1]
    return acc


def vote(rule: int, w: FloatArray | float, u1: FloatArray, u2: FloatArray) -> FloatArray:
    """KTAB ``Model::vote``: the vote of a voter of weight ``w`` for ``u1`` over ``u2``."""
    du = np.asarray(u1 - u2, dtype=np.float64)
    if rule == V_PROP:
        out: FloatArray = w * du
        return out
    r_bin = np.clip(du / 1e-8, -1.0, 1.0)
    if rule == V_BINARY:
        out = w * r_bin
    elif rule == V_PROP_BIN:
        out = w * ((1 - 0.2) * du + 0.2 * r_bin)
    elif rule == V_PROP_CUBIC:
        out = w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    elif rule == V_CUBIC:
        out = w * (du * du * du)
    else:  # V_ASYM: gains count two thirds
        out = np.where(du < 0.0, w * du, np.where(du > 0.0, (2.0 * w * du) / 3.0, 0.0))
    return np.asarray(out, dtype=np.float64)


def coalitions(rule: int, w: FloatArray, u: FloatArray) -> FloatArray:
    """``c[a, b]``: strength of the coalition for option ``a`` against ``b``.

    ``u`` is ``(n_voters, n_options)``. As in KTAB, the votes for the later option of each
    pair (``a > b``) define both coalitions of the pair; the diagonal is the minimum.
    """
    n_opt = u.shape[1]
    c = np.full((n_opt, n_opt), MIN_COALITION)
    if n_opt < 2:
        return c
    ia, ib = np.tril_indices(n_opt, -1)
    v = vote(rule, w[:, None], u[:, ia], u[:, ib])  # (n_voters, n_pairs)
    c[ia, ib] = seq_sum(MIN_COALITION, np.where(v > 0.0, v, 0.0))
    c[ib, ia] = seq_sum(MIN_COALITION, np.where(v < 0.0, -v, 0.0))
    return c


def victory_pair(vpm: int, s1: FloatArray, s2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """KTAB ``Model::vProb`` for coalition strengths ``s1`` against ``s2``."""
    if vpm == VP_LINEAR:
        x1, x2 = s1, s2
    elif vpm == VP_SQUARE:
        x1, x2 = s1 * s1, s2 * s2
    elif vpm == VP_QUARTIC:
        x1, x2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
    elif vpm == VP_OCTIC:
        q1, q2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
        x1, x2 = q1 * q1, q2 * q2
    else:  # VP_BINARY: certain with a 10 % advantage, linear in between
        thresh = 1.10
        r12 = s1 / (s1 + s2)
        p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
        win1 = s1 >= thresh * s2
        win2 = ~win1 & (s2 >= thresh * s1)
        x1 = np.where(win1, 1.0, np.where(win2, 1e-6, p12))
        x2 = np.where(win1, 1e-6, np.where(win2, 1.0, 1 - p12))
    return x1 / (x1 + x2), x2 / (x1 + x2)


def victory_matrix(vpm: int, c: FloatArray) -> FloatArray:
    """``p[a, b]``: probability that option ``a`` defeats ``b``; 1/2 on the diagonal."""
    n_opt = c.shape[0]
    p = np.full((n_opt, n_opt), 0.5)
    if n_opt > 1:
        ia, ib = np.tril_indices(n_opt, -1)
        p[ia, ib], p[ib, ia] = victory_pair(vpm, c[ia, ib], c[ib, ia])
    return p


def conditional_pce(pv: FloatArray) -> FloatArray:
    """KTAB ``Model::condPCE``: products of victory probabilities, normalised."""
    prod: FloatArray = np.multiply.accumulate(pv, axis=1)[:, -1]
    if prod.max() < PRODUCT_UNDERFLOW:  # hundreds of options: use logarithms
        logs = seq_sum(0.0, np.log(pv), axis=1)
        prod = np.exp(logs - logs.max())
    total = float(seq_sum(0.0, prod))
    out: FloatArray = prod / total
    return out


def markov_uniform_pce(pv: FloatArray) -> tuple[FloatArray, bool]:
    """KTAB ``Model::markovUniformPCE`` (tolerance 1e-6, damped by halves)."""
    n_opt = pv.shape[0]
    p = np.full(n_opt, 1.0 / n_opt)
    for _ in range(MARKOV_MAX_ITER):
        q = seq_sum(0.0, pv * (p[:, None] + p[None, :]), axis=1) / n_opt
        change = float(np.abs(q - p).max())
        p = (p + q) / 2.0
        if not change > 1e-6:
            return p, True
    return p, False


def markov_incentive_pce(c: FloatArray, pv: FloatArray) -> tuple[FloatArray, bool]:
    """KTAB ``Model::markovIncentivePCE`` (tolerance 1e-8, damped by halves)."""
    n_opt = c.shape[0]
    inc = c * pv + np.eye(n_opt) * 1e-10
    chlg = inc / seq_sum(0.0, inc, axis=0)[None, :]  # chlg[a, b] = P(a challenges b)
    p = np.full(n_opt, 1.0 / n_opt)
    for _ in range(MARKOV_MAX_ITER):
        ct = p[:, None] * chlg.T  # ct[a, b] = p[a] * chlg[b, a]
        q = seq_sum(0.0, pv * (ct + ct.T), axis=1)
        change = float(np.abs(q - p).max())
        p = (p + q) / 2.0
        if not change > 1e-8:
            return p, True
    return p, False


def election(
    rule: int, vpm: int, pcem: int, w: FloatArray, u: FloatArray
) -> tuple[FloatArray, bool]:
    """KTAB ``Model::scalarPCE``: option probabilities and whether a Markov model settled."""
    c = coalitions(rule, w, u)
    pv = victory_matrix(vpm, c)
    if pcem == PCE_CONDITIONAL:
        return conditional_pce(pv), True
    if pcem == PCE_MARKOV_UNIFORM:
        return markov_uniform_pce(pv)
    return markov_incentive_pce(c, pv)
