"""The run store: every run kept with its scenario, options and results (SQLAlchemy 2).

SQLite file by default (``./peaceops.db``), PostgreSQL by URL
(``postgresql+psycopg://user@host/db``). This is the only package that talks SQL.
"""

from __future__ import annotations

from sqlalchemy import Connection

from peaceops.store.engine import DEFAULT_DB, database_url, open_store
from peaceops.store.runs import (
    RunInfo,
    finish_run,
    get_run,
    list_runs,
    record_results,
    start_run,
)

__all__ = [
    "DEFAULT_DB",
    "Connection",
    "RunInfo",
    "database_url",
    "finish_run",
    "get_run",
    "list_runs",
    "open_store",
    "record_results",
    "start_run",
]
