"""Print a :class:`~peaceops.report.document.Briefing` to the terminal.

The default view is one screen: the header facts and each section's headline paragraphs (and
the tables of sections marked ``key``). ``full=True`` prints every table of every section,
each laid out for the terminal's width by :mod:`peaceops.report.layout` (no cell is cut; long
text is folded under its row). Figures are in the HTML report.
"""

from __future__ import annotations

from rich.console import Console

from peaceops.report.document import Briefing, TableBlock, format_column_cell
from peaceops.report.layout import layout_table, wrap_text

__all__ = ["briefing_lines", "print_briefing"]


def briefing_lines(briefing: Briefing, width: int, *, full: bool = False) -> list[str]:
    """The briefing as lines of at most ``width`` characters."""
    width = max(width, 20)
    lines = wrap_text(briefing.title, width)
    lines += wrap_text(briefing.subtitle, width)
    lines += wrap_text("; ".join(f"{k}: {v}" for k, v in briefing.facts.items()), width)
    for section in briefing.sections:
        lines.append("")
        lines.append(f"== {section.title} ".ljust(min(width, 60), "="))
        for paragraph in section.paragraphs:
            if paragraph:
                lines += wrap_text(paragraph, width)
        if full or section.key:
            for block in section.tables:
                if block.console or full:
                    lines.append("")
                    lines += _table_lines(block, width, caption=block.title != section.title)
    if not full:
        n_tables = sum(len(s.tables) for s in briefing.sections)
        lines.append("")
        lines += wrap_text(
            f"{n_tables} tables behind these lines: add --full to print them, or open the report.",
            width,
        )
    return lines


def print_briefing(briefing: Briefing, console: Console, *, full: bool = False) -> None:
    """Print the briefing: one screen of headlines, or everything with ``full``."""
    for line in briefing_lines(briefing, console.width, full=full):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _table_lines(block: TableBlock, width: int, *, caption: bool = True) -> list[str]:
    header = list(block.console_columns) if block.console_columns else block.header
    details = [d for d in block.console_details if d not in header]
    columns = [*header, *details]
    cells = [[format_column_cell(c, row.get(c)) for c in columns] for row in block.rows]
    lines = wrap_text(f"{block.title} ({len(block.rows)} rows)", width) if caption else []
    if cells:
        lines += layout_table(columns, cells, width=width, details=details)
    if block.note:
        lines += wrap_text(block.note, width)
    return lines
