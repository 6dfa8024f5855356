"""The run store: every run kept with its scenario, options and results (SQLAlchemy 2).

SQLite file by default (``./peaceops.db``), PostgreSQL by URL
(``postgresql+psycopg://user@host/db``). This is the only package that talks SQL.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from peaceops.store.engine import DEFAULT_DB, database_url, mask_url, open_store
from peaceops.store.journal import StoreJournal, stored_plan
from peaceops.store.runs import (
    RunInfo,
    finish_run,
    get_run,
    list_runs,
    record_final,
    record_results,
    start_run,
    start_scenario_run,
)
from peaceops.store.sweeps import (
    StoredBatch,
    SweepInfo,
    get_sweep,
    iter_batches,
    record_batch,
    scenario_json,
    set_run_status,
    start_sweep,
)
from peaceops.store.versions import (
    VersionConflictError,
    VersionInfo,
    get_version,
    latest_version,
    list_versions,
    save_version,
)

__all__ = [
    "DEFAULT_DB",
    "Connection",
    "Engine",
    "RunInfo",
    "StoreJournal",
    "StoredBatch",
    "SweepInfo",
    "VersionConflictError",
    "VersionInfo",
    "database_url",
    "finish_run",
    "get_run",
    "get_sweep",
    "get_version",
    "iter_batches",
    "latest_version",
    "list_runs",
    "list_versions",
    "mask_url",
    "open_store",
    "record_batch",
    "record_final",
    "record_results",
    "save_version",
    "scenario_json",
    "set_run_status",
    "start_run",
    "start_scenario_run",
    "start_sweep",
    "stored_plan",
]
