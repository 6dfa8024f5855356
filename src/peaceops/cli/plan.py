"""Planning commands: ``plan``, ``options`` and ``frontier``.

Each parses its options, calls :mod:`peaceops.planning` and prints the result's rows; a
``--what-if`` patch is applied first and the difference shown next to the result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peaceops.cli._inputs import load_first
from peaceops.cli._output import OutputFormat, WideOption
from peaceops.cli._progress import summary, working
from peaceops.cli.app import FormatOption, app, errors
from peaceops.cli.scenarios import ScenarioArg, _emit
from peaceops.errors import Problem, ScenarioError

if TYPE_CHECKING:  # the planner loads after the inputs are validated (cli/_inputs.py)
    from peaceops.planning import ConditionState, ForcePlan
    from peaceops.scenario import Scenario

MissionOption = Annotated[
    str | None, typer.Option("--mission", "-m", help="Mission id (default: the first).")
]
RouteOption = Annotated[
    str | None, typer.Option("--route", help="Fix the authorisation route (a venue id).")
]
LevelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--level",
        help="Fix a planned design dimension: DIMENSION=LEVEL (0..100; repeatable).",
    ),
]
WhatIfOption = Annotated[
    Path | None,
    typer.Option("--what-if", help="A what-if patch (YAML/JSON); see docs/planning.md."),
]
RequireOption = Annotated[
    list[str] | None,
    typer.Option(
        "--require",
        help="Actor who must accept (repeatable; default: the scenario's host; 'none': nobody).",
    ),
]
AfterOption = Annotated[
    list[str] | None,
    typer.Option(
        "--after",
        help="Assume EVENT happened before deployment (repeatable; default: every event of "
        "probability >= 0.5).",
    ),
]
UtilityOption = Annotated[str, typer.Option("--utility", help="Utility form: linear or quadratic.")]


@app.command("plan")
def plan(
    scenario: ScenarioArg = "ukraine-2025-04",
    mission: MissionOption = None,
    route: RouteOption = None,
    level: LevelOption = None,
    what_if: WhatIfOption = None,
    require: RequireOption = None,
    after: AfterOption = None,
    objective: Annotated[
        list[str] | None,
        typer.Option(
            "--objective",
            help="Lexicographic objectives in order (repeatable): coverage, acceptance, "
            "utility[:ACTOR], personnel, fairness (default: coverage, fairness).",
        ),
    ] = None,
    utility: UtilityOption = "linear",
    fmt: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """Plan a mission: the force, its shortfalls and why, and who accepts it."""
    with errors():
        s = load_first(scenario, what_if=what_if)
        from peaceops.planning import apply_patch, solve_force_generation

        options: dict[str, Any] = {
            "route": route,
            "levels": _levels(level),
            "require_acceptance": _require(s, require),
            "utility": utility,
            "state": _state(after),
        }
        if objective:
            options["objectives"] = tuple(objective)
        base: ForcePlan | None = None
        patch_name = None
        if what_if is not None:
            from peaceops.io import read_patch

            patch = read_patch(what_if)
            patch_name = patch.name
            base = solve_force_generation(s, mission, **options)
            s = apply_patch(s, patch)
        with working("planning the force"):
            result = solve_force_generation(s, mission, **options)
        sections = _plan_sections(result)
        if base is not None:
            sections["what_if"] = _plan_difference(base, result)
        if fmt is OutputFormat.json:
            if patch_name:
                sections["patch"] = [{"name": patch_name}]
            typer.echo(json.dumps(sections, indent=2, default=str))
        elif fmt is OutputFormat.csv:
            _emit(result.to_rows(), fmt, "allocation")
        else:
            title = f"{s.id}: plan of {result.mission}"
            if patch_name:
                title += f" (what-if: {patch_name})"
            for name, rows in sections.items():
                if rows:
                    _emit(rows, fmt, f"{title}: {name}", view=name, wide=wide)
        short = [r for r in result.requirement_rows() if r.get("missing")]
        summary(
            f"{result.mission} via {result.design.route}: coverage {result.coverage:.0%}, "
            f"{result.personnel:,} personnel; {len(short)} requirements short"
            + (
                f" ({sum(int(r['missing_personnel']) for r in short):,} personnel)" if short else ""
            ),
            fmt,
        )


@app.command("options")
def options(
    scenario: ScenarioArg = "ukraine-2025-04",
    what_if: WhatIfOption = None,
    require: RequireOption = None,
    after: AfterOption = None,
    utility: UtilityOption = "linear",
    fmt: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """The option matrix: every mission x route x planned levels, feasible or not and why."""
    with errors():
        s = load_first(scenario, what_if=what_if)
        from peaceops.planning import compare_patch, option_matrix

        kwargs: dict[str, Any] = {
            "require_acceptance": _require(s, require),
            "utility": utility,
            "state": _state(after),
        }
        if what_if is not None:
            from peaceops.io import read_patch

            patch = read_patch(what_if)
            result = compare_patch(s, patch, **kwargs)
            _emit(result.to_rows(), fmt, f"{s.id}: options, what-if {patch.name}", view="options")
            return
        with working("planning every option"):
            rows = option_matrix(s, **kwargs).to_rows()
        _emit(rows, fmt, f"{s.id}: options", view="options", wide=wide)
        summary(_options_summary(rows), fmt)


@app.command("frontier")
def frontier(
    scenario: ScenarioArg = "ukraine-2025-04",
    mission: MissionOption = None,
    party: Annotated[
        str | None,
        typer.Option("--party", help="Whose utility (default: the scenario's adversary)."),
    ] = None,
    points: Annotated[int, typer.Option("--points", help="Number of coverage floors.")] = 20,
    route: RouteOption = None,
    level: LevelOption = None,
    require: RequireOption = None,
    after: AfterOption = None,
    utility: UtilityOption = "linear",
    fmt: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """The Pareto frontier of coverage against a party's utility (epsilon-constraint)."""
    with errors():
        s = load_first(scenario)
        from peaceops.planning import pareto_frontier

        with working("tracing the frontier"):
            result = pareto_frontier(
                s,
                mission,
                party=party,
                n_points=points,
                route=route,
                levels=_levels(level),
                require_acceptance=_require(s, require),
                utility=utility,  # type: ignore[arg-type]
                state=_state(after),
            )
        _emit(
            result.to_rows(),
            fmt,
            f"{s.id}: frontier of {result.mission} ({result.party})",
            view="frontier",
            wide=wide,
        )


def _require(scenario: Scenario, require: Sequence[str] | None) -> tuple[str, ...]:
    if require is None:
        return (scenario.planning.host,) if scenario.planning.host else ()
    if [r.lower() for r in require] == ["none"]:
        return ()
    return tuple(require)


def _levels(given: Sequence[str] | None) -> dict[str, float] | None:
    """``--level DIM=VALUE`` options as a mapping (``None`` when none is given)."""
    if not given:
        return None
    out: dict[str, float] = {}
    for text in given:
        dim, sep, value = text.partition("=")
        try:
            out[dim.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not dim.strip():
            raise ScenarioError(
                [Problem("--level", None, "", f"{text!r}: expected DIMENSION=LEVEL, e.g. air=50")]
            ) from None
    return out


def _state(after: Sequence[str] | None) -> ConditionState:
    from peaceops.planning import ConditionState

    if not after:
        return ConditionState()
    for event in after:
        if not event:
            raise ScenarioError([Problem("--after", None, "", "an event id is required")])
    return ConditionState(events=after)


def _plan_sections(result: ForcePlan) -> dict[str, list[dict[str, Any]]]:
    ev = result.evaluation
    return {
        "design": result.summary_rows(),
        "allocation": result.to_rows(),
        "requirements": result.requirement_rows(),
        "domains": result.domain_rows(),
        "rejecting": [r for r in ev.to_rows() if not r["accepts"]],
        "venues": ev.verdict_rows(),
    }


def _plan_difference(before: ForcePlan, after: ForcePlan) -> list[dict[str, Any]]:
    units_b = {a.pledge: a for a in before.allocation}
    units_a = {a.pledge: a for a in after.allocation}
    rows: list[dict[str, Any]] = [
        {
            "item": "coverage",
            "before": round(before.coverage, 4),
            "after": round(after.coverage, 4),
        },
        {"item": "personnel", "before": before.personnel, "after": after.personnel},
        {"item": "route", "before": before.design.route, "after": after.design.route},
        *(
            {"item": dim, "before": value, "after": after.design.value(dim)}
            for dim, value in before.design.choices
        ),
        {
            "item": "rejecting",
            "before": ", ".join(before.evaluation.rejecting),
            "after": ", ".join(after.evaluation.rejecting),
        },
    ]
    for pledge in list(units_b) + [p for p in units_a if p not in units_b]:
        b = units_b[pledge].units if pledge in units_b else 0
        a = units_a[pledge].units if pledge in units_a else 0
        if a != b:
            rows.append({"item": f"units of {pledge}", "before": b, "after": a})
    return rows


def _options_summary(rows: Sequence[dict[str, Any]]) -> str:
    feasible = [r for r in rows if r["feasible"]]
    text = f"{len(rows)} options, {len(feasible)} feasible"
    if feasible:
        best = max(feasible, key=lambda r: (r["coverage"], -r["personnel"]))
        text += (
            f"; best: {best['mission']} via {best['route']} "
            f"(coverage {best['coverage']:.0%}, {best['personnel']:,} personnel)"
        )
    return text
