"""The briefing as data: sections of text, tables and figures, rendered by console and HTML.

Engines return typed results; :mod:`peaceops.report.sections` turns them into
:class:`Section` objects; :mod:`peaceops.report.console` prints them with rich and
:mod:`peaceops.report.html` writes them as one self-contained HTML file. Both renderers read
the same sections, so the terminal and the report never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = [
    "IDENTIFIER_COLUMNS",
    "Briefing",
    "Figure",
    "Section",
    "TableBlock",
    "format_cell",
    "format_column_cell",
]


@dataclass(frozen=True)
class TableBlock:
    """A titled table: rows share their keys; ``columns`` fixes order (default: first row's)."""

    title: str
    rows: Sequence[Mapping[str, Any]]
    columns: Sequence[str] | None = None
    note: str = ""
    console: bool = True
    console_columns: Sequence[str] | None = None
    """Columns for the terminal (default: all); the HTML report always shows every column."""
    console_details: Sequence[str] = ()
    """Long-text columns the terminal prints under each row (``name: value``)."""

    @property
    def header(self) -> list[str]:
        """Column names in display order."""
        if self.columns is not None:
            return list(self.columns)
        return list(self.rows[0].keys()) if self.rows else []


@dataclass(frozen=True)
class Figure:
    """A Plotly figure as its JSON-able dict (``data`` and ``layout``), with a caption."""

    title: str
    plotly: Mapping[str, Any]
    caption: str = ""


@dataclass(frozen=True)
class Section:
    """One part of the briefing."""

    id: str
    title: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[TableBlock] = ()
    figures: Sequence[Figure] = ()
    key: bool = False
    """Print this section's tables in the terminal's one-screen view too."""


@dataclass(frozen=True)
class Briefing:
    """The whole briefing: header facts and sections in order."""

    title: str
    subtitle: str
    facts: Mapping[str, str]
    sections: Sequence[Section] = field(default_factory=tuple)


_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")

#: Columns that hold identifiers: printed as they are, without thousands separators.
IDENTIFIER_COLUMNS = frozenset({"seed", "run", "run_id", "year", "id", "replicate"})


def format_column_cell(column: str, value: Any) -> str:
    """A cell of ``column``: identifiers (seeds, run ids, years) verbatim, else :func:`format_cell`.

    >>> format_column_cell("seed", 20250405), format_column_cell("personnel", 26080)
    ('20250405', '26,080')
    """
    if (column in IDENTIFIER_COLUMNS or column.endswith("_id")) and isinstance(value, int):
        return str(value)
    return format_cell(value)


def format_cell(value: Any) -> str:
    """A table cell as text: whole numbers with thousands separators, other floats to three
    significant digits (whole units above 1,000), lists joined with ``"; "``, dates in ISO
    form, ``None`` as blank.

    Examples
    --------
    >>> format_cell(26080.0), format_cell(0.40509), format_cell(["HUN", "SVK"]), format_cell(None)
    ('26,080', '0.405', 'HUN; SVK', '')
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(format_cell(v) for v in value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_TIME.match(value):
        return value[:10] + " " + value[11:16]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)
