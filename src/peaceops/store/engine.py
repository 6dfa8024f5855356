"""Open the run store: SQLite file by default, PostgreSQL (or any SQLAlchemy URL) by URL.

The schema is brought to the latest migration on open, so an old store upgrades in place.
SQLite stores are opened with foreign keys on and write-ahead logging.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from peaceops.errors import StoreError

__all__ = ["DEFAULT_DB", "database_url", "open_store"]

DEFAULT_DB = "peaceops.db"


def database_url(db: str | None) -> str:
    """Turn a ``--db`` value into a SQLAlchemy URL: a URL as is, a path as a SQLite file."""
    if not db:
        db = DEFAULT_DB
    if "://" in db:
        return db
    return f"sqlite:///{Path(db)}"


def open_store(db: str | None = None) -> Engine:
    """Open (creating or upgrading as needed) the store at ``db`` and return its engine.

    Raises
    ------
    StoreError
        When the URL is malformed, the database cannot be reached or migrated.
    """
    url = database_url(db)
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018  (a malformed port only fails when read)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"invalid database URL {url!r}: {exc}") from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": 30}
    try:
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"cannot open the store {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot open the store {_safe(url)}: {exc.__class__.__name__}: {exc}"
        ) from exc
    return engine


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _upgrade(engine: Engine) -> None:
    script_dir = resources.files("peaceops.store") / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(script_dir))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
