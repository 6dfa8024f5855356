"""The typer application, options shared by commands, and the translation of errors.

Every command parses its input, calls the library and formats the result; library errors
become one clear line on stderr: exit code 2 for bad input (``ScenarioError``), 1 for other
``PeaceopsError``; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from peaceops.cli._output import OutputFormat
from peaceops.errors import PeaceopsError, ScenarioError

__all__ = ["DbOption", "FormatOption", "SeedOption", "app", "console", "errors", "main"]

app = typer.Typer(
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


@contextmanager
def errors() -> Iterator[None]:
    """Turn a ``PeaceopsError`` raised inside into one line on stderr and the right exit code."""
    try:
        yield
    except PeaceopsError as exc:
        if _state["debug"]:
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
