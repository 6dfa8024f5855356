"""The forecast and venues commands on the built-in scenario."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from peaceops.cli import app

runner = CliRunner()


def test_forecast_prints_a_weekly_trajectory_for_every_issue_and_model() -> None:
    result = runner.invoke(app, ["forecast", "--until", "2025-05-03", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    models = {r["model"] for r in rows}
    assert models == {"compromise", "median", "nash", "expected_utility", "exchange", "smp"}
    issues = {r["issue"] for r in rows}
    assert len(issues) == 7
    # 2025-04-05 .. 2025-05-03 is four weeks: rounds 0..4 for every model and issue.
    assert len(rows) == 6 * 7 * 5
    assert sorted({r["date"] for r in rows}) == [
        "2025-04-05",
        "2025-04-12",
        "2025-04-19",
        "2025-04-26",
        "2025-05-03",
    ]


def test_forecast_rejects_a_bad_date_and_model() -> None:
    bad = runner.invoke(app, ["forecast", "--until", "next week"])
    assert bad.exit_code == 2
    assert "--until: expected a date YYYY-MM-DD, got 'next week'" in bad.stderr
    unknown = runner.invoke(app, ["forecast", "-m", "oracle"])
    assert unknown.exit_code == 2
    assert "unknown model 'oracle'" in unknown.stderr


def test_venues_json_carries_exact_fractions() -> None:
    result = runner.invoke(app, ["venues", "-f", "json"])
    assert result.exit_code == 0, result.output
    venues = {v["venue"]: v for v in json.loads(result.stdout)}
    unsc = {r["player"]: r for r in venues["UNSC"]["power"]}
    assert unsc["RUS"]["shapley_shubik_exact"] == "421/2145"
    assert unsc["SOM"]["shapley_shubik_exact"] == "4/2145"
    assert set(venues["NATO"]["veto_players"]) >= {"HUN", "SVK"}
