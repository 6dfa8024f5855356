"""The typer application, options shared by commands, and the translation of errors.

Every command parses its input, calls the library and formats the result; library errors
become one clear line on stderr: exit code 2 for bad input (``ScenarioError``), 1 for other
``PeaceopsError``; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
import typer.main
from rich.console import Console
from typer.core import TyperGroup

from peaceops.cli._output import OutputFormat
from peaceops.errors import PeaceopsError, ScenarioError

__all__ = [
    "COMMAND_MODULES",
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
    "backtest": "backtest",
    "forecast": "forecast",
    "frontier": "plan",
    "migrate": "migrate",
    "new": "scenarios",
    "options": "plan",
    "plan": "plan",
    "power": "power",
    "run": "run",
    "runs": "runs",
    "scenarios": "scenarios",
    "sensitivity": "sweep",
    "show": "scenarios",
    "sweep": "sweep",
    "validate": "scenarios",
    "venues": "venues",
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
    sys.exit(app())
