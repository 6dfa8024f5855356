"""The typer application and the error translation shared by every command."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="peaceops",
    help="Model and plan a multinational peace operation raised by a coalition of the willing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """peaceops command line."""


def main() -> None:
    """Entry point of the ``peaceops`` script."""
    app()
