"""The briefing as data: sections of text, tables and figures, rendered by console and HTML.

Engines return typed results; :mod:`peaceops.report.sections` turns them into
:class:`Section` objects; :mod:`peaceops.report.console` prints them with rich and
:mod:`peaceops.report.html` writes them as one self-contained HTML file. Both renderers read
the same sections, so the terminal and the report never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = ["Briefing", "Figure", "Section", "TableBlock", "format_cell"]


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
    if isinstance(value, datetime | date):
        return value.isoformat()
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
