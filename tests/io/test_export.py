"""Every table of a scenario and of a stored run, to Excel and Parquet, read back with pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peaceops.errors import ScenarioError
from peaceops.io import export_run, export_scenario
from peaceops.scenario import parse_scenario
from peaceops.scenario.tables import scenario_frames
from peaceops.store import finish_run, open_store, record_results, start_scenario_run

TABLES = [
    "actors",
    "issues",
    "groups",
    "stances",
    "capabilities",
    "pledges",
    "red_lines",
    "venues",
    "events",
    "missions",
    "requirements",
    "sources",
]


def test_scenario_to_excel_has_a_sheet_per_table_and_the_sources(
    template: str, tmp_path: Path
) -> None:
    s = parse_scenario(template, file="demo.yaml")
    export_scenario(s, tmp_path / "demo.xlsx")
    book = pd.read_excel(tmp_path / "demo.xlsx", sheet_name=None)
    assert list(book) == TABLES
    assert book["sources"]["source"].tolist() == [src.id for src in s.sources]
    assert book["issues"]["issue"].tolist() == [i.id for i in s.issues]
    stances = scenario_frames(s)["stances"]
    assert book["stances"][["actor", "issue", "position"]].values.tolist() == (
        stances[["actor", "issue", "position"]].values.tolist()
    )


def test_scenario_to_parquet_directory_has_a_file_per_table(template: str, tmp_path: Path) -> None:
    s = parse_scenario(template, file="demo.yaml")
    out = export_scenario(s, tmp_path / "demo")
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    pledges = pd.read_parquet(out / "pledges.parquet")
    assert pledges["pledge"].tolist() == [p.id for p in s.pledges]
    assert pd.read_parquet(out / "sources.parquet")["kind"].tolist() == [
        str(src.kind) for src in s.sources
    ]


def test_an_existing_export_is_kept_without_force(template: str, tmp_path: Path) -> None:
    s = parse_scenario(template, file="demo.yaml")
    target = tmp_path / "demo.xlsx"
    target.write_text("keep me")
    with pytest.raises(ScenarioError, match="exists"):
        export_scenario(s, target)
    assert target.read_text() == "keep me"
    export_scenario(s, target, force=True)
    assert list(pd.read_excel(target, sheet_name=None)) == TABLES
    assert [p.name for p in tmp_path.iterdir()] == ["demo.xlsx"]  # no temporary file left


def test_run_export_holds_metadata_sections_and_sources(template: str, tmp_path: Path) -> None:
    s = parse_scenario(template, file="demo.yaml")
    engine = open_store(str(tmp_path / "runs.db"))
    rows = [{"issue": "ground_size", "model": "median", "forecast": 60.0, "note": [1, 2]}]
    with engine.begin() as conn:
        run_id = start_scenario_run(conn, s, kind="run", seed=7, options={"x": 1})
        record_results(conn, run_id, "forecast", rows)
        finish_run(conn, run_id)
    with engine.connect() as conn:
        export_run(conn, run_id, tmp_path / "run.xlsx")
        export_run(conn, run_id, tmp_path / "run")
    engine.dispose()
    book = pd.read_excel(tmp_path / "run.xlsx", sheet_name=None)
    assert list(book) == ["run", "forecast", "sources"]
    assert book["run"]["seed"].tolist() == [7]
    assert book["forecast"].to_dict("records") == [
        {"issue": "ground_size", "model": "median", "forecast": 60.0, "note": "[1, 2]"}
    ]
    assert pd.read_parquet(tmp_path / "run" / "sources.parquet")["source"].tolist() == [
        src.id for src in s.sources
    ]
