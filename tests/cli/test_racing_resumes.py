"""Two ``peaceops sweep --resume RUN`` of the same killed run at once leave one copy of the results.

The issue's case, end to end: a sweep stopped after 2 of its 4 batches (the state a SIGKILL
leaves: batches stored, no final results, the run not done) is resumed by two real processes
started together. Both must finish (exit 0) and print the uninterrupted sweep's result, and the
store must hold exactly the rows of one uninterrupted run (the oracle: the same sweep run once,
whole, in another store).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from peaceops_testing import template_text

SWEEP = ["-n", "400", "--batch-size", "100", "--forecast", "none", "--executor", "inline"]
QUIET = ["--no-progress", "--format", "csv"]


def _peaceops(*argv: str, cwd: Path) -> subprocess.Popen[str]:
    exe = str(Path(sys.executable).parent / "peaceops")
    return subprocess.Popen(
        [exe, *argv], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _rows(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT section, COUNT(*) FROM run_results GROUP BY section ORDER BY section"
        ).fetchall()


def test_two_racing_resumes_store_the_results_once(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(template_text())
    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    runs = [_peaceops("sweep", "demo.yaml", *SWEEP, *QUIET, "--db", str(db), cwd=tmp_path)
            for db in (whole, killed)]  # fmt: skip
    outputs = [p.communicate(timeout=600) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    expected = outputs[0][0]
    assert outputs[1][0] == expected
    once = _rows(whole)
    assert once
    assert all(n > 0 for _, n in once)

    with sqlite3.connect(killed) as conn:  # what a kill after batch 2 of 4 leaves
        conn.execute("DELETE FROM run_results WHERE run_id = 1")
        conn.execute("DELETE FROM sweep_batches WHERE run_id = 1 AND batch >= 2")
        conn.execute("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = 1")
    assert _rows(killed) == []

    racers = [_peaceops("sweep", "--resume", "1", *QUIET, "--db", str(killed), cwd=tmp_path)
              for _ in range(2)]  # fmt: skip
    results = [p.communicate(timeout=600) for p in racers]
    text = "\n".join(out + err for out, err in results)
    assert [p.returncode for p in racers] == [0, 0], text
    assert "Traceback" not in text
    assert [out for out, _ in results] == [expected, expected]
    assert _rows(killed) == once
    with sqlite3.connect(killed) as conn:
        status, n_batches = conn.execute(
            "SELECT status, (SELECT COUNT(*) FROM sweep_batches WHERE run_id = 1) "
            "FROM runs WHERE id = 1"
        ).fetchone()
    assert (status, n_batches) == ("done", 4)
