"""Plotly figures of the briefing, as plain JSON-able dicts (no plotly import needed here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["bar_chart", "heatmap", "stacked_bars"]

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
