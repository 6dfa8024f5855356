"""One shape for every result: ``to_frame()`` and a notebook view from ``to_rows()``.

Engine results define ``to_rows()`` (a list of dicts); :class:`FrameMixin` derives from it a
pandas DataFrame with typed columns (dates as ``datetime64``, numbers as numbers, lists kept as
Python lists) and ``_repr_html_``, so a result shows as a table in Jupyter. pandas is imported
only when a frame is asked for.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FrameMixin", "rows_frame"]

_HTML_ROWS = 20


def rows_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """A DataFrame of ``rows``: date and datetime columns become ``datetime64[ns]``.

    >>> import datetime as dt
    >>> frame = rows_frame([{"day": dt.date(2025, 4, 5), "who": ["GBR", "FRA"], "n": 3}])
    >>> [str(t) for t in frame.dtypes], frame.loc[0, "who"]
    (['datetime64[ns]', 'object', 'int64'], ['GBR', 'FRA'])
    """
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    for column in frame.columns:
        values = [v for v in frame[column] if v is not None]
        if values and all(isinstance(v, dt.date) for v in values):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


class FrameMixin:
    """``to_frame()`` and ``_repr_html_`` for a result that has ``to_rows()``."""

    def _rows(self) -> Sequence[Mapping[str, Any]]:
        rows: Sequence[Mapping[str, Any]] = self.to_rows()  # type: ignore[attr-defined]
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The result's rows (``to_rows()``) as a pandas DataFrame with typed columns."""
        return rows_frame(self._rows())

    def _repr_html_(self) -> str:
        rows = self._rows()
        title = html.escape(type(self).__name__)
        head = f"<p><b>{title}</b>: {len(rows)} rows</p>"
        if not rows:
            return head
        columns = list(rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_text(r.get(c)))}</td>" for c in columns) + "</tr>"
            for r in rows[:_HTML_ROWS]
        )
        more = (
            f"<p>{len(rows) - _HTML_ROWS} more rows: .to_frame()</p>"
            if len(rows) > _HTML_ROWS
            else ""
        )
        header = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        return f"{head}<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>{more}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
