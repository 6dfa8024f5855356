"""``peaceops venues``: each venue's rule, members, veto players and exact power table."""

from __future__ import annotations

import json
from typing import Any

import typer

from peaceops.cli._inputs import load_first
from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli.app import FormatOption, app, console, errors
from peaceops.cli.scenarios import ScenarioArg
from peaceops.scenario.tables import describe_rule

# Index -> short column title for the terminal table.
_SHOWN = {
    "shapley_shubik": "SS",
    "normalized_banzhaf": "Bz",
    "banzhaf": "Bz abs",
    "holler": "PGI",
    "deegan_packel": "DP",
    "johnston": "Johnston",
}


@app.command("venues")
def venues(
    scenario: ScenarioArg = "ukraine-2025-04", fmt: FormatOption = OutputFormat.table
) -> None:
    """Each venue's rule, members, veto players and power indices (exact)."""
    with errors():
        s = load_first(scenario)
        from peaceops.venues import venue_power

        power = venue_power(s)
        if fmt is OutputFormat.json:
            out: list[dict[str, Any]] = []
            for v in s.venues:
                res = power[v.id]
                out.append(
                    {
                        "venue": v.id,
                        "name": v.name,
                        "rule": describe_rule(s, v),
                        "members": list(res.players),
                        "veto_players": list(res.veto_players),
                        "dummies": list(res.dummies),
                        "n_winning": res.n_winning,
                        "n_minimal_winning": res.n_minimal_winning,
                        "power": res.to_rows(),
                    }
                )
            typer.echo(json.dumps(out, indent=2))
            return
        if fmt is OutputFormat.csv:
            rows = [{"venue": v.id, **row} for v in s.venues for row in power[v.id].to_rows()]
            typer.echo(render_rows(rows, fmt=fmt) or "", nl=False)
            return
        term = console()
        for v in s.venues:
            res = power[v.id]
            term.print(
                f"\n[bold]{v.id}[/] {v.name}: {describe_rule(s, v)}; "
                f"veto players: {', '.join(res.veto_players) or 'none'}; "
                f"{res.n_winning} winning, {res.n_minimal_winning} minimal winning coalitions"
            )
            rows = [
                {"member": r["player"], "veto": "yes" if r["veto"] else "", "swings": r["swings"]}
                | {title: r[k] for k, title in _SHOWN.items()}
                for r in res.to_rows()
            ]
            render_rows(rows, fmt=fmt, console=term)
        term.print(
            "SS Shapley-Shubik, Bz normalised Banzhaf, Bz abs Penrose, PGI Holler, "
            "DP Deegan-Packel; exact fractions with --format json or csv."
        )
