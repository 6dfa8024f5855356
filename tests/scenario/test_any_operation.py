"""Any operation: three built-ins through the commands, each in its own vocabulary, and no
case-specific word in the package's code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peaceops.cli.app import app
from peaceops.planning import option_matrix
from peaceops.scenario import builtin_scenarios, load_scenario

SRC = Path(__file__).resolve().parents[2] / "src" / "peaceops"

#: Words that belong to one operation's data, never to the code or its generic output.
CASE_WORDS = ("US backstop", "backstop", "contact line", "ceasefire")

#: Words of each built-in that another built-in's output must never use.
VOCABULARY = {
    "ukraine-2025-04": ("Ukraine", "backstop", "contact line"),
    "unifil-2006-08": ("UNIFIL", "Hezbollah", "Litani"),
    "aspides-2024-02": ("Aspides", "Houthi", "Red Sea"),
}

#: Files allowed to name format-1 fields (the migration reads them) and data files.
_EXEMPT = {SRC / "scenario" / "migrate.py"}


def test_three_built_ins_are_listed() -> None:
    assert set(builtin_scenarios()) == set(VOCABULARY)
    result = CliRunner().invoke(app, ["scenarios", "--format", "csv"])
    assert result.exit_code == 0
    assert [line.split(",")[0] for line in result.output.splitlines()[1:]] == sorted(VOCABULARY)


def test_no_case_words_in_the_code() -> None:
    """Outside the scenario data (src/peaceops/scenarios, src/peaceops/data) and the format-1
    migration, no source file names one operation's choices."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if "scenarios" in path.relative_to(SRC).parts or path in _EXEMPT:
            continue
        text = path.read_text(encoding="utf-8")
        for word in CASE_WORDS:
            for m in re.finditer(re.escape(word), text, flags=re.IGNORECASE):
                line = text.count("\n", 0, m.start()) + 1
                offenders.append(f"{path.relative_to(SRC)}:{line}: {word}")
    assert offenders == []


@pytest.mark.parametrize(
    ("name", "mission", "route"),
    [("unifil-2006-08", "enhanced_unifil", "UNSC"), ("aspides-2024-02", "aspides", "EU")],
)
def test_options_show_the_route_open(name: str, mission: str, route: str) -> None:
    """UNIFIL: the Security Council authorises (1701 passed 15-0); Aspides: the EU Council does
    (Spain abstains constructively, members without a stance agree)."""
    s = load_scenario(name)
    m = option_matrix(s, missions=[mission], routes=[route])
    assert m.cells
    for cell in m.cells:
        assert cell.feasible
        assert cell.authorised
        assert cell.plan.coverage > 0.5


COMMANDS = [
    ["validate"],
    ["show", "--table", "stances"],
    ["show", "--table", "pledges"],
    ["show", "--table", "red_lines"],
    ["show", "--table", "venues"],
    ["venues"],
    ["options", "--format", "csv"],
    ["plan", "--format", "csv"],
    ["frontier", "--points", "3", "--format", "csv"],
    ["forecast", "--format", "csv"],
]


@pytest.mark.parametrize("name", sorted(VOCABULARY))
def test_every_built_in_runs_through_the_commands_in_its_own_words(name: str) -> None:
    runner = CliRunner()
    foreign = [w for other, words in VOCABULARY.items() if other != name for w in words]
    for args in COMMANDS:
        result = runner.invoke(app, [args[0], name, *args[1:]], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (args, result.output)
        used = [w for w in foreign if w.lower() in result.output.lower()]
        assert used == [], (args, used)
