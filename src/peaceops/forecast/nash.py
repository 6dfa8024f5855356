r"""Power-weighted Nash bargaining solution, issue by issue (Achen 2006)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from peaceops.errors import OptionError
from peaceops.forecast._core import (
    FloatArray,
    ForecastResult,
    NegotiationInput,
    check_input,
    issue_weights,
)
from peaceops.forecast.median import weighted_median

__all__ = ["nash_forecast"]

Utility = Literal["quadratic", "linear"]
Infeasible = Literal["gainers", "status_quo"]

_BISECTIONS = 200


def nash_forecast(
    data: NegotiationInput,
    *,
    utility: Utility = "quadratic",
    infeasible: Infeasible = "gainers",
) -> ForecastResult:
    r"""Forecast each issue by the power-weighted Nash bargaining solution.

    On issue :math:`e` with status quo :math:`q`, the outcome maximises the weighted Nash
    product of the actors' gains over the status quo:

    .. math::

        \hat y = \arg\max_{x \in F} \sum_i c_i s_i \log\bigl(U_i(x) - U_i(q)\bigr),
        \qquad F = \{x \in [0, 100] : U_i(x) > U_i(q)\ \forall i\},

    with quadratic loss :math:`U_i(x) = -(x - x_i)^2` or linear loss
    :math:`U_i(x) = -|x - x_i|`. Both losses rank points by distance, so :math:`F` is the
    intersection of the open intervals :math:`(x_i - |q - x_i|,\ x_i + |q - x_i|)`.

    Parameters
    ----------
    data
        Positions, salience, clout and the status quo (reference point) per issue.
    utility
        ``"quadratic"`` (Achen's main specification) or ``"linear"``.
    infeasible
        What to do when no point improves on the status quo for every actor (``F`` empty,
        which happens whenever actors sit on both sides of the status quo or at it):
        ``"gainers"`` bargains among the actors on the side of the status quo that holds a
        weighted majority (see Notes);
        ``"status_quo"`` keeps the status quo, the literal Nash disagreement outcome.

    Returns
    -------
    ForecastResult
        ``model="nash"``, one trajectory row. ``details``: ``n_infeasible`` (issues where
        ``F`` was empty), ``n_unknown_status_quo`` (issues solved by the limit below),
        ``n_no_stance``.

    Raises
    ------
    ScenarioError
        If a position, salience, clout or status quo is out of range.
    OptionError (a ScenarioError, so also a ValueError)
        If ``utility`` or ``infeasible`` is not one of the values above.

    See Also
    --------
    peaceops.forecast.compromise.compromise_forecast : the limit of this solution as the
        status quo recedes (quadratic loss).

    Notes
    -----
    - The objective is concave on ``F`` (a sum of logarithms of concave, positive gains),
      so the maximiser is unique; we find it by bisection on the (sub)derivative, which
      is decreasing and tends to :math:`+\infty` and :math:`-\infty` at the ends of ``F``
      where an actor's gain vanishes, to machine precision (200 halvings).
    - Unknown status quo (NaN): we take the limit :math:`q \to \pm\infty`, in which the
      first-order condition becomes :math:`\sum_i w_i (x_i - x) = 0` under quadratic loss
      (the compromise model, Achen 2006) and :math:`\sum_i w_i \operatorname{sign}(x_i - x)
      = 0` under linear loss (the weighted median).
    - ``infeasible="gainers"`` is our choice, not Achen's: the actors strictly to the right
      of the status quo all gain from some move right, those to the left from some move
      left, and actors at the status quo lose from any move. A side whose actors carry a
      strict majority of the total weight :math:`c_i s_i` bargains alone (the Nash solution
      over its members, whose ``F`` is never empty); without such a majority the status
      quo stays.
    - Weights are :math:`w_i = c_i s_{ie}` over the actors with a stance; when all their
      saliences are zero the weights fall back to clout. Cost :math:`O(m\,n)` per bisection.

    References
    ----------
    .. [1] Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2), 155-162.
       doi:10.2307/1907266
    .. [2] Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson,
       F. N. Stokman, C. H. Achen and T. König (eds.), *The European Union Decides*,
       pp. 264-298. Cambridge University Press. doi:10.1017/CBO9780511492082.011

    Examples
    --------
    Two equal actors at 40 and 80, status quo 0: quadratic loss gives the root of
    :math:`x^2 - 180x + 6400 = 0` in ``(0, 80)``, :math:`90 - \sqrt{1700}`:

    >>> import numpy as np
    >>> from peaceops.forecast import NegotiationInput
    >>> data = NegotiationInput(
    ...     actors=("a", "b"), issues=("e",), positions=np.array([[40.0], [80.0]]),
    ...     salience=np.ones((2, 1)), clout=np.ones(2), status_quo=np.array([0.0]))
    >>> round(float(nash_forecast(data).outcome[0]), 6)
    48.768944
    """
    if utility not in ("quadratic", "linear"):
        raise OptionError("utility", f"utility must be 'quadratic' or 'linear'; got {utility!r}")
    if infeasible not in ("gainers", "status_quo"):
        raise OptionError(
            "infeasible", f"infeasible must be 'gainers' or 'status_quo'; got {infeasible!r}"
        )
    check_input(data)
    w, _, no_stance = issue_weights(data)
    m = len(data.issues)
    out = np.empty(m)
    n_infeasible = 0
    for e in range(m):
        if no_stance[e]:
            out[e] = data.status_quo[e]
            continue
        has = w[:, e] > 0
        value, was_infeasible = _nash_issue(
            data.positions[has, e], w[has, e], float(data.status_quo[e]), utility, infeasible
        )
        out[e] = value
        n_infeasible += int(was_infeasible)
    return ForecastResult(
        model="nash",
        issues=data.issues,
        trajectory=out[None, :],
        details={
            "n_infeasible": float(n_infeasible),
            "n_unknown_status_quo": float(np.sum(np.isnan(data.status_quo) & ~no_stance)),
            "n_no_stance": float(no_stance.sum()),
        },
    )


def _nash_issue(
    x: FloatArray, w: FloatArray, sq: float, utility: Utility, infeasible: Infeasible
) -> tuple[float, bool]:
    """Nash solution on one issue for positions ``x`` and positive weights ``w``."""
    if np.isnan(sq):
        if utility == "quadratic":
            return float(np.sum(w * x) / np.sum(w)), False
        return weighted_median(x, w), False
    radius = np.abs(sq - x)
    lo = max(0.0, float(np.max(x - radius)))
    hi = min(100.0, float(np.min(x + radius)))
    if lo < hi:
        return _maximise(x, w, sq, lo, hi, utility), False
    if infeasible == "status_quo":
        return sq, True
    right, left = x > sq, x < sq
    half = 0.5 * float(w.sum())
    if float(w[right].sum()) > half:
        side = right
    elif float(w[left].sum()) > half:
        side = left
    else:
        return sq, True
    xs, ws = x[side], w[side]
    radius = np.abs(sq - xs)
    lo = max(0.0, float(np.max(xs - radius)))
    hi = min(100.0, float(np.min(xs + radius)))
    return _maximise(xs, ws, sq, lo, hi, utility), True


def _maximise(
    x: FloatArray, w: FloatArray, sq: float, lo: float, hi: float, utility: Utility
) -> float:
    """Maximise the weighted log-gain on the open interval ``(lo, hi)`` by bisection.

    The derivative is decreasing (concave objective); an end that comes from the 0..100
    bounds rather than from a vanishing gain can hold the maximum itself.
    """
    if _slope(lo, x, w, sq, utility) <= 0.0:  # finite slope only at a scale bound
        return lo
    if _slope(hi, x, w, sq, utility) >= 0.0:
        return hi
    a, b = lo, hi
    for _ in range(_BISECTIONS):
        mid = 0.5 * (a + b)
        if mid in (a, b):
            break
        if _slope(mid, x, w, sq, utility) > 0.0:
            a = mid
        else:
            b = mid
    return 0.5 * (a + b)


def _slope(point: float, x: FloatArray, w: FloatArray, sq: float, utility: Utility) -> float:
    """(Sub)derivative of the weighted log-gain at ``point``; +-inf where a gain vanishes."""
    if utility == "quadratic":
        gain = (sq - x) ** 2 - (point - x) ** 2
        grad = -2.0 * (point - x)
    else:
        gain = np.abs(sq - x) - np.abs(point - x)
        grad = -np.sign(point - x)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(gain > 0.0, w * grad / np.where(gain > 0.0, gain, 1.0), 0.0)
    if np.any(gain <= 0.0):
        # at an end of F: the vanishing gain dominates, pointing back into F
        inward = float(np.sum(np.where(gain <= 0.0, np.sign(grad) * w, 0.0)))
        if inward != 0.0:
            return float(np.inf if inward > 0 else -np.inf)
    return float(np.sum(terms))
