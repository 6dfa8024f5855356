"""Sweeps started from the browser: stored batch by batch in a background thread.

The same durable protocol as ``peaceops sweep`` (and its helpers, until the workflows layer
holds them): the run and its settings are stored first,
each finished batch is written in its own transaction, and the final aggregates are computed
from what the store holds, so a sweep interrupted by a server restart is resumed (from the
page, the API or ``peaceops sweep --resume RUN``) and ends with the same aggregates as one that
ran straight through. After the sweep, a small Sobol analysis ranks the uncertain inputs by
how much they drive the output closest to even odds ("what matters most").

Progress is read from the store (batches committed), so every page and API client sees the
same figure, whichever process runs the sweep.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from peaceops.errors import PeaceopsError, Problem, ScenarioError, StoreError
from peaceops.scenario import Scenario
from peaceops.store import (
    Engine,
    StoreJournal,
    get_sweep,
    record_batch,
    record_final,
    set_run_status,
)
from peaceops.web._workbench import NotFoundError

__all__ = ["MAX_REPLICATES", "SweepJobs"]

#: Largest sweep the web server starts (larger ones: ``peaceops sweep`` with a Dask cluster).
MAX_REPLICATES = 200_000
#: Base sample of the Sobol analysis run after a sweep.
N_SENSITIVITY = 64


class _StoppedError(Exception):
    """Raised inside a sweep's batch callback when the server shuts down."""


@dataclass
class _Job:
    thread: threading.Thread
    error: str | None = None


class SweepJobs:
    """Background sweeps of one server process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._jobs: dict[int, _Job] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def start(self, s: Scenario, *, n: int, seed: int, source: str) -> int:
        """Store a new sweep of ``s`` and start it; returns its run id.

        Raises
        ------
        ScenarioError
            When ``n`` or ``seed`` is out of range.
        """
        from peaceops.sweep import plan_sweep

        problems = []
        if not 1 <= n <= MAX_REPLICATES:
            problems.append(Problem("form", None, "n", f"1..{MAX_REPLICATES:,}; got {n}"))
        if seed < 0:
            problems.append(Problem("form", None, "seed", f"must be >= 0; got {seed}"))
        if problems:
            raise ScenarioError(problems)
        plan = plan_sweep(s, n=n, seed=seed, forecast=("compromise",))
        options = {**plan.options(), "executor": "inline", "source": source}
        run_id = StoreJournal.start_plan(self.engine, s, plan, options=options).run_id
        self._launch(run_id, s, plan, (), None)
        return run_id

    def resume(self, run_id: int) -> None:
        """Continue stored sweep ``run_id`` (a no-op while it runs here or once it is done)."""
        from peaceops.store import stored_plan
        from peaceops.workflows import stored_tally

        with self._lock:
            job = self._jobs.get(run_id)
            if job is not None and job.thread.is_alive():
                return
        self.status(run_id)  # 404 for anything but a stored sweep
        with self.engine.connect() as conn:
            info, s, plan = stored_plan(conn, run_id)
        done, initial = stored_tally(plan, StoreJournal(self.engine, run_id))
        if info.status == "done":
            return
        with self.engine.begin() as conn:
            set_run_status(conn, run_id, "running")
        self._launch(run_id, s, plan, done, initial)

    def status(self, run_id: int) -> dict[str, Any]:
        """Progress of sweep ``run_id`` as stored, and whether it runs in this process."""
        try:
            with self.engine.connect() as conn:
                info = get_sweep(conn, run_id)
        except StoreError as exc:
            raise NotFoundError(str(exc)) from exc
        with self._lock:
            job = self._jobs.get(run_id)
        alive = job is not None and job.thread.is_alive()
        status = info.status
        if status == "running" and not alive and job is None:
            status = "stalled"  # started by a process that is gone: resume it
        return {
            "run": run_id,
            "status": status,
            "n": info.n,
            "seed": info.seed,
            "replicates_done": info.replicates_done,
            "batches_done": info.batches_done,
            "n_batches": info.n_batches,
            "fraction": info.replicates_done / info.n if info.n else 1.0,
            "running_here": alive,
            "error": job.error if job else None,
            "resumable": status in ("stalled", "interrupted", "failed") and not alive,
        }

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop running sweeps after their current batch (they stay resumable)."""
        self._stop.set()
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.thread.join(timeout)

    def _launch(self, run_id: int, s: Scenario, plan: Any, done: Any, initial: Any) -> None:
        job = _Job(threading.Thread(target=lambda: None))
        job.thread = threading.Thread(
            target=self._run,
            args=(job, run_id, s, plan, done, initial),
            name=f"sweep-{run_id}",
            daemon=True,
        )
        with self._lock:
            self._jobs[run_id] = job
        job.thread.start()

    def _run(self, job: _Job, run_id: int, s: Scenario, plan: Any, done: Any, initial: Any) -> None:
        from peaceops.sweep import ExecutorSpec, execute_sweep

        def sink(result: Any) -> None:
            with self.engine.begin() as conn:
                record_batch(conn, run_id, **result.to_record())
            if self._stop.is_set():
                raise _StoppedError

        try:
            execute_sweep(
                plan,
                executor=ExecutorSpec("inline"),
                done=done,
                initial=initial,
                on_batch=sink,
            )
            self._finish(run_id, s, plan)
        except _StoppedError:
            with self.engine.begin() as conn:
                set_run_status(conn, run_id, "interrupted")
        except (PeaceopsError, ValueError, RuntimeError, MemoryError) as exc:
            job.error = f"{exc.__class__.__name__}: {exc}"
            with self.engine.begin() as conn:
                set_run_status(conn, run_id, "failed")

    def _finish(self, run_id: int, s: Scenario, plan: Any) -> None:
        from peaceops.sweep import sobol_sensitivity
        from peaceops.sweep.montecarlo import sweep_result
        from peaceops.workflows import stored_tally
        from peaceops.workflows.analysis import sensitivity_target

        # the aggregates come from what the store holds
        _, total = stored_tally(plan, StoreJournal(self.engine, run_id))
        result = sweep_result(plan, total)
        sections = result.to_rows()
        parties = [p for p in (s.planning.host, s.planning.adversary) if p]
        sections["sweep_options"] = result.option_rows(parties=parties)
        target = sensitivity_target(result, None)
        if target is not None:
            sens = sobol_sensitivity(
                s, output=target, n=N_SENSITIVITY, seed=plan.seed, grouping="actor"
            )
            sections["what_matters_most"] = [{"output": target, **r} for r in sens.to_rows()]
        with self.engine.begin() as conn:  # once, even if two finish the same run
            record_final(conn, run_id, sections)
