"""A scenario skeleton from a model file: actors, issues and stances, with their sources.

The skeleton holds what the file says (actors, capabilities, positions, saliences, and the
DEU reference point) cited to a ``dataset`` source naming the file, and what a scenario
needs but the file does not say cited to a ``judgement`` source whose rationale lists each
such choice: actor kinds, what the ends of each scale mean, a status quo where the file has
none, the calendar. It has no venues, pledges or missions: an analyst adds those.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import yaml

from peaceops.io._common import ModelFile
from peaceops.io.files import FORMATS, STEP_DAYS
from peaceops.scenario import Scenario, parse_scenario

__all__ = ["scenario_skeleton"]

_IDENT = re.compile(r"[^A-Za-z0-9_.\-]+")


def scenario_skeleton(
    model: ModelFile, *, scenario_id: str | None = None, today: dt.date | None = None
) -> tuple[str, Scenario]:
    """The YAML text of a scenario built from ``model``, and the scenario it parses to.

    Parameters
    ----------
    model
        A model file read by :func:`peaceops.io.read_model_file`.
    scenario_id
        The scenario's id (default: from the file's name).
    today
        The date of the import: the scenario's ``as_of`` and forecast round 0.

    Notes
    -----
    Ids are the file's names with characters a scenario id cannot hold replaced by ``_``
    (the names are kept as ``name``). Capabilities are divided by the largest one so the
    strongest actor has clout 1 (scenario clout is on 0..1; the models use ratios). A
    salience above 1 cannot occur (readers give 0..1).
    """
    d = model.data
    day = today or dt.date.today()
    path = Path(model.path)
    ids = _idents(d.actors)
    issue_ids = _idents(d.issues)
    top = float(max(d.clout))
    no_sq = [math.isnan(float(x)) for x in d.status_quo]
    rationale = (
        f"{path.name} ({FORMATS[model.format]}) does not say: what kind of actor each is "
        "(all set to state); what the ends of each issue's scale mean (labelled by value); "
        f"the calendar (round 0 is the date of import, {STEP_DAYS}-day rounds, 12 rounds); "
        "clout is the file's capability divided by the largest one"
        + (
            "; the status quo (set to 50, which the models use only on an issue where no "
            "actor holds a stance)"
            if any(no_sq)
            else ""
        )
        + ". Replace these with sourced values."
    )
    doc: dict[str, Any] = {
        "format_version": 1,
        "id": scenario_id or _idents([model.name or path.stem])[0],
        "name": model.name or path.stem,
        "as_of": day,
        "description": model.description or f"Imported from {path.name} by peaceops import.",
        "time": _Flow(start=day, step_days=STEP_DAYS, horizon_rounds=12),
        "sources": [
            {
                "id": "file",
                "title": f"{model.name or path.stem} ({FORMATS[model.format]})",
                "publisher": f"the file {path.name}",
                "date": dt.date.fromtimestamp(path.stat().st_mtime) if path.exists() else day,
                "kind": "dataset",
                "locator": str(path),
            },
            {
                "id": "import",
                "title": "Choices made when importing the file",
                "publisher": "peaceops import",
                "date": day,
                "kind": "judgement",
                "rationale": rationale,
            },
        ],
        "actors": [
            {
                "id": ids[i],
                "name": actor,
                "kind": "state",
                "clout": _Flow(value=float(d.clout[i]) / top, sources=["file", "import"]),
            }
            for i, actor in enumerate(d.actors)
        ],
        "issues": [
            {
                "id": issue_ids[k],
                "name": issue,
                "scale": _Flow({"0": "0 on the file's scale", "50": "50", "100": "100"}),
                "status_quo": 50.0 if no_sq[k] else float(d.status_quo[k]),
                "sources": ["file", "import"] if no_sq[k] else ["file"],
            }
            for k, issue in enumerate(d.issues)
        ],
        "stances": {
            ids[i]: {
                issue_ids[k]: _Flow(
                    position=float(d.positions[i, k]),
                    salience=float(d.salience[i, k]),
                    sources=["file"],
                )
                for k in range(len(d.issues))
                if not math.isnan(float(d.positions[i, k]))
            }
            for i in range(len(d.actors))
        },
    }
    doc["stances"] = {a: s for a, s in doc["stances"].items() if s}
    head = (
        f"# Scenario skeleton written by `peaceops import` from {path.name} on {day}.\n"
        "# It holds the file's actors, issues and stances; add venues, pledges, red lines and\n"
        "# missions (see docs/scenario-format.md) and replace the `import` judgements.\n"
    )
    text = head + yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88, default_flow_style=False
    )
    return text, parse_scenario(text, file=str(path.with_suffix(".yaml")))


class _Flow(dict[str, Any]):
    """A mapping written on one line (``{position: 80, salience: 0.5, sources: [file]}``)."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors and aliases (the same date twice is written twice)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(_Flow, _flow)


def _idents(names: tuple[str, ...] | list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        ident = _IDENT.sub("_", name.strip()).strip("_") or "x"
        if not ident[0].isalpha():
            ident = f"x{ident}"
        ident = ident[:60]
        base, n = ident, 2
        while ident in out:
            ident, n = f"{base}_{n}", n + 1
        out.append(ident)
    return out
