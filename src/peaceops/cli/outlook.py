"""``peaceops outlook``: at most ten statements every engine supports, with their evidence."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from peaceops.cli._inputs import load_first
from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli.app import FormatOption, SeedOption, app, errors
from peaceops.cli.scenarios import ScenarioArg

#: The defaults of ``peaceops.outlook.compute``, written out so that a bad file costs no engine
#: import (tests/cli/test_validate_first.py checks they agree).
DEFAULT_REPLICATES = 200
DEFAULT_SENSITIVITY = 32


@app.command("outlook")
def outlook(
    scenario: ScenarioArg = "ukraine-2025-04",
    seed: SeedOption = 20250405,
    replicates: Annotated[
        int,
        typer.Option(
            "--replicates",
            "-n",
            min=0,
            help=f"Monte Carlo replicates (default {DEFAULT_REPLICATES}, kept modest for speed).",
        ),
    ] = DEFAULT_REPLICATES,
    sensitivity: Annotated[
        int,
        typer.Option(
            "--sensitivity",
            min=0,
            help=f"Base sample of the Sobol analysis (default {DEFAULT_SENSITIVITY}; 0 skips it).",
        ),
    ] = DEFAULT_SENSITIVITY,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The outlook: design, deployment, force gap, blockers, change by the horizon, drivers."""
    with errors():
        s = load_first(scenario)
        from peaceops.outlook import compute_outlook

        result = compute_outlook(s, seed=seed, n_replicates=replicates, n_sensitivity=sensitivity)
        if fmt is OutputFormat.json:
            typer.echo(json.dumps(result.to_dict(), indent=2, default=str))
        elif fmt is OutputFormat.csv:
            rows = [
                {"n": k, **line.to_dict(), "evidence": "; ".join(line.evidence)}
                for k, line in enumerate(result.lines, 1)
            ]
            typer.echo(render_rows(rows, fmt=fmt) or "", nl=False)
        else:
            typer.echo(result.render(), nl=False)
