"""``peaceops sweep`` and ``sensitivity`` in a subprocess: kill it, resume it, export it.

The CLI runs in its own process (as a user runs it), so a test can kill it with SIGKILL or
interrupt it with SIGINT between batches, exactly as a lost machine or Ctrl-C would. The
commands are registered by importing :mod:`peaceops.cli.sweep` in that process only, so this
test session's own CLI app (and the freshness check of ``docs/cli.md``) is left as it is.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from peaceops import parse_scenario
from peaceops.sweep import Tally, draw_inputs, sampling_design
from peaceops_testing import template_text

LAUNCH = "import peaceops.cli.sweep; from peaceops.cli import main; main()"
N, BATCH = 3000, 100
N_BATCHES = N // BATCH
SWEEP = ["sweep", "-n", str(N), "--batch-size", str(BATCH), "--seed", "7", "--executor", "inline"]
SWEEP += ["--forecast", "compromise", "--no-progress", "-f", "json", "--section", "probabilities"]


def _cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _batches(db: Path) -> list[tuple[int, int, int, int]]:
    """``(run_id, batch, first, stop)`` of every stored batch (empty before the tables exist)."""
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute(
                "SELECT run_id, batch, first_replicate, stop_replicate FROM sweep_batches"
            ).fetchall()
    except sqlite3.OperationalError:
        return []


def _stored_tally(db: Path, run_id: int = 1) -> Tally:
    with sqlite3.connect(db) as conn:
        blobs = conn.execute(
            "SELECT tally FROM sweep_batches WHERE run_id = ? ORDER BY batch", (run_id,)
        ).fetchall()
    total = Tally.from_bytes(blobs[0][0])
    for (blob,) in blobs[1:]:
        total = total + Tally.from_bytes(blob)
    return total


def _status(db: Path, run_id: int = 1) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0])


def _assert_complete_and_unique(db: Path) -> None:
    rows = _batches(db)
    assert sorted(r[1] for r in rows) == list(range(N_BATCHES))  # none lost, none twice
    covered = sorted(i for _, _, first, stop in rows for i in range(first, stop))
    assert covered == list(range(N))


@pytest.fixture(scope="module")
def straight(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """A sweep that ran straight through: its store and its printed probabilities."""
    where = tmp_path_factory.mktemp("straight")
    db = where / "store.db"
    done = _cli(*SWEEP, "--db", str(db), cwd=where)
    assert done.returncode == 0, done.stderr
    return db, json.loads(done.stdout)


def _stop_midway(tmp_path: Path, sig: signal.Signals) -> tuple[Path, int, int]:
    db = tmp_path / "store.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, *SWEEP, "--db", str(db)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while len(_batches(db)) < 3:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the sweep stored no batch in time"
            time.sleep(0.02)
        proc.send_signal(sig)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stored = len(_batches(db))
    assert 3 <= stored < N_BATCHES, "stopped midway, not before or after"
    return db, proc.returncode, stored


def _resume(db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Resume run 1 of ``db`` through the CLI; it must succeed."""
    resumed = _cli(
        "sweep", "--resume", "1", "--db", str(db), "--no-progress",
        "-f", "json", "--section", "probabilities", cwd=cwd,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    return resumed


def test_a_sweep_killed_with_sigkill_resumes_to_the_same_aggregates(
    tmp_path: Path, straight: tuple[Path, list[dict[str, Any]]]
) -> None:
    db, code, stored = _stop_midway(tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert _status(db) == "running"  # nobody could record the kill
    resumed = _resume(db, tmp_path)
    assert f"{stored * BATCH} of {N} replicates ({stored} of {N_BATCHES} batches)" in resumed.stderr
    assert json.loads(resumed.stdout) == straight[1]
    assert _stored_tally(db) == _stored_tally(straight[0])
    _assert_complete_and_unique(db)
    assert _status(db) == "done"


def test_a_sweep_interrupted_with_sigint_resumes_to_the_same_aggregates(
    tmp_path: Path, straight: tuple[Path, list[dict[str, Any]]]
) -> None:
    db, code, _ = _stop_midway(tmp_path, signal.SIGINT)
    assert code == 130
    assert _status(db) == "interrupted"
    resumed = _resume(db, tmp_path)
    assert json.loads(resumed.stdout) == straight[1]
    assert _stored_tally(db) == _stored_tally(straight[0])
    _assert_complete_and_unique(db)


def test_replicates_export_to_csv_parquet_and_json_and_agree_with_the_aggregates(
    tmp_path: Path,
) -> None:
    (tmp_path / "demo.yaml").write_text(template_text(), encoding="utf-8")
    db = tmp_path / "store.db"
    n = 2000
    swept = _cli(
        "sweep", "demo.yaml", "-n", str(n), "--batch-size", "300", "--seed", "5",
        "--no-progress", "-f", "json", "--section", "probabilities", "--db", str(db),
        cwd=tmp_path,
    )  # fmt: skip
    assert swept.returncode == 0, swept.stderr
    probabilities = json.loads(swept.stdout)
    script = (
        "import peaceops.cli.sweep\n"
        "from peaceops.cli import app\n"
        "for suffix in ('csv', 'parquet', 'json'):\n"
        f"    app(['runs', 'export', '1', '--db', {str(db)!r}, '--section', 'replicates',\n"
        "         '-o', 'rep.' + suffix], standalone_mode=False)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    frames = [
        pd.read_csv(tmp_path / "rep.csv"),
        pd.read_parquet(tmp_path / "rep.parquet"),
        pd.read_json(tmp_path / "rep.json"),
    ]
    for frame in frames:
        assert frame.shape == frames[1].shape
        assert frame["replicate"].tolist() == list(range(n))
    rep = frames[1]
    # every probability the sweep reported is the count of its replicate-level column
    for row in probabilities:
        column = f"{row['kind']}:{row['option']}:{row['subject']}"
        assert rep[column].sum() == row["k"], column
    # the inputs were drawn again from the stored seed, exactly as the sweep drew them
    design = sampling_design(parse_scenario(template_text()))
    drawn = draw_inputs(design, 5, 0, n)
    assert np.array_equal(rep[list(design.names)].to_numpy(), drawn)
    assert np.allclose(frames[0][list(design.names)].to_numpy(), drawn, rtol=1e-15, atol=0)


def test_sensitivity_ranks_inputs_and_records_the_run(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    done = _cli(
        "sensitivity",
        "--output",
        "cover:reassurance/COALITION/0:land",
        "-n",
        "64",
        "--seed",
        "3",
        "--groups",
        "actor",
        "--top",
        "0",
        "-f",
        "json",
        "--db",
        str(db),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["st"] for r in rows] == sorted((r["st"] for r in rows), reverse=True)
    with sqlite3.connect(db) as conn:
        kind, options = conn.execute("SELECT kind, options FROM runs").fetchone()
    assert kind == "sensitivity"
    assert json.loads(options)["output"] == "cover:reassurance/COALITION/0:land"


def test_usage_and_store_errors_exit_with_codes_2_and_1(tmp_path: Path) -> None:
    script = (
        "import sys, peaceops.cli.sweep\n"
        "from peaceops.cli import app\n"
        "codes = []\n"
        "for args in (['sweep', '-n', '10', '--dask-local', '2', '--scheduler',\n"
        "              'tcp://127.0.0.1:1', '--no-store'],\n"
        "             ['sweep', '--seed=-3', '--no-store'],\n"
        "             ['sweep', '--resume', '99', '--db', 's.db']):\n"
        "    codes.append(app(args, standalone_mode=False))\n"
        "print(codes)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.stdout.strip() == "[2, 2, 1]", done.stderr
    assert "--dask-local K or --scheduler ADDRESS, not both" in done.stderr
    assert "--seed: must be a non-negative integer; got -3" in done.stderr
    assert "no run with id 99" in done.stderr


@pytest.mark.slow
def test_dask_local_cluster_from_the_command_line_gives_the_same_result(
    tmp_path: Path, straight: tuple[Path, list[dict[str, Any]]]
) -> None:
    args = [a if a != "inline" else "auto" for a in SWEEP]
    done = _cli(*args, "--dask-local", "2", "--no-store", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == straight[1]
