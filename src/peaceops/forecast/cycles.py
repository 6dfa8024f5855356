"""Dynamics that settle or say they don't: cycles at the end of a forecast trajectory.

A dynamic bargaining model may never settle. The expected-utility model of Bueno de Mesquita
(1994), as made explicit by Scholz, Calbert and Smith (2011), is known to oscillate: its
weighted-median forecast swings between two or more values round after round, so its value at a
fixed horizon depends on the parity of the round. This module finds such a cycle in the tail of a
trajectory and gives a defined summary of it.

A trajectory :math:`f_0, \\dots, f_T` ends in a cycle of period :math:`p \\ge 2` when its last
:math:`2p` values repeat with period :math:`p` (:math:`|f_{T-k} - f_{T-k-p}| \\le` ``tol`` for
:math:`k = 0..p-1`) and are not all equal; the smallest such :math:`p` is reported with the
cycle's range and its **summary, the mean over the last full cycle**. Tables, JSON and plots flag
the model as non-convergent on that issue, and headlines use the summary.

Notes
-----
Two full periods is the least evidence of a cycle; a longer quasi-periodic drift is not reported
as a cycle. The mean over a cycle is our choice of summary (the time average the model would show
an observer sampling at a random round); it is not a value the model itself ever takes.

References
----------
1. Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
   Bueno de Mesquita and Stokman (eds.), *European Community Decision Making*, Yale UP, 71-104.
2. Scholz, J. B., Calbert, G. J. and Smith, G. A. (2011). Unravelling Bueno De Mesquita's group
   decision model. *Journal of Theoretical Politics* 23(4), 510-531. doi:10.1177/0951629811418142
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from peaceops.forecast._core import FloatArray, ForecastResult

__all__ = ["Cycle", "detect_cycle", "forecast_cycles"]


@dataclass(frozen=True)
class Cycle:
    """A cycle at the end of a trajectory.

    Attributes
    ----------
    period
        Rounds per cycle (2 for an alternation).
    low, high
        Range of the values in the cycle.
    mean
        Mean over the last full cycle: the summary used in headlines.
    """

    period: int
    low: float
    high: float
    mean: float

    def to_row(self) -> dict[str, Any]:
        """Flat fields for tables and JSON."""
        return {
            "converged": False,
            "period": self.period,
            "low": round(self.low, 2),
            "high": round(self.high, 2),
            "mean": round(self.mean, 2),
        }


def detect_cycle(
    series: FloatArray | list[float], *, max_period: int = 8, tol: float = 1e-6
) -> Cycle | None:
    """The cycle the end of ``series`` falls into, or ``None`` if it settles (or is too short).

    Examples
    --------
    >>> detect_cycle([30.0, 40.0, 50.0, 40.0, 50.0, 40.0, 50.0])
    Cycle(period=2, low=40.0, high=50.0, mean=45.0)
    >>> detect_cycle([30.0, 40.0, 45.0, 45.0, 45.0]) is None
    True
    """
    f = np.asarray(series, dtype=float)
    n = f.shape[0]
    for p in range(2, max_period + 1):
        if n < 2 * p:
            break
        tail = f[n - 2 * p :]
        if np.any(np.isnan(tail)):
            return None
        if np.all(np.abs(tail[p:] - tail[:p]) <= tol) and np.ptp(tail) > tol:
            last = tail[p:]
            return Cycle(p, float(last.min()), float(last.max()), float(last.mean()))
    return None


def forecast_cycles(results: Mapping[str, ForecastResult]) -> dict[str, dict[str, Cycle]]:
    """Model -> issue -> cycle, for every model and issue whose trajectory ends in a cycle.

    Examples
    --------
    Issue ``a`` ends alternating between 40 and 50; issue ``b`` has settled:

    >>> import numpy as np
    >>> from peaceops.forecast import ForecastResult
    >>> t = np.array([[30.0, 10.0], [40.0, 10.0], [50.0, 10.0], [40.0, 10.0], [50.0, 10.0]])
    >>> forecast_cycles({"m": ForecastResult(model="m", issues=("a", "b"), trajectory=t)})
    {'m': {'a': Cycle(period=2, low=40.0, high=50.0, mean=45.0)}}
    """
    out: dict[str, dict[str, Cycle]] = {}
    for name, res in results.items():
        for j, issue in enumerate(res.issues):
            cycle = detect_cycle(res.trajectory[:, j])
            if cycle is not None:
                out.setdefault(name, {})[issue] = cycle
    return out
