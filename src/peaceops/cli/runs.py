"""``peaceops runs``: list, show and export stored runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from peaceops._files import atomic_path
from peaceops.cli._output import OutputFormat, WideOption, render_rows
from peaceops.cli.app import DbOption, FormatOption, app, console, errors
from peaceops.errors import Problem, ScenarioError
from peaceops.store import Connection, get_run, list_runs, open_store

runs_app = typer.Typer(help="List, show and export stored runs.", no_args_is_help=True)
app.add_typer(runs_app, name="runs")


@contextmanager
def _connect(db: str | None) -> Iterator[Connection]:
    engine = open_store(db, write=False)  # reading writes nothing: a read-only store works
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


@runs_app.command("list")
def runs_list(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many recent runs.")] = 50,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The most recent runs first."""
    with errors(), _connect(db) as conn:
        rows = [r.to_row() for r in list_runs(conn, limit=limit)]
        text = render_rows(rows, fmt=fmt, title="Runs", console=console(), view="runs")
        if text is not None:
            typer.echo(text, nl=False)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[int, typer.Argument(help="Run id.")],
    db: DbOption = None,
    section: Annotated[
        str | None,
        typer.Option(help="Print this result section (the default view lists the sections)."),
    ] = None,
    all_sections: Annotated[
        bool, typer.Option("--all", help="Print every result section in full.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """A run's metadata and its result sections (one with --section, all with --all)."""
    with errors(), _connect(db) as conn:
        info, sections = get_run(conn, run_id)
        out = console()
        if fmt is OutputFormat.json:
            typer.echo(
                json.dumps(
                    {"run": info.to_row(), "options": info.options, "results": sections},
                    indent=2,
                    default=str,
                )
            )
            return
        if section is not None and section not in sections:
            known = ", ".join(sections) or "none"
            raise ScenarioError(
                [
                    Problem(
                        "--section", None, "", f"run {run_id} has no section {section!r} ({known})"
                    )
                ]
            )
        if fmt is OutputFormat.table:
            render_rows(
                [info.to_row()], fmt=fmt, title=f"Run {run_id}", console=out, view="runs", wide=wide
            )
        if section is None and not all_sections:
            listing = [
                {"section": name, "rows": len(rows), "columns": len(rows[0]) if rows else 0}
                for name, rows in sections.items()
            ]
            text = render_rows(
                listing,
                fmt=fmt,
                title=f"Result sections of run {run_id}",
                console=out,
                note=f"peaceops runs show {run_id} --section NAME prints one; --all prints all.",
            )
            if text is not None:
                typer.echo(text, nl=False)
            return
        for name, rows in sections.items():
            if all_sections or name == section:
                text = render_rows(rows, fmt=fmt, title=name, console=out, wide=wide)
                if text is not None:
                    typer.echo(f"# {name}\n{text}", nl=False)


@runs_app.command("export")
def runs_export(
    run_id: Annotated[int, typer.Argument(help="Run id.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (.csv, .json, .parquet).")
    ] = None,
    section: Annotated[
        str | None,
        typer.Option(
            help="Result section to export (`peaceops runs show RUN` lists them); for a sweep, "
            "'replicates' gives one row per replicate (its inputs and outputs)."
        ),
    ] = None,
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            help="Export every table of the run and its sources instead: FILE.xlsx (a sheet "
            "per table) or a directory of Parquet files.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --to.")] = False,
    db: DbOption = None,
) -> None:
    """Export one result section of a run (--out, --section), or every table (--to)."""
    with errors(), _connect(db) as conn:
        if to is not None:
            from peaceops.io.export import export_run

            export_run(conn, run_id, to, force=force)
            console().print(f"wrote every table of run {run_id} to {to}", markup=False)
            return
        if out is None or section is None:
            raise ScenarioError(
                [Problem("--out", None, "", "give --out FILE and --section NAME, or --to")]
            )
        suffix = out.suffix.lower()
        if suffix not in (".csv", ".json", ".parquet"):
            raise ScenarioError([Problem(str(out), None, "", "use a .csv, .json or .parquet file")])
        if section == "replicates":
            from peaceops.cli._replicates import export_replicates

            with atomic_path(out) as tmp:
                n_rows = export_replicates(conn, run_id, tmp, suffix=out.suffix.lower())
            console().print(f"wrote {n_rows} rows to {out}", markup=False)
            return
        _, sections = get_run(conn, run_id)
        if section not in sections:
            known = ", ".join(sections) or "none"
            raise ScenarioError(
                [
                    Problem(
                        "--section", None, "", f"run {run_id} has no section {section!r} ({known})"
                    )
                ]
            )
        frame = pd.DataFrame(sections[section])
        with atomic_path(out) as tmp:
            if suffix == ".csv":
                frame.to_csv(tmp, index=False)
            elif suffix == ".json":
                frame.to_json(tmp, orient="records", indent=2)
            else:
                try:
                    frame.to_parquet(tmp, index=False)
                except ImportError as exc:
                    raise ImportError(
                        "Parquet export needs pyarrow: uv pip install pyarrow"
                    ) from exc
        console().print(f"wrote {len(frame)} rows to {out}", markup=False)
