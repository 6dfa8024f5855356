"""``peaceops plan``, ``options`` and ``frontier`` end to end, on the hand-computed case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from planning_cases import HAND
from typer.testing import CliRunner

import peaceops.cli.plan  # noqa: F401  (registers the commands)
from peaceops.cli import app

runner = CliRunner()


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "hand.yaml"
    path.write_text(HAND.replace("__EXTRA_PLEDGES__", ""), encoding="utf-8")
    return path


def test_plan_json_has_every_section(scenario_file: Path) -> None:
    """The hand case's optimum (see test_plan_force): COAL, backstop 100, all covered."""
    result = runner.invoke(app, ["plan", str(scenario_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"design", "allocation", "requirements", "domains", "rejecting", "venues"}
    design = {r["item"]: r["value"] for r in out["design"]}
    assert (design["route"], design["backstop"], design["coverage"]) == ("COAL", 100.0, 1.0)
    assert [(r["pledge"], r["units"]) for r in out["allocation"]] == [("l-inf", 3), ("l-med", 1)]
    assert [r["actor"] for r in out["rejecting"]] == ["A"]


def test_plan_csv_is_the_allocation(scenario_file: Path) -> None:
    result = runner.invoke(
        app, ["plan", str(scenario_file), "--level", "backstop=0", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "pledge,actor,capability,domain,units,personnel,personnel_rotated,location",
        "l-inf,L,INF,land,3,1500,4500.0,host_territory",
    ]


def test_plan_table_shows_shortfall_reasons(scenario_file: Path) -> None:
    result = runner.invoke(
        app, ["plan", str(scenario_file), "--level", "backstop=0"], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    assert "requirements" in result.stdout
    assert "backstop >= 50" in result.stdout


def test_infeasible_plan_exits_1_naming_the_conflict(scenario_file: Path) -> None:
    result = runner.invoke(app, ["plan", str(scenario_file), "--require", "A", "--require", "H"])
    assert result.exit_code == 1
    assert "acceptance by A: red line a-no-ally" in result.stderr
    assert "acceptance by H: red line h-presence" in result.stderr


def test_bad_input_exits_2(scenario_file: Path) -> None:
    result = runner.invoke(app, ["plan", str(scenario_file), "--mission", "X"])
    assert result.exit_code == 2
    assert "unknown mission 'X'" in result.stderr


def test_options_and_what_if(scenario_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["options", str(scenario_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["route"], r["backstop"], r["feasible"]) for r in rows] == [
        ("COAL", 0.0, True),
        ("COAL", 100.0, True),
        ("COUNCIL", 0.0, False),
        ("COUNCIL", 100.0, False),
    ]
    patch = tmp_path / "n.yaml"
    patch.write_text(
        "- {op: add_actor, actor: {id: N, name: N, kind: state, clout: {value: 0.1, "
        "sources: [s]}}}\n"
        "- {op: add_pledge, pledge: {id: n-inf, actor: N, capability: INF, quantity: 3, "
        "sources: [s]}}\n",
        encoding="utf-8",
    )
    diff = runner.invoke(
        app, ["options", str(scenario_file), "--what-if", str(patch), "--format", "csv"]
    )
    assert diff.exit_code == 0, diff.output
    assert "COUNCIL,100.0,False,True" in diff.stdout
    plan = runner.invoke(
        app, ["plan", str(scenario_file), "--what-if", str(patch), "--format", "json"]
    )
    assert plan.exit_code == 0, plan.output
    what_if = json.loads(plan.stdout)["what_if"]
    assert {"item": "coverage", "before": 1.0, "after": 1.0} in what_if


def test_frontier_command(scenario_file: Path) -> None:
    """Without requirements, the hand frontier of test_plan_options: A's utility 0, -166.665,
    -175. By default the host must accept: it needs a battalion on the ground (size >= 10), so
    A's best is one battalion on the coalition route with the hospital: 0.5 x 16.66 + 100 + 50
    = 158.33, at coverage (16 + 24)/72."""
    free = runner.invoke(
        app,
        ["frontier", str(scenario_file), "--points", "3", "--require", "none", "-f", "json"],
    )
    assert free.exit_code == 0, free.output
    assert [r["utility"] for r in json.loads(free.stdout)] == [0.0, -166.665, -175.0]
    hosted = runner.invoke(app, ["frontier", str(scenario_file), "--points", "3", "-f", "json"])
    assert hosted.exit_code == 0, hosted.output
    rows = json.loads(hosted.stdout)
    assert [r["utility"] for r in rows] == [-158.33, -166.665, -175.0]
    assert rows[0]["coverage"] == pytest.approx(40 / 72)
