"""The one place peaceops calls numba: compiled, GIL-free kernels, cached on disk when possible.

``@jit`` compiles with numba's Python error model (zero-division raises, as in Python);
``@jit(error_model="numpy")`` drops those checks so loops can vectorise, for kernels whose
every denominator is guarded. Caching needs a writable ``__pycache__`` or user cache directory;
without one numba raises at decoration time and the kernel is compiled in memory instead, once
per process, so a read-only installation still works.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast, overload

import numba

__all__ = ["cores", "jit"]

F = TypeVar("F", bound=Callable[..., Any])


@overload
def jit(func: F, /) -> F: ...
@overload
def jit(
    *, parallel: bool = False, error_model: Literal["python", "numpy"] = "python"
) -> Callable[[F], F]: ...
def jit(
    func: F | None = None,
    /,
    *,
    parallel: bool = False,
    error_model: Literal["python", "numpy"] = "python",
) -> F | Callable[[F], F]:
    """Compile in nopython mode with the GIL released; usable as ``@jit`` or ``@jit(...)``."""

    def wrap(f: F) -> F:
        options: dict[str, Any] = {"nogil": True, "parallel": parallel, "error_model": error_model}
        try:
            return cast(F, numba.njit(cache=True, **options)(f))
        except RuntimeError:  # no writable cache location: compile in memory
            return cast(F, numba.njit(cache=False, **options)(f))

    return wrap(func) if func is not None else wrap


def cores() -> int:
    """CPUs this process may run on (kernels that use threads run one per core)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
