"""Scenario commands: ``validate``, ``scenarios``, ``show`` and ``new``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from peaceops._files import write_atomic
from peaceops.cli._inputs import load_first
from peaceops.cli._output import OutputFormat, WideOption, render_rows
from peaceops.cli.app import FormatOption, app, console, errors
from peaceops.errors import Problem, ScenarioError
from peaceops.scenario import (
    Scenario,
    builtin_scenarios,
    load_scenario,
    parse_scenario,
    template_text,
)
from peaceops.scenario.tables import SCENARIO_TABLES


def _venue_table(scenario: Scenario) -> list[dict[str, Any]]:
    from peaceops.venues import venue_table  # compiles games: load only when asked for

    return venue_table(scenario)


_TABLES = {**SCENARIO_TABLES, "venues": _venue_table}

ScenarioArg = Annotated[
    str, typer.Argument(help="A built-in scenario name or a scenario file (YAML or JSON).")
]


@app.command("validate")
def validate(file: ScenarioArg) -> None:
    """Check a scenario file; list every problem with file, line and field path (exit 2)."""
    with errors():
        s = load_first(file)
        console().print(
            f"ok: {s.id} ({len(s.actors)} actors, {len(s.issues)} issues, "
            f"{len(s.pledges)} pledges, {len(s.venues)} venues, {len(s.sources)} sources)",
            markup=False,
        )


@app.command("scenarios")
def scenarios(fmt: FormatOption = OutputFormat.table) -> None:
    """List the built-in scenarios."""
    with errors():
        rows = []
        for name in builtin_scenarios():
            s = load_scenario(name)
            rows.append({"name": name, "as_of": s.as_of.isoformat(), "title": s.name})
        _emit(rows, fmt, "Built-in scenarios")


@app.command("show")
def show(
    scenario: ScenarioArg = "ukraine-2025-04",
    table: Annotated[
        str, typer.Option("--table", "-t", help=f"One of: {', '.join(_TABLES)}.")
    ] = "stances",
    fmt: FormatOption = OutputFormat.table,
    wide: WideOption = False,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            help="Write every table and the sources instead: FILE.xlsx (a sheet per table) "
            "or a directory of Parquet files.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing export.")] = False,
) -> None:
    """Print one table of a scenario: actors, issues, stances, pledges, sources and more."""
    with errors():
        if table not in _TABLES:
            raise ScenarioError(
                [Problem("--table", None, "", f"{table!r} is not one of {', '.join(_TABLES)}")]
            )
        s = load_first(scenario)
        if export is not None:
            from peaceops.io.export import export_scenario

            export_scenario(s, export, force=force)
            console().print(f"wrote every table of {s.id} to {export}", markup=False)
            return
        _emit(_TABLES[table](s), fmt, f"{s.id}: {table}", view=table, wide=wide)


@app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="Id of the new scenario, e.g. un-mission-2026.")],
    directory: Annotated[Path, typer.Option("--dir", help="Where to write NAME.yaml.")] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented scenario template that validates, as NAME.yaml."""
    with errors():
        text = template_text(name, name.replace("-", " ").title())
        target = directory / f"{name}.yaml"
        parse_scenario(text, file=str(target))  # a bad NAME fails here, before anything is written
        write_atomic(target, text, overwrite=force)
        console().print(f"wrote {target}; check it with: peaceops validate {target}", markup=False)


def _emit(
    rows: Sequence[Mapping[str, object]],
    fmt: OutputFormat,
    title: str,
    *,
    view: str | None = None,
    wide: bool = False,
) -> None:
    text = render_rows(rows, fmt=fmt, title=title, console=console(), view=view, wide=wide)
    if text is not None:
        typer.echo(text, nl=False)
