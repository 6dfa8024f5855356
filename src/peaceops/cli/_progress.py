"""Progress and closing summaries for commands that can take more than a couple of seconds.

Progress goes to stderr and only when stderr is a terminal, so pipes and redirected output stay
clean; the one-line summary ends the table view (JSON and CSV output carry no summary, so they
stay machine-readable).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from peaceops.cli._output import OutputFormat

__all__ = ["summary", "working"]


@contextmanager
def working(message: str, *, animate: bool = True) -> Iterator[None]:
    """Show a spinner with ``message`` on a terminal's stderr while the block runs.

    ``animate=False`` prints the message once instead: a spinner runs in a thread, and the
    analysis forks its side branch only from a process without other threads
    (:mod:`peaceops.workflows._side`).
    """
    err = Console(stderr=True, highlight=False)
    if not err.is_terminal:
        yield
        return
    if not animate:
        err.print(f"{message} ...", markup=False)
        yield
        return
    with err.status(message, spinner="dots"):
        yield


def summary(text: str, fmt: OutputFormat) -> None:
    """Print the command's one-line summary after its table (nothing for JSON or CSV)."""
    if fmt is OutputFormat.table:
        Console(highlight=False, soft_wrap=False).print(text, markup=False)
