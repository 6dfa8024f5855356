"""The analysis's side branch: same results in a forked child as in this process."""

from __future__ import annotations

import os
import threading

import pytest

from peaceops.workflows._side import SideTask


@pytest.fixture
def alone() -> None:
    """Skip when an earlier test left a thread running: this process would not fork."""
    if threading.active_count() > 1:
        pytest.skip(f"{threading.active_count() - 1} other threads run: no fork")


def _work(receive: object) -> tuple[int, object]:
    return os.getpid(), receive()  # type: ignore[operator]


def test_forked_work_returns_its_result_and_receives_the_message(alone: None) -> None:
    task = SideTask(_work)
    assert task.forked
    task.send({"best": ("a", 1.5)})
    pid, message = task.result()
    assert pid != os.getpid()
    assert message == {"best": ("a", 1.5)}


def test_inline_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEACEOPS_SIDE", "inline")
    task = SideTask(_work)
    assert not task.forked
    task.send(3)
    assert task.result() == (os.getpid(), 3)


def test_no_fork_when_told() -> None:
    task = SideTask(_work, fork=False)
    assert not task.forked
    task.send(1)
    assert task.result() == (os.getpid(), 1)


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        task = SideTask(_work)
        assert not task.forked
        task.send(None)
        assert task.result()[0] == os.getpid()
    finally:
        stop.set()
        other.join()


def test_a_failing_child_is_run_again_here_and_raises_here(alone: None) -> None:
    calls = []

    def work(receive: object) -> int:
        calls.append(os.getpid())
        raise ValueError("bad input")

    task = SideTask(work)
    assert task.forked
    with pytest.raises(ValueError, match="bad input"):
        task.result()
    assert calls == [os.getpid()]  # the child's call happened in the child


def test_a_result_that_cannot_be_pickled_is_computed_here() -> None:
    task = SideTask(lambda receive: (os.getpid(), threading.Lock()))
    pid, lock = task.result()
    assert pid == os.getpid()
    assert lock.acquire(blocking=False)


def test_close_stops_a_child_that_waits(alone: None) -> None:
    task = SideTask(lambda receive: receive())  # waits for a message never sent
    assert task.forked
    task.close()
    assert not task.forked


def test_analyse_is_the_same_forked_and_inline(
    monkeypatch: pytest.MonkeyPatch, alone: None
) -> None:
    """The inline run is the reference: the forked run must store the same rows."""
    from peaceops.io import read_builtin_patches
    from peaceops.scenario import load_scenario
    from peaceops.workflows import analyse

    s = load_scenario("ukraine-2025-04")
    kwargs = {"seed": 3, "n_replicates": 64, "n_sensitivity": 16}
    patches = read_builtin_patches(s.id)
    forked = analyse(s, patches=patches, **kwargs).to_rows()  # type: ignore[arg-type]
    monkeypatch.setenv("PEACEOPS_SIDE", "inline")
    inline = analyse(load_scenario(s.id), patches=patches, **kwargs).to_rows()  # type: ignore[arg-type]
    assert forked == inline
    assert forked["whatif"]
    assert forked["sensitivity"]
    assert forked["sweep_probabilities"]


_SCRIPT = """
import json, sys
import peaceops.workflows._side as side
forked = []
start = side.SideTask._start
def spy(self):
    forked.append(True)
    start(self)
side.SideTask._start = spy
from peaceops.io import read_builtin_patches
from peaceops.scenario import load_scenario
from peaceops.workflows import analyse
s = load_scenario("ukraine-2025-04")
a = analyse(s, seed=3, n_replicates=64, n_sensitivity=16, patches=read_builtin_patches(s.id))
print(json.dumps({"forked": bool(forked), "rows": a.to_rows()}, sort_keys=True, default=str))
"""


def test_a_fresh_process_forks_and_stores_the_rows_of_an_inline_run() -> None:
    """Whatever threads this test process runs: a fresh process forks, and its rows equal
    those of a process told to stay inline."""
    import json
    import subprocess
    import sys

    def run(**env: str) -> dict[str, object]:
        proc = subprocess.run(
            [sys.executable, "-c", _SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **env},
        )
        return json.loads(proc.stdout)  # type: ignore[no-any-return]

    forked = run()
    inline = run(PEACEOPS_SIDE="inline")
    assert forked["forked"] is True
    assert inline["forked"] is False
    assert forked["rows"] == inline["rows"]
