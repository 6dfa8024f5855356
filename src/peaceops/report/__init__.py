"""Briefing and report: the run's results as rich console output and a self-contained HTML file.

The document model (:mod:`peaceops.report.document`) is light; the builders and renderers load
on first use, so that commands which only print tables do not import every engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peaceops.report.document import Briefing, Figure, Section, TableBlock, format_cell

if TYPE_CHECKING:
    from peaceops.report.console import print_briefing
    from peaceops.report.html import render_html, write_html
    from peaceops.report.sections import build_briefing

__all__ = [
    "Briefing",
    "Figure",
    "Section",
    "TableBlock",
    "build_briefing",
    "format_cell",
    "print_briefing",
    "render_html",
    "write_html",
]

_LAZY = {
    "build_briefing": "peaceops.report.sections",
    "print_briefing": "peaceops.report.console",
    "render_html": "peaceops.report.html",
    "write_html": "peaceops.report.html",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'peaceops.report' has no attribute {name!r}")
