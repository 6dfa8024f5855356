"""Output formats shared by every command: ``--format table|json|csv``, and the table view.

The table view is designed for the terminal's width (:mod:`peaceops.report.layout`): a command
names the few columns that answer its question (``columns``) and the long text to fold under
each row (``details``); ``--wide`` shows every column. JSON keeps lists as lists and numbers as
numbers; CSV joins a list's items with ``"; "``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from peaceops.report.document import format_column_cell
from peaceops.report.layout import layout_table, wrap_text

__all__ = ["VIEWS", "OutputFormat", "View", "WideOption", "csv_value", "print_lines", "render_rows"]


@dataclass(frozen=True)
class View:
    """The default table view of one kind of rows.

    ``hide``: columns left out unless ``--wide`` (a trailing ``*`` matches a prefix);
    ``details``: long text printed under each row rather than in a column.
    """

    hide: tuple[str, ...] = ()
    details: tuple[str, ...] = ()

    def hidden(self, column: str) -> bool:
        return any(column.startswith(h[:-1]) if h.endswith("*") else column == h for h in self.hide)


#: Default views by table name: what answers the question in 80 columns.
VIEWS: dict[str, View] = {
    "options": View(
        hide=("coverage_*", "n_accepting", "authorising_venues", "personnel_rotated"),
        details=("blocked_by", "rejecting", "conflicts"),
    ),
    "rejecting": View(details=("reasons", "red_lines")),
    "venues": View(details=("blocked_by", "pivotal", "members")),
    "allocation": View(hide=("personnel_rotated",)),
    "actors": View(details=("groups", "sources")),
    "stances": View(hide=("uncertainty*",), details=("sources", "note")),
    "pledges": View(details=("conditions", "sources", "note")),
    "red_lines": View(details=("description", "rule", "sources")),
    "issues": View(details=("description", "scale", "design", "sources")),
    "groups": View(details=("members", "sources")),
    "capabilities": View(details=("sources",)),
    "events": View(details=("description", "changes", "sources")),
    "missions": View(details=("description", "after_events", "sources")),
    "requirements": View(details=("reasons",)),
    "sources": View(hide=("locator", "rationale", "licence"), details=("title", "url")),
    "runs": View(hide=("scenario_hash",), details=("options",)),
    "frontier": View(details=("rejecting",)),
    "sensitivity": View(hide=("s1_low", "s1_high", "n_inputs")),
}


class OutputFormat(StrEnum):
    """How a command prints its result."""

    table = "table"
    json = "json"
    csv = "csv"


WideOption = Annotated[
    bool,
    typer.Option("--wide", help="Show every column in the table view (default: the key ones)."),
]


def csv_value(value: Any) -> Any:
    """A CSV cell: lists and tuples joined with ``"; "``, everything else unchanged."""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def print_lines(console: Console, lines: Sequence[str]) -> None:
    """Print pre-laid-out lines exactly (no markup, no re-wrapping)."""
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    *,
    fmt: OutputFormat,
    title: str | None = None,
    console: Console | None = None,
    columns: Sequence[str] | None = None,
    details: Sequence[str] = (),
    wide: bool = False,
    note: str = "",
    view: str | View | None = None,
) -> str | None:
    """Print ``rows`` (dicts sharing their keys) as a table, or return them as JSON/CSV text.

    Returns the text for ``json`` and ``csv`` (the caller writes it to stdout) and ``None`` after
    printing a table. ``columns`` is the default view (``wide`` shows all columns); ``details``
    are printed under each row instead of in a column.
    """
    every = list(rows[0].keys()) if rows else list(columns or [])
    if fmt is OutputFormat.json:
        return json.dumps(list(rows), indent=2, default=str) + "\n"
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=every, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_value(v) for k, v in r.items()} for r in rows)
        return buf.getvalue()
    out = console or Console(highlight=False)
    if isinstance(view, View):
        spec = view
    else:
        spec = VIEWS.get(view or "", View())
    details = (*details, *spec.details)
    if wide:
        shown = every
    elif columns is not None:
        shown = [c for c in columns if c in every]
    else:
        shown = [c for c in every if not spec.hidden(c) and c not in details]
    folded = [d for d in details if d in every and d not in shown]
    header = [*shown, *folded]
    hidden = [c for c in every if c not in header]
    lines: list[str] = []
    if title:
        lines.extend(wrap_text(title, out.width))
    if not rows:
        lines.append("(no rows)")
    else:
        cells = [[format_column_cell(c, r.get(c)) for c in header] for r in rows]
        lines.extend(layout_table(header, cells, width=out.width, details=folded))
    footer = [note] if note else []
    if hidden:
        footer.append(f"{len(hidden)} more columns with --wide or --format csv")
    for text in footer:
        lines.extend(wrap_text(text, out.width))
    print_lines(out, lines)
    out.print("", markup=False)
    return None
