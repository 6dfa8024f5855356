"""The one place peaceops calls numba: compiled, GIL-free kernels, cached on disk when possible.

``@jit`` compiles with numba's Python error model (zero-division raises, as in Python);
``@jit(error_model="numpy")`` drops those checks so loops can vectorise, for kernels whose
every denominator is guarded. Caching needs a writable ``__pycache__`` or user cache directory;
without one numba raises at decoration time and the kernel is compiled in memory instead, once
per process, so a read-only installation still works. With ``PEACEOPS_COMPILE_NOTICE=1`` (set
by the command line) the first real compilation in a process says so in one line on stderr;
loads from the cache are silent. ``peaceops warm`` (:mod:`peaceops._warm`) compiles them all
ahead of use.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast, overload

import numba
from numba.core import event

__all__ = ["announce_compilation", "cores", "jit"]

F = TypeVar("F", bound=Callable[..., Any])

_cache_state = {"disk": True, "announcing": False}


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
            _cache_state["disk"] = False
            return cast(F, numba.njit(cache=False, **options)(f))

    return wrap(func) if func is not None else wrap


def cores() -> int:
    """CPUs this process may run on (kernels that use threads run one per core)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class _CompileNotice(event.Listener):
    """Writes one line to stderr when this process first compiles a peaceops kernel.

    numba raises its ``numba:compile`` event only when a kernel is really compiled, not when
    it is loaded from the on-disk cache, so the line appears on a machine's first use (or
    after an upgrade), never on the runs after it."""

    def __init__(self) -> None:
        self.shown = False

    def on_start(self, ev: event.Event) -> None:
        if self.shown:
            return
        dispatcher = (ev.data or {}).get("dispatcher")
        module = getattr(getattr(dispatcher, "py_func", None), "__module__", "") or ""
        if not module.startswith("peaceops."):
            return
        self.shown = True
        sys.stderr.write(
            "peaceops: compiling numerical kernels for this machine, once (about a minute); "
            "`peaceops warm` does it ahead\n"
            if _cache_state["disk"]
            else "peaceops: compiling numerical kernels (no writable cache, so every run does; "
            "set NUMBA_CACHE_DIR to a writable directory to keep them)\n"
        )
        sys.stderr.flush()

    def on_end(self, ev: event.Event) -> None:
        return None


_notice = _CompileNotice()


def announce_compilation() -> None:
    """From now on, say on stderr (once per process) when a kernel has to be compiled.

    The command line turns this on by setting ``PEACEOPS_COMPILE_NOTICE=1`` before any
    kernel loads (``0`` silences it); the library itself prints nothing."""
    if not _cache_state["announcing"]:
        _cache_state["announcing"] = True
        event.register("numba:compile", _notice)  # type: ignore[no-untyped-call]


if os.environ.get("PEACEOPS_COMPILE_NOTICE") == "1":
    announce_compilation()
