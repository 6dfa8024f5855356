"""Sweeps in the run store: the sweep's settings and its finished batches.

A sweep is a run (``runs`` row of kind ``sweep``, written by :func:`~peaceops.store.start_run`)
plus a ``sweeps`` row (:func:`start_sweep`) and one ``sweep_batches`` row per finished batch
(:func:`record_batch`). The caller writes each batch in its own transaction
(``with engine.begin() as conn: record_batch(conn, ...)``): a sweep killed at any moment keeps
every batch that committed and nothing of the one in flight, and ``(run_id, batch)`` is unique,
so a resumed sweep neither loses nor repeats a replicate. Batch contents are opaque bytes here
(compressed NumPy archives that :mod:`peaceops.sweep` writes and reads): the store keeps them,
the sweep engine interprets them, and neither imports the other.

Every function takes a connection first; reads stream rows one batch at a time, so memory does
not grow with the number of batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from peaceops.errors import StoreError
from peaceops.store.tables import runs, scenarios, sweep_batches, sweeps

__all__ = [
    "StoredBatch",
    "SweepInfo",
    "get_sweep",
    "iter_batches",
    "record_batch",
    "scenario_json",
    "set_run_status",
    "start_sweep",
]


@dataclass(frozen=True)
class SweepInfo:
    """A stored sweep's settings and progress.

    Attributes
    ----------
    run_id
        The sweep's run.
    n, seed, batch_size, n_batches
        Replicates, root seed, replicates per batch, batches.
    plan
        The plan's options as stored (JSON).
    outputs
        Output names by block (``flags``, ``values``), in column order.
    batches_done, replicates_done
        Finished batches and the replicates they hold.
    status
        The run's status (``running``, ``interrupted``, ``done``).
    scenario_hash
        The swept scenario.
    """

    run_id: int
    n: int
    seed: int
    batch_size: int
    n_batches: int
    plan: dict[str, Any]
    outputs: dict[str, list[str]]
    batches_done: int
    replicates_done: int
    status: str
    scenario_hash: str


@dataclass(frozen=True)
class StoredBatch:
    """One finished batch as stored: replicates ``first .. stop - 1`` and its two blobs."""

    batch: int
    first: int
    stop: int
    tally: bytes
    outputs: bytes


def start_sweep(
    conn: Connection,
    run_id: int,
    *,
    n: int,
    seed: int,
    batch_size: int,
    n_batches: int,
    plan: Mapping[str, Any],
    outputs: Mapping[str, Sequence[str]],
) -> None:
    """Record the settings of sweep ``run_id`` (its run row must exist, kind ``sweep``)."""
    conn.execute(
        insert(sweeps).values(
            run_id=run_id,
            n=n,
            seed=str(seed),
            batch_size=batch_size,
            n_batches=n_batches,
            plan=dict(plan),
            outputs={k: list(v) for k, v in outputs.items()},
        )
    )


def record_batch(
    conn: Connection,
    run_id: int,
    *,
    batch: int,
    first: int,
    stop: int,
    tally: bytes,
    outputs: bytes,
) -> bool:
    """Store a finished batch; ``False`` (and nothing written) if it is already stored.

    Batches are deterministic, so a batch stored twice (two processes resuming the same run)
    would be identical: the second copy is skipped through the unique ``(run_id, batch)`` key
    (``INSERT ... ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL, no savepoint: the
    SQLite driver would commit a savepoint opened first in a transaction on its release).
    """
    values = {
        "run_id": run_id,
        "batch": batch,
        "first_replicate": first,
        "stop_replicate": stop,
        "tally": tally,
        "outputs": outputs,
        "finished_at": dt.datetime.now(dt.UTC),
    }
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        module = sqlite if dialect == "sqlite" else postgresql
        stmt = module.insert(sweep_batches).values(**values)
        stmt = stmt.on_conflict_do_nothing(index_elements=["run_id", "batch"])
        return conn.execute(stmt.returning(sweep_batches.c.id)).first() is not None
    exists = conn.execute(
        select(sweep_batches.c.id).where(
            sweep_batches.c.run_id == run_id, sweep_batches.c.batch == batch
        )
    ).first()
    if exists is not None:
        return False
    try:
        conn.execute(insert(sweep_batches).values(**values))
    except IntegrityError as exc:
        raise StoreError(f"batch {batch} of run {run_id} was stored concurrently: {exc}") from exc
    return True


def get_sweep(conn: Connection, run_id: int) -> SweepInfo:
    """The settings and progress of sweep ``run_id``.

    Raises
    ------
    StoreError
        When run ``run_id`` does not exist or is not a sweep.
    """
    row = conn.execute(
        select(sweeps, runs.c.status, runs.c.scenario_hash, runs.c.kind)
        .join(runs, runs.c.id == sweeps.c.run_id)
        .where(sweeps.c.run_id == run_id)
    ).first()
    if row is None:
        kind = conn.execute(select(runs.c.kind).where(runs.c.id == run_id)).scalar()
        if kind is None:
            raise StoreError(f"no run with id {run_id} in the store")
        raise StoreError(f"run {run_id} is a {kind!r} run, not a sweep")
    done, replicates = conn.execute(
        select(
            func.count(),
            func.coalesce(
                func.sum(sweep_batches.c.stop_replicate - sweep_batches.c.first_replicate), 0
            ),
        ).where(sweep_batches.c.run_id == run_id)
    ).one()
    return SweepInfo(
        run_id=run_id,
        n=row.n,
        seed=int(row.seed),
        batch_size=row.batch_size,
        n_batches=row.n_batches,
        plan=dict(row.plan),
        outputs={k: list(v) for k, v in row.outputs.items()},
        batches_done=int(done),
        replicates_done=int(replicates),
        status=row.status,
        scenario_hash=row.scenario_hash,
    )


def iter_batches(conn: Connection, run_id: int, *, outputs: bool = True) -> Iterator[StoredBatch]:
    """The stored batches of sweep ``run_id`` in batch order, streamed one row at a time.

    With ``outputs=False`` the (large) per-replicate outputs are not read (``b""``).
    """
    cols = [
        sweep_batches.c.batch,
        sweep_batches.c.first_replicate,
        sweep_batches.c.stop_replicate,
        sweep_batches.c.tally,
    ]
    if outputs:
        cols.append(sweep_batches.c.outputs)
    stmt = (
        select(*cols)
        .where(sweep_batches.c.run_id == run_id)
        .order_by(sweep_batches.c.batch)
        .execution_options(yield_per=8)
    )
    for row in conn.execute(stmt):
        yield StoredBatch(
            batch=int(row.batch),
            first=int(row.first_replicate),
            stop=int(row.stop_replicate),
            tally=bytes(row.tally),
            outputs=bytes(row.outputs) if outputs else b"",
        )


def scenario_json(conn: Connection, scenario_hash: str) -> str:
    """The canonical JSON of a stored scenario.

    Raises
    ------
    StoreError
        When no scenario has that hash.
    """
    text = conn.execute(
        select(scenarios.c.canonical_json).where(scenarios.c.hash == scenario_hash)
    ).scalar()
    if text is None:
        raise StoreError(f"no scenario with hash {scenario_hash[:12]} in the store")
    return str(text)


def set_run_status(conn: Connection, run_id: int, status: str) -> None:
    """Set run ``run_id``'s status (``running`` again on resume, ``interrupted`` on Ctrl-C).

    ``finished_at`` is cleared for ``running`` and set to now otherwise; to finish a run use
    :func:`~peaceops.store.record_final`. A run that is ``done`` stays done: a process that
    resumed it while another finished it cannot reopen it and store its results again.
    """
    stamp = None if status == "running" else dt.datetime.now(dt.UTC)
    result = conn.execute(
        update(runs)
        .where(runs.c.id == run_id, runs.c.status != "done")
        .values(status=status, finished_at=stamp)
    )
    if result.rowcount == 0 and (
        conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None
    ):
        raise StoreError(f"no run with id {run_id} in the store")
