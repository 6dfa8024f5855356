"""``peaceops import`` and ``peaceops compare-log``: model files from other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peaceops.cli._inputs import model_file_first
from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli.app import FormatOption, app, console, errors
from peaceops.cli.forecast import InputFormatOption, ProposalOption

FileArg = Annotated[
    Path,
    typer.Argument(
        help="A model file: KTAB CSV or XML, an expected-utility table (.csv) or DEU data "
        "(.tsv); see docs/interop.md."
    ),
]


@app.command("import")
def import_file(
    file: FileArg,
    to: Annotated[Path, typer.Option("--to", help="The scenario file to write (YAML).")],
    scenario_id: Annotated[
        str | None, typer.Option("--id", help="Id of the scenario (default: from the file).")
    ] = None,
    input_format: InputFormatOption = None,
    proposal: ProposalOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a scenario skeleton (actors, issues, stances, sources) from a model file."""
    with errors():
        model_file_first(file)
        from peaceops._files import write_atomic
        from peaceops.io import read_model_file, scenario_skeleton

        model = read_model_file(file, format=input_format, proposal=proposal)
        text, scenario = scenario_skeleton(model, scenario_id=scenario_id)
        write_atomic(to, text, overwrite=force)
        console().print(
            f"wrote {to}: {len(scenario.actors)} actors, {len(scenario.issues)} issues, "
            f"{sum(len(v) for v in scenario.stances.values())} stances; add venues, "
            f"pledges and missions, then: peaceops run {to}",
            markup=False,
        )


@app.command("compare-log")
def compare_log(
    file: Annotated[Path, typer.Argument(help="The KTAB input file (CSV or XML) of the run.")],
    log: Annotated[Path, typer.Argument(help="KTAB's log of its smpc run on FILE.")],
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance",
            help="Largest position deviation (0..100 scale) that counts as agreement; "
            "exit 1 beyond it.",
        ),
    ] = 1e-3,
    input_format: InputFormatOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Run the spatial model in KTAB mode on FILE and compare it with LOG, turn by turn."""
    with errors():
        model_file_first(file, log=log)
        from peaceops.io import compare_with_log, read_ktab_log, read_model_file

        model = read_model_file(file, format=input_format)
        result = compare_with_log(model, read_ktab_log(log))
        rows = [
            {"turn": r["turn"], "max_deviation": f"{r['max_deviation']:.1e}"}
            if fmt is OutputFormat.table
            else r
            for r in result.to_rows()
        ]
        text = render_rows(rows, fmt=fmt, title="Largest position deviation", console=console())
        if text is not None:
            typer.echo(text, nl=False)
        agree = result.max_deviation <= tolerance and result.turns_log == result.turns_model
        summary = (
            f"{'agree' if agree else 'DISAGREE'}: max deviation {result.max_deviation:.1e} "
            f"(tolerance {tolerance:g}); turns: log {result.turns_log}, "
            f"peaceops {result.turns_model}"
        )
        typer.echo(summary, err=fmt is not OutputFormat.table)
        if not agree:
            raise typer.Exit(1)
