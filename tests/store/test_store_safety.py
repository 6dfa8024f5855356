"""A store safe to share: results once under racing writers, read-only use, no leaked password,
a damaged SQLite file refused."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peaceops.errors import ScenarioError, StoreError
from peaceops.store import get_run, list_runs, open_store, record_final, start_run
from peaceops.store.tables import run_results

SECTIONS = {"options": [{"k": i} for i in range(300)], "forecast": [{"v": 1}, {"v": 2}]}

_RACER = """
import sys, time
from peaceops.store import open_store, record_final
url, run_id, at = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
sections = {"options": [{"k": i} for i in range(300)], "forecast": [{"v": 1}, {"v": 2}]}
engine = open_store(url)
while time.time() < at:
    time.sleep(0.001)
with engine.begin() as conn:
    print(record_final(conn, run_id, sections))
engine.dispose()
"""


def _new_run(url: str) -> int:
    engine = open_store(url)
    with engine.begin() as conn:
        run_id = start_run(
            conn,
            kind="sweep",
            scenario_id="demo",
            scenario_name="Demo",
            scenario_hash="b" * 64,
            canonical_json="{}",
            package_version="0",
            seed=1,
            options={},
        )
    engine.dispose()
    return run_id


def _n_rows(url: str, run_id: int) -> int:
    engine = open_store(url)
    with engine.connect() as conn:
        n = conn.execute(
            select(func.count()).select_from(run_results).where(run_results.c.run_id == run_id)
        ).scalar_one()
    engine.dispose()
    return int(n)


def test_two_processes_finishing_a_run_store_its_results_once(store_url: str) -> None:
    run_id = _new_run(store_url)
    at = time.time() + 4  # both processes have imported and connected by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, store_url, str(run_id), str(at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = sorted(p.communicate(timeout=120)[0].strip() for p in procs)
    assert all(p.returncode == 0 for p in procs)
    assert outcomes == ["False", "True"]  # one process wrote, the other found the run done
    assert _n_rows(store_url, run_id) == 302


def test_recording_final_results_twice_writes_once(store_url: str) -> None:
    run_id = _new_run(store_url)
    engine = open_store(store_url)
    with engine.begin() as conn:
        assert record_final(conn, run_id, SECTIONS)
    with engine.begin() as conn:
        assert not record_final(conn, run_id, SECTIONS)
    with engine.connect() as conn:
        info, sections = get_run(conn, run_id)
    engine.dispose()
    assert info.status == "done"
    assert len(sections["options"]) == 300


def test_store_opened_for_reading_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run_id = _new_run(str(db))
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    before = db.read_bytes()
    engine = open_store(str(db), write=False)
    with engine.connect() as conn:
        assert [r.id for r in list_runs(conn)] == [run_id]
    with pytest.raises(StoreError, match="readonly"), engine.begin() as conn:
        record_final(conn, run_id, SECTIONS)
    engine.dispose()
    assert db.read_bytes() == before


def test_missing_store_opened_for_reading_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        open_store(str(tmp_path / "absent.db"), write=False)


def test_damaged_sqlite_store_is_refused_when_opened_for_writing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _new_run(str(db))
    data = bytearray(db.read_bytes())
    page = 4096
    data[page : 3 * page] = b"\xa5" * (2 * page)  # pages overwritten mid-file
    db.write_bytes(bytes(data))
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    with pytest.raises(StoreError, match=r"damaged|malformed|not a database") as info:
        open_store(str(db))
    assert "\n" not in str(info.value)


def test_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError) as info:
        open_store(str(db))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://alice:S3cretPw@127.0.0.1:1/db?connect_timeout=2",
        "postgresql+psycopg://alice:S3cretPw@host:notaport/db",
        "postgresql+psycopg://alice:S3cretPw@[::1/db",
        "nosuchdialect://alice:S3cretPw@host/db",
        "postgresql+nosuchdriver://alice:S3cretPw@host/db",
    ],
)
def test_password_never_appears_in_an_error(url: str) -> None:
    with pytest.raises((StoreError, ScenarioError)) as info:
        open_store(url)
    message = str(info.value)
    assert "S3cretPw" not in message
    assert "***" in message
    assert len(message.strip().splitlines()) <= 2  # ScenarioError: header and one problem


def test_migration_0003_removes_results_stored_twice(tmp_path: Path) -> None:
    from importlib import resources

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    db = tmp_path / "old.db"
    old = create_engine(f"sqlite:///{db}")
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("peaceops.store") / "migrations"))
    with old.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(text("INSERT INTO scenarios VALUES ('h', 's', 'n', '{}', '2025-01-01')"))
        conn.execute(
            text(
                "INSERT INTO runs (kind, scenario_hash, package_version, seed, options, status,"
                " started_at) VALUES ('sweep', 'h', '0', 1, '{}', 'done', '2025-01-01')"
            )
        )
        for _ in range(2):  # what two racing resumes used to leave
            for position in range(3):
                conn.execute(
                    text(
                        "INSERT INTO run_results (run_id, section, position, row)"
                        f" VALUES (1, 's', {position}, '{{}}')"
                    )
                )
    old.dispose()
    assert _n_rows(str(db), 1) == 3
