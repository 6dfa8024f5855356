"""The root ``--help`` lists every command without importing the command modules.

Timing belongs to the benchmarks (``benchmarks/bench_startup.py``); these tests check what
makes start-up quick: which modules a fresh interpreter imports, and that the summary table
beside the lazy loader says exactly what each command's own help says.
"""

from __future__ import annotations

import json
import subprocess
import sys

import typer.main

from peaceops.cli.app import COMMAND_MODULES, COMMAND_SUMMARIES, app, load_all_commands

_HEAVY = ("pandas", "scipy", "numba", "sqlalchemy", "alembic", "ortools", "dask", "plotly")


def _modules_after(argv: list[str]) -> set[str]:
    """Modules a fresh interpreter holds after running ``peaceops ARGV``."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['peaceops', *{argv!r}]\n"
        "from peaceops.cli.app import app\n"
        "try:\n"
        "    app(standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.__stdout__.write('\\n' + json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_every_command_has_the_summary_its_help_gives() -> None:
    load_all_commands()
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for name in COMMAND_MODULES:
        assert name in COMMAND_SUMMARIES, f"add {name!r} to COMMAND_SUMMARIES in cli/app.py"
        own = group.commands[name].get_short_help_str(10**6)
        assert COMMAND_SUMMARIES[name] == own, name
    assert set(COMMAND_SUMMARIES) <= set(COMMAND_MODULES)


def test_root_help_imports_no_command_module_and_no_engine() -> None:
    loaded = _modules_after(["--help"])
    commands = {f"peaceops.cli.{m}" for m in COMMAND_MODULES.values()}
    assert not loaded & commands
    assert not {m for m in loaded if m.split(".")[0] in (*_HEAVY, "numpy", "pydantic")}
    assert not {m for m in loaded if m.startswith(("peaceops.forecast", "peaceops.scenario"))}


def test_validate_imports_no_engine_and_no_numpy() -> None:
    loaded = _modules_after(["validate", "ukraine-2025-04"])
    assert not {m for m in loaded if m.split(".")[0] in (*_HEAVY, "numpy")}


def test_root_help_reads_the_same_with_every_command_loaded() -> None:
    def helps(preload: str) -> str:
        code = f"from peaceops.cli.app import load_all_commands, main\n{preload}\nmain()"
        return subprocess.run(
            [sys.executable, "-c", code, "--help"],
            capture_output=True,
            text=True,
            env={"COLUMNS": "80", "PATH": ""},
        ).stdout

    lazy = helps("")
    assert "validate" in lazy
    assert lazy == helps("load_all_commands()")
