"""Print a :class:`~peaceops.report.document.Briefing` to the terminal with rich."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from peaceops.report.document import Briefing, TableBlock, format_cell

__all__ = ["print_briefing"]

_MAX_ROWS = 40


def print_briefing(briefing: Briefing, console: Console) -> None:
    """Print every section's paragraphs and tables (figures are in the HTML report only)."""
    facts = "\n".join(f"[bold]{k}[/]: {v}" for k, v in briefing.facts.items())
    console.print(Panel(facts, title=f"[bold]{briefing.title}[/]", subtitle=briefing.subtitle))
    for section in briefing.sections:
        console.rule(f"[bold]{section.title}")
        for paragraph in section.paragraphs:
            console.print(paragraph)
        for block in section.tables:
            if block.console:
                console.print(_table(block))


def _table(block: TableBlock) -> Table:
    table = Table(title=block.title, title_justify="left", show_lines=False)
    header = list(block.console_columns) if block.console_columns else block.header
    for col in header:
        table.add_column(col, overflow="fold")
    for row in block.rows[:_MAX_ROWS]:
        table.add_row(*(format_cell(row.get(c)) for c in header))
    if len(block.rows) > _MAX_ROWS:
        table.caption = f"{len(block.rows) - _MAX_ROWS} more rows in the HTML report"
    elif block.note:
        table.caption = block.note
    return table
