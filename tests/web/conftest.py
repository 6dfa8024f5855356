"""Web fixtures: the workbench on a fresh store (SQLite and PostgreSQL, see ``store_url``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from peaceops.web import Settings, create_app


@pytest.fixture
def client(store_url: str) -> Iterator[TestClient]:
    """A test client of the workbench over a fresh store; server errors become 500 responses."""
    with TestClient(create_app(Settings(db=store_url)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def sqlite_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One workbench per module on a SQLite store (for tests of the HTTP edge, not the store)."""
    db = tmp_path_factory.mktemp("web") / "web.db"
    with TestClient(create_app(Settings(db=str(db))), raise_server_exceptions=False) as c:
        yield c
