r"""Weighted median (median voter) forecast.

The forecast on each issue is the position at which the cumulative weight
:math:`w_i = c_i s_i` (clout times salience) of the actors, sorted by position, first
reaches half of the total: the position of the weighted median voter. In one dimension,
with single-peaked preferences, it is the Condorcet winner among the actors' positions
(Black 1948), which is why spatial models of voting forecast it.

The core (:func:`_weighted_median_core`) is compiled with numba because the
expected-utility model (:mod:`peaceops.forecast.expected_utility`) reports the same
weighted median every round of every run of its batched engine; both use this one
definition, ties included.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from peaceops._jit import jit
from peaceops.errors import OptionError
from peaceops.forecast._core import (
    FloatArray,
    ForecastResult,
    NegotiationInput,
    check_input,
    issue_weights,
)

__all__ = ["median_forecast", "weighted_median"]

#: Relative tolerance under which the cumulative weight counts as exactly one half.
_TIE_RTOL = 1e-12


@jit(error_model="numpy")
def _weighted_median_core(values: FloatArray, weights: FloatArray) -> float:  # pragma: no cover
    """Weighted median of finite ``values`` with non-negative ``weights`` (NaN if no weight).

    Entries with zero weight are skipped. When the cumulative weight equals half of the
    total (within :data:`_TIE_RTOL`) at the boundary between two distinct positions, the
    result is their midpoint.
    """
    order = np.argsort(values, kind="mergesort")
    total = 0.0
    for k in range(values.shape[0]):
        total += weights[k]
    if not total > 0.0:
        return np.nan
    half = 0.5 * total
    tol = _TIE_RTOL * total
    cum = 0.0
    n = order.shape[0]
    for idx in range(n):
        k = order[idx]
        if weights[k] <= 0.0:
            continue
        cum += weights[k]
        if cum >= half - tol:
            if abs(cum - half) <= tol:
                # exact tie: midpoint with the next position that carries weight
                for nxt in range(idx + 1, n):
                    k2 = order[nxt]
                    if weights[k2] > 0.0:
                        return float(0.5 * (values[k] + values[k2]))
            return float(values[k])
    return float(values[order[n - 1]])  # unreachable for positive total


def weighted_median(values: npt.ArrayLike, weights: npt.ArrayLike) -> float:
    r"""Weighted median of ``values``.

    The smallest value :math:`x_{(k)}` (values sorted ascending) with
    :math:`\sum_{l \le k} w_{(l)} \ge \tfrac12 \sum_l w_l`.

    Parameters
    ----------
    values
        1-D values; NaN entries are ignored.
    weights
        Non-negative weights, same length; entries with zero weight are ignored.

    Returns
    -------
    float
        The weighted median; NaN when no entry has a finite value and positive weight.

    Raises
    ------
    OptionError (a ScenarioError, so also a ValueError)
        If the shapes differ or a weight is negative or not finite.

    Notes
    -----
    Ties: when the cumulative weight equals exactly one half (relative tolerance
    1e-12) at the boundary between two distinct positions, every point between them is a
    weighted median (and, in the pairwise vote, the two positions tie); we return their
    midpoint, which keeps the result symmetric under reflection of the scale
    (:math:`x \mapsto 100 - x`). With equal weights this is the ordinary median.

    Examples
    --------
    >>> weighted_median([10.0, 50.0, 90.0], [1.0, 1.0, 3.0])
    90.0
    >>> weighted_median([10.0, 50.0], [1.0, 1.0])
    30.0
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if v.ndim != 1 or v.shape != w.shape:
        raise OptionError(
            "values", f"values and weights must be 1-D of equal length; got {v.shape} and {w.shape}"
        )
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise OptionError("weights", f"weights must be finite and non-negative; got {w!r}")
    keep = np.isfinite(v) & (w > 0)
    if not np.any(keep):
        return float("nan")
    return float(
        _weighted_median_core(np.ascontiguousarray(v[keep]), np.ascontiguousarray(w[keep]))
    )


def median_forecast(data: NegotiationInput) -> ForecastResult:
    r"""Forecast each issue by the weighted median of the actors' positions.

    .. math::

        \hat y_e = \operatorname{median}_w \{x_{ie}\}, \qquad w_{ie} = c_i s_{ie}

    Parameters
    ----------
    data
        Positions, salience and clout; actors without a stance (NaN position) on an issue
        take no part in it.

    Returns
    -------
    ForecastResult
        ``model="median"``, one trajectory row; ``details["n_clout_only"]`` counts issues
        where every stance-holder had zero salience and clout alone weighted the median,
        ``details["n_no_stance"]`` issues without any stance (forecast = status quo).

    Raises
    ------
    ScenarioError
        If a position is outside 0..100, a salience outside 0..1 or a clout not positive.

    See Also
    --------
    peaceops.forecast.compromise.compromise_forecast : the weighted mean.

    Notes
    -----
    Ties between two positions are resolved by their midpoint (see :func:`weighted_median`).
    Cost :math:`O(m\,n \log n)`.

    References
    ----------
    .. [1] Black, D. (1948). On the rationale of group decision-making. *Journal of
       Political Economy* 56(1), 23-34. doi:10.1086/256633
    .. [2] Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson,
       F. N. Stokman, C. H. Achen and T. König (eds.), *The European Union Decides*,
       pp. 264-298. Cambridge University Press. doi:10.1017/CBO9780511492082.011

    Examples
    --------
    >>> import numpy as np
    >>> from peaceops.forecast import NegotiationInput
    >>> data = NegotiationInput(
    ...     actors=("a", "b", "c"), issues=("tax",),
    ...     positions=np.array([[0.0], [40.0], [100.0]]),
    ...     salience=np.array([[1.0], [0.5], [1.0]]),
    ...     clout=np.array([1.0, 3.0, 1.0]), status_quo=np.array([np.nan]))
    >>> float(median_forecast(data).outcome[0])  # weights 1, 1.5, 1: b holds the middle
    40.0
    """
    check_input(data)
    w, clout_only, no_stance = issue_weights(data)
    out = np.empty(len(data.issues))
    for e in range(len(data.issues)):
        if no_stance[e]:
            out[e] = data.status_quo[e]
        else:
            out[e] = weighted_median(data.positions[:, e], w[:, e])
    return ForecastResult(
        model="median",
        issues=data.issues,
        trajectory=out[None, :],
        details={"n_clout_only": float(clout_only.sum()), "n_no_stance": float(no_stance.sum())},
    )
