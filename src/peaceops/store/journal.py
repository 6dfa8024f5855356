"""The run store as the journal of a durable sweep (:class:`peaceops.workflows.SweepJournal`).

Each finished batch is written in its own transaction, so a sweep killed at any moment keeps
every batch that committed and nothing of the one in flight. Batch contents stay opaque bytes
here: the sweep engine writes and reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine

from peaceops.scenario import Scenario
from peaceops.store.runs import record_final, start_scenario_run
from peaceops.store.sweeps import (
    SweepInfo,
    get_sweep,
    iter_batches,
    record_batch,
    scenario_json,
    set_run_status,
    start_sweep,
)

if TYPE_CHECKING:
    from peaceops.sweep import SweepPlan

__all__ = ["StoreJournal", "stored_plan"]


@dataclass(frozen=True)
class StoreJournal:
    """Sweep run ``run_id`` in the store behind ``engine``."""

    engine: Engine
    run_id: int

    @classmethod
    def start(
        cls,
        engine: Engine,
        scenario: Scenario,
        *,
        seed: int,
        n: int,
        batch_size: int,
        n_batches: int,
        plan: dict[str, Any],
        outputs: dict[str, list[str]],
        options: dict[str, Any],
    ) -> StoreJournal:
        """Record a new sweep run and return its journal."""
        with engine.begin() as conn:
            run_id = start_scenario_run(conn, scenario, kind="sweep", seed=seed, options=options)
            start_sweep(
                conn,
                run_id,
                n=n,
                seed=seed,
                batch_size=batch_size,
                n_batches=n_batches,
                plan=plan,
                outputs=outputs,
            )
        return cls(engine, run_id)

    @classmethod
    def start_plan(
        cls, engine: Engine, scenario: Scenario, plan: SweepPlan, *, options: dict[str, Any]
    ) -> StoreJournal:
        """Record a new sweep run of ``plan`` (its seed, size, batches and outputs).

        ``options`` are the run's recorded options (the plan's own are stored beside them).
        """
        from peaceops.workflows import sweep_outputs

        return cls.start(
            engine,
            scenario,
            seed=plan.seed,
            n=plan.n,
            batch_size=plan.batch_size,
            n_batches=len(plan.batches()),
            plan=plan.options(),
            outputs=sweep_outputs(plan),
            options=options,
        )

    def info(self) -> tuple[SweepInfo, str]:
        """The stored sweep's record and its scenario (canonical JSON)."""
        with self.engine.connect() as conn:
            info = get_sweep(conn, self.run_id)
            return info, scenario_json(conn, info.scenario_hash)

    def set_status(self, status: str) -> None:
        """Set the run's status (``running``, ``interrupted``, ``done``)."""
        with self.engine.begin() as conn:
            set_run_status(conn, self.run_id, status)

    def tallies(self) -> Iterator[tuple[int, bytes]]:
        """``(batch index, tally bytes)`` of every stored batch."""
        with self.engine.connect() as conn:
            for stored in iter_batches(conn, self.run_id, outputs=False):
                yield stored.batch, stored.tally

    def record(self, *, batch: int, first: int, stop: int, tally: bytes, outputs: bytes) -> None:
        """Store one finished batch in its own transaction."""
        with self.engine.begin() as conn:
            record_batch(
                conn, self.run_id, batch=batch, first=first, stop=stop, tally=tally, outputs=outputs
            )

    def interrupted(self) -> int:
        """Mark the run interrupted; the replicates stored."""
        with self.engine.begin() as conn:
            set_run_status(conn, self.run_id, "interrupted")
            return get_sweep(conn, self.run_id).replicates_done

    def finish(self, sections: dict[str, list[dict[str, Any]]]) -> None:
        """Store the final results and mark the run done, once: of two resumes that finish
        together, the second writes nothing (:func:`peaceops.store.runs.record_final`)."""
        with self.engine.begin() as conn:
            record_final(conn, self.run_id, sections)


def stored_plan(conn: Connection, run_id: int) -> tuple[SweepInfo, Scenario, SweepPlan]:
    """The stored sweep ``run_id``: its record, its scenario and the plan that rebuilds it.

    Raises
    ------
    StoreError
        When the run is not a sweep, or this version of peaceops would compute other outputs.
    """
    from peaceops.workflows import plan_from_record

    info = get_sweep(conn, run_id)
    s, plan = plan_from_record(
        run_id,
        scenario_json(conn, info.scenario_hash),
        n=info.n,
        seed=info.seed,
        batch_size=info.batch_size,
        options=info.plan,
        outputs=info.outputs,
    )
    return info, s, plan
