"""``peaceops forecast``: every model's week-by-week trajectory per issue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peaceops.cli._inputs import load_first, model_file_first
from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli._progress import summary, working
from peaceops.cli.app import FormatOption, app, console, errors
from peaceops.cli.scenarios import ScenarioArg
from peaceops.errors import Problem, ScenarioError

if TYPE_CHECKING:  # the engines load after the inputs are validated (cli/_inputs.py)
    from peaceops.forecast.timeline import ScenarioForecast

#: ``peaceops.forecast.timeline.DEFAULT_MODELS``, written out so that the help and a bad file
#: cost no engine import (tests/cli/test_validate_first.py checks they agree).
DEFAULT_MODELS = ("compromise", "median", "nash", "expected_utility", "exchange", "smp")

InputOption = Annotated[
    Path | None,
    typer.Option(
        "--input",
        "-i",
        help="Forecast a model file instead of a scenario: KTAB CSV or XML, an "
        "expected-utility table (.csv) or DEU data (.tsv); see docs/interop.md.",
    ),
]
InputFormatOption = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        help="Format of --input: ktab-csv, ktab-xml, eu-table or deu (default: from the file).",
    ),
]
ProposalOption = Annotated[
    str | None,
    typer.Option("--proposal", help="For DEU data with several proposals: the one to read."),
]


@app.command("forecast")
def forecast(
    scenario: ScenarioArg = "ukraine-2025-04",
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model", "-m", help=f"Model(s) to run (default: {', '.join(DEFAULT_MODELS)})."
        ),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last date to forecast, YYYY-MM-DD.")
    ] = None,
    every: Annotated[
        int,
        typer.Option("--every", help="Table view: show every K-th round (and the last).", min=1),
    ] = 4,
    input_file: InputOption = None,
    input_format: InputFormatOption = None,
    proposal: ProposalOption = None,
    rounds: Annotated[
        int,
        typer.Option("--rounds", help="With --input: rounds to forecast (one week each).", min=1),
    ] = 12,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also write the trajectories as a self-contained HTML figure."),
    ] = None,
    plan: Annotated[
        bool,
        typer.Option(
            "--plan/--no-plan",
            help="Plan the options first, so force-set issues take the best plan's values and "
            "venues that block every design block their issues (slower).",
        ),
    ] = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Forecast how the negotiation moves, round by round, under each model, within who
    decides each issue (venue win-sets, unilateral deciders, the force fielded).

    With --input the models run on a model file (round 0 is today) without a scenario.
    """
    with errors():
        end = _date(until) if until else None
        models = tuple(model or DEFAULT_MODELS)
        if input_file is not None:
            if until is not None:
                raise ScenarioError(
                    [Problem("--until", None, "", "a model file has no calendar: use --rounds")]
                )
            model_file_first(input_file)
            from peaceops.io import forecast_model_file, read_model_file

            data = read_model_file(input_file, format=input_format, proposal=proposal)
            with working("forecasting"):
                result = forecast_model_file(data, models=models, rounds=rounds)
        else:
            s = load_first(scenario)
            from peaceops.forecast.timeline import forecast_scenario

            plan_values, blocks = None, None
            with working("forecasting"):
                if plan and s.missions:
                    from peaceops.outlook import planner_inputs
                    from peaceops.planning import option_matrix

                    _, plan_values, blocks = planner_inputs(option_matrix(s))
                try:
                    result = forecast_scenario(
                        s, models=models, until=end, plan_values=plan_values, venue_blocks=blocks
                    )
                except ScenarioError as exc:  # name the flags the options came from
                    raise ScenarioError([_flag(p) for p in exc.problems]) from None
        show_forecast(result, fmt=fmt, every=every)
        if plot is not None:
            write_plot(result, plot)
            typer.echo(f"figure written to {plot}", err=fmt is not OutputFormat.table)


def show_forecast(result: ScenarioForecast, *, fmt: OutputFormat, every: int = 4) -> None:
    """Print a forecast: the long rows as JSON/CSV, else the horizon and a table per issue."""
    if fmt is not OutputFormat.table:
        text = render_rows(result.to_rows(), fmt=fmt)
        typer.echo(text or "", nl=False)
        return
    out = console()
    render_rows(result.outcome_rows(), fmt=fmt, title="Forecast at the horizon", console=out)
    if result.rulings:
        render_rows(_decided_rows(result), fmt=fmt, title="Who decides", console=out)
    if result.cycles:
        render_rows(
            result.cycle_rows(),
            fmt=fmt,
            title="Non-convergent: cycles (headlines use the mean)",
            console=out,
        )
    names = list(result.results)
    for j, issue in enumerate(result.issues):
        rows = []
        for t, date in enumerate(result.dates):
            if t % every and t != len(result.dates) - 1:
                continue
            row: dict[str, object] = {"round": t, "date": date.isoformat()}
            for name in names:
                row[name] = round(float(result.results[name].trajectory[t, j]), 1)
            rows.append(row)
        render_rows(rows, fmt=fmt, title=f"{issue}: forecast by round", console=out)
    summary(_forecast_summary(result.outcome_rows(), names), fmt)


def _forecast_summary(rows: list[dict[str, object]], models: list[str]) -> str:
    spreads = []
    for row in rows:
        values = [float(str(row[m])) for m in models if row.get(m) not in (None, "")]
        if values:
            spreads.append((max(values) - min(values), str(row.get("issue", ""))))
    if not spreads:
        return f"{len(models)} models, no issue forecast"
    spread, issue = max(spreads)
    return (
        f"{len(models)} models x {len(rows)} issues; they disagree most on {issue} "
        f"(spread {spread:.1f} points at the horizon)"
    )


def write_plot(result: ScenarioForecast, path: Path) -> None:
    """The report's trajectory figure (a panel per issue, a line per model) as an HTML page.

    The page embeds plotly.js, so it opens offline; it is written atomically.
    """
    import plotly.io

    from peaceops._files import write_atomic
    from peaceops.report.figures import line_grid

    panels = {
        issue: {name: res.trajectory[:, j].tolist() for name, res in result.results.items()}
        for j, issue in enumerate(result.issues)
    }
    figure = line_grid(x=[d.isoformat() for d in result.dates], panels=panels)
    html = plotly.io.to_html(figure, include_plotlyjs=True, full_html=True)
    write_atomic(path, html)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScenarioError(
            [Problem("--until", None, "", f"expected a date YYYY-MM-DD, got {text!r}")]
        ) from None


def _decided_rows(result: ScenarioForecast) -> list[dict[str, object]]:
    """One row per settled issue: the models' range before and after, and why."""
    rows: list[dict[str, object]] = []
    for issue in dict.fromkeys(r.issue for r in result.rulings):
        rulings = [r for r in result.rulings if r.issue == issue]
        before = [r.unconstrained for r in rulings]
        after = [r.value for r in rulings]
        first = rulings[0]
        if first.kind == "venue" and not any(r.blockers for r in rulings):
            why = "win-set {:g}..{:g}".format(*first.win_set) if first.win_set else first.label
        else:
            why = first.label
        rows.append(
            {
                "issue": issue,
                "models before": f"{min(before):.1f}-{max(before):.1f}",
                "after": f"{min(after):.1f}-{max(after):.1f}",
                "why": why,
            }
        )
    return rows


_FLAGS = {"models": "--model", "until": "--until"}


def _flag(problem: Problem) -> Problem:
    """A problem with an option of the engine, reported against the command's flag."""
    if problem.file == "<options>" and problem.path in _FLAGS:
        return Problem(_FLAGS[problem.path], None, "", problem.message)
    return problem
