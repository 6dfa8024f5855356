"""The documented behaviour of a SQLite store shared by processes (docs/reliability.md, 3).

WAL mode: a reader never waits for a writer. A process holds the write lock in an open
transaction (``BEGIN IMMEDIATE``, as a sweep storing a batch does) while ``peaceops runs list``
and ``runs show`` read the store: they must answer at once, from the last committed state.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from typer.testing import CliRunner

from peaceops.cli.app import app
from peaceops.scenario import parse_scenario
from peaceops.store import finish_run, open_store, start_scenario_run
from peaceops_testing import template_text

runner = CliRunner()


def test_readers_do_not_wait_for_a_writer_holding_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    engine = open_store(str(db))
    with engine.begin() as conn:
        run_id = start_scenario_run(
            conn, parse_scenario(template_text()), kind="run", seed=1, options={}
        )
        finish_run(conn, run_id)
    engine.dispose()
    warm = runner.invoke(app, ["runs", "show", str(run_id), "--db", str(db)])  # imports
    assert warm.exit_code == 0, warm.output + warm.stderr
    writer = sqlite3.connect(db, timeout=0)
    try:
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        writer.execute("BEGIN IMMEDIATE")  # the write lock, held until rollback
        writer.execute("UPDATE runs SET status = 'running' WHERE id = ?", (run_id,))
        for argv in (["runs", "list"], ["runs", "show", str(run_id)]):
            start = time.perf_counter()
            result = runner.invoke(app, [*argv, "--db", str(db), "--format", "json"])
            elapsed = time.perf_counter() - start
            assert result.exit_code == 0, result.output + result.stderr
            assert elapsed < 20.0  # a reader that waited would wait the 30 s busy timeout
        listed = runner.invoke(app, ["runs", "list", "--db", str(db), "--format", "csv"])
        assert ",done," in listed.output  # the committed state, not the writer's change
        # a second writer is refused while the lock is held (here at once: timeout=0)
        other = sqlite3.connect(db, timeout=0)
        try:
            try:
                other.execute("BEGIN IMMEDIATE")
                locked = False
            except sqlite3.OperationalError as exc:
                locked = "locked" in str(exc)
            assert locked
        finally:
            other.close()
    finally:
        writer.rollback()
        writer.close()
