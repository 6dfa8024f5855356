"""The expected-utility model over a batch of parameter draws, in parallel.

The method and its references: :mod:`peaceops.forecast.expected_utility` (References section).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from peaceops.errors import OptionError
from peaceops.forecast._core import (
    FloatArray,
    Perturbation,
    apply_perturbation,
    check_perturbations,
)
from peaceops.forecast.expected_utility._checks import (
    ForecastRule,
    OfferRule,
    ProbabilityRule,
    _check_batch,
    _chunks,
    _options,
    _spread,
)
from peaceops.forecast.expected_utility._kernel import _round_batch, _summaries

__all__ = ["expected_utility_batch"]


def expected_utility_batch(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    clout: npt.ArrayLike,
    *,
    rounds: int = 10,
    status_quo: npt.ArrayLike | None = None,
    perturbations: Sequence[Perturbation] = (),
    q: float = 1.0,
    t: float = 1.0,
    probability: ProbabilityRule = "scholz",
    offer: OfferRule = "scholz",
    forecast: ForecastRule = "median",
) -> FloatArray:
    """Run the expected-utility model on a batch of negotiations in parallel.

    Parameters
    ----------
    positions
        ``(b, n, m)`` positions, 0..100, NaN = no stance.
    salience
        ``(b, n, m)`` salience in 0..1 (ignored where the position is NaN).
    clout
        ``(b, n)`` capability, > 0.
    rounds, q, t, probability, offer, forecast
        As in :func:`expected_utility_forecast`.
    status_quo
        Accepted for the batch signature every model shares; this model does not use it.
    perturbations
        Scheduled changes applied to every member at the start of their round, as in
        :func:`expected_utility_forecast`.

    Returns
    -------
    numpy.ndarray
        ``(b, rounds + 1, m)`` forecast per run, round and issue; row ``[k]`` equals
        ``expected_utility_forecast`` on member ``k`` exactly (same kernel).

    Raises
    ------
    OptionError (a ScenarioError, so also a ValueError)
        On wrong shapes or options; :class:`~peaceops.errors.ScenarioError` on values out
        of range.

    Notes
    -----
    The ``(run, issue)`` pairs are spread over threads with ``numba.prange``; memory is
    ``O(b n m)`` for the state plus ``O(b m rounds)`` for the result. Measured figures are
    in ``benchmarks/results/forecast.md``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[0.0], [50.0], [100.0]]] * 2)
    >>> s = np.full((2, 3, 1), 0.5)
    >>> expected_utility_batch(x, s, np.ones((2, 3)), rounds=2).shape
    (2, 3, 1)
    """
    prob_code, offer_code, fc = _options(rounds, q, t, probability, offer, forecast)
    X = np.array(positions, dtype=np.float64, order="C")
    S = np.array(salience, dtype=np.float64, order="C")
    C = np.array(clout, dtype=np.float64, order="C")
    if X.ndim != 3 or S.shape != X.shape or C.shape != X.shape[:2]:
        raise OptionError(
            "positions",
            "positions and salience must be (b, n, m) and clout (b, n); got "
            f"{X.shape!r}, {S.shape!r} and {C.shape!r}",
        )
    _check_batch(X, S, C)
    pert = check_perturbations(perturbations, X.shape)
    S = np.where(np.isnan(X), 0.0, S)
    b, _, m = X.shape
    spread = _spread(X)
    traj = np.empty((b, rounds + 1, m))
    summary = np.empty((2, b, m))  # weighted median, weighted mean
    out = np.empty_like(X)
    for rnd in range(rounds + 1):
        _summaries(X, S, C, _chunks(X), summary[0], summary[1])
        traj[:, rnd, :] = summary[fc]
        if rnd == rounds:
            break
        for p in pert.get(rnd + 1, ()):
            for k in range(b):
                apply_perturbation(p, X[k], S[k], C[k])
            spread = np.fmax(spread, _spread(X))
        _round_batch(X, S, C, spread, q, t, prob_code, offer_code, _chunks(X), out)
        X, out = out, X
    return traj
