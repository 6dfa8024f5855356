"""Reading a stored sweep back at the edge: its plan, and its replicates written to a file.

Used by ``peaceops sweep --resume`` and ``peaceops runs export --section replicates``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peaceops.store import Connection, iter_batches, stored_plan
from peaceops.sweep import Batch, SweepPlan, replicate_frame
from peaceops.workflows import replicate_frames

__all__ = ["export_replicates"]


def export_replicates(conn: Connection, run_id: int, out: Path, *, suffix: str = "") -> int:
    """Write one row per replicate of sweep ``run_id`` (inputs, outputs) to ``out``.

    The format follows the suffix (``.csv``, ``.json``, ``.parquet``). Batches are read and
    written one at a time, so memory does not grow with the sweep. Returns the rows written.
    """
    _, _, plan = stored_plan(conn, run_id)
    suffix = suffix or out.suffix.lower()
    writer: Any = None
    n_rows = 0
    stored = ((b.batch, b.first, b.stop, b.outputs) for b in iter_batches(conn, run_id))
    with out.open("w", encoding="utf-8", newline="") if suffix != ".parquet" else _null() as fh:
        if suffix == ".json":
            fh.write("[")
        for frame in replicate_frames(plan, stored):
            if suffix == ".csv":
                frame.to_csv(fh, index=False, header=n_rows == 0)
            elif suffix == ".json":
                body = frame.to_json(orient="records")
                fh.write(("," if n_rows else "") + body[1:-1])
            else:
                writer = _parquet_write(writer, frame, out)
            n_rows += len(frame)
        if suffix == ".json":
            fh.write("]")
    if writer is not None:
        writer.close()
    if suffix == ".parquet" and writer is None:
        _parquet_write(None, replicate_frame(plan, Batch(0, 0, 0), *_no_outputs(plan)), out).close()
    return n_rows


@contextmanager
def _null() -> Iterator[Any]:
    yield None


def _parquet_write(writer: Any, frame: pd.DataFrame, out: Path) -> Any:
    try:
        pa: Any = importlib.import_module("pyarrow")
        pq: Any = importlib.import_module("pyarrow.parquet")
    except ImportError as exc:
        raise ImportError("Parquet export needs pyarrow: uv pip install pyarrow") from exc
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if writer is None:
        writer = pq.ParquetWriter(str(out), table.schema)
    writer.write_table(table)
    return writer


def _no_outputs(plan: SweepPlan) -> tuple[Any, Any]:
    spec = plan.evaluator.spec
    return np.zeros((0, len(spec.flags)), dtype=bool), np.zeros((0, len(spec.values)))
