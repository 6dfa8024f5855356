"""``peaceops forecast``: every model's week-by-week trajectory per issue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli._progress import summary, working
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
    every: Annotated[
        int,
        typer.Option("--every", help="Table view: show every K-th round (and the last).", min=1),
    ] = 4,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Forecast how the negotiation moves, round by round, under each model."""
    with errors():
        end = _date(until) if until else None
        s = load_scenario(scenario)
        with working("forecasting"):
            result = forecast_scenario(s, models=tuple(model or DEFAULT_MODELS), until=end)
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


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScenarioError(
            [Problem("--until", None, "", f"expected a date YYYY-MM-DD, got {text!r}")]
        ) from None
