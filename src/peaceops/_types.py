"""Aliases for the input shapes the public API accepts at its boundary."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # numpy loads only when a generator is made: quick start-up for the CLI
    import numpy as np

PathLike: TypeAlias = str | os.PathLike[str]
#: ``seed`` argument of every stochastic function; see ``docs/randomness.md``.
Seed: TypeAlias = "int | np.random.Generator | np.random.SeedSequence | None"


def make_rng(seed: Seed) -> np.random.Generator:
    """Turn a ``seed`` argument into a generator; the only place one is made.

    Parameters
    ----------
    seed
        ``None`` (fresh entropy), an ``int``, a ``SeedSequence`` or a ``Generator``
        (returned as is, so callers can share one stream).
    """
    import numpy as np

    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)
