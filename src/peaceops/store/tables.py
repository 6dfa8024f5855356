"""The run store's tables (SQLAlchemy 2 Core); their history lives in ``migrations/``.

- ``scenarios``: each distinct scenario once, as canonical JSON keyed by its SHA-256 hash.
- ``runs``: one row per command run: kind, scenario hash, package version, seed, options,
  start and end time, status.
- ``run_results``: the rows a run produced, by section (``to_rows()`` of each result);
  ``(run_id, section, position)`` is unique, so final results are stored once per run.
- ``sweeps``: one row per Monte Carlo sweep (a run of kind ``sweep``): size, seed, batching,
  the plan's options and the names of its outputs.
- ``sweep_batches``: one row per finished batch of a sweep, written in its own transaction;
  ``(run_id, batch)`` is unique, so a resumed sweep can neither lose nor repeat a replicate.
  ``tally`` holds the batch's integer aggregates, ``outputs`` its replicates' outputs (both
  compressed NumPy archives written and read by :mod:`peaceops.sweep`).
- ``scenario_versions``: every saved version of a scenario line (built-in or uploaded): its
  text, the diff from its base version and a note; ``(name, version)`` is unique, so two
  saves against the same base cannot both succeed (:mod:`peaceops.store.versions`).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "metadata",
    "run_results",
    "runs",
    "scenario_versions",
    "scenarios",
    "sweep_batches",
    "sweeps",
]

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
Index(
    "uq_run_results_run_section_position",
    run_results.c.run_id,
    run_results.c.section,
    run_results.c.position,
    unique=True,
)

sweeps = Table(
    "sweeps",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("seed", String(64), nullable=False),
    Column("batch_size", Integer, nullable=False),
    Column("n_batches", Integer, nullable=False),
    Column("plan", JSON, nullable=False),
    Column("outputs", JSON, nullable=False),
)

sweep_batches = Table(
    "sweep_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("batch", Integer, nullable=False),
    Column("first_replicate", Integer, nullable=False),
    Column("stop_replicate", Integer, nullable=False),
    Column("tally", LargeBinary, nullable=False),
    Column("outputs", LargeBinary, nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("run_id", "batch", name="uq_sweep_batches_run_batch"),
)

scenario_versions = Table(
    "scenario_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("base_version", Integer, nullable=True),
    Column("scenario_hash", String(64), ForeignKey("scenarios.hash"), nullable=False),
    Column("origin", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("diff", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("name", "version", name="uq_scenario_versions_name_version"),
)
