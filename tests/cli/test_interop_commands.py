"""``import``, ``compare-log``, ``forecast --input`` and the exports, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from peaceops.cli import app

runner = CliRunner()

CSV_TEXT = """\
Demo,"A small example",3,2,
Actor,Description,Power,Speed,Sal1,Size,Sal2,
North,"North bloc",40,80,60,10,50,
South,"South bloc",35,20,90,70,20,
Mediator,,10,50,30,40,80,
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEACEOPS_DB", raising=False)
    (tmp_path / "demo.csv").write_text(CSV_TEXT)
    return tmp_path


def test_import_writes_a_scenario_that_validates_and_runs(workdir: Path) -> None:
    result = runner.invoke(app, ["import", "demo.csv", "--to", "demo.yaml"])
    assert result.exit_code == 0, result.output
    text = (workdir / "demo.yaml").read_text()
    assert "kind: dataset" in text
    assert "kind: judgement" in text
    valid = runner.invoke(app, ["validate", "demo.yaml"])
    assert valid.exit_code == 0, valid.output
    assert "3 actors, 2 issues" in valid.output
    run = runner.invoke(app, ["run", "demo.yaml", "--no-store", "--report", "demo.html"])
    assert run.exit_code == 0, run.output
    assert "peaceops briefing" in run.output
    assert "Forecast" in run.output
    assert (workdir / "demo.html").is_file()


def test_import_never_overwrites_without_force(workdir: Path) -> None:
    (workdir / "demo.yaml").write_text("mine")
    result = runner.invoke(app, ["import", "demo.csv", "--to", "demo.yaml"])
    assert result.exit_code == 2
    assert "use --force" in result.output
    assert (workdir / "demo.yaml").read_text() == "mine"
    forced = runner.invoke(app, ["import", "demo.csv", "--to", "demo.yaml", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "format_version: 1" in (workdir / "demo.yaml").read_text()


@pytest.mark.parametrize("command", ["import", "forecast", "compare-log"])
def test_a_malformed_file_exits_2_with_its_line(workdir: Path, command: str) -> None:
    (workdir / "bad.csv").write_text(CSV_TEXT.replace("35,20,90", "35,20,x"))
    args = {
        "import": ["import", "bad.csv", "--to", "out.yaml"],
        "forecast": ["forecast", "--input", "bad.csv"],
        "compare-log": ["compare-log", "bad.csv", "bad.csv"],
    }[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "bad.csv:4: South.salience[1]: not a number: 'x'" in result.output
    assert not (workdir / "out.yaml").exists()


def test_forecast_input_gives_the_same_json_rows_as_a_scenario(workdir: Path) -> None:
    result = runner.invoke(
        app, ["forecast", "--input", "demo.csv", "-m", "compromise", "-m", "smp", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert set(rows[0]) == {"model", "round", "date", "issue", "forecast", "cycling"}
    assert {r["model"] for r in rows} == {"compromise", "smp"}
    assert len(rows) == 2 * 13 * 2  # models x rounds 0..12 x issues
    # compromise on Speed by hand: sum c*s*x / sum c*s = (40*.6*80 + 35*.9*20 + 10*.3*50) / 58.5
    first = next(r for r in rows if r["model"] == "compromise" and r["issue"] == "Speed")
    assert first["forecast"] == pytest.approx((1920 + 630 + 150) / 58.5)


def test_compare_log_reproduces_the_shared_log(shared_data: Path) -> None:
    folder = shared_data / "ktab"
    result = runner.invoke(
        app,
        ["compare-log", str(folder / "dummyData_3Dim.csv"), str(folder / "ref-dummyData_3Dim.txt")],
        env={"COLUMNS": "100"},
    )
    assert result.exit_code == 0, result.output
    assert "agree: max deviation 1.4e-14" in result.output
    assert "turns: log 10, peaceops 10" in result.output


def test_show_and_runs_export_write_every_table(workdir: Path) -> None:
    shown = runner.invoke(app, ["show", "ukraine-2025-04", "--export", "u.xlsx"])
    assert shown.exit_code == 0, shown.output
    book = pd.read_excel(workdir / "u.xlsx", sheet_name=None)
    assert list(book) == [
        "actors", "issues", "groups", "stances", "capabilities", "pledges", "red_lines",
        "venues", "events", "missions", "requirements", "sources",
    ]  # fmt: skip
    assert runner.invoke(app, ["import", "demo.csv", "--to", "demo.yaml"]).exit_code == 0
    ran = runner.invoke(app, ["run", "demo.yaml", "--quiet", "--report", "d.html"])
    assert ran.exit_code == 0, ran.output
    exported = runner.invoke(app, ["runs", "export", "1", "--to", "run"])
    assert exported.exit_code == 0, exported.output
    files = {p.name for p in (workdir / "run").iterdir()}
    assert {"run.parquet", "sources.parquet"} <= files
    assert len(files) > 2
    sources = pd.read_parquet(workdir / "run" / "sources.parquet")
    assert sources["source"].tolist() == ["file", "import"]
    again = runner.invoke(app, ["runs", "export", "1", "--to", "run"])
    assert again.exit_code == 2
    assert "use --force" in again.output


def test_forecast_input_refuses_a_calendar_date(workdir: Path) -> None:
    result = runner.invoke(app, ["forecast", "--input", "demo.csv", "--until", "2030-01-01"])
    assert result.exit_code == 2
    assert "--until: a model file has no calendar: use --rounds" in result.output


def test_forecast_input_plot_is_a_self_contained_page(workdir: Path) -> None:
    result = runner.invoke(
        app, ["forecast", "--input", "demo.csv", "-m", "median", "--plot", "f.html"]
    )
    assert result.exit_code == 0, result.output
    page = (workdir / "f.html").read_text()
    assert "Plotly.newPlot" in page
    assert "Speed" in page
    assert "Size" in page
    assert '<script src="http' not in page  # plotly.js is embedded: the page opens offline


def test_import_of_the_shared_examples_validates(shared_data: Path, workdir: Path) -> None:
    """The EC table (4..10 scale, 0..1 salience) and one DEU proposal (with its reference
    point as the status quo) both give scenarios that validate."""
    ec = runner.invoke(
        app, ["import", str(shared_data / "bdm" / "ec_emissions_1994.csv"), "--to", "ec.yaml"]
    )
    assert ec.exit_code == 0, ec.output
    assert runner.invoke(app, ["validate", "ec.yaml"]).exit_code == 0
    deu = shared_data / "deu" / "deu3_dev.tsv"
    several = runner.invoke(app, ["import", str(deu), "--to", "deu.yaml"])
    assert several.exit_code == 2
    assert "--proposal: choose one of 73 proposals: d00060" in several.output
    one = runner.invoke(app, ["import", str(deu), "--proposal", "d00060", "--to", "deu.yaml"])
    assert one.exit_code == 0, one.output
    valid = runner.invoke(app, ["validate", "deu.yaml"])
    assert valid.exit_code == 0, valid.output
    assert "2 issues" in valid.output


def test_names_that_are_not_ids_become_ids_and_stay_names(workdir: Path) -> None:
    (workdir / "names.csv").write_text(
        "Actor,Capability,Position,Salience\nUnited States,3,10,0.5\n1st bloc,2,60,0.5\n"
        "United States!,1,90,0.5\n"
    )
    assert runner.invoke(app, ["import", "names.csv", "--to", "n.yaml"]).exit_code == 0
    shown = runner.invoke(app, ["show", "n.yaml", "--table", "actors", "-f", "json"])
    rows = json.loads(shown.output)
    assert [(r["actor"], r["name"]) for r in rows] == [
        ("United_States", "United States"),
        ("x1st_bloc", "1st bloc"),
        ("United_States_2", "United States!"),
    ]
