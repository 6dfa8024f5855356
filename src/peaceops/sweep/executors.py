"""Where batches run: in this process, in a local process pool, or on a Dask cluster.

:func:`map_batches` applies ``fn(context, item)`` to every item and yields ``(index, result)``
pairs as they finish. ``context`` (the compiled scenario) is shipped to each worker once, not
with every task. At most ``2 x workers`` tasks are in flight, so memory stays flat however many
batches a sweep has. The executors differ only in where the work runs: results are the same
bits because every batch is a pure function of its item, and callers combine them with exact
(integer) arithmetic.

==================  ==========================================================================
``inline``          this process, one batch after another (small runs, tests, ``peaceops run``)
``processes``       a local pool of ``workers`` processes started with ``spawn`` (the default
                    for large runs: fork is unsafe once threads exist)
``dask``            Dask distributed: ``scheduler=ADDRESS`` uses an existing cluster; without
                    it a ``LocalCluster`` of ``workers`` processes with one thread each
``auto``            ``inline`` for a single batch, else ``processes``
==================  ==========================================================================

Each worker limits numba's thread pool to its share of the machine's cores, so a pool of
processes does not oversubscribe the CPU through the forecast kernels.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from peaceops.errors import OptionError

__all__ = ["ExecutorKind", "ExecutorSpec", "map_batches"]

ExecutorKind = Literal["auto", "inline", "processes", "dask"]
C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

_KINDS = ("auto", "inline", "processes", "dask")
_CONTEXT: dict[str, Any] = {}


@dataclass(frozen=True)
class ExecutorSpec:
    """Which executor runs a sweep's batches.

    Attributes
    ----------
    kind
        ``auto``, ``inline``, ``processes`` or ``dask`` (see the module docstring).
    workers
        Processes of the pool, or workers of a local Dask cluster (default: the number of
        cores). Ignored by ``inline`` and by ``dask`` with a ``scheduler``.
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``); implies ``dask``.
    """

    kind: ExecutorKind = "auto"
    workers: int | None = None
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise OptionError(
                "executor", f"executor must be one of {', '.join(_KINDS)}; got {self.kind!r}"
            )
        if self.workers is not None and (isinstance(self.workers, bool) or self.workers < 1):
            raise OptionError(
                "workers", f"workers must be a positive integer; got {self.workers!r}"
            )
        if self.scheduler is not None and self.kind not in ("auto", "dask"):
            raise OptionError(
                "scheduler", f"a Dask scheduler address needs the dask executor, not {self.kind!r}"
            )

    def resolved(self, n_items: int) -> ExecutorSpec:
        """The concrete executor for ``n_items`` batches (``auto`` decided)."""
        kind = self.kind
        if self.scheduler is not None:
            kind = "dask"
        elif kind == "auto":
            kind = "inline" if n_items <= 1 else "processes"
        workers = self.workers or _cores()
        return ExecutorSpec(kind, workers, self.scheduler)

    def describe(self) -> str:
        """One line for logs and stored options, e.g. ``processes x2``."""
        if self.scheduler is not None:
            return f"dask {self.scheduler}"
        if self.kind == "inline":
            return "inline"
        return f"{self.kind} x{self.workers or _cores()}"


def map_batches(
    fn: Callable[[C, T], R],
    context: C,
    items: Sequence[T],
    *,
    executor: ExecutorSpec | None = None,
) -> Iterator[tuple[int, R]]:
    """Apply ``fn(context, item)`` to each item; yield ``(position, result)`` as each finishes.

    Parameters
    ----------
    fn
        A module-level (picklable) function.
    context
        Data every call needs (pickled once per worker).
    items
        The batches.
    executor
        Where to run (default ``auto``).

    Yields
    ------
    tuple of (int, result)
        Position of the item in ``items`` and ``fn``'s result, in completion order.

    Notes
    -----
    Closing the iterator early (an exception in the caller, ``KeyboardInterrupt``) cancels the
    tasks not yet started and shuts the pool or the local cluster down.

    Examples
    --------
    >>> def shift(context: int, item: int) -> int:
    ...     return context + item
    >>> list(map_batches(shift, 10, [1, 2, 3], executor=ExecutorSpec("inline")))
    [(0, 11), (1, 12), (2, 13)]
    """
    spec = (executor or ExecutorSpec()).resolved(len(items))
    if not items:
        return
    if spec.kind == "inline":
        for i, item in enumerate(items):
            yield i, fn(context, item)
        return
    if spec.kind == "processes":
        yield from _processes(fn, context, items, spec.workers or 1)
        return
    yield from _dask(fn, context, items, spec)


def _cores() -> int:
    return os.cpu_count() or 1


def _limit_threads(n: int) -> None:
    """Cap numba's threads in this worker (the forecast kernels run on numba)."""
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency
        return
    most = int(getattr(numba.config, "NUMBA_NUM_THREADS", 1))
    numba.set_num_threads(max(1, min(n, most)))


def _init_worker(context: object, threads: int) -> None:
    # Ctrl-C is the driver's to handle: it stops submitting, lets running batches finish and
    # shuts the pool down; workers dying of the same signal would only break the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _CONTEXT["value"] = context
    _limit_threads(threads)


def _call_in_worker(fn: Callable[[Any, T], R], item: T) -> R:
    return fn(_CONTEXT["value"], item)


def _processes(
    fn: Callable[[C, T], R], context: C, items: Sequence[T], workers: int
) -> Iterator[tuple[int, R]]:
    threads = max(1, _cores() // workers)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(context, threads),
    )
    try:
        yield from _drive(lambda item: pool.submit(_call_in_worker, fn, item), items, 2 * workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _drive(
    submit: Callable[[T], Future[R]], items: Sequence[T], window: int
) -> Iterator[tuple[int, R]]:
    """Keep at most ``window`` futures in flight; yield results as they finish."""
    pending: dict[Future[R], int] = {}
    nxt = 0
    while nxt < len(items) and len(pending) < window:
        pending[submit(items[nxt])] = nxt
        nxt += 1
    while pending:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for fut in finished:
            i = pending.pop(fut)
            result = fut.result()
            if nxt < len(items):
                pending[submit(items[nxt])] = nxt
                nxt += 1
            yield i, result


def _dask_call(fn: Callable[[Any, T], R], context: Any, item: T, threads: int) -> R:
    _limit_threads(threads)
    return fn(context, item)


def _dask(
    fn: Callable[[C, T], R], context: C, items: Sequence[T], spec: ExecutorSpec
) -> Iterator[tuple[int, R]]:
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise ImportError(
            "the dask executor needs dask[distributed]: uv pip install 'dask[distributed]'"
        ) from exc
    dist: Any = distributed  # an untyped library: its calls stay out of mypy's strict checks
    cluster: Any = None
    if spec.scheduler is None:
        cluster = dist.LocalCluster(
            n_workers=spec.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client: Any = dist.Client(cluster)
    else:
        client = dist.Client(spec.scheduler)
    try:
        n_workers = max(1, sum(client.nthreads().values()))
        threads = 1 if spec.scheduler is None else max(1, _cores() // n_workers)
        ctx = client.scatter(context, broadcast=True)
        window = 2 * n_workers
        index: dict[Any, int] = {}

        def submit(i: int) -> Any:
            fut = client.submit(_dask_call, fn, ctx, items[i], threads, pure=False)
            index[fut.key] = i
            return fut

        nxt = min(window, len(items))
        queue = dist.as_completed([submit(i) for i in range(nxt)])
        for fut in queue:
            i = index.pop(fut.key)
            result = fut.result()
            fut.release()
            if nxt < len(items):
                queue.add(submit(nxt))
                nxt += 1
            yield i, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
