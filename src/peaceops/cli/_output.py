"""Output formats shared by every command: ``--format table|json|csv``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

from peaceops.report.document import format_cell


class OutputFormat(StrEnum):
    """How a command prints its result."""

    table = "table"
    json = "json"
    csv = "csv"


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    *,
    fmt: OutputFormat,
    title: str | None = None,
    console: Console | None = None,
) -> str | None:
    """Print ``rows`` (dicts sharing their keys) as a rich table, or return them as JSON/CSV text.

    Returns the text for ``json`` and ``csv`` (the caller writes it to stdout) and ``None`` after
    printing a table.
    """
    columns = list(rows[0].keys()) if rows else []
    if fmt is OutputFormat.json:
        return json.dumps(list(rows), indent=2, default=str)
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    table = Table(title=title)
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*(format_cell(r[c]) for c in columns))
    (console or Console()).print(table)
    return None
