"""Independent work on the machine's other core: a forked child process, or later in this one.

An analysis has two branches that share nothing but the frozen scenario (the option matrix and
what depends on it; the sweep, its sensitivity analysis and the patched scenarios' option
matrices). :class:`SideTask` runs ``work(receive)`` in a child forked from this process, so
it starts at once with everything already imported, and hands its pickled result back through
a pipe; ``receive()`` returns the one message the parent sends (:meth:`SideTask.send`), for
work that needs a small result of the main branch late in its course.

Results are the same bits wherever the work runs: it is a pure function of its arguments and
the message, and every random step draws from its own seeded stream. So the child is only an
optimisation, and it is skipped whenever forking is not safe or not possible: without
``os.fork`` (Windows), when this process runs other Python threads (a fork copies their held
locks, not the threads), inside a child already, or with ``PEACEOPS_SIDE=inline``. The work
then runs here, in :meth:`SideTask.result`. A child that fails in any way (an error, a
result that cannot be pickled, a killed process) is not trusted to explain itself: the work is
run again here, so the error a caller sees is the one the inline run raises.
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, Generic, TypeVar

__all__ = ["SideTask"]

T = TypeVar("T")
Receive = Callable[[], Any]

_UNSENT = object()
_IN_CHILD = {"flag": False}


class SideTask(Generic[T]):
    """``work(receive)`` started in a forked child when that is safe (and ``fork``), else
    run on demand.

    Examples
    --------
    >>> task = SideTask(lambda receive: sum(range(10)) + receive())
    >>> task.send(5)
    >>> task.result()
    50
    """

    def __init__(self, work: Callable[[Receive], T], *, fork: bool = True) -> None:
        self._work = work
        self._message: Any = _UNSENT
        self._pid: int | None = None
        self._result_fd = self._message_fd = -1
        if fork and _can_fork():
            self._start()

    @property
    def forked(self) -> bool:
        """Whether a child process is doing the work."""
        return self._pid is not None

    def send(self, message: Any) -> None:
        """Hand ``message`` to the work's ``receive()`` (once)."""
        self._message = message
        if self._pid is not None:
            data = pickle.dumps(message)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(self._message_fd, view) :]
            except OSError:  # the child is gone: result() runs the work here
                pass
            os.close(self._message_fd)
            self._message_fd = -1

    def result(self) -> T:
        """The work's result (waits for the child; runs the work here if it could not)."""
        if self._pid is not None:
            data = _read_all(self._result_fd)
            os.close(self._result_fd)
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            self._close_message()
            if os.waitstatus_to_exitcode(status) == 0 and data:
                try:
                    ok, value = pickle.loads(data)
                except Exception:  # anything wrong: compute it here
                    ok = False
                if ok:
                    return value  # type: ignore[no-any-return]
        return self._work(self._receive_here)

    def close(self) -> None:
        """Stop a child still running (the caller failed or was interrupted)."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
            os.close(self._result_fd)
            self._close_message()

    def _receive_here(self) -> Any:
        if self._message is _UNSENT:
            raise RuntimeError("the side task needs a message that was never sent")
        return self._message

    def _close_message(self) -> None:
        if self._message_fd >= 0:
            os.close(self._message_fd)
            self._message_fd = -1

    def _start(self) -> None:
        result_r, result_w = os.pipe()
        message_r, message_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(result_r)
            os.close(message_w)
            _child(self._work, message_r, result_w)
        os.close(result_w)
        os.close(message_r)
        self._pid, self._result_fd, self._message_fd = pid, result_r, message_w


def _can_fork() -> bool:
    if os.environ.get("PEACEOPS_SIDE", "") == "inline" or _IN_CHILD["flag"]:
        return False
    if not hasattr(os, "fork") or sys.platform == "win32":
        return False
    return threading.active_count() == 1


def _child(work: Callable[[Receive], Any], message_fd: int, result_fd: int) -> None:
    """Run ``work`` in the forked child, write ``(ok, result)`` and leave without clean-up."""
    code = 1
    try:
        _IN_CHILD["flag"] = True
        # fresh standard streams: the parent's objects may hold buffered text of its own
        sys.stdout = open(os.dup(1), "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        sys.stderr = open(os.dup(2), "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        cache: list[Any] = []

        def receive() -> Any:
            if not cache:
                data = _read_all(message_fd)
                if not data:
                    raise RuntimeError("the parent sent no message")
                cache.append(pickle.loads(data))
            return cache[0]

        try:
            payload = _dumps((True, work(receive)))
        except BaseException:  # the parent runs the work again and reports
            payload = pickle.dumps((False, None))
        view = memoryview(payload)
        while view:
            view = view[os.write(result_fd, view) :]
        code = 0
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _read_only, (dict(proxy),)


def _read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


_DISPATCH = {**copyreg.dispatch_table, MappingProxyType: _proxy}


def _dumps(value: Any) -> bytes:
    """``pickle.dumps`` that also carries read-only mappings (frozen results hold them)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
