"""``peaceops run``: validate, analyse, print the briefing, record the run, write the report.

The scenario is validated before the engines are imported (a bad file costs a fraction of a
second), and the run is recorded before the report is written, so a report path that cannot
be written loses nothing: the error names the recorded run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peaceops.cli._inputs import load_first
from peaceops.cli._progress import working
from peaceops.cli.app import DbOption, SeedOption, app, console, errors
from peaceops.cli.scenarios import ScenarioArg
from peaceops.errors import Problem, ScenarioError

if TYPE_CHECKING:
    from peaceops.scenario import Scenario
    from peaceops.workflows import Analysis


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
        s = load_first(scenario)  # validated before the engines are imported
        if store:  # a bad --db fails now, not after the analysis
            from peaceops.store.engine import open_store

            open_store(db).dispose()
        from peaceops.io import read_builtin_patches
        from peaceops.report import build_briefing, print_briefing, write_html
        from peaceops.workflows import analyse

        patches = read_builtin_patches(s.id)
        message = f"analysing {s.id}: options, plan, forecasts, sweep, sensitivity"
        with working(message, animate=False):  # no spinner thread: the analysis forks
            analysis = analyse(s, seed=seed, patches=patches)
        briefing = build_briefing(analysis)
        out = console()
        if not quiet:
            print_briefing(briefing, out, full=full)
        run_id = _record(s, analysis, db, seed) if store else None  # before any file is written
        target = report or Path("reports") / f"{s.id}.html"
        try:
            path = write_html(briefing, target)
        except ScenarioError as exc:
            if run_id is None:
                raise
            note = f"run {run_id} is recorded; see its results with: peaceops runs show {run_id}"
            raise ScenarioError([*exc.problems, Problem(str(target), None, "", note)]) from None
        out.print(f"report written to {path}", markup=False)


def _record(s: Scenario, analysis: Analysis, db: str | None, seed: int) -> int:
    from peaceops.store import finish_run, record_results, start_scenario_run
    from peaceops.store.engine import mask_url, open_store

    engine = open_store(db)
    try:
        with engine.begin() as conn:
            run_id = start_scenario_run(conn, s, kind="run", seed=seed, options=analysis.settings)
            for section, rows in analysis.to_rows().items():
                record_results(conn, run_id, section, rows)
            finish_run(conn, run_id)
    finally:
        engine.dispose()
    console().print(f"run {run_id} recorded in {mask_url(str(engine.url))}", markup=False)
    return run_id
