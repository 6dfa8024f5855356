"""Write a :class:`~peaceops.report.document.Briefing` as one self-contained HTML file.

The page embeds plotly.js (the vendored cartesian bundle, ``report/vendor``) and every figure's
data, and loads nothing from the network, so it opens offline. Tables are complete HTML (every
row, no scroll boxes): a small inline script adds sorting by a click on a column header and a
row filter, and with scripts off the tables are still whole. A print stylesheet lays the
briefing out for paper, so "print to PDF" in a browser gives the whole briefing. The file is
written to a temporary name beside the target and renamed into place, so a failure never leaves
a half-written report.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from peaceops._files import write_atomic
from peaceops.report.document import Briefing, format_cell, format_column_cell
from peaceops.report.figures import figure_json

__all__ = ["render_html", "write_html"]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("peaceops.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = format_cell
    env.filters["column_cell"] = lambda value, column: format_column_cell(column, value)
    env.filters["is_number"] = _is_number
    env.filters["is_token"] = _is_token
    env.filters["figure_json"] = figure_json
    return env


@cache
def _plotly_js() -> str:
    from importlib import resources

    bundle = resources.files("peaceops.report") / "vendor" / "plotly-cartesian.min.js"
    # Escape "</script" so the bundle can never close its own script element early.
    return bundle.read_text(encoding="utf-8").replace("</script", "<\\/script")


def render_html(briefing: Briefing) -> str:
    """The report as an HTML string."""
    template = _environment().get_template("report.html.j2")
    return template.render(briefing=briefing, plotly_js=_plotly_js())


def write_html(briefing: Briefing, path: Path) -> Path:
    """Render and atomically write the report to ``path``; returns the path.

    Raises
    ------
    ScenarioError
        When ``path`` cannot be written (see :func:`peaceops._files.atomic_path`).
    """
    return write_atomic(path, render_html(briefing))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _is_token(value: Any) -> bool:
    """A short value without spaces (an id, a code, a date): kept on one line."""
    if isinstance(value, str):
        return 0 < len(value) <= 30 and not any(c.isspace() for c in value)
    return hasattr(value, "isoformat")
