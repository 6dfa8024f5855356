"""``peaceops outlook``: fits 80 columns, JSON carries the statements, bad input exits cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from peaceops.cli import app

FIVE = Path(__file__).parents[1] / "forecast" / "fixtures" / "five-actors.yaml"


def test_outlook_fits_80_columns_and_names_the_blocker() -> None:
    result = CliRunner().invoke(app, ["outlook", str(FIVE), "-n", "20"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Outlook for five-actors (horizon 2025-01-29)"
    assert max(len(line) for line in lines) <= 80
    assert "backstop is A's call" in result.output


def test_outlook_json_has_at_most_ten_statements_with_evidence() -> None:
    result = CliRunner().invoke(app, ["outlook", str(FIVE), "-n", "20", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scenario"] == "five-actors"
    assert 1 <= len(data["lines"]) <= 10
    assert all(line["evidence"] for line in data["lines"])
    # the change figures are the 20 Monte Carlo replicates and the SMP's own probabilities
    mc = [c for c in data["figures"]["change"] if c["source"] == "monte_carlo"]
    assert {c["n"] for c in mc} == {20}
    relief = next(c for c in mc if c["issue"] == "relief")
    assert relief["p_change"] == 0.0  # blocked by B in every replicate


def test_outlook_of_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["outlook", str(tmp_path / "nope.yaml")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
