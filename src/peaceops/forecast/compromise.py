r"""Compromise model: the clout-and-salience weighted mean of the actors' positions.

Its input check and issue weights are the ones every forecast model shares
(``peaceops.forecast._core``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from peaceops.forecast._core import (
    FloatArray,
    ForecastResult,
    NegotiationInput,
    Perturbation,
    apply_perturbation,
    check_input,
    check_perturbations,
    issue_weights,
    weighted_mean,
)

__all__ = ["compromise_batch", "compromise_forecast"]


def compromise_forecast(data: NegotiationInput) -> ForecastResult:
    r"""Forecast each issue by the weighted mean of the actors' positions.

    .. math::

        \hat y_e = \frac{\sum_i c_i s_{ie} x_{ie}}{\sum_i c_i s_{ie}}

    over the actors with a stance on issue :math:`e`.

    Parameters
    ----------
    data
        Positions (NaN = no stance), salience in 0..1 and clout (> 0).

    Returns
    -------
    ForecastResult
        ``model="compromise"``, one trajectory row. ``details["n_clout_only"]`` counts issues
        where every stance-holder had zero salience (the mean is then weighted by clout
        alone); ``details["n_no_stance"]`` counts issues without any stance, whose forecast
        is the status quo (NaN when that is unknown too).

    Raises
    ------
    ScenarioError
        If a position is outside 0..100, a salience outside 0..1, a clout not positive, or
        a status quo outside 0..100.

    See Also
    --------
    peaceops.forecast.nash.nash_forecast : Achen (2006) shows the compromise is close to
        the power-weighted Nash bargaining solution under quadratic loss, and is its
        limit as the status quo recedes.

    Notes
    -----
    Van den Bos (1991) proposed the weighted mean as the outcome of a bargaining process
    in which each actor's pull is its capability times its interest; Achen (2006) derived
    it as an approximation of the power-weighted Nash bargaining solution and found it
    the most accurate model on the DEU data (mean absolute error about 23 on the 0..100
    scale; see ``docs/forecast.md`` for our back-test). Cost :math:`O(nm)`.

    References
    ----------
    .. [1] van den Bos, J. M. M. (1991). *Dutch EC Policy Making: A Model-Guided Approach
       to Coordination and Negotiation*. Amsterdam: Thesis Publishers.
    .. [2] Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson,
       F. N. Stokman, C. H. Achen and T. König (eds.), *The European Union Decides*,
       pp. 264-298. Cambridge University Press. doi:10.1017/CBO9780511492082.011

    Examples
    --------
    >>> import numpy as np
    >>> from peaceops.forecast import NegotiationInput
    >>> data = NegotiationInput(
    ...     actors=("a", "b"), issues=("budget",),
    ...     positions=np.array([[0.0], [100.0]]), salience=np.array([[1.0], [0.5]]),
    ...     clout=np.array([1.0, 2.0]), status_quo=np.array([np.nan]))
    >>> float(compromise_forecast(data).outcome[0])  # (1*1*0 + 2*0.5*100) / (1 + 1)
    50.0
    """
    check_input(data)
    return ForecastResult(
        model="compromise",
        issues=data.issues,
        trajectory=_weighted_mean(data)[None, :],
        details=_weight_details(data),
    )


def compromise_batch(
    positions: FloatArray,
    salience: FloatArray,
    clout: FloatArray,
    *,
    rounds: int,
    status_quo: FloatArray,
    perturbations: Sequence[Perturbation] = (),
) -> FloatArray:
    """The compromise forecast of a batch, recomputed on each round's inputs.

    A static model has no rounds of its own: round ``t`` is the weighted mean on the inputs
    after the perturbations of rounds ``1..t`` (applied cumulatively to every member), as
    :mod:`peaceops.forecast.timeline` runs static models. The batch signature shared by
    every model of :data:`peaceops.forecast.REGISTRY`.

    Parameters
    ----------
    positions, salience, clout
        ``(b, n, m)``, ``(b, n, m)`` and ``(b, n)`` arrays, as in :class:`NegotiationInput`.
    rounds
        Rounds after the initial one.
    status_quo
        ``(m,)`` forecast of an issue nobody takes a stance on.
    perturbations
        Scheduled changes shared by every member.

    Returns
    -------
    numpy.ndarray
        ``(b, rounds + 1, m)``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[0.0], [100.0]]])
    >>> compromise_batch(x, np.ones((1, 2, 1)), np.array([[1.0, 3.0]]), rounds=1,
    ...                  status_quo=np.array([np.nan])).tolist()
    [[[75.0], [75.0]]]
    """
    x = np.array(positions, dtype=np.float64)
    s = np.array(salience, dtype=np.float64)
    c = np.array(clout, dtype=np.float64)
    by_round = check_perturbations(perturbations, x.shape)
    out = np.empty((x.shape[0], rounds + 1, x.shape[2]))
    sq = np.asarray(status_quo, dtype=np.float64)
    for t in range(rounds + 1):
        changes = by_round.get(t, ())
        if t and not changes:  # the same inputs as the round before: the same forecast
            out[:, t, :] = out[:, t - 1, :]
            continue
        for p in changes:
            for k in range(x.shape[0]):
                apply_perturbation(p, x[k], s[k], c[k])
        out[:, t, :] = weighted_mean(x, s, c, sq)
    return out


def _weighted_mean(data: NegotiationInput, positions: FloatArray | None = None) -> FloatArray:
    """Compromise outcome per issue for ``positions`` (default: ``data.positions``)."""
    x = data.positions if positions is None else positions
    return weighted_mean(x, data.salience, data.clout, data.status_quo)


def _weight_details(data: NegotiationInput) -> dict[str, float]:
    _, clout_only, no_stance = issue_weights(data)
    return {"n_clout_only": float(clout_only.sum()), "n_no_stance": float(no_stance.sum())}
