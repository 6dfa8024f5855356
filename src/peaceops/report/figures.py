"""Plotly figures of the briefing, as plain JSON-able dicts (no plotly import needed here)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "bar_chart",
    "fan_grid",
    "figure_json",
    "heatmap",
    "line_grid",
    "scatter",
    "stacked_bars",
]

_LAYOUT: dict[str, Any] = {
    "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "plot_bgcolor": "#ffffff",
}


def heatmap(
    *,
    x: Sequence[str],
    y: Sequence[str],
    z: Sequence[Sequence[float | None]],
    text: Sequence[Sequence[str]] | None = None,
    zmin: float = 0.0,
    zmax: float = 100.0,
    colorbar: str = "",
) -> dict[str, Any]:
    """A heatmap of ``z[row][col]`` with rows ``y`` and columns ``x``."""
    trace: dict[str, Any] = {
        "type": "heatmap",
        "x": list(x),
        "y": list(y),
        "z": [list(r) for r in z],
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": "RdBu",
        "reversescale": True,
        "colorbar": {"title": {"text": colorbar}},
        "hoverongaps": False,
    }
    if text is not None:
        trace["text"] = [list(r) for r in text]
        trace["hovertemplate"] = "%{y} on %{x}: %{text}<extra></extra>"
    height = max(300, 22 * len(y) + 120)
    return {
        "data": [trace],
        "layout": {**_LAYOUT, "height": height, "yaxis": {"autorange": "reversed"}},
    }


def stacked_bars(
    *,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    y_title: str,
    horizontal: bool = False,
) -> dict[str, Any]:
    """Bars per category, stacked by series (e.g. personnel per actor by domain)."""
    data = []
    for name, values in series.items():
        trace: dict[str, Any] = {"type": "bar", "name": name}
        if horizontal:
            trace.update({"y": list(categories), "x": list(values), "orientation": "h"})
        else:
            trace.update({"x": list(categories), "y": list(values)})
        data.append(trace)
    axis = "xaxis" if horizontal else "yaxis"
    layout = {**_LAYOUT, "barmode": "stack", axis: {"title": {"text": y_title}}}
    if horizontal:
        layout["height"] = max(300, 24 * len(categories) + 120)
        layout["yaxis"] = {"autorange": "reversed"}
    return {"data": data, "layout": layout}


def bar_chart(
    *,
    categories: Sequence[str],
    values: Mapping[str, Sequence[float]],
    y_title: str,
    error: Mapping[str, Sequence[float]] | None = None,
) -> dict[str, Any]:
    """Grouped bars, one trace per key of ``values``, with optional symmetric error bars."""
    data = []
    for name, vals in values.items():
        trace: dict[str, Any] = {
            "type": "bar",
            "name": name,
            "x": list(categories),
            "y": list(vals),
        }
        if error is not None and name in error:
            trace["error_y"] = {"type": "data", "array": list(error[name]), "visible": True}
        data.append(trace)
    return {
        "data": data,
        "layout": {**_LAYOUT, "barmode": "group", "yaxis": {"title": {"text": y_title}}},
    }


def line_grid(
    *,
    x: Sequence[str],
    panels: Mapping[str, Mapping[str, Sequence[float]]],
    y_range: tuple[float, float] = (0.0, 100.0),
    columns: int = 2,
) -> dict[str, Any]:
    """Small multiples: one panel per key of ``panels``, one line per series in each panel."""
    names = list(panels)
    rows = -(-len(names) // columns)
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {**_LAYOUT, "height": 260 * rows + 60, "annotations": []}
    gap = 0.08
    width = (1 - gap * (columns - 1)) / columns
    height = (1 - gap * (rows - 1)) / rows
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
    for k, name in enumerate(names):
        r, c = divmod(k, columns)
        axis = "" if k == 0 else str(k + 1)
        x0 = c * (width + gap)
        y1 = 1 - r * (height + gap)
        layout[f"xaxis{axis}"] = {"domain": [x0, x0 + width], "anchor": f"y{axis}"}
        layout[f"yaxis{axis}"] = {
            "domain": [y1 - height, y1],
            "anchor": f"x{axis}",
            "range": list(y_range),
        }
        layout["annotations"].append(
            {
                "text": f"<b>{name}</b>",
                "x": x0,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        for m, (series, values) in enumerate(panels[name].items()):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": series,
                    "legendgroup": series,
                    "showlegend": k == 0,
                    "line": {"color": palette[m % len(palette)]},
                    "x": list(x),
                    "y": list(values),
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                }
            )
    return {"data": data, "layout": layout}


def scatter(
    *,
    x: Sequence[float],
    y: Sequence[float],
    text: Sequence[str],
    x_title: str,
    y_title: str,
    reference: float | None = None,
) -> dict[str, Any]:
    """Points joined in order (a frontier), with hover text and an optional horizontal line."""
    layout: dict[str, Any] = {
        **_LAYOUT,
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}},
        "showlegend": False,
    }
    if reference is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": reference,
                "y1": reference,
                "line": {"dash": "dash", "color": "#888"},
            }
        ]
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": list(x),
        "y": list(y),
        "text": list(text),
        "hovertemplate": "coverage %{x:.2f}, utility %{y:.1f}<br>%{text}<extra></extra>",
    }
    return {"data": [trace], "layout": layout}


def fan_grid(
    *,
    x: Sequence[str],
    panels: Mapping[str, Mapping[str, Sequence[float]]],
    y_range: tuple[float, float] = (0.0, 100.0),
    columns: int = 2,
) -> dict[str, Any]:
    """Fan charts, one panel per key: each panel maps ``q05 q25 q50 q75 q95`` to series."""
    base = line_grid(
        x=x,
        panels={name: {"median": q["q50"]} for name, q in panels.items()},
        y_range=y_range,
        columns=columns,
    )
    bands: list[dict[str, Any]] = []
    bands_spec = (("q05", "q95", "90% band", 0.15), ("q25", "q75", "50% band", 0.3))
    for k, q in enumerate(panels.values()):
        axis = "" if k == 0 else str(k + 1)
        for lo, hi, label, alpha in bands_spec:
            common = {"xaxis": f"x{axis}", "yaxis": f"y{axis}", "legendgroup": label}
            bands.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": list(x),
                    "y": list(q[lo]),
                    "line": {"width": 0},
                    "showlegend": False,
                    "hoverinfo": "skip",
                    **common,
                }
            )
            bands.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": list(x),
                    "y": list(q[hi]),
                    "fill": "tonexty",
                    "fillcolor": f"rgba(31,119,180,{alpha})",
                    "line": {"width": 0},
                    "name": label,
                    "showlegend": k == 0,
                    **common,
                }
            )
    base["data"] = bands + base["data"]
    return base


def figure_json(figure: Any) -> str:
    """A figure as JSON safe to embed in a ``<script>`` element.

    NumPy values become lists, dates ISO text; ``</`` is escaped so that figure text can never
    close the surrounding element.

    >>> figure_json({"data": [{"name": "</script>", "x": [dt.date(2025, 4, 5)]}]})
    '{"data": [{"name": "<\\\\/script>", "x": ["2025-04-05"]}]}'
    """
    return json.dumps(figure, default=_jsonable).replace("</", "<\\/")


def _jsonable(value: Any) -> Any:
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__} in a figure")
