"""Briefing and report: the run's results as rich console output and a self-contained HTML file."""

from __future__ import annotations

from peaceops.report.console import print_briefing
from peaceops.report.document import Briefing, Figure, Section, TableBlock
from peaceops.report.html import render_html, write_html
from peaceops.report.sections import build_briefing

__all__ = [
    "Briefing",
    "Figure",
    "Section",
    "TableBlock",
    "build_briefing",
    "print_briefing",
    "render_html",
    "write_html",
]
