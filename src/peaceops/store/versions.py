"""Scenario versions: every saved edit kept with its text, its diff and a note, never
overwritten.

A *line* of versions is named after the scenario it starts from: a built-in scenario (whose
version 0 is the packaged file, not stored) or an uploaded one (version 1 is the upload). Each
save names the version it was edited from (``base``) and becomes ``latest + 1``; saving
against a base that is no longer the latest raises :class:`VersionConflictError` and writes
nothing (optimistic concurrency): two analysts who edit the same version at once cannot
silently overwrite each other, and the second one still has their text to merge and save.
The unique key ``(name, version)`` makes this hold under concurrent transactions too.

Every function takes a connection first; writes happen in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from peaceops.errors import StoreError
from peaceops.scenario import Scenario, canonical_json, scenario_hash
from peaceops.store.runs import ensure_scenario
from peaceops.store.tables import scenario_versions, scenarios

__all__ = [
    "VersionConflictError",
    "VersionInfo",
    "get_version",
    "latest_version",
    "list_versions",
    "save_version",
]


class VersionConflictError(StoreError):
    """A version was saved against a base that is no longer the latest of its line."""

    def __init__(self, name: str, base: int, latest: int) -> None:
        self.name = name
        self.base = base
        self.latest = latest
        super().__init__(
            f"scenario {name!r} was saved as version {latest} since you opened version {base}: "
            "nothing was written; reload the latest version, apply your change again and save"
        )


@dataclass(frozen=True)
class VersionInfo:
    """One stored scenario version (``text`` and ``diff`` are empty in listings)."""

    name: str
    version: int
    base_version: int | None
    scenario_id: str
    scenario_hash: str
    origin: str
    note: str
    created_at: dt.datetime
    text: str = ""
    diff: str = ""

    def to_row(self) -> dict[str, Any]:
        """Flat JSON-able row."""
        return {
            "name": self.name,
            "version": self.version,
            "base_version": self.base_version,
            "scenario": self.scenario_id,
            "scenario_hash": self.scenario_hash[:12],
            "origin": self.origin,
            "note": self.note,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


def latest_version(conn: Connection, name: str) -> int:
    """The latest stored version of line ``name`` (0 when none is stored)."""
    found = conn.execute(
        select(func.max(scenario_versions.c.version)).where(scenario_versions.c.name == name)
    ).scalar()
    return int(found or 0)


def save_version(
    conn: Connection,
    *,
    name: str,
    base: int,
    text: str,
    scenario: Scenario,
    note: str,
    origin: str,
    base_text: str = "",
) -> VersionInfo:
    """Store ``text`` (which validates as ``scenario``) as version ``base + 1`` of ``name``.

    Parameters
    ----------
    name
        The line: a built-in scenario's name or an uploaded scenario's name.
    base
        The version the text was edited from (0: the packaged file or nothing).
    text, scenario
        The scenario's YAML text and the validated scenario it loads as.
    note
        Why this version exists.
    origin
        ``upload`` or ``edit``.
    base_text
        Text of version 0, for the diff when ``base`` is 0; stored versions are read back.

    Raises
    ------
    VersionConflictError
        When ``base`` is not the latest version of ``name``; nothing is written.
    """
    latest = latest_version(conn, name)
    if base != latest:
        raise VersionConflictError(name, base, latest)
    if base > 0:
        base_text = get_version(conn, name, base).text
    digest = scenario_hash(scenario)
    now = dt.datetime.now(dt.UTC)
    diff = "".join(
        difflib.unified_diff(
            base_text.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{name} v{base}",
            tofile=f"{name} v{base + 1}",
        )
    )
    values = {
        "name": name,
        "version": base + 1,
        "base_version": base if base > 0 or base_text else None,
        "scenario_hash": digest,
        "origin": origin,
        "note": note,
        "text": text,
        "diff": diff,
        "created_at": now,
    }
    ensure_scenario(
        conn,
        scenario_hash=digest,
        scenario_id=scenario.id,
        scenario_name=scenario.name,
        canonical_json=canonical_json(scenario),
    )
    try:  # a concurrent save of the same base fails on the (name, version) key, whichever is last
        conn.execute(insert(scenario_versions).values(**values))
    except IntegrityError as exc:
        raise VersionConflictError(name, base, base + 1) from exc
    return _info(values, scenario.id)


def list_versions(conn: Connection, name: str | None = None) -> list[VersionInfo]:
    """Stored versions (of line ``name``, or of every line), newest first, without text."""
    stmt = (
        select(*_listed(), scenarios.c.scenario_id)
        .join(scenarios, scenarios.c.hash == scenario_versions.c.scenario_hash)
        .order_by(scenario_versions.c.name, scenario_versions.c.version.desc())
    )
    if name is not None:
        stmt = stmt.where(scenario_versions.c.name == name)
    return [_info(r._mapping, r.scenario_id) for r in conn.execute(stmt)]


def get_version(conn: Connection, name: str, version: int) -> VersionInfo:
    """Version ``version`` of line ``name`` with its text and diff.

    Raises
    ------
    StoreError
        When the store holds no such version.
    """
    row = conn.execute(
        select(
            *_listed(),
            scenario_versions.c.text,
            scenario_versions.c.diff,
            scenarios.c.scenario_id,
        )
        .join(scenarios, scenarios.c.hash == scenario_versions.c.scenario_hash)
        .where(scenario_versions.c.name == name, scenario_versions.c.version == version)
    ).first()
    if row is None:
        raise StoreError(f"no version {version} of scenario {name!r} in the store")
    return _info(row._mapping, row.scenario_id)


def _listed() -> list[Any]:
    c = scenario_versions.c
    return [
        c.name,
        c.version,
        c.base_version,
        c.scenario_hash,
        c.origin,
        c.note,
        c.created_at,
    ]


def _info(row: Any, scenario_id: str) -> VersionInfo:
    return VersionInfo(
        name=row["name"],
        version=int(row["version"]),
        base_version=row["base_version"],
        scenario_id=scenario_id,
        scenario_hash=row["scenario_hash"],
        origin=row["origin"],
        note=row["note"],
        created_at=row["created_at"],
        text=row.get("text", "") or "",
        diff=row.get("diff", "") or "",
    )
