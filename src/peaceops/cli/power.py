"""``peaceops power``: exact power indices of a weighted voting game given on the command line."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

import typer
from rich.console import Console

from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli.app import FormatOption, app, console, debug_enabled, errors
from peaceops.errors import Problem, ScenarioError
from peaceops.power import ALL_INDICES, METHODS, Number, power_indices, weighted_game

__all__ = ["parse_weights", "power"]

_ENTRY = re.compile(r"^(?P<value>[^x*]+?)\s*(?:[x*]\s*(?P<count>.*))?$", re.IGNORECASE)
_FLAG_OF = {
    "quota": "--quota",
    "weights": "--weights",
    "players": "--names",
    "required": "--vetoes",
    "method": "--method",
    "indices": "--index",
}


_HEADER = {
    "shapley_shubik": "Shapley-Shubik",
    "banzhaf": "Banzhaf",
    "normalized_banzhaf": "norm. Banzhaf",
    "holler": "Holler",
    "deegan_packel": "Deegan-Packel",
    "johnston": "Johnston",
}


def _cell(value: float, exact: str) -> str:
    """``421/2145 (0.1963)``; long fractions only as floats (json and csv keep them exact)."""
    return f"{exact} ({value:.4f})" if len(exact) <= 12 else f"{value:.6g}"


def _bad(flag: str, message: str) -> ScenarioError:
    return ScenarioError([Problem("<command line>", None, flag, message)])


def _number(text: str, flag: str) -> Number:
    """An exact number: ``7``, ``2.5`` (decimal) or ``5/2`` (fraction)."""
    text = text.strip()
    try:
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        if re.fullmatch(r"[+-]?\d+\s*/\s*\d+", text):
            return Fraction(text.replace(" ", ""))
        value = Decimal(text)
        if value.is_finite():
            return value
    except (InvalidOperation, ValueError, ZeroDivisionError):
        pass
    raise _bad(flag, f"{text!r} is not a number (use e.g. 7, 2.5 or 5/2)")


def parse_weights(spec: str) -> list[Number]:
    """Weights from ``"4,4,4,2,2,1"`` or ``"7x5,1x10"`` (five players of weight 7, ten of 1).

    Raises
    ------
    ScenarioError
        An entry that is not ``WEIGHT`` or ``WEIGHTxCOUNT`` with a positive integer ``COUNT``.
    """
    out: list[Number] = []
    for raw in spec.split(","):
        entry = raw.strip()
        if not entry:
            raise _bad("--weights", f"empty entry in {spec!r}; write e.g. 4,4,2 or 7x5,1x10")
        match = _ENTRY.match(entry)
        if match is None:
            raise _bad("--weights", f"{entry!r} is not a weight (e.g. 4, 2.5, 5/2) or WEIGHTxCOUNT")
        count_text = match.group("count")
        count = 1
        if count_text is not None:
            if not re.fullmatch(r"\d+", count_text.strip()) or int(count_text) < 1:
                raise _bad(
                    "--weights",
                    f"{entry!r} is not WEIGHTxCOUNT with COUNT a positive integer "
                    "(e.g. 7x5 = five players of weight 7)",
                )
            count = int(count_text)
        try:
            value = _number(match.group("value"), "--weights")
        except ScenarioError:
            raise _bad(
                "--weights", f"{entry!r} is not a weight (e.g. 4, 2.5, 5/2) or WEIGHTxCOUNT"
            ) from None
        out += [value] * count
    return out


def _indices(values: list[str] | None) -> tuple[str, ...]:
    if not values:
        return ALL_INDICES
    chosen: list[str] = []
    for value in values:
        for name in value.split(","):
            key = name.strip().lower().replace("-", "_")
            if key == "all":
                return ALL_INDICES
            if key not in ALL_INDICES:
                raise _bad(
                    "--index",
                    f"unknown index {name.strip()!r}; choose from {', '.join(ALL_INDICES)}",
                )
            if key not in chosen:
                chosen.append(key)
    return tuple(name for name in ALL_INDICES if name in chosen)


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [name.strip() for name in text.split(",")]


def _flag(path: str) -> str:
    head = path.split("[", 1)[0]
    return path.replace(head, _FLAG_OF[head], 1) if head in _FLAG_OF else path


def _say_problems(exc: ScenarioError) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for p in exc.problems:
        err.print(f"error: {_flag(p.path)}: {p.message}", markup=False)


@app.command("power")
def power(
    quota: Annotated[
        str,
        typer.Option(
            "--quota", metavar="QUOTA", help="Weight a coalition needs to win (e.g. 39, 62.5, 2/3)."
        ),
    ],
    weights: Annotated[
        str,
        typer.Option(
            "--weights",
            metavar="WEIGHTS",
            help="Player weights: 4,4,4,2,2,1 or 7x5,1x10 (five players of weight 7, then ten "
            "of weight 1).",
        ),
    ],
    names: Annotated[
        str | None,
        typer.Option(
            "--names", metavar="NAMES", help="Player names, comma-separated (default P1, P2, ...)."
        ),
    ] = None,
    vetoes: Annotated[
        str | None,
        typer.Option(
            "--vetoes",
            metavar="NAMES",
            help="Names of players who must be in every winning coalition.",
        ),
    ] = None,
    index: Annotated[
        list[str] | None,
        typer.Option(
            "--index",
            "-i",
            metavar="INDEX",
            help=f"Index to compute, repeatable or comma-separated: {', '.join(ALL_INDICES)} "
            "(default all).",
        ),
    ] = None,
    method: Annotated[
        str,
        typer.Option(
            "--method", metavar="METHOD", help=f"Exact engine: auto, {', '.join(sorted(METHODS))}."
        ),
    ] = "auto",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Exact power indices of the weighted voting game [QUOTA; WEIGHTS] (Shapley-Shubik,
    Banzhaf, Holler, Deegan-Packel, Johnston), as fractions and floats; input errors exit 2."""
    with errors():
        try:
            parsed = parse_weights(weights)
            game = weighted_game(
                parsed,
                _number(quota, "--quota"),
                players=_names(names),
                vetoes=_names(vetoes) or (),
            )
            result = power_indices(game, indices=_indices(index), method=method)
        except ScenarioError as exc:
            if debug_enabled():
                raise
            _say_problems(exc)
            raise typer.Exit(2) from None
        rows: list[dict[str, Any]] = []
        for row, weight in zip(result.to_rows(), parsed, strict=True):
            rows.append({"player": row.pop("player"), "weight": str(weight), **row})
        if fmt is not OutputFormat.table:
            text = render_rows(rows, fmt=fmt)
            if text is not None:
                typer.echo(text, nl=not text.endswith("\n"))
            return
        table = [
            {
                "player": r["player"],
                "weight": r["weight"],
                "veto": "yes" if r["veto"] else "",
                "swings": r["swings"],
                **{_HEADER[name]: _cell(r[name], r[name + "_exact"]) for name in result.computed},
            }
            for r in rows
        ]
        title = (
            f"[{quota}; {weights}]: {result.n_winning} winning, "
            f"{result.n_minimal_winning} minimal winning coalitions ({result.method})"
        )
        render_rows(table, fmt=fmt, title=title, console=console())
