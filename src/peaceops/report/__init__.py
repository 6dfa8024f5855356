"""Briefing and report: the run's results as rich console output and a self-contained HTML file.

The document model (:mod:`peaceops.report.document`) is light; the builders and renderers load
on first use, so that commands which only print tables do not import every engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peaceops._lazy import lazy_attributes as _lazy_attributes
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


__getattr__ = _lazy_attributes(__name__, _LAZY)
