"""``peaceops backtest``: score the forecast models on DEU negotiation data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peaceops.cli._inputs import model_file_first
from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli._progress import summary, working
from peaceops.cli.app import FormatOption, SeedOption, app, console, errors
from peaceops.errors import Problem, ScenarioError


@app.command("backtest")
def backtest(
    file: Annotated[
        Path, typer.Argument(help="DEU-format tab-separated file (e.g. deu3_dev.tsv).")
    ],
    csv_out: Annotated[
        Path | None,
        typer.Option("--csv", help="Also write every issue's forecasts to this CSV file."),
    ] = None,
    folds: Annotated[
        int, typer.Option("--folds", help="Cross-validation folds, grouped by proposal.")
    ] = 10,
    seed: SeedOption = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Mean and median absolute error of every model, the baselines and cross-validated learners."""
    with errors():
        model_file_first(file)
        from peaceops.forecast.backtest import run_backtest, write_issue_csv
        from peaceops.io import read_deu

        data = read_deu(file)
        n = len({i.proposal for i in data.issues if i.outcome == i.outcome})
        if not 2 <= folds <= n:
            raise ScenarioError(
                [Problem("--folds", None, "", f"must be within 2..{n} (proposals); got {folds}")]
            )
        with working(f"back-testing {len(data.issues)} issues, {folds} folds"):
            result = run_backtest(data, folds=folds, seed=seed)
        if csv_out is not None:
            write_issue_csv(result, csv_out)
    title = f"{file.name}: {len(result.issues)} issues, {folds}-fold CV by proposal"
    rows = result.to_rows()
    text = render_rows(rows, fmt=fmt, title=title, console=console())
    if text is not None:
        typer.echo(text, nl=False)
    summary(_backtest_summary(rows), fmt)


def _backtest_summary(rows: list[dict[str, object]]) -> str:
    def best(kind: str) -> dict[str, object] | None:
        scored = [r for r in rows if r["kind"] == kind]
        return min(scored, key=lambda r: float(str(r["mae"])), default=None)

    model, baseline = best("model"), best("baseline")
    if model is None:
        return "no model could be scored"
    text = f"best model: {model['name']} (MAE {model['mae']})"
    if baseline is not None:
        verdict = (
            "beats" if float(str(model["mae"])) < float(str(baseline["mae"])) else "does not beat"
        )
        text += f"; it {verdict} the best baseline, {baseline['name']} (MAE {baseline['mae']})"
    return text
