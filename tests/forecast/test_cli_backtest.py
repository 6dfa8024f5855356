"""``peaceops backtest``: output formats, the CSV file, bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from deu_tiny import HEADER, ROWS, write_tiny
from typer.testing import CliRunner

import peaceops.cli.backtest  # noqa: F401  (registers the command)
from peaceops.cli import app
from peaceops.forecast import MODELS

runner = CliRunner()


def test_table_lists_every_model_beside_the_baselines(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["backtest", str(write_tiny(tmp_path)), "--folds", "2"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    for name in [
        *MODELS,
        "mean_position",
        "median_position",
        "reference_point",
        "commission",
        "cv_weights",
    ]:
        assert name in result.output


def test_json_rows_carry_the_hand_computed_baselines(tmp_path: Path) -> None:
    """See ``test_backtest.test_baselines_and_compromise_by_hand`` for the arithmetic."""
    result = runner.invoke(
        app, ["backtest", str(write_tiny(tmp_path)), "--folds", "2", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["mean_position"]["mae"] == 13.0
    assert rows["reference_point"]["n_issues"] == 2
    assert rows["commission"]["median_ae"] == 40.0


def test_csv_option_writes_one_row_per_issue(tmp_path: Path) -> None:
    out = tmp_path / "issues.csv"
    result = runner.invoke(
        app,
        [
            "backtest",
            str(write_tiny(tmp_path)),
            "--folds",
            "2",
            "--csv",
            str(out),
            "--format",
            "csv",
            "--seed",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "name,kind,n_issues,mae,median_ae"
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["issue"] for r in rows] == ["P1i1", "P1i2", "P2i1"]
    assert rows[0]["outcome"] == "60.0"
    assert rows[1]["reference_point"] == ""


def test_bad_file_gives_one_line_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][HEADER.index("pfr")] = "abc"
    out = tmp_path / "never.csv"
    result = runner.invoke(app, ["backtest", str(write_tiny(tmp_path, rows)), "--csv", str(out)])
    assert result.exit_code == 2
    problem_lines = [line for line in result.output.splitlines() if "tiny.tsv" in line]
    assert len(problem_lines) == 1
    assert "tiny.tsv:4: pfr: not a number: 'abc'" in problem_lines[0]
    assert not out.exists()


@pytest.mark.parametrize("folds", ["1", "3"])
def test_folds_outside_the_number_of_proposals_are_rejected(tmp_path: Path, folds: str) -> None:
    result = runner.invoke(app, ["backtest", str(write_tiny(tmp_path)), "--folds", folds])
    assert result.exit_code == 2
    assert "--folds: must be within 2..2 (proposals)" in result.output
