"""What changed between two versions of a scenario, and how the outlook moved.

:func:`diff_scenarios` runs a sequence of comparison blocks; each block is a function
``(old, new) -> DiffBlock`` registered by name in :data:`COMPARISONS`:

=============  ==========================================================================
``changes``    sources, stances, pledges, red lines and events added, removed or changed
``options``    the option matrix of each version: options that flipped (feasible or not),
               coverage moved, blockers gained or lost
``forecast``   the static forecasts (compromise, median, Nash) at the horizon per issue
=============  ==========================================================================

A later comparison (the institution-constrained "outlook") is added by putting one more
function in :data:`COMPARISONS`; the CLI prints every block in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from peaceops.errors import Problem, ScenarioError
from peaceops.scenario.model import Scenario

__all__ = ["COMPARISONS", "DiffBlock", "ScenarioDiff", "diff_scenarios"]


@dataclass(frozen=True)
class DiffBlock:
    """One comparison: a title, rows (plain dicts) and a line summarising it."""

    name: str
    title: str
    rows: tuple[dict[str, Any], ...]
    summary: str


@dataclass(frozen=True)
class ScenarioDiff:
    """Every block of a comparison between ``old`` and ``new``."""

    old: str
    new: str
    blocks: tuple[DiffBlock, ...]

    def to_rows(self) -> list[dict[str, Any]]:
        """All rows, each tagged with its block's name."""
        return [{"block": b.name, **r} for b in self.blocks for r in b.rows]


def _changes(old: Scenario, new: Scenario) -> DiffBlock:
    rows: list[dict[str, Any]] = []

    def keyed(s: Scenario, table: str) -> dict[str, Any]:
        items = getattr(s, table)
        return {x.id: x for x in items}

    for table in ("sources", "pledges", "red_lines", "events"):
        a, b = keyed(old, table), keyed(new, table)
        for k in b.keys() - a.keys():
            rows.append({"what": table, "id": k, "change": "added"})
        for k in a.keys() - b.keys():
            rows.append({"what": table, "id": k, "change": "removed"})
        for k in a.keys() & b.keys():
            if a[k] != b[k]:
                rows.append({"what": table, "id": k, "change": "changed"})
    for actor in sorted(set(old.stances) | set(new.stances)):
        a_st, b_st = old.stances.get(actor, {}), new.stances.get(actor, {})
        for issue in sorted(set(a_st) | set(b_st)):
            x, y = a_st.get(issue), b_st.get(issue)
            if x == y:
                continue
            before = "-" if x is None else f"{x.position:g}"
            after = "-" if y is None else f"{y.position:g}"
            rows.append(
                {"what": "stances", "id": f"{actor}/{issue}", "change": f"{before} -> {after}"}
            )
    rows.sort(key=lambda r: (r["what"], r["id"]))
    n = len(rows)
    summary = f"{n} change{'s' if n != 1 else ''}"
    return DiffBlock("changes", "What changed in the scenario", tuple(rows), summary)


def _options(old: Scenario, new: Scenario) -> DiffBlock:
    from peaceops.planning import option_matrix

    a, b = option_matrix(old), option_matrix(new)
    rows: list[dict[str, Any]] = []
    before = {c.id: c for c in a.cells}
    flipped = 0
    for c in b.cells:
        o = before.get(c.id)
        if o is None:
            continue
        dcov = c.plan.coverage - o.plan.coverage
        if o.feasible == c.feasible and set(o.blockers) == set(c.blockers) and abs(dcov) < 5e-4:
            continue
        flipped += o.feasible != c.feasible
        rows.append(
            {
                "option": c.id,
                "feasible": _arrow(o.feasible, c.feasible),
                "coverage": f"{o.plan.coverage:.2f} -> {c.plan.coverage:.2f}",
                "blockers": _arrow(",".join(o.blockers) or "-", ",".join(c.blockers) or "-"),
            }
        )
    summary = f"{flipped} of {len(b.cells)} options flipped; {len(rows)} changed"
    return DiffBlock("options", "Options (mission/route/levels)", tuple(rows), summary)


def _forecast(old: Scenario, new: Scenario) -> DiffBlock:
    from peaceops.forecast.timeline import forecast_scenario

    models = ("compromise", "median", "nash")
    a = forecast_scenario(old, models=models).outcome_rows()
    b = {r["issue"]: r for r in forecast_scenario(new, models=models).outcome_rows()}
    rows: list[dict[str, Any]] = []
    for r in a:
        n = b.get(r["issue"])
        if n is None:
            continue
        moved = {m: f"{r[m]:g} -> {n[m]:g}" for m in models if abs(n[m] - r[m]) >= 0.05}
        if moved:
            rows.append({"issue": r["issue"], **{m: moved.get(m, "=") for m in models}})
    k = len(rows)
    summary = f"{k} issue{'s' if k != 1 else ''} moved"
    return DiffBlock("forecast", "Forecast at the horizon", tuple(rows), summary)


def _arrow(a: object, b: object) -> str:
    return f"{a}" if a == b else f"{a} -> {b}"


#: Block name -> comparison ``(old, new) -> DiffBlock``, run in this order.
COMPARISONS: dict[str, Callable[[Scenario, Scenario], DiffBlock]] = {
    "changes": _changes,
    "options": _options,
    "forecast": _forecast,
}


def diff_scenarios(
    old: Scenario, new: Scenario, *, blocks: Sequence[str] | None = None
) -> ScenarioDiff:
    """Compare two versions of a scenario block by block (see :data:`COMPARISONS`).

    Raises
    ------
    ScenarioError
        For an unknown block name.
    """
    names = list(blocks) if blocks is not None else list(COMPARISONS)
    unknown = [n for n in names if n not in COMPARISONS]
    if unknown:
        raise ScenarioError(
            [
                Problem(
                    "--only",
                    None,
                    "",
                    f"unknown block {unknown[0]!r}; choose from {', '.join(COMPARISONS)}",
                )
            ]
        )
    return ScenarioDiff(old.id, new.id, tuple(COMPARISONS[n](old, new) for n in names))
