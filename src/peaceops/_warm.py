"""Compile every numba kernel ahead of use (``peaceops warm``, ``make run``).

The kernels are compiled once per machine and kept in numba's on-disk cache (see
:mod:`peaceops._jit`); a later process loads them in a fraction of a second. Compiling them
all takes about a minute on two cores, which a user would otherwise meet in the middle of
their first ``peaceops run``. :func:`warm_kernels` runs each engine that has compiled
kernels once on a tiny input of the same types as real use, so every kernel and signature
the commands need is compiled (or found in the cache) before it is needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["ENGINES", "warm_kernels"]


def _power() -> None:
    from peaceops.power import eu_council_game, multi_quota_game, power_indices, weighted_game

    game = weighted_game([4, 4, 4, 2, 2, 1], 12)
    for method in ("dp", "mitm", "enumerate"):
        power_indices(game, method=method)
    for index in ("holler", "normalized_banzhaf"):
        power_indices(game, indices=(index,), method="dp")
    names = ["a", "b", "c", "d"]
    power_indices(multi_quota_game(names, [([3, 2, 2, 1], 5), ([1, 1, 1, 1], 3)]))
    power_indices(eu_council_game())


def _forecast() -> None:
    import numpy as np

    from peaceops.forecast import (
        NegotiationInput,
        expected_utility_batch,
        expected_utility_forecast,
        median_forecast,
    )
    from peaceops.forecast.smp import smp_batch, smp_forecast

    x = np.array([[20.0, 70.0], [60.0, 40.0], [90.0, 10.0]])
    s = np.array([[0.9, 0.5], [0.6, 0.4], [0.5, 0.8]])
    c = np.array([3.0, 1.0, 1.0])
    data = NegotiationInput(
        actors=("a", "b", "c"),
        issues=("e", "f"),
        positions=x,
        salience=s,
        clout=c,
        status_quo=np.array([np.nan, 30.0]),
    )
    median_forecast(data)
    expected_utility_forecast(data, rounds=2)
    expected_utility_batch(x[None], s[None], c[None], rounds=2)
    for mode in ("fast", "ktab"):
        smp_forecast(data, mode=mode, max_turns=3)
    smp_batch(x[None], s[None], c[None], max_turns=3)


#: Engine name -> a call that compiles (or loads) its kernels.
ENGINES: dict[str, Callable[[], None]] = {"power": _power, "forecast": _forecast}


def warm_kernels(progress: Callable[[str, float], None] | None = None) -> float:
    """Compile (or load from the cache) every engine's kernels; return the seconds taken.

    Parameters
    ----------
    progress
        Called after each engine with its name and the seconds it took.
    """
    start = time.perf_counter()
    for name, run in ENGINES.items():
        t0 = time.perf_counter()
        run()
        if progress is not None:
            progress(name, time.perf_counter() - t0)
    return time.perf_counter() - start
