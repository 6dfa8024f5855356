"""Record runs and read them back. Every function takes a connection first; writes happen in
the caller's transaction (``with engine.begin() as conn: ...``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from peaceops.errors import StoreError
from peaceops.scenario import Scenario, canonical_json, scenario_hash
from peaceops.store.tables import run_results, runs, scenarios

__all__ = [
    "RunInfo",
    "finish_run",
    "get_run",
    "list_runs",
    "record_final",
    "record_results",
    "start_run",
    "start_scenario_run",
]


@dataclass(frozen=True)
class RunInfo:
    """A stored run's metadata."""

    id: int
    kind: str
    scenario_id: str
    scenario_hash: str
    package_version: str
    seed: int | None
    options: dict[str, Any]
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    n_rows: int

    def to_row(self) -> dict[str, Any]:
        """Flat row for tables and exports."""
        return {
            "run": self.id,
            "kind": self.kind,
            "scenario": self.scenario_id,
            "scenario_hash": self.scenario_hash[:12],
            "version": self.package_version,
            "seed": self.seed,
            "status": self.status,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "rows": self.n_rows,
        }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def ensure_scenario(
    conn: Connection,
    *,
    scenario_hash: str,
    scenario_id: str,
    scenario_name: str,
    canonical_json: str,
) -> None:
    """Store the scenario row of ``scenario_hash`` unless it is there; safe when two race.

    On SQLite and PostgreSQL the insert does nothing on a conflicting hash, so two writers
    that store the same scenario at once both succeed and one row remains.
    """
    values = {
        "hash": scenario_hash,
        "scenario_id": scenario_id,
        "name": scenario_name,
        "canonical_json": canonical_json,
        "created_at": _now(),
    }
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        module = sqlite if dialect == "sqlite" else postgresql
        stmt = module.insert(scenarios).values(**values)
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["hash"]))
        return
    known = conn.execute(select(scenarios.c.hash).where(scenarios.c.hash == scenario_hash)).first()
    if known is None:
        conn.execute(insert(scenarios).values(**values))


def start_run(
    conn: Connection,
    *,
    kind: str,
    scenario_id: str,
    scenario_name: str,
    scenario_hash: str,
    canonical_json: str,
    package_version: str,
    seed: int | None,
    options: Mapping[str, Any],
) -> int:
    """Insert the scenario (once per hash) and a new run with status ``running``; return its id."""
    ensure_scenario(
        conn,
        scenario_hash=scenario_hash,
        scenario_id=scenario_id,
        scenario_name=scenario_name,
        canonical_json=canonical_json,
    )
    result = conn.execute(
        insert(runs).values(
            kind=kind,
            scenario_hash=scenario_hash,
            package_version=package_version,
            seed=seed,
            options=dict(options),
            status="running",
            started_at=_now(),
        )
    )
    key = result.inserted_primary_key
    if key is None:
        raise StoreError("the store did not return the new run's id")
    return int(key[0])


def start_scenario_run(
    conn: Connection,
    scenario: Scenario,
    *,
    kind: str,
    seed: int | None,
    options: Mapping[str, Any],
    package_version: str | None = None,
) -> int:
    """:func:`start_run` for a validated scenario: its id, name, hash and canonical JSON.

    The ``runs.seed`` column is a 32-bit integer on every backend; a larger seed is recorded
    as ``None`` there and kept whole in ``options["seed"]``.
    """
    from peaceops._version import __version__

    fits = seed is not None and 0 <= seed < 2**31
    return start_run(
        conn,
        kind=kind,
        scenario_id=scenario.id,
        scenario_name=scenario.name,
        scenario_hash=scenario_hash(scenario),
        canonical_json=canonical_json(scenario),
        package_version=package_version or __version__,
        seed=seed if fits else None,
        options={**options, "seed": options.get("seed", seed)},
    )


def record_results(
    conn: Connection, run_id: int, section: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Append ``rows`` (JSON-serialisable mappings) to ``section`` of run ``run_id``."""
    start = conn.execute(
        select(func.count())
        .select_from(run_results)
        .where(run_results.c.run_id == run_id, run_results.c.section == section)
    ).scalar_one()
    if rows:
        conn.execute(
            insert(run_results),
            [
                {"run_id": run_id, "section": section, "position": start + i, "row": dict(r)}
                for i, r in enumerate(rows)
            ],
        )


def record_final(
    conn: Connection, run_id: int, sections: Mapping[str, Sequence[Mapping[str, Any]]]
) -> bool:
    """Store run ``run_id``'s final results and mark it ``done``, once.

    The run is claimed first (``UPDATE ... WHERE status <> 'done'``): of two processes that
    finish the same run at once (two ``--resume``), the second finds it done and writes
    nothing; PostgreSQL serialises the two updates on the row, SQLite on its write lock. The
    rows are then inserted at positions ``0..n-1`` of each section, and the unique
    ``(run_id, section, position)`` key skips any already there, so the results are stored
    once whatever the timing. Returns ``False`` when the run was already done.

    Raises
    ------
    StoreError
        When no run has that id.
    """
    claimed = conn.execute(
        update(runs)
        .where(runs.c.id == run_id, runs.c.status != "done")
        .values(status="done", finished_at=_now())
    ).rowcount
    if not claimed:
        if conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None:
            raise StoreError(f"no run with id {run_id} in the store")
        return False
    for section, rows in sections.items():
        _insert_once(conn, run_id, section, rows)
    return True


def _insert_once(
    conn: Connection, run_id: int, section: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    values = [
        {"run_id": run_id, "section": section, "position": i, "row": dict(r)}
        for i, r in enumerate(rows)
    ]
    if not values:
        return
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        module = sqlite if dialect == "sqlite" else postgresql
        stmt = module.insert(run_results).on_conflict_do_nothing(
            index_elements=["run_id", "section", "position"]
        )
        conn.execute(stmt, values)
        return
    stored = set(
        conn.execute(
            select(run_results.c.position).where(
                run_results.c.run_id == run_id, run_results.c.section == section
            )
        ).scalars()
    )
    fresh = [v for v in values if v["position"] not in stored]
    if fresh:
        conn.execute(insert(run_results), fresh)


def finish_run(conn: Connection, run_id: int, *, status: str = "done") -> None:
    """Mark run ``run_id`` finished with ``status``."""
    conn.execute(update(runs).where(runs.c.id == run_id).values(status=status, finished_at=_now()))


def list_runs(conn: Connection, *, limit: int = 50) -> list[RunInfo]:
    """The most recent runs first."""
    return _query(conn, None, limit)


def get_run(conn: Connection, run_id: int) -> tuple[RunInfo, dict[str, list[dict[str, Any]]]]:
    """A run's metadata and its result rows by section.

    Raises
    ------
    StoreError
        When no run has that id.
    """
    found = _query(conn, run_id, 1)
    if not found:
        raise StoreError(f"no run with id {run_id} in the store")
    sections: dict[str, list[dict[str, Any]]] = {}
    for section, row in conn.execute(
        select(run_results.c.section, run_results.c.row)
        .where(run_results.c.run_id == run_id)
        .order_by(run_results.c.section, run_results.c.position)
    ):
        sections.setdefault(section, []).append(row)
    return found[0], sections


def _query(conn: Connection, run_id: int | None, limit: int) -> list[RunInfo]:
    counts = (
        select(run_results.c.run_id, func.count().label("n"))
        .group_by(run_results.c.run_id)
        .subquery()
    )
    stmt = (
        select(runs, scenarios.c.scenario_id, func.coalesce(counts.c.n, 0).label("n_rows"))
        .join(scenarios, scenarios.c.hash == runs.c.scenario_hash)
        .outerjoin(counts, counts.c.run_id == runs.c.id)
        .order_by(runs.c.id.desc())
        .limit(limit)
    )
    if run_id is not None:
        stmt = stmt.where(runs.c.id == run_id)
    return [
        RunInfo(
            id=r.id,
            kind=r.kind,
            scenario_id=r.scenario_id,
            scenario_hash=r.scenario_hash,
            package_version=r.package_version,
            seed=r.seed,
            options=dict(r.options),
            status=r.status,
            started_at=r.started_at,
            finished_at=r.finished_at,
            n_rows=int(r.n_rows),
        )
        for r in conn.execute(stmt)
    ]
