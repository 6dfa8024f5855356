"""Every command's default view fits the terminal: no cut cell, no line wider than the screen.

Each command runs, as a user would type it, with ``COLUMNS=80`` and ``COLUMNS=120`` on every
built-in scenario. A cell cut by the table renderer shows as "…"; a line longer than the width
would wrap on screen. Commands that do not take a scenario run once per width.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.cli._docs import command_names
from peaceops.scenario import builtin_scenarios
from peaceops.scenario.tables import SCENARIO_TABLES

runner = CliRunner()
WIDTHS = (80, 120)

Args = Callable[[str, Path], list[str]]


#: Command -> the arguments of its default view (``{s}``: a scenario; ``tmp``: a work folder).
#: A test below fails when a command has no entry, so every new command is checked here.
def _empty_store(path: Path) -> str:
    """A store with no run: ``runs list`` opens stores read-only and refuses a missing one."""
    from peaceops.store import open_store

    open_store(str(path)).dispose()
    return str(path)


PER_SCENARIO: dict[str, Args] = {
    "show": lambda s, tmp: ["show", s],
    "venues": lambda s, tmp: ["venues", s],
    "options": lambda s, tmp: ["options", s],
    "plan": lambda s, tmp: ["plan", s],
    "frontier": lambda s, tmp: ["frontier", s, "--points", "4"],
    "forecast": lambda s, tmp: ["forecast", s],
    "outlook": lambda s, tmp: ["outlook", s],
    "sweep": lambda s, tmp: ["sweep", s, "-n", "200", "--db", str(tmp / "w.db")],
    "sensitivity": lambda s, tmp: ["sensitivity", s, "-n", "32", "--no-store"],
    "validate": lambda s, tmp: ["validate", s],
}
SHOW_TABLES = tuple(SCENARIO_TABLES)
ONCE: dict[str, Args] = {
    "scenarios": lambda s, tmp: ["scenarios"],
    "power": lambda s, tmp: ["power", "--quota", "39", "--weights", "7x5,1x10"],
    "new": lambda s, tmp: ["new", "wide-check", "--dir", str(tmp / "new")],
    "runs list": lambda s, tmp: ["runs", "list", "--db", _empty_store(tmp / "w.db")],
    "warm": lambda s, tmp: ["warm"],
}
#: Checked elsewhere: ``run`` by the slow test below, ``runs show|export`` after a run;
#: ``backtest``, ``import`` and ``compare-log`` need model files (tests/cli/test_interop_*);
#: ``extract``, ``apply`` and ``diff`` run on an article below; ``serve`` is a server
#: (tests/web, tests/cli/test_serve_command.py).
ELSEWHERE = {
    "run",
    "runs show",
    "runs export",
    "backtest",
    "import",
    "compare-log",
    "extract",
    "apply",
    "diff",
    "serve",
    "migrate",
}


def assert_fits(output: str, width: int, what: str) -> None:
    assert "…" not in output, f"{what}: a cell was cut at {width} columns"
    long = [line for line in output.splitlines() if len(line) > width]
    assert not long, f"{what}: {len(long)} lines wider than {width}, e.g. {long[0]!r}"


def invoke(args: list[str], width: int) -> str:
    result = runner.invoke(app, args, env={"COLUMNS": str(width), "PEACEOPS_DB": ""})
    assert result.exit_code == 0, f"{args}: exit {result.exit_code}\n{result.output}"
    return result.stdout


def test_every_command_has_a_default_view_checked() -> None:
    known = set(PER_SCENARIO) | set(ONCE) | ELSEWHERE
    assert sorted(set(command_names()) - known) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scenario", builtin_scenarios())
@pytest.mark.parametrize("command", sorted(PER_SCENARIO))
def test_default_view_fits(command: str, scenario: str, width: int, tmp_path: Path) -> None:
    args = PER_SCENARIO[command](scenario, tmp_path)
    assert_fits(invoke(args, width), width, " ".join(args))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("table", SHOW_TABLES)
@pytest.mark.parametrize("scenario", builtin_scenarios())
def test_every_scenario_table_fits(scenario: str, table: str, width: int) -> None:
    args = ["show", scenario, "--table", table]
    assert_fits(invoke(args, width), width, " ".join(args))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", sorted(ONCE))
def test_scenario_free_commands_fit(command: str, width: int, tmp_path: Path) -> None:
    args = ONCE[command]("", tmp_path)
    assert_fits(invoke(args, width), width, " ".join(args))


@pytest.mark.slow
@pytest.mark.parametrize("scenario", builtin_scenarios())
def test_run_briefing_and_stored_run_fit(scenario: str, tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    report = str(tmp_path / "r.html")
    for width in WIDTHS:
        out = invoke(["run", scenario, "--db", db, "--report", report], width)
        assert_fits(out, width, f"run {scenario}")
        assert len(out.splitlines()) <= 120, "the default briefing is a screen or two, not a dump"
    for width in WIDTHS:
        assert_fits(invoke(["runs", "list", "--db", db], width), width, "runs list")
        assert_fits(invoke(["runs", "show", "1", "--db", db], width), width, "runs show")
        out = invoke(["runs", "show", "1", "--db", db, "--section", "options"], width)
        assert_fits(out, width, "runs show --section options")
    full = invoke(["run", scenario, "--db", db, "--report", report, "--full"], 80)
    assert_fits(full, 80, f"run {scenario} --full")


ARTICLE = """Poland will not send soldiers to Ukraine, Prime Minister Donald Tusk said on Tuesday.
Turkey is considering the participation of its troops in a reassurance force, officials said.
Moscow's UN envoy called such a mission a legitimate target.
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_evidence_commands_fit(width: int, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    patch = tmp_path / "patch.yaml"
    out = invoke(
        ["extract", str(article), "--scenario", "ukraine-2025-04", "--out", str(patch)], width
    )
    assert_fits(out, width, "extract")
    patch.write_text(patch.read_text(encoding="utf-8").replace("accept: false", "accept: true"))
    new = tmp_path / "new.yaml"
    assert_fits(invoke(["apply", str(patch), "--to", str(new)], width), width, "apply")
    assert_fits(invoke(["diff", "ukraine-2025-04", str(new)], width), width, "diff")
