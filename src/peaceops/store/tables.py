"""The run store's tables (SQLAlchemy 2 Core); their history lives in ``migrations/``.

- ``scenarios``: each distinct scenario once, as canonical JSON keyed by its SHA-256 hash.
- ``runs``: one row per command run: kind, scenario hash, package version, seed, options,
  start and end time, status.
- ``run_results``: the rows a run produced, by section (``to_rows()`` of each result).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["metadata", "run_results", "runs", "scenarios"]

metadata = MetaData()

scenarios = Table(
    "scenarios",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("scenario_id", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("canonical_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("scenario_hash", String(64), ForeignKey("scenarios.hash"), nullable=False),
    Column("package_version", String(64), nullable=False),
    Column("seed", Integer, nullable=True),
    Column("options", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)

run_results = Table(
    "run_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("section", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("row", JSON, nullable=False),
)
Index("ix_run_results_run_section", run_results.c.run_id, run_results.c.section)
