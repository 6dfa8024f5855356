"""Every table of a scenario or of a stored run, to Excel or to Parquet.

Layouts (see ``docs/interop.md``):

- **Excel** (a path ending in ``.xlsx``): one sheet per table, then a ``sources`` sheet with
  every source the scenario cites. A sheet name longer than Excel's 31 characters is cut,
  with a number added if two collide.
- **Parquet** (any other path): a directory holding ``<table>.parquet`` per table and
  ``sources.parquet``.

A scenario's tables are those of :func:`peaceops.scenario_frames` (``actors``, ``issues``,
``groups``, ``stances``, ``capabilities``, ``pledges``, ``red_lines``, ``venues``, ``events``,
``missions``, ``requirements``) and ``sources``; a run's are ``run`` (its metadata and
options) and one per stored result section, with the ``sources`` of the scenario the run was
made on. Cells holding lists or mappings are written as JSON text; a column mixing numbers and
text is written as text.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peaceops._files import atomic_path
from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError
from peaceops.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Connection

__all__ = ["export_frames", "export_run", "export_scenario", "run_frames", "scenario_tables"]


def scenario_tables(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Every table of ``scenario``, the ``sources`` table last."""
    import pandas as pd

    from peaceops.scenario.tables import scenario_frames

    frames = scenario_frames(scenario)
    del frames["issues"], frames["sources"]  # written below: scale columns, text dates
    issues = pd.DataFrame(
        [
            {
                "issue": i.id,
                "name": i.name,
                "status_quo": i.status_quo,
                "scale_0": i.scale.low,
                "scale_50": i.scale.mid,
                "scale_100": i.scale.high,
                "sources": ", ".join(i.sources),
            }
            for i in scenario.issues
        ]
    )
    ordered = {"actors": frames.pop("actors"), "issues": issues, **frames}
    return {**ordered, "sources": _sources(scenario)}


def run_frames(conn: Connection, run_id: int) -> dict[str, pd.DataFrame]:
    """A stored run's tables: ``run`` (metadata), one per result section, then ``sources``.

    Raises
    ------
    StoreError
        When the store has no such run.
    """
    import pandas as pd

    from peaceops.scenario import parse_scenario
    from peaceops.store import get_run, scenario_json

    info, sections = get_run(conn, run_id)
    meta = {**info.to_row(), "scenario_hash": info.scenario_hash}
    meta["options"] = json.dumps(info.options, default=str, sort_keys=True)
    frames: dict[str, pd.DataFrame] = {"run": pd.DataFrame([meta])}
    for name, rows in sections.items():
        frames[name] = pd.DataFrame(rows)
    scenario = parse_scenario(
        scenario_json(conn, info.scenario_hash), file=f"run {run_id}", json_first=True
    )
    frames["sources"] = _sources(scenario)
    return frames


def export_scenario(scenario: Scenario, path: PathLike, *, force: bool = False) -> Path:
    """Write every table of ``scenario`` to ``path`` (``.xlsx``, else a Parquet directory).

    Raises
    ------
    ScenarioError
        When ``path`` exists and ``force`` is false, or its folder does not exist.
    """
    return export_frames(scenario_tables(scenario), path, force=force)


def export_run(conn: Connection, run_id: int, path: PathLike, *, force: bool = False) -> Path:
    """Write every table of stored run ``run_id`` to ``path`` (``.xlsx``, else Parquet).

    Raises
    ------
    ScenarioError
        When ``path`` exists and ``force`` is false, or its folder does not exist.
    StoreError
        When the store has no such run.
    """
    return export_frames(run_frames(conn, run_id), path, force=force)


def export_frames(
    frames: Mapping[str, pd.DataFrame], path: PathLike, *, force: bool = False
) -> Path:
    """Write ``frames`` to an Excel workbook (``.xlsx``) or a directory of Parquet files.

    The write is atomic: a temporary file or directory is renamed into place at the end.
    """
    target = Path(path)
    clean = {name: _clean(frame) for name, frame in frames.items()}
    if target.suffix.lower() == ".xlsx":

        def write_book(tmp: Path) -> None:
            import pandas as pd

            with pd.ExcelWriter(tmp, engine="openpyxl") as book:
                for sheet, frame in zip(_sheet_names(list(clean)), clean.values(), strict=True):
                    frame.to_excel(book, sheet_name=sheet, index=False)

        with atomic_path(target, overwrite=force) as tmp:
            write_book(tmp)
        return target
    if target.exists() and not force:
        raise ScenarioError(
            [Problem(str(target), None, "", "it exists; use --force to overwrite it")]
        )
    if not target.parent.is_dir():
        raise ScenarioError([Problem(str(target), None, "", "its folder does not exist")])
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, frame in clean.items():
            frame.to_parquet(tmp / f"{_file_name(name)}.parquet", index=False)
        if target.exists():
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _sources(scenario: Scenario) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "source": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "date": s.date.isoformat(),
                "kind": str(s.kind),
                "url": s.url,
                "locator": s.locator,
                "rationale": s.rationale,
                "licence": s.licence,
            }
            for s in scenario.sources
        ],
        columns=[
            "source", "title", "publisher", "date", "kind", "url", "locator", "rationale",
            "licence",
        ],
    )  # fmt: skip


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype != object:
            continue
        values = out[col].map(_cell)
        kinds = {type(v) for v in values if v is not None}
        if len(kinds) > 1:
            values = values.map(lambda v: None if v is None else str(v))
        out[col] = values
    return out


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=str)
    if isinstance(value, float) and value != value:
        return None
    return value


def _sheet_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        base = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "table"
        sheet, n = base, 2
        while sheet.lower() in (s.lower() for s in out):
            suffix = f"_{n}"
            sheet, n = base[: 31 - len(suffix)] + suffix, n + 1
        out.append(sheet)
    return out


def _file_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "table"
