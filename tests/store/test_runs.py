"""The run store on SQLite and on a real PostgreSQL server started by the tests."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from peaceops.errors import ScenarioError, StoreError
from peaceops.store import (
    database_url,
    finish_run,
    get_run,
    list_runs,
    open_store,
    record_results,
    start_run,
)


def _start(conn, *, scenario_hash: str = "a" * 64, seed: int = 7) -> int:  # type: ignore[no-untyped-def]
    return start_run(
        conn,
        kind="run",
        scenario_id="demo",
        scenario_name="Demo",
        scenario_hash=scenario_hash,
        canonical_json='{"id":"demo"}',
        package_version="0.1.0",
        seed=seed,
        options={"seed": seed, "n": 3},
    )


def test_open_creates_every_table(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        names = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"scenarios", "runs", "run_results", "alembic_version"} <= names


def test_run_round_trip_keeps_rows_in_order(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            run_id = _start(conn)
            record_results(conn, run_id, "actors", [{"actor": "GBR"}, {"actor": "FRA"}])
            record_results(conn, run_id, "actors", [{"actor": "UKR"}])
            record_results(conn, run_id, "venues", [{"venue": "UNSC", "n": 15}])
            finish_run(conn, run_id)
        with engine.connect() as conn:
            info, sections = get_run(conn, run_id)
            listed = list_runs(conn)
    finally:
        engine.dispose()
    assert info.status == "done"
    assert info.seed == 7
    assert info.options == {"seed": 7, "n": 3}
    assert info.n_rows == 4
    assert sections["actors"] == [{"actor": "GBR"}, {"actor": "FRA"}, {"actor": "UKR"}]
    assert sections["venues"] == [{"venue": "UNSC", "n": 15}]
    assert [r.id for r in listed] == [run_id]


def test_same_scenario_is_stored_once(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            first = _start(conn)
            second = _start(conn, seed=8)
        with engine.connect() as conn:
            n = conn.execute(text("SELECT COUNT(*) FROM scenarios")).scalar_one()
            runs = list_runs(conn)
    finally:
        engine.dispose()
    assert n == 1
    assert [r.id for r in runs] == [second, first]


def test_failed_transaction_writes_nothing(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with pytest.raises(RuntimeError), engine.begin() as conn:
            _start(conn)
            raise RuntimeError("boom")
        with engine.connect() as conn:
            assert list_runs(conn) == []
    finally:
        engine.dispose()


def test_unknown_run_is_a_store_error(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.connect() as conn, pytest.raises(StoreError, match="no run with id 42"):
            get_run(conn, 42)
    finally:
        engine.dispose()


def test_reopening_an_existing_store_keeps_its_runs(store_url: str) -> None:
    engine = open_store(store_url)
    with engine.begin() as conn:
        run_id = _start(conn)
    engine.dispose()
    engine = open_store(store_url)
    try:
        with engine.connect() as conn:
            assert [r.id for r in list_runs(conn)] == [run_id]
    finally:
        engine.dispose()


def test_path_becomes_sqlite_url_and_url_is_kept() -> None:
    assert database_url(None) == "sqlite:///peaceops.db"
    assert database_url("runs/x.db") == "sqlite:///runs/x.db"
    url = "postgresql+psycopg://u@h/db"
    assert database_url(url) == url


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_malformed_url_is_an_input_error() -> None:
    with pytest.raises(ScenarioError, match="invalid database URL"):
        open_store("postgresql+psycopg://u@h:notaport/db")


def test_unknown_database_kind_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open the store 'notadialect://x'"):
        open_store("notadialect://x")
