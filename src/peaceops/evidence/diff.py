"""What changed between two versions of a scenario, and how the outlook moved.

:func:`diff_scenarios` runs a sequence of comparison blocks; each block is a function
``(old, new) -> DiffBlock`` registered by name in :data:`COMPARISONS`:

=============  ==========================================================================
``changes``    sources, stances, pledges, red lines and events added, removed or changed
``options``    the option matrix of each version: options that flipped (feasible or not),
               coverage moved, blockers gained or lost
``forecast``   the static forecasts (compromise, median, Nash) at the horizon per issue
``outlook``    the statements of :func:`peaceops.outlook.compute_outlook` for each version
               (without its Monte Carlo and Sobol parts) and the figures they quote that
               moved: best design and its coverage, deployment chance, force gap, venue
               blockers, change probabilities, institution-aware forecasts
=============  ==========================================================================

Another comparison is added by putting one more function in :data:`COMPARISONS`; the CLI
prints every block in order.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peaceops.errors import Problem, ScenarioError
from peaceops.scenario.model import Scenario

__all__ = ["COMPARISONS", "DiffBlock", "ScenarioDiff", "diff_scenarios"]


@dataclass(frozen=True)
class DiffBlock:
    """One comparison: a title, rows (plain dicts) and a line summarising it.

    ``prose`` blocks have rows ``{kind, key, change, old, new}`` whose texts are too long for
    a table; :meth:`render_text` prints them as wrapped lines instead.
    """

    name: str
    title: str
    rows: tuple[dict[str, Any], ...]
    summary: str
    prose: bool = False

    def render_text(self, width: int = 80) -> str:
        """Plain text of a ``prose`` block, no line wider than ``width``.

        Changed statements are printed before and after, added and removed ones once;
        unchanged statements are counted; moved figures are listed ``key: old -> new``.
        """
        out: list[str] = [self.title]

        def put(text: str, head: str, indent: int) -> None:
            out.extend(
                textwrap.wrap(
                    text,
                    width,
                    initial_indent=head,
                    subsequent_indent=" " * indent,
                    break_on_hyphens=False,
                    break_long_words=True,
                )
            )

        same = [r["key"] for r in self.rows if r["kind"] == "statement" and r["change"] == "same"]
        for r in self.rows:
            if r["kind"] != "statement" or r["change"] == "same":
                continue
            put(f"{r['key']} ({r['change']})", "  ", 4)
            if r["old"] is not None:
                put(str(r["old"]), "    before: ", 12)
            if r["new"] is not None:
                put(str(r["new"]), "    after:  ", 12)
        if same:
            put(f"unchanged: {', '.join(same)}", "  ", 4)
        figures = [r for r in self.rows if r["kind"] == "figure"]
        if figures:
            out.append("  figures that moved:")
            for r in figures:
                put(f"{r['key']}: {r['old']} -> {r['new']}", "    ", 6)
        return "\n".join(out) + "\n"


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


#: Replicates and Sobol base sample of :func:`peaceops.outlook.compute_outlook` in the diff:
#: no Monte Carlo sweep and no Sobol analysis, so that the comparison is deterministic and
#: answers in seconds (``peaceops outlook -n 0 --sensitivity 0``).
OUTLOOK_SETTINGS: tuple[int, int] = (0, 0)


def _outlook(old: Scenario, new: Scenario) -> DiffBlock:
    from peaceops.outlook import compute_outlook

    replicates, sobol = OUTLOOK_SETTINGS
    a = compute_outlook(old, n_replicates=replicates, n_sensitivity=sobol)
    b = compute_outlook(new, n_replicates=replicates, n_sensitivity=sobol)
    rows: list[dict[str, Any]] = []
    before, after = _by_topic(a.lines), _by_topic(b.lines)
    for key in list(before) + [t for t in after if t not in before]:
        x, y = before.get(key), after.get(key)
        change = (
            "added" if x is None else "removed" if y is None else "same" if x == y else "changed"
        )
        rows.append({"kind": "statement", "key": key, "change": change, "old": x, "new": y})
    fa, fb = _flatten(a.figures), _flatten(b.figures)
    moved = 0
    for key in list(fa) + [f for f in fb if f not in fa]:
        x, y = fa.get(key, "-"), fb.get(key, "-")
        if x != y:
            moved += 1
            rows.append({"kind": "figure", "key": key, "change": "moved", "old": x, "new": y})
    changed = sum(1 for r in rows if r["kind"] == "statement" and r["change"] != "same")
    summary = (
        f"{changed} of {len(before | after)} statements changed, {moved} "
        f"figure{'s' if moved != 1 else ''} moved"
    )
    return DiffBlock("outlook", "Outlook (peaceops outlook -n 0)", tuple(rows), summary, True)


def _by_topic(lines: Sequence[Any]) -> dict[str, str]:
    """Statements keyed ``topic`` (``topic 2``, ``topic 3``... when a topic recurs)."""
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line in lines:
        seen[line.topic] = seen.get(line.topic, 0) + 1
        k = seen[line.topic]
        out[line.topic if k == 1 else f"{line.topic} {k}"] = line.text
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Figures as ``dotted.key -> text``; floats to 2 decimals, so that noise does not show.

    A list of rows with an ``issue`` (and a ``source``) is keyed by them; other lists are
    compared as a whole.
    """
    out: dict[str, str] = {}
    if isinstance(value, Mapping):
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif (
        isinstance(value, list | tuple)
        and value
        and all(isinstance(v, Mapping) and "issue" in v for v in value)
    ):
        for v in value:
            tag = ".".join(str(v[t]) for t in ("source", "issue") if t in v)
            rest = {k: x for k, x in v.items() if k not in ("source", "issue")}
            out.update(_flatten(rest, f"{prefix}.{tag}"))
    elif isinstance(value, list | tuple):
        out[prefix] = ",".join(str(_flatten(v).get("", v)) for v in value) or "-"
    elif isinstance(value, float):
        out[prefix] = f"{value:.2f}"
    else:
        out[prefix] = "-" if value is None else str(value)
    return out


def _arrow(a: object, b: object) -> str:
    return f"{a}" if a == b else f"{a} -> {b}"


#: Block name -> comparison ``(old, new) -> DiffBlock``, run in this order.
COMPARISONS: dict[str, Callable[[Scenario, Scenario], DiffBlock]] = {
    "changes": _changes,
    "options": _options,
    "forecast": _forecast,
    "outlook": _outlook,
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
