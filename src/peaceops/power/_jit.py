"""The one place the power engines call numba: compiled, cached, GIL-free kernels."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

__all__ = ["cores", "jit"]

F = TypeVar("F", bound=Callable[..., Any])


def jit(func: F) -> F:
    """Compile ``func`` in nopython mode, release the GIL, cache the machine code on disk."""
    return cast(F, numba.njit(cache=True, nogil=True)(func))


def cores() -> int:
    """CPUs this process may run on (the kernels run one per thread)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
