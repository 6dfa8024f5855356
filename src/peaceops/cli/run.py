"""``peaceops run``: validate, analyse, print the briefing, write the report, record the run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peaceops.cli._progress import working
from peaceops.cli.app import DbOption, SeedOption, app, console, errors
from peaceops.cli.scenarios import ScenarioArg
from peaceops.planning import load_patch
from peaceops.report import build_briefing, print_briefing, write_html
from peaceops.scenario import load_scenario
from peaceops.scenario.load import builtin_patches
from peaceops.store import finish_run, open_store, record_results, start_scenario_run
from peaceops.workflows import analyse


@app.command("run")
def run(
    scenario: ScenarioArg = "ukraine-2025-04",
    db: DbOption = None,
    seed: SeedOption = 20250405,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="HTML report path (default reports/SCENARIO.html)."),
    ] = None,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Record the run in the store.")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Skip the briefing.")] = False,
    full: Annotated[
        bool,
        typer.Option("--full", help="Print every table of the briefing (default: one screen)."),
    ] = False,
) -> None:
    """Run the whole analysis of a scenario end to end (default: the built-in Ukraine scenario)."""
    with errors():
        s = load_scenario(scenario)
        patches = tuple(load_patch(path) for path in builtin_patches(s.id))
        with working(f"analysing {s.id}: options, plan, forecasts, sweep, sensitivity"):
            analysis = analyse(s, seed=seed, patches=patches)
        briefing = build_briefing(analysis)
        out = console()
        if not quiet:
            print_briefing(briefing, out, full=full)
        path = write_html(briefing, report or Path("reports") / f"{s.id}.html")
        out.print(f"report written to {path}", markup=False)
        if store:
            engine = open_store(db)
            try:
                with engine.begin() as conn:
                    run_id = start_scenario_run(
                        conn, s, kind="run", seed=seed, options=analysis.settings
                    )
                    for section, rows in analysis.to_rows().items():
                        record_results(conn, run_id, section, rows)
                    finish_run(conn, run_id)
            finally:
                engine.dispose()
            out.print(f"run {run_id} recorded in {engine.url.render_as_string()}", markup=False)
