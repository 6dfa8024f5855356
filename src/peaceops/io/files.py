"""Read any supported model file, and forecast from it without writing a scenario."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast import MODELS, ForecastResult
from peaceops.forecast.timeline import DEFAULT_MODELS, ScenarioForecast
from peaceops.io._common import ModelFile, read_text
from peaceops.io.deu import deu_model_file, read_deu
from peaceops.io.eu_table import read_eu_table
from peaceops.io.ktab import read_ktab_csv, read_ktab_xml

__all__ = ["FORMATS", "STEP_DAYS", "forecast_model_file", "read_model_file"]

#: Format name -> what it is (see ``docs/interop.md``).
FORMATS = {
    "ktab-csv": "KTAB SMP input, CSV layout",
    "ktab-xml": "KTAB SMP input, XML layout",
    "eu-table": "expected-utility table",
    "deu": "DEU dataset, tab-separated (one proposal)",
}
#: Days per forecast round of a model file (files have no calendar; round 0 is the start).
STEP_DAYS = 7
_DYNAMIC = {"expected_utility": "rounds", "exchange": "rounds", "smp": "max_turns"}


def read_model_file(
    path: PathLike, *, format: str | None = None, proposal: str | None = None
) -> ModelFile:
    """Read a negotiation model from a file in any of :data:`FORMATS`.

    Parameters
    ----------
    path
        The file.
    format
        One of :data:`FORMATS`; by default from the suffix (``.xml`` KTAB XML, ``.tsv``
        DEU) or, for ``.csv``, the first cell: ``Actor`` or ``Name`` for an expected-utility
        table, anything else (KTAB's scenario line) for KTAB CSV.
    proposal
        For a DEU file with several proposals, the proposal (``prnr``) to read.

    Raises
    ------
    ScenarioError
        For an unknown format or suffix, and every problem the format's reader finds.
    """
    name = str(path)
    fmt = format or _detect(path)
    if fmt == "ktab-csv":
        return read_ktab_csv(path)
    if fmt == "ktab-xml":
        return read_ktab_xml(path)
    if fmt == "eu-table":
        return read_eu_table(path)
    if fmt == "deu":
        return deu_model_file(read_deu(path), proposal)
    raise ScenarioError(
        [Problem(name, None, "--format", f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")]
    )


def forecast_model_file(
    model: ModelFile,
    *,
    models: Sequence[str] = DEFAULT_MODELS,
    rounds: int = 12,
    start: dt.date | None = None,
) -> ScenarioForecast:
    """Run each model on the file's data, as ``forecast_scenario`` does on a scenario.

    A file has no calendar and no events: round 0 is ``start`` (default: today), one round
    is :data:`STEP_DAYS` days; dynamic models run ``rounds`` rounds (the spatial model with
    the file's KTAB options) and stop early when they converge; static models give one
    forecast, held over the horizon. Capabilities are used on the file's own scale.

    Raises
    ------
    ScenarioError
        For an unknown model name or ``rounds`` below 1.
    """
    problems = [
        Problem("--model", None, "", f"unknown model {m!r} (known: {', '.join(MODELS)})")
        for m in models
        if m not in MODELS
    ]
    if rounds < 1:
        problems.append(Problem("--rounds", None, "", f"must be at least 1; got {rounds}"))
    if problems:
        raise ScenarioError(problems)
    data = model.data
    results: dict[str, ForecastResult] = {}
    for name in models:
        fn = MODELS[name]
        if name in _DYNAMIC:
            kwargs: dict[str, Any] = {_DYNAMIC[name]: rounds}
            if name == "smp":
                kwargs.update(model.smp_options)
            res = fn(data, **kwargs)
        else:
            res = fn(data)
        traj = res.trajectory[: rounds + 1]
        if traj.shape[0] < rounds + 1:
            traj = np.vstack([traj, np.repeat(traj[-1:], rounds + 1 - traj.shape[0], axis=0)])
        results[name] = replace(res, trajectory=traj)
    first = start or dt.date.today()
    step = dt.timedelta(days=STEP_DAYS)
    return ScenarioForecast(
        data.issues, tuple(first + k * step for k in range(rounds + 1)), results
    )


def _detect(path: PathLike) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".xml":
        return "ktab-xml"
    if suffix in (".tsv", ".tab"):
        return "deu"
    if suffix == ".csv":
        first = read_text(path).split("\n", 1)[0]
        cell = first.split(",", 1)[0].strip().strip('"').lower()
        return "eu-table" if cell in ("actor", "name") else "ktab-csv"
    raise ScenarioError(
        [Problem(str(path), None, "", f"cannot tell the format from the suffix {suffix!r}: "
                 f"use .csv, .xml or .tsv, or give --format ({', '.join(FORMATS)})")]
    )  # fmt: skip
