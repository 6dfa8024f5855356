r"""Compromise model: the clout-and-salience weighted mean of the actors' positions.

This module also holds the input check and the issue weights that every forecast model
in :mod:`peaceops.forecast` shares (:func:`_check_input`, :func:`_issue_weights`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from peaceops.errors import Problem, ScenarioError
from peaceops.forecast._core import FloatArray, ForecastResult, NegotiationInput

__all__ = ["compromise_forecast"]

#: ``Problem.file`` for checks of arrays handed to the API directly (no file behind them).
_INPUT = "<NegotiationInput>"
#: At most this many problems are listed one by one; the rest are counted.
_MAX_LISTED = 20

BoolArray = npt.NDArray[np.bool_]


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
    _check_input(data)
    return ForecastResult(
        model="compromise",
        issues=data.issues,
        trajectory=_weighted_mean(data)[None, :],
        details=_weight_details(data),
    )


def _weighted_mean(data: NegotiationInput, positions: FloatArray | None = None) -> FloatArray:
    """Compromise outcome per issue for ``positions`` (default: ``data.positions``)."""
    x = data.positions if positions is None else positions
    w, _, no_stance = _issue_weights(data, x)
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(no_stance, data.status_quo, (w * np.nan_to_num(x)).sum(axis=0) / total)
    return np.asarray(mean, dtype=np.float64)


def _weight_details(data: NegotiationInput) -> dict[str, float]:
    _, clout_only, no_stance = _issue_weights(data)
    return {"n_clout_only": float(clout_only.sum()), "n_no_stance": float(no_stance.sum())}


def _issue_weights(
    data: NegotiationInput, positions: FloatArray | None = None
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """:func:`_weights` of ``data`` (or of other ``positions`` with its salience and clout)."""
    x = data.positions if positions is None else positions
    return _weights(x, data.salience, data.clout)


def _weights(
    positions: FloatArray, salience: FloatArray, clout: FloatArray
) -> tuple[FloatArray, BoolArray, BoolArray]:
    r"""Weights :math:`w_{ie} = c_i s_{ie}` of the actors with a stance, 0 elsewhere.

    Returns ``(w, clout_only, no_stance)``: ``w`` is ``(n, m)``; on an issue where every
    stance-holder has zero salience the weights fall back to clout alone (``clout_only``
    marks those issues), and ``no_stance`` marks issues nobody takes a stance on.
    """
    has: BoolArray = ~np.isnan(positions)
    w = np.where(has, clout[:, None] * np.nan_to_num(salience), 0.0)
    has_any = np.asarray(has.any(axis=0), dtype=np.bool_)
    clout_only = np.asarray(has_any & (w.sum(axis=0) <= 0), dtype=np.bool_)
    if clout_only.any():
        w[:, clout_only] = np.where(has[:, clout_only], clout[:, None], 0.0)
    return np.asarray(w, dtype=np.float64), clout_only, ~has_any


def _check_input(data: NegotiationInput) -> None:
    """Raise one :class:`ScenarioError` listing every out-of-range value in ``data``."""
    problems: list[Problem] = []
    x, s = data.positions, data.salience
    bad_x = ~np.isnan(x) & ~((x >= 0.0) & (x <= 100.0))
    for i, e in zip(*np.nonzero(bad_x), strict=True):
        problems.append(
            _problem(
                f"positions[{data.actors[i]}][{data.issues[e]}]",
                f"must be within 0..100 (NaN = no stance); got {float(x[i, e])!r}",
            )
        )
    bad_s = ~np.isnan(x) & ~((s >= 0.0) & (s <= 1.0))
    for i, e in zip(*np.nonzero(bad_s), strict=True):
        problems.append(
            _problem(
                f"salience[{data.actors[i]}][{data.issues[e]}]",
                f"must be within 0..1 where the actor has a stance; got {float(s[i, e])!r}",
            )
        )
    for i in np.nonzero(~(np.isfinite(data.clout) & (data.clout > 0.0)))[0]:
        problems.append(
            _problem(
                f"clout[{data.actors[i]}]", f"must be finite and > 0; got {float(data.clout[i])!r}"
            )
        )
    sq = data.status_quo
    for e in np.nonzero(~np.isnan(sq) & ~((sq >= 0.0) & (sq <= 100.0)))[0]:
        problems.append(
            _problem(
                f"status_quo[{data.issues[e]}]",
                f"must be within 0..100 (NaN = unknown); got {float(sq[e])!r}",
            )
        )
    if problems:
        if len(problems) > _MAX_LISTED:
            extra = len(problems) - _MAX_LISTED
            problems = [*problems[:_MAX_LISTED], _problem("", f"... and {extra} more")]
        raise ScenarioError(problems)


def _problem(path: str, message: str) -> Problem:
    return Problem(_INPUT, None, path, message)
