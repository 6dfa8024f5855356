"""The seed tree: every random step of a run draws from its own child of the run's seed.

A run has one root seed ``s`` (an integer, recorded with the run). Its streams are
``numpy.random.SeedSequence(s, spawn_key=key)`` children, with keys kept apart by length:

=====================================  =========================================================
spawn key                              stream
=====================================  =========================================================
``(i,)``, ``0 <= i < 2**32``           sweep replicate ``i`` (:mod:`peaceops.sweep.montecarlo`)
``(SOBOL, 0)``, ``(SOBOL, 1)``         Sobol' scrambling and bootstrap (:mod:`peaceops.sweep.
                                       sensitivity`)
``(ANALYSIS, k)``                      step ``k`` of :data:`ANALYSIS_STEPS` of an analysis; the
                                       step's own seed is a 128-bit integer drawn from it, and
                                       the step builds its own tree below that seed
=====================================  =========================================================

A replicate key has one 32-bit word and the others two, so no two of these streams share a
key, and ``SeedSequence`` hashes distinct keys to independent states (O'Neill 2014). See
``docs/randomness.md``.

References
----------
.. [1] O'Neill, M. E. (2014). PCG: A family of simple fast space-efficient statistically good
   algorithms for random number generation. Technical report HMC-CS-2014-0905, Harvey Mudd
   College. https://www.pcg-random.org/paper.html

Examples
--------
>>> step_seed(1, "sweep") == step_seed(1, "sensitivity")
False
>>> stream(1, SOBOL, 0).spawn_key
(1, 0)
"""

from __future__ import annotations

import numpy as np

__all__ = ["ANALYSIS", "ANALYSIS_STEPS", "SOBOL", "step_seed", "stream"]

#: First word of the keys of the Sobol' analysis's two streams.
SOBOL = 1
#: First word of the keys of an analysis's steps.
ANALYSIS = 2
#: The random steps of :func:`peaceops.workflows.analyse`, in key order.
ANALYSIS_STEPS = ("shapley", "sweep", "sensitivity")


def stream(root: int, *key: int) -> np.random.SeedSequence:
    """The child of ``root`` with spawn key ``key``."""
    return np.random.SeedSequence(root, spawn_key=key)


def step_seed(root: int, step: str) -> int:
    """The 128-bit integer seed of one step of an analysis with root seed ``root``.

    Raises
    ------
    KeyError
        For a step not in :data:`ANALYSIS_STEPS` (a programming error, not user input).
    """
    words = stream(root, ANALYSIS, ANALYSIS_STEPS.index(step)).generate_state(2, np.uint64)
    return (int(words[0]) << 64) | int(words[1])
