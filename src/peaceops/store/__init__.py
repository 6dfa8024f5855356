"""The run store: every run kept with its scenario, options and results (SQLAlchemy 2).

SQLite file by default (``./peaceops.db``), PostgreSQL by URL
(``postgresql+psycopg://user@host/db``). This is the only package that talks SQL.
"""

from __future__ import annotations

from sqlalchemy import Connection

from peaceops.store.engine import DEFAULT_DB, database_url, mask_url, open_store
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

__all__ = [
    "DEFAULT_DB",
    "Connection",
    "RunInfo",
    "StoredBatch",
    "SweepInfo",
    "database_url",
    "finish_run",
    "get_run",
    "get_sweep",
    "iter_batches",
    "list_runs",
    "mask_url",
    "open_store",
    "record_batch",
    "record_final",
    "record_results",
    "scenario_json",
    "set_run_status",
    "start_run",
    "start_scenario_run",
    "start_sweep",
]
