"""``peaceops forecast``: every model's week-by-week trajectory per issue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli.app import FormatOption, app, console, errors
from peaceops.cli.scenarios import ScenarioArg
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast.timeline import DEFAULT_MODELS, forecast_scenario
from peaceops.scenario import load_scenario

_ALL = ", ".join(DEFAULT_MODELS)


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
    every: Annotated[int, typer.Option("--every", help="Show every K-th round.", min=1)] = 1,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Forecast how the negotiation moves, round by round, under each model."""
    with errors():
        end = _date(until) if until else None
        s = load_scenario(scenario)
        try:
            result = forecast_scenario(s, models=tuple(model or DEFAULT_MODELS), until=end)
        except ScenarioError as exc:  # name the flags the options came from
            raise ScenarioError([_flag(p) for p in exc.problems]) from None
        if fmt is not OutputFormat.table:
            text = render_rows(result.to_rows(), fmt=fmt)
            typer.echo(text or "", nl=False)
            return
        out = console()
        render_rows(result.outcome_rows(), fmt=fmt, title="Forecast at the horizon", console=out)
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


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScenarioError(
            [Problem("--until", None, "", f"expected a date YYYY-MM-DD, got {text!r}")]
        ) from None


_FLAGS = {"models": "--model", "until": "--until"}


def _flag(problem: Problem) -> Problem:
    """A problem with an option of the engine, reported against the command's flag."""
    if problem.file == "<options>" and problem.path in _FLAGS:
        return Problem(_FLAGS[problem.path], None, "", problem.message)
    return problem
