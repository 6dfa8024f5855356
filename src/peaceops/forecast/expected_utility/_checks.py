"""Option and input checks of the expected-utility model (single run and batch)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numba import get_num_threads

from peaceops.errors import OptionError, Problem, ScenarioError
from peaceops.forecast._core import FloatArray

__all__: list[str] = []

ProbabilityRule = Literal["scholz", "pairwise"]
OfferRule = Literal["scholz", "least_move"]
ForecastRule = Literal["median", "mean"]

_PROBABILITY = {"scholz": 0, "pairwise": 1}
_OFFER = {"scholz": 0, "least_move": 1}
_FORECAST = ("median", "mean")


def _options(
    rounds: int, q: float, t: float, probability: str, offer: str, forecast: str
) -> tuple[int, int, int]:
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise OptionError("rounds", f"rounds must be an integer >= 0; got {rounds!r}")
    if not (0.0 <= q <= 1.0 and 0.0 <= t <= 1.0):
        raise OptionError("q, t", f"q and t must be within 0..1; got q={q!r}, t={t!r}")
    if probability not in _PROBABILITY:
        raise OptionError(
            "probability", f"probability must be one of {sorted(_PROBABILITY)}; got {probability!r}"
        )
    if offer not in _OFFER:
        raise OptionError("offer", f"offer must be one of {sorted(_OFFER)}; got {offer!r}")
    if forecast not in _FORECAST:
        raise OptionError(
            "forecast", f"forecast must be one of {list(_FORECAST)}; got {forecast!r}"
        )
    return _PROBABILITY[probability], _OFFER[offer], _FORECAST.index(forecast)


def _check_batch(X: FloatArray, S: FloatArray, C: FloatArray) -> None:
    problems = []
    has = ~np.isnan(X)
    checks = [
        ("positions", has & ~((X >= 0) & (X <= 100)), X, "within 0..100 (NaN = no stance)"),
        ("salience", has & ~((S >= 0) & (S <= 1)), S, "within 0..1"),
        ("clout", ~(np.isfinite(C) & (C > 0)), C, "finite and > 0"),
    ]
    for name, bad, values, allowed in checks:
        where = np.argwhere(bad)
        if where.size:
            first = tuple(int(v) for v in where[0])
            problems.append(
                Problem(
                    "<batch>",
                    None,
                    f"{name}{list(first)}",
                    f"must be {allowed}; got {float(values[first])!r}"
                    + (f" ({len(where) - 1} more)" if len(where) > 1 else ""),
                )
            )
    if problems:
        raise ScenarioError(problems)


def _chunks(X: FloatArray) -> int:
    """How many pieces to cut the ``(run, issue)`` pairs into: 8 per thread, at most one each."""
    return int(min(X.shape[0] * X.shape[2], 8 * get_num_threads()))


def _spread(X: FloatArray) -> FloatArray:
    """``(b, m)`` spread (max - min) of the stance-holders' positions; 0 without any."""
    has = ~np.isnan(X)
    top = np.where(has, X, -np.inf).max(axis=1)
    bottom = np.where(has, X, np.inf).min(axis=1)
    spread = np.where(has.any(axis=1), top - bottom, 0.0)
    return np.ascontiguousarray(spread, dtype=np.float64)


# ----------------------------------------------------------------------------- kernels
