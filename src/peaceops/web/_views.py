"""What each page shows, as plain rows and figures built from library results.

Presentation only: which columns, which rows side by side, what changed. Every number comes
from a library call made through :class:`~peaceops.web._workbench.Workbench`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from peaceops.errors import Problem, ScenarioError
from peaceops.report.figures import bar_chart, heatmap, line_grid, scatter
from peaceops.scenario import Scenario
from peaceops.scenario.tables import actor_rows, pledge_rows, red_line_rows, stance_rows, venue_rows
from peaceops.web._workbench import Loaded, Workbench

__all__ = [
    "OPTION_COLUMNS",
    "compare_rows",
    "edit_comparison",
    "filter_options",
    "forecast_view",
    "frontier_figure",
    "headline",
    "plan_view",
    "run_comparison",
    "scenario_view",
]

Row = dict[str, Any]

#: Columns of the option matrix page after mission, route and the scenario's planned
#: dimensions (the JSON API returns every column).
OPTION_COLUMNS = (
    "feasible",
    "authorised",
    "blocked_by",
    "coverage",
    "personnel",
    "n_accepting",
    "rejecting",
)


_POINT = {
    "party",
    "epsilon",
    "coverage",
    "utility",
    "status_quo_utility",
    "accepts",
    "personnel",
    "route",
}


def option_columns(s: Scenario) -> tuple[str, ...]:
    """The option matrix page's columns for ``s``: mission, route, each planned dimension."""
    return ("mission", "route", *(d.id for d in s.planned_dimensions()), *OPTION_COLUMNS)


def option_rows(s: Scenario, matrix: Any) -> list[Row]:
    """The option matrix's rows for the page: its columns, a ``plan_query`` to open the plan
    of the option, and ``levels_text`` naming its dimension levels."""
    dims = [d.id for d in s.planned_dimensions()]
    rows = []
    for r in matrix.to_rows() if matrix else []:
        row = {k: r[k] for k in option_columns(s)}
        levels = [(d, r[d]) for d in dims]
        row["plan_query"] = urlencode(
            [("mission", r["mission"]), ("route", r["route"])]
            + [("level", f"{d}={v:g}") for d, v in levels]
        )
        row["levels_text"] = ", ".join(f"{s.dimension(d).name} {v:g}" for d, v in levels)
        rows.append(row)
    return rows


def parse_levels(level: Sequence[str] | None) -> tuple[tuple[str, float], ...] | None:
    """``["DIM=VALUE", ...]`` (the plan page's ``level`` parameters) as level pairs.

    Raises
    ------
    ScenarioError
        For an item that is not ``DIM=VALUE`` with a number.
    """
    level = [item for item in level or () if item]
    if not level:
        return None
    pairs = []
    problems = []
    for item in level:
        dim, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError(item)
            pairs.append((dim.strip(), float(value)))
        except ValueError:
            problems.append(Problem("query", None, "level", f"expected DIM=VALUE, got {item!r}"))
    if problems:
        raise ScenarioError(problems)
    return tuple(pairs)


def scenario_view(wb: Workbench, loaded: Loaded) -> dict[str, Any]:
    """Stances (heatmap), pledges by domain and condition, red lines, venues and power."""
    s = loaded.scenario
    issues = [i.id for i in s.issues]
    actors = list(s.stances)
    z = [[_pos(s, a, i) for i in issues] for a in actors]
    text = [
        [
            f"{st.position:g} (salience {st.salience:g})" if (st := s.stances[a].get(i)) else ""
            for i in issues
        ]
        for a in actors
    ]
    pledges: dict[str, dict[str, list[Row]]] = {}
    cites = {p.id: ", ".join(p.sources) for p in s.pledges}
    for row in pledge_rows(s):
        row["sources"] = cites.get(row["pledge"], "")
        by_condition = pledges.setdefault(row["domain"], {})
        by_condition.setdefault(row["conditions"] or "unconditional", []).append(row)
    power = wb.computed(s, "power")
    venues = venue_rows(s)
    figures = {}
    venue_sources = {v.id: ", ".join(v.sources) for v in s.venues}
    for row in venues:
        row["sources"] = venue_sources.get(row["venue"], "")
        res = power.get(row["venue"])
        if res is None:
            continue
        ss = res.as_float("shapley_shubik")
        bz = res.as_float("normalized_banzhaf")
        top = sorted(zip(res.players, ss, strict=True), key=lambda p: -p[1])[:5]
        row["veto_players"] = ", ".join(res.veto_players) or "none"
        row["largest_power"] = ", ".join(f"{a} {v:.3f}" for a, v in top)
        figures[row["venue"]] = bar_chart(
            categories=list(res.players),
            values={"Shapley-Shubik": list(ss), "normalised Banzhaf": list(bz)},
            y_title="share of power",
        )
    return {
        "stance_figure": heatmap(x=issues, y=actors, z=z, text=text, colorbar="position"),
        "actors": _actor_rows(s),
        "stances": stance_rows(s),
        "pledges": pledges,
        "red_lines": red_line_rows(s),
        "venues": venues,
        "power_figures": figures,
        "sources": {src.id: src for src in s.sources},
        "headline": headline(wb, s),
    }


def headline(wb: Workbench, s: Scenario) -> Row | None:
    """The feasible option with the highest coverage (ties: fewer personnel), if any."""
    matrix = wb.computed(s, "options")
    if matrix is None:
        return None
    feasible: list[Row] = [r for r in option_rows(s, matrix) if r["feasible"]]
    best: Row | None = max(feasible, key=lambda r: (r["coverage"], -r["personnel"]), default=None)
    return best


def filter_options(
    rows: Sequence[Row], *, where: Mapping[str, str], sort: str | None, descending: bool
) -> list[Row]:
    """Rows whose columns contain each ``where`` text (case-insensitive), sorted by ``sort``."""
    out = [
        r
        for r in rows
        if all(
            not text or text.lower() in str(r.get(col, "")).lower() for col, text in where.items()
        )
    ]
    if sort and out and sort in out[0]:
        out.sort(key=lambda r: (r[sort] is None, r[sort] if r[sort] is not None else 0))
        if descending:
            out.reverse()
    return out


def plan_view(result: Any) -> dict[str, Any]:
    """A plan's design, domains, requirements with shortfall reasons, or why none exists."""
    if isinstance(result, Exception):
        return {"infeasible": str(result), "conflicts": list(getattr(result, "conflicts", ()))}
    ev = result.evaluation
    return {
        "infeasible": None,
        "coverage": result.coverage,
        "personnel": result.personnel,
        "design": result.summary_rows(),
        "domains": result.domain_rows(),
        "requirements": result.requirement_rows(),
        "allocation": result.to_rows(),
        "rejecting": [r for r in ev.to_rows() if not r["accepts"]],
        "venues": ev.verdict_rows(),
    }


def frontier_figure(frontier: Any) -> dict[str, Any]:
    """Coverage against the party's utility along the Pareto frontier."""
    rows = frontier.to_rows()
    return scatter(
        x=[r["coverage"] for r in rows],
        y=[r["utility"] for r in rows],
        text=[
            ", ".join([str(r["route"])] + [f"{k} {v:g}" for k, v in r.items() if k not in _POINT])
            for r in rows
        ],
        x_title="coverage",
        y_title=f"utility of {frontier.party}",
        reference=rows[0]["status_quo_utility"] if rows else None,
    )


def forecast_view(result: Any, models: Sequence[str]) -> dict[str, Any]:
    """Trajectories per issue (one panel each), one line per model."""
    rows = result.to_rows()
    dates = [d.isoformat() for d in result.dates]
    panels: dict[str, dict[str, list[float]]] = {}
    for r in rows:
        panels.setdefault(r["issue"], {}).setdefault(r["model"], []).append(r["forecast"])
    return {
        "figure": line_grid(x=dates, panels=panels),
        "outcomes": result.outcome_rows(),
        "models": list(models),
    }


def compare_rows(
    before: Iterable[Row], after: Iterable[Row], *, key: Sequence[str]
) -> list[dict[str, Any]]:
    """Rows matched on ``key``: each other column as ``(before, after, changed)``."""
    b = {tuple(r.get(k) for k in key): r for r in before}
    a = {tuple(r.get(k) for k in key): r for r in after}
    out = []
    for k in list(b) + [k for k in a if k not in b]:
        rb, ra = b.get(k, {}), a.get(k, {})
        cols = list(rb) + [c for c in ra if c not in rb]
        cells = {c: (rb.get(c), ra.get(c), rb.get(c) != ra.get(c)) for c in cols if c not in key}
        out.append(
            {
                "key": dict(zip(key, k, strict=True)),
                "cells": cells,
                "changed": any(v[2] for v in cells.values()),
            }
        )
    return out


def edit_comparison(wb: Workbench, base: Scenario, edited: Scenario) -> dict[str, Any]:
    """Headline option, option matrix and plan of an edited scenario beside its base."""
    options = [wb.computed(s, "options") for s in (base, edited)]
    rows = [option_rows(s, m) for s, m in zip((base, edited), options, strict=True)]
    heads = [headline(wb, s) for s in (base, edited)]
    plans = [wb.computed(s, "plan", None, None, None) for s in (base, edited)]
    views = [plan_view(p) for p in plans]
    domains = [v.get("domains", []) for v in views]
    return {
        "headline": [heads[0], heads[1]],
        "headline_changed": heads[0] != heads[1],
        "options": compare_rows(
            rows[0], rows[1], key=("mission", "route", *(d.id for d in base.planned_dimensions()))
        ),
        "domains": compare_rows(domains[0], domains[1], key=("domain",)),
        "plans": views,
    }


def run_comparison(
    a: Mapping[str, list[Row]], b: Mapping[str, list[Row]], section: str
) -> dict[str, Any]:
    """Section ``section`` of two runs side by side, matched on their text columns."""
    rows_a, rows_b = list(a.get(section, [])), list(b.get(section, []))
    sample = (rows_a or rows_b or [{}])[0]
    key = tuple(c for c, v in sample.items() if isinstance(v, str) or (c in ("round", "rank")))
    if not key:
        rows_a = [{"row": i, **r} for i, r in enumerate(rows_a)]
        rows_b = [{"row": i, **r} for i, r in enumerate(rows_b)]
        key = ("row",)
    return {
        "sections": sorted(set(a) | set(b)),
        "section": section,
        "key": key,
        "rows": compare_rows(rows_a, rows_b, key=key),
    }


def _actor_rows(s: Scenario) -> list[Row]:
    """Actors with their clout and figures, and the sources of each figure."""
    rows = []
    for actor, row in zip(s.actors, actor_rows(s), strict=True):
        cited = [*actor.clout.sources]
        for figure in (actor.population, actor.gdp_usd):
            if figure is not None:
                cited += [c for c in figure.sources if c not in cited]
        rows.append({**row, "sources": ", ".join(cited)})
    return rows


def _pos(s: Scenario, actor: str, issue: str) -> float | None:
    st = s.stances[actor].get(issue)
    return st.position if st else None


def forecast_models(chosen: Sequence[str] | None) -> tuple[str, ...]:
    """The forecast models asked for (default: the six of the briefing), checked by name."""
    from peaceops.errors import Problem, ScenarioError
    from peaceops.forecast import MODELS
    from peaceops.forecast.timeline import DEFAULT_MODELS

    models = tuple(dict.fromkeys(chosen)) if chosen else DEFAULT_MODELS
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ScenarioError(
            [
                Problem("request", None, "model", f"unknown model {m!r}; one of {sorted(MODELS)}")
                for m in unknown
            ]
        )
    return models


def first_section(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    """The section two runs are compared on by default."""
    common = [s for s in a if s in b] or list(a) or list(b)
    for preferred in ("sweep_options", "options", "sweep_probabilities"):
        if preferred in common:
            return preferred
    return common[0] if common else ""
