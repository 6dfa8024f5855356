r"""Exchange model of policy networks (Stokman and Van Oosten 1994): vote trading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from peaceops.errors import OptionError
from peaceops.forecast._core import (
    FloatArray,
    ForecastResult,
    NegotiationInput,
    Perturbation,
    apply_perturbation,
    check_input,
    check_perturbations,
    weights,
)
from peaceops.forecast.nash import _nash_issue

__all__ = ["exchange_forecast"]

Outcome = Literal["compromise", "nash"]

#: Exchanges whose gain (salience x outcome shift) is below this are not worth making.
_MIN_GAIN = 1e-9


def exchange_forecast(
    data: NegotiationInput,
    *,
    rounds: int = 10,
    outcome: Outcome = "compromise",
    perturbations: Sequence[Perturbation] = (),
) -> ForecastResult:
    r"""Forecast by rounds of mutually profitable exchanges of voting positions.

    Actors keep their policy (ideal) positions :math:`x^*_{ie}` and trade *voting*
    positions :math:`v_{ie}` (initially the ideal ones). The expected outcome of issue
    :math:`e` is the compromise over the voting positions,
    :math:`O_e = \sum_i w_{ie} v_{ie} / W_e`, :math:`w_{ie} = c_i s_{ie}`, so an actor's
    voting shift :math:`\delta` moves it by :math:`p_{ie}\delta`, :math:`p_{ie} = w_{ie}/W_e`.
    Utilities are linear: :math:`U_i = -\sum_e s_{ie} |O_e - x^*_{ie}|`.

    Actors :math:`i` and :math:`j` can exchange on issues :math:`e` and :math:`f` when their
    ideal positions lie on opposite sides of :math:`O_e` and of :math:`O_f` and
    :math:`s_{ie}/s_{if} > s_{je}/s_{jf}`: :math:`j` shifts its vote on :math:`e` towards
    :math:`i`'s side, moving :math:`O_e` by :math:`a`, and :math:`i` its vote on :math:`f`
    towards :math:`j`'s side, moving :math:`O_f` by :math:`b`. Both gain,

    .. math::

        G_i = s_{ie} a - s_{if} b,\qquad G_j = s_{jf} b - s_{je} a,

    and the exchange rate that splits the gain equally is
    :math:`b/a = (s_{ie} + s_{je})/(s_{if} + s_{jf})`, which gives
    :math:`G_i = G_j = a\,(s_{ie}s_{jf} - s_{je}s_{if})/(s_{if} + s_{jf})`. The exchange is as
    large as possible until a shifting actor reaches the expected outcome or the outcome
    reaches the ideal position of the actor it moves towards:
    :math:`a \le p_{je} |O_e - v_{je}|,\ a \le |x^*_{ie} - O_e|` and likewise for :math:`b`.

    Parameters
    ----------
    data
        Positions, salience, clout; the status quo is used only by ``outcome="nash"``.
    rounds
        Rounds of exchanges (the model stops changing once no exchange is profitable).
    outcome
        ``"compromise"`` (the expected outcome above, as in Stokman and Van Oosten) or
        ``"nash"`` (the Nash bargaining solution over the voting positions, see
        :func:`~peaceops.forecast.nash.nash_forecast`) for the reported trajectory.
    perturbations
        Applied at the start of their round; a new position replaces both the ideal and
        the voting position. Perturbations after the last round have no effect.

    Returns
    -------
    ForecastResult
        ``model="exchange"``; ``trajectory`` ``(rounds + 1, m)`` with row 0 on the initial
        positions, ``positions`` the voting positions per round. ``details``:
        ``n_exchanges`` (realised, all rounds), ``last_exchange_round`` (0 when none).

    Raises
    ------
    ScenarioError
        If a value of ``data`` or of a perturbation is out of range.
    OptionError (a ScenarioError, so also a ValueError)
        If ``rounds < 0``, ``outcome`` is unknown, or a perturbation is malformed.

    See Also
    --------
    peaceops.forecast.compromise.compromise_forecast : the outcome with no exchange.

    Notes
    -----
    Choices (the papers leave the order of exchanges open):

    - Every feasible exchange is evaluated on the positions at the start of the round and
      they are realised in order of decreasing gain; an actor takes part in at most one
      exchange per issue per round (an exchange locks both actors on both issues), so
      each voting position changes at most once a round. Ties go to the lower
      ``(i, j, e, f)`` indices. Exchanges gaining less than 1e-9 are not made.
    - Each pair of actors and pair of issues is one candidate (``i < j``; ``i`` is the
      actor relatively more interested in ``e``). Only actors with a stance on both
      issues can trade them; zero weight on an issue (no salience) means no shift.
    - Weights fall back to clout on an issue where every stance-holder has zero salience.

    Cost per round :math:`O(n^2 m^2)` candidate evaluations (vectorised) plus a sort.

    References
    ----------
    .. [1] Stokman, F. N. and Van Oosten, R. (1994). The exchange of voting positions: an
       object-oriented model of policy networks. In B. Bueno de Mesquita and F. N. Stokman
       (eds.), *European Community Decision Making: Models, Applications, and
       Comparisons*, pp. 105-127. Yale University Press.
    .. [2] Stokman, F. N. and Thomson, R. (2004). Winners and losers in the European Union.
       *European Union Politics* 5(1), 5-23. doi:10.1177/1465116504040443
    .. [3] Arregui, J., Stokman, F. N. and Thomson, R. (2006). Compromise, exchange and
       challenge in the European Union. In R. Thomson et al. (eds.), *The European Union
       Decides*, pp. 124-152. Cambridge University Press.
       doi:10.1017/CBO9780511492082.006

    Examples
    --------
    ``a`` cares about ``e``, ``b`` about ``f``; they trade votes and both outcomes move
    towards the actor who cares more:

    >>> import numpy as np
    >>> from peaceops.forecast import NegotiationInput
    >>> data = NegotiationInput(
    ...     actors=("a", "b"), issues=("e", "f"),
    ...     positions=np.array([[100.0, 0.0], [0.0, 100.0]]),
    ...     salience=np.array([[0.8, 0.2], [0.2, 0.8]]),
    ...     clout=np.ones(2), status_quo=np.full(2, np.nan))
    >>> result = exchange_forecast(data, rounds=1)
    >>> result.trajectory.round(2).tolist()
    [[80.0, 80.0], [96.0, 96.0]]
    """
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise OptionError("rounds", f"rounds must be an integer >= 0; got {rounds!r}")
    if outcome not in ("compromise", "nash"):
        raise OptionError("outcome", f"outcome must be 'compromise' or 'nash'; got {outcome!r}")
    check_input(data)
    pert = check_perturbations(perturbations, data.positions.shape)
    n, m = data.positions.shape
    ideal = data.positions.astype(np.float64, copy=True)
    vote = ideal.copy()
    sal = np.nan_to_num(data.salience).astype(np.float64, copy=True)
    clout = data.clout.astype(np.float64, copy=True)
    history = np.empty((rounds + 1, n, m))
    traj = np.empty((rounds + 1, m))
    n_exchanges = 0
    last_round = 0
    for rnd in range(rounds + 1):
        history[rnd] = vote
        traj[rnd] = _outcome(vote, sal, clout, data.status_quo, outcome)
        if rnd == rounds:
            break
        for p in pert.get(rnd + 1, ()):
            apply_perturbation(p, ideal, sal, clout)
            if p.positions is not None:
                np.copyto(vote, p.positions, where=~np.isnan(p.positions))
        made = _exchange_round(ideal, vote, sal, clout)
        if made:
            n_exchanges += made
            last_round = rnd + 1
    return ForecastResult(
        model="exchange",
        issues=data.issues,
        trajectory=traj,
        positions=history,
        details={"n_exchanges": float(n_exchanges), "last_exchange_round": float(last_round)},
    )


def _outcome(
    vote: FloatArray, sal: FloatArray, clout: FloatArray, sq: FloatArray, rule: Outcome
) -> FloatArray:
    w = weights(vote, sal, clout)[0]
    total = w.sum(axis=0)
    m = vote.shape[1]
    out = np.empty(m)
    for e in range(m):
        if not total[e] > 0:
            out[e] = sq[e]
        elif rule == "compromise":
            out[e] = float(np.sum(w[:, e] * np.nan_to_num(vote[:, e])) / total[e])
        else:
            has = w[:, e] > 0
            out[e] = _nash_issue(vote[has, e], w[has, e], float(sq[e]), "quadratic", "gainers")[0]
    return out


def _exchange_round(ideal: FloatArray, vote: FloatArray, sal: FloatArray, clout: FloatArray) -> int:
    """Realise one round of exchanges in place on ``vote``; return how many were made."""
    n, m = vote.shape
    if n < 2 or m < 2:
        return 0
    w = weights(vote, sal, clout)[0]
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, w / total, 0.0)  # p_ie
        expected = np.where(total > 0, (w * np.nan_to_num(vote)).sum(axis=0) / total, np.nan)
    side = np.nan_to_num(np.sign(ideal - expected))  # where each actor wants O_e to go
    own = np.nan_to_num(np.sign(vote - expected))
    room = np.where((own == side) & (side != 0), np.abs(expected - vote), 0.0)
    room = np.nan_to_num(room)
    to_ideal = np.nan_to_num(np.abs(ideal - expected))
    # candidates: i < j, i demands e (j shifts on e), j demands f (i shifts on f), e != f
    ii, jj = np.triu_indices(n, k=1)
    ee, ff = np.nonzero(~np.eye(m, dtype=bool))
    I = np.repeat(ii, ee.size)
    J = np.repeat(jj, ee.size)
    E = np.tile(ee, ii.size)
    F = np.tile(ff, ii.size)
    s_ie, s_if, s_je, s_jf = sal[I, E], sal[I, F], sal[J, E], sal[J, F]
    edge = s_ie * s_jf - s_je * s_if  # > 0: i relatively more interested in e
    ok = (
        (side[I, E] * side[J, E] < 0)
        & (side[I, F] * side[J, F] < 0)
        & (edge > 0)
        & (share[J, E] > 0)
        & (share[I, F] > 0)
        & (room[J, E] > 0)
        & (room[I, F] > 0)
    )
    if not ok.any():
        return 0
    I, J, E, F = I[ok], J[ok], E[ok], F[ok]
    s_ie, s_if, s_je, s_jf, edge = s_ie[ok], s_if[ok], s_je[ok], s_jf[ok], edge[ok]
    rate = (s_ie + s_je) / (s_if + s_jf)  # b / a
    a_max = np.minimum(share[J, E] * room[J, E], to_ideal[I, E])
    b_max = np.minimum(share[I, F] * room[I, F], to_ideal[J, F])
    a = np.minimum(a_max, b_max / rate)
    gain = a * edge / (s_if + s_jf)
    keep = gain > _MIN_GAIN
    if not keep.any():
        return 0
    I, J, E, F, a, rate, gain = I[keep], J[keep], E[keep], F[keep], a[keep], rate[keep], gain[keep]
    order = np.lexsort((F, E, J, I, -gain))  # highest gain first, then lowest indices
    locked = np.zeros((n, m), dtype=bool)
    shift = np.zeros((n, m))
    made = 0
    for k in order:
        i, j, e, f = int(I[k]), int(J[k]), int(E[k]), int(F[k])
        if locked[i, e] or locked[i, f] or locked[j, e] or locked[j, f]:
            continue
        locked[i, e] = locked[i, f] = locked[j, e] = locked[j, f] = True
        shift[j, e] = side[i, e] * a[k] / share[j, e]
        shift[i, f] = side[j, f] * rate[k] * a[k] / share[i, f]
        made += 1
    np.add(vote, shift, out=vote, where=shift != 0)
    return made
