"""``peaceops forecast``: every model's week-by-week trajectory per issue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli.app import FormatOption, app, console, errors
from peaceops.cli.scenarios import ScenarioArg
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast.timeline import DEFAULT_MODELS, ScenarioForecast, forecast_scenario
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
    decides each issue (venue win-sets, unilateral deciders, the force fielded)."""
    with errors():
        end = _date(until) if until else None
        s = load_scenario(scenario)
        plan_values, blocks = None, None
        if plan and s.missions:
            from peaceops.outlook import planner_inputs
            from peaceops.planning import option_matrix

            _, plan_values, blocks = planner_inputs(option_matrix(s))
        result = forecast_scenario(
            s,
            models=tuple(model or DEFAULT_MODELS),
            until=end,
            plan_values=plan_values,
            venue_blocks=blocks,
        )
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
