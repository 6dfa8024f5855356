"""Open the run store: SQLite file by default, PostgreSQL (or any SQLAlchemy URL) by URL.

Opened for writing (the default), the schema is brought to the latest migration, so an old
store upgrades in place, and a SQLite file first passes ``PRAGMA quick_check``: a damaged store
is refused with a clear error instead of being read or written. Opened for reading
(``write=False``, as ``peaceops runs list|show|export`` do), nothing is written: a SQLite file
is opened read-only, so a store on read-only media or shared read-only can be listed.

Every database error on the engine becomes a :class:`~peaceops.errors.StoreError` of one line
that names the store with its password masked.

Concurrent writers: on PostgreSQL any number of processes may write at once. On SQLite (WAL
mode) readers never wait and writers take turns, each waiting up to 30 s for the lock; two
processes finishing the same run store its results once (see :func:`~peaceops.store.record_final`).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from peaceops.errors import Problem, ScenarioError, StoreError

__all__ = ["DEFAULT_DB", "database_url", "mask_url", "open_store"]

DEFAULT_DB = "peaceops.db"

_PASSWORD = re.compile(r"(?P<head>://[^/@:]*:)(?P<password>[^@]*)@")


def database_url(db: str | None) -> str:
    """Turn a ``--db`` value into a SQLAlchemy URL: a URL as is, a path as a SQLite file."""
    if not db:
        db = DEFAULT_DB
    if "://" in db:
        return db
    return f"sqlite:///{Path(db)}"


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (also when the URL does not parse)."""
    return _PASSWORD.sub(r"\g<head>***@", url)


def _scrub(message: str, url: str) -> str:
    """``message`` on one line, with the password of ``url`` masked wherever it appears."""
    found = _PASSWORD.search(url)
    if found and found.group("password"):
        message = message.replace(found.group("password"), "***")
    line = " ".join(message.split())
    return line if len(line) <= 300 else line[:297] + "..."


def open_store(db: str | None = None, *, write: bool = True) -> Engine:
    """Open the store at ``db`` and return its engine.

    Parameters
    ----------
    db
        A SQLite file path or a database URL (default ``./peaceops.db``).
    write
        Open for writing: create or upgrade the schema and check a SQLite file's integrity.
        ``False`` opens for reading only and writes nothing (a missing store is an error).

    Raises
    ------
    ScenarioError
        When ``db`` is not a valid database URL (bad input).
    StoreError
        When the database cannot be reached, read, migrated, or fails its integrity check.
    """
    url = database_url(db)
    shown = mask_url(url)
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018  (a malformed port only fails when read)
    except (ArgumentError, ValueError) as exc:
        reason = _scrub(str(exc).split(" from string")[0], url)
        raise ScenarioError(
            [Problem("--db", None, "", f"invalid database URL {shown!r}: {reason}")]
        ) from None
    sqlite = parsed.get_backend_name() == "sqlite"
    kwargs: dict[str, Any] = {}
    if sqlite:
        parsed = _sqlite_url(parsed, write=write)
        kwargs["connect_args"] = {"timeout": 30}
    try:
        engine = create_engine(parsed, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"cannot open the store {shown!r}: {_scrub(str(exc), url)}") from None
    event.listen(engine, "handle_error", _one_line_error(url))
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas if write else _sqlite_read_pragmas)
    try:
        if write:
            if sqlite:
                _check_integrity(engine, shown)
            _upgrade(engine)
        else:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    except StoreError as exc:
        engine.dispose()
        message = str(exc)
        if message.startswith("store "):
            raise StoreError(f"cannot open the {message}") from None
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot open the store {shown}: {_scrub(str(exc.__class__.__name__), url)}"
        ) from None
    return engine


def _sqlite_url(parsed: URL, *, write: bool) -> URL:
    database = parsed.database or ""
    if write or database in ("", ":memory:") or database.startswith("file:"):
        return parsed
    path = Path(database)
    if not path.is_file():
        raise StoreError(f"no store at {database} (run a command that records a run first)")
    return parsed.set(database=f"file:{path.resolve()}?mode=ro").update_query_dict({"uri": "true"})


def _one_line_error(url: str) -> Any:
    shown = mask_url(url)

    def handle(context: ExceptionContext) -> None:
        if isinstance(context.sqlalchemy_exception, IntegrityError):
            return  # a unique key met by a concurrent writer: the caller decides what it means
        exc = context.original_exception
        detail = _scrub(str(exc) or type(exc).__name__, url).split(" [SQL:")[0]
        raise StoreError(f"store {shown}: {type(exc).__name__}: {detail}") from None

    return handle


def _check_integrity(engine: Engine, shown: str) -> None:
    with engine.connect() as conn:
        rows = [str(r[0]) for r in conn.execute(text("PRAGMA quick_check"))]
    if rows != ["ok"]:
        first = "; ".join(rows[:3])
        raise StoreError(
            f"the store {shown} is damaged (PRAGMA quick_check: {first}); "
            "restore a backup or give another --db"
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_read_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _upgrade(engine: Engine) -> None:
    script_dir = resources.files("peaceops.store") / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(script_dir))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
