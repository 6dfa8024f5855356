"""Sweeps in the run store, on SQLite and on a real PostgreSQL server started by the tests."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, inspect, text

from peaceops.errors import StoreError
from peaceops.store import (
    finish_run,
    get_sweep,
    iter_batches,
    open_store,
    record_batch,
    scenario_json,
    set_run_status,
    start_run,
    start_sweep,
)

BIG_SEED = 2**100 + 12345  # a root seed drawn from OS entropy is a 128-bit integer


def _new_sweep(conn: Connection, *, n: int = 10, batch_size: int = 4) -> int:
    run_id = start_run(
        conn,
        kind="sweep",
        scenario_id="demo",
        scenario_name="Demo",
        scenario_hash="b" * 64,
        canonical_json='{"id":"demo"}',
        package_version="0.1.0",
        seed=None,
        options={"n": n},
    )
    start_sweep(
        conn,
        run_id,
        n=n,
        seed=BIG_SEED,
        batch_size=batch_size,
        n_batches=-(-n // batch_size),
        plan={"forecast": ["compromise"], "rounds": 26, "utility": "linear"},
        outputs={"flags": ["accept:a/b/0:X"], "values": ["forecast:compromise:e"]},
    )
    return run_id


def _record(conn: Connection, run_id: int, batch: int, *, size: int = 4) -> bool:
    return record_batch(
        conn,
        run_id,
        batch=batch,
        first=batch * size,
        stop=batch * size + size,
        tally=bytes([batch]) * 3,
        outputs=b"\x00\xff" * 50_000,  # binary data, not text, and larger than a page
    )


def test_migration_creates_the_sweep_tables(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        tables = set(inspect(engine).get_table_names())
        uniques = inspect(engine).get_unique_constraints("sweep_batches")
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert {"sweeps", "sweep_batches"} <= tables
    assert [sorted(u["column_names"]) for u in uniques] == [["batch", "run_id"]]
    assert version == "0004"  # the head: 0003 results once, 0004 scenario versions


def test_sweep_round_trip_keeps_settings_seed_and_batches_in_order(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            run_id = _new_sweep(conn)
        for batch in (2, 0):  # batches finish in any order
            with engine.begin() as conn:
                assert _record(conn, run_id, batch)
        with engine.connect() as conn:
            info = get_sweep(conn, run_id)
            stored = list(iter_batches(conn, run_id))
            light = list(iter_batches(conn, run_id, outputs=False))
    finally:
        engine.dispose()
    assert info.seed == BIG_SEED
    assert (info.n, info.batch_size, info.n_batches) == (10, 4, 3)
    assert info.plan == {"forecast": ["compromise"], "rounds": 26, "utility": "linear"}
    assert info.outputs == {"flags": ["accept:a/b/0:X"], "values": ["forecast:compromise:e"]}
    assert (info.batches_done, info.replicates_done, info.status) == (2, 8, "running")
    assert [b.batch for b in stored] == [0, 2]
    assert [(b.first, b.stop) for b in stored] == [(0, 4), (8, 12)]
    assert stored[1].tally == b"\x02\x02\x02"
    assert stored[0].outputs == b"\x00\xff" * 50_000
    assert [b.outputs for b in light] == [b"", b""]


def test_a_batch_stored_twice_is_refused_and_kept_once(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            run_id = _new_sweep(conn)
        with engine.begin() as conn:
            assert _record(conn, run_id, 1)
        with engine.begin() as conn:  # a second resumer computing the same batch
            assert not _record(conn, run_id, 1)
            assert _record(conn, run_id, 0)  # the transaction goes on after the refusal
        with engine.connect() as conn:
            counts = conn.execute(
                text("SELECT batch, COUNT(*) FROM sweep_batches GROUP BY batch ORDER BY batch")
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in counts] == [(0, 1), (1, 1)]


def test_a_batch_in_a_failed_transaction_is_not_stored(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            run_id = _new_sweep(conn)
        with pytest.raises(KeyboardInterrupt), engine.begin() as conn:
            _record(conn, run_id, 0)
            raise KeyboardInterrupt  # Ctrl-C while the batch is being written
        with engine.connect() as conn:
            assert get_sweep(conn, run_id).batches_done == 0
    finally:
        engine.dispose()


def test_status_moves_between_running_interrupted_and_done(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            run_id = _new_sweep(conn)
            set_run_status(conn, run_id, "interrupted")
        with engine.connect() as conn:
            assert get_sweep(conn, run_id).status == "interrupted"
            stamped = conn.execute(
                text(f"SELECT finished_at FROM runs WHERE id = {run_id}")
            ).scalar_one()
        with engine.begin() as conn:
            set_run_status(conn, run_id, "running")
        with engine.connect() as conn:
            cleared = conn.execute(
                text(f"SELECT finished_at FROM runs WHERE id = {run_id}")
            ).scalar_one()
        with engine.begin() as conn:
            finish_run(conn, run_id)
        with engine.connect() as conn:
            assert get_sweep(conn, run_id).status == "done"
    finally:
        engine.dispose()
    assert stamped is not None
    assert cleared is None


def test_the_stored_scenario_is_read_back(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            run_id = _new_sweep(conn)
        with engine.connect() as conn:
            info = get_sweep(conn, run_id)
            assert scenario_json(conn, info.scenario_hash) == '{"id":"demo"}'
            with pytest.raises(StoreError, match="no scenario with hash cccccccccccc"):
                scenario_json(conn, "c" * 64)
    finally:
        engine.dispose()


def test_unknown_run_and_non_sweep_run_are_store_errors(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            plain = start_run(
                conn,
                kind="run",
                scenario_id="demo",
                scenario_name="Demo",
                scenario_hash="b" * 64,
                canonical_json="{}",
                package_version="0.1.0",
                seed=1,
                options={},
            )
        with engine.connect() as conn:
            with pytest.raises(StoreError, match="no run with id 99"):
                get_sweep(conn, 99)
            with pytest.raises(StoreError, match=f"run {plain} is a 'run' run, not a sweep"):
                get_sweep(conn, plain)
        with engine.begin() as conn, pytest.raises(StoreError, match="no run with id 99"):
            set_run_status(conn, 99, "running")
    finally:
        engine.dispose()


def test_deleting_a_sweep_run_deletes_its_batches(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            run_id = _new_sweep(conn)
            _record(conn, run_id, 0)
        with engine.begin() as conn:
            conn.execute(text(f"DELETE FROM runs WHERE id = {run_id}"))
        with engine.connect() as conn:
            left = conn.execute(text("SELECT COUNT(*) FROM sweep_batches")).scalar_one()
            sweeps = conn.execute(text("SELECT COUNT(*) FROM sweeps")).scalar_one()
    finally:
        engine.dispose()
    assert (left, sweeps) == (0, 0)


def test_a_sweep_interrupted_and_resumed_through_the_store_gives_the_same_aggregates(
    store_url: str,
) -> None:
    from peaceops import parse_scenario
    from peaceops.sweep import BatchResult, Tally, execute_sweep, plan_sweep, run_sweep
    from peaceops_testing import template_text

    s = parse_scenario(template_text())
    plan = plan_sweep(s, n=1200, seed=9, batch_size=100, forecast=("compromise",))
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            run_id = _new_sweep(conn, n=plan.n, batch_size=plan.batch_size)

        def sink(result: BatchResult) -> None:
            with engine.begin() as conn:
                record_batch(conn, run_id, **result.to_record())
            if result.batch.index == 4:
                raise KeyboardInterrupt  # stopped after five batches

        with pytest.raises(KeyboardInterrupt):
            execute_sweep(plan, on_batch=sink)
        spec = plan.evaluator.spec
        with engine.connect() as conn:
            stored = list(iter_batches(conn, run_id, outputs=False))
        initial = Tally.zeros(len(spec.flags), len(spec.values) + len(spec.series))
        for b in stored:
            initial = initial + Tally.from_bytes(b.tally)
        execute_sweep(plan, done=[b.batch for b in stored], initial=initial, on_batch=sink)
        with engine.connect() as conn:
            final = Tally.zeros(len(spec.flags), len(spec.values) + len(spec.series))
            batches = []
            for b in iter_batches(conn, run_id):
                final = final + Tally.from_bytes(b.tally)
                batches.append(b.batch)
    finally:
        engine.dispose()
    assert [b.batch for b in stored] == [0, 1, 2, 3, 4]
    assert batches == list(range(12))  # each batch exactly once
    straight = run_sweep(s, n=1200, seed=9, batch_size=100, forecast=("compromise",))
    assert final == straight.tally
