"""The typer application, options shared by commands, and the translation of errors.

Every command parses its input, calls the library and formats the result; library errors
become one clear line on stderr: exit code 2 for bad input (``ScenarioError``), 1 for other
``PeaceopsError``; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
import typer.main
from rich.console import Console
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from peaceops.cli._output import OutputFormat
from peaceops.errors import PeaceopsError, ScenarioError

__all__ = [
    "COMMAND_MODULES",
    "COMMAND_SUMMARIES",
    "DbOption",
    "FormatOption",
    "SeedOption",
    "app",
    "console",
    "debug_enabled",
    "errors",
    "load_all_commands",
    "main",
]

#: Command name -> module of ``peaceops.cli`` that defines it. Modules are imported only when
#: their command runs (or for ``--help`` and the docs), so ``peaceops validate`` does not pay
#: for importing the solver, numba kernels and Dask.
COMMAND_MODULES = {
    "apply": "evidence",
    "backtest": "backtest",
    "compare-log": "interop",
    "diff": "evidence",
    "extract": "evidence",
    "forecast": "forecast",
    "frontier": "plan",
    "import": "interop",
    "migrate": "migrate",
    "new": "scenarios",
    "options": "plan",
    "outlook": "outlook",
    "plan": "plan",
    "power": "power",
    "run": "run",
    "runs": "runs",
    "scenarios": "scenarios",
    "sensitivity": "sweep",
    "serve": "serve",
    "show": "scenarios",
    "sweep": "sweep",
    "validate": "scenarios",
    "venues": "venues",
    "warm": "warm",
}

#: Command name -> its one-line help, so the root ``--help`` lists the commands without
#: importing them (a test checks every entry against the command's own help). A command
#: missing here still shows: its module is imported for its help.
COMMAND_SUMMARIES = {
    "apply": "Apply the accepted changes of a patch and write a new, validated scenario file.",
    "diff": "Show what changed between two scenarios: options that flipped, coverage, blockers, "
    "forecasts.",
    "extract": "Find statements in an article and propose scenario changes as a YAML patch.",
    "compare-log": "Run the spatial model in KTAB mode on FILE and compare it with LOG, turn by "
    "turn.",
    "import": "Write a scenario skeleton (actors, issues, stances, sources) from a model file.",
    "backtest": "Mean and median absolute error of every model, the baselines and "
    "cross-validated learners.",
    "forecast": "Forecast how the negotiation moves, round by round, under each model, within who "
    "decides each issue (venue win-sets, unilateral deciders, the force fielded).",
    "frontier": "The Pareto frontier of coverage against a party's utility (epsilon-constraint).",
    "new": "Write a commented scenario template that validates, as NAME.yaml.",
    "outlook": "The outlook: design, deployment, force gap, blockers, change by the horizon, "
    "drivers.",
    "migrate": "Write a scenario file in format 2 (checked before anything is written).",
    "options": "The option matrix: every mission x route x planned levels, feasible or not and "
    "why.",
    "plan": "Plan a mission: the force, its shortfalls and why, and who accepts it.",
    "power": "Exact power indices of the weighted voting game [QUOTA; WEIGHTS] (Shapley-Shubik, "
    "Banzhaf, Holler, Deegan-Packel, Johnston), as fractions and floats; input errors exit 2.",
    "run": "Run the whole analysis of a scenario end to end (default: the built-in Ukraine "
    "scenario).",
    "runs": "List, show and export stored runs.",
    "scenarios": "List the built-in scenarios.",
    "serve": "Open the workbench: scenarios, what-if editing, options, plans, forecasts, sweeps, "
    "runs.",
    "sensitivity": "Sobol' first-order and total indices of one output: which uncertain input "
    "matters most.",
    "show": "Print one table of a scenario: actors, issues, stances, pledges, sources and more.",
    "sweep": "Monte Carlo sweep: probabilities that parties accept, venues authorise and domains "
    "are covered, per mission option, and forecast distributions, with standard errors.",
    "validate": "Check a scenario file; list every problem with file, line and field path "
    "(exit 2).",
    "venues": "Each venue's rule, members, veto players and power indices (exact).",
    "warm": "Compile the numerical kernels once for this machine, so later commands start at once.",
}


def load_all_commands() -> None:
    """Import every command module (for the docs and for ``--help``)."""
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"peaceops.cli.{module}")


class _LazyGroup(TyperGroup):
    """A command group that imports a command's module the first time it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is None and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"peaceops.cli.{COMMAND_MODULES[cmd_name]}")
            built: Any = typer.main.get_command(app)
            cmd = built.commands.get(cmd_name)
            if cmd is not None:
                self.commands[cmd_name] = cmd
        return cmd

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands and their one-line help, from :data:`COMMAND_SUMMARIES` where the
        command is not loaded yet (so ``peaceops --help`` imports no command module)."""
        rows: list[tuple[str, str | None]] = []
        for name in self.list_commands(ctx):
            if name in self.commands or name not in COMMAND_SUMMARIES:
                cmd = self.get_command(ctx, name)
                if cmd is None or cmd.hidden:
                    continue
                rows.append((name, None))
            else:
                rows.append((name, COMMAND_SUMMARIES[name]))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        listed = [
            (name, make_default_short_help(text, limit))
            if text is not None
            else (name, self.commands[name].get_short_help_str(limit))
            for name, text in rows
        ]
        with formatter.section("Commands"):
            formatter.write_dl(listed)


app = typer.Typer(
    cls=_LazyGroup,
    name="peaceops",
    help="Model and plan a multinational peace operation raised by a coalition of the willing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}


def console() -> Console:
    """The console commands print to (stdout)."""
    return Console(highlight=False, soft_wrap=False)


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an error.")
    ] = False,
) -> None:
    """peaceops: scenarios, venues and voting power, force planning, forecasts, sweeps."""
    _state["debug"] = debug


def debug_enabled() -> bool:
    """Whether ``--debug`` was given: errors then propagate with their traceback."""
    return _state["debug"]


@contextmanager
def errors() -> Iterator[None]:
    """Turn a ``PeaceopsError`` raised inside into one line on stderr and the right exit code."""
    try:
        yield
    except PeaceopsError as exc:
        if debug_enabled():
            raise
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        if isinstance(exc, ScenarioError):
            n = len(exc.problems)
            err.print(f"error: {n} problem{'s' if n != 1 else ''} found", markup=False)
            for p in exc.problems:
                err.print(f"  {p}", markup=False)
            raise typer.Exit(2) from None
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Run store: a SQLite file path or a database URL (default ./peaceops.db).",
        envvar="PEACEOPS_DB",
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of every random draw.")]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def main() -> None:
    """Entry point of the ``peaceops`` script."""
    # a one-line notice on stderr when a kernel must be compiled (peaceops._jit)
    os.environ.setdefault("PEACEOPS_COMPILE_NOTICE", "1")
    sys.exit(app())
