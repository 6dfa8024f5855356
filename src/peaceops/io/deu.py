"""Read negotiation data in the format of the DEU datasets (Decision-making in the EU).

The DEU datasets (Thomson, Stokman, Achen and König 2006; Thomson et al. 2012; Arregui and
Perarnaud 2022) record, for each controversial issue of a legislative proposal, the
positions and saliences (0..100) of the Commission, the Parliament and the member states
at the start of the negotiation, the reference point (status quo) and the outcome.

The tab-separated layout read here (``deu3_dev.tsv`` in the shared data) has one header
line and one line per issue:

- ``prnr`` proposal id, ``isnr`` issue id; ``counvte`` the Council's voting rule
  (``QMV`` or ``Unan``; ``QMV(10)`` is read as ``QMV``), or ``council`` when a file has no
  ``counvte`` column (in DEU III ``council`` names the Council formation, e.g. ``Agri``);
  ``proc`` the procedure (``COD``, ``CNS``);
- ``p<actor>`` position and ``s<actor>`` salience, 0..100, for every actor with both
  columns: ``com`` (Commission), ``ep`` (Parliament) and member states by two-letter code
  (``el`` Greece, ``uk`` United Kingdom, and the non-ISO ``bu`` Bulgaria, ``cr`` Croatia);
- ``rp`` reference point, ``out`` outcome; a blank cell is a missing value.

The line right after the header may be a row of relative GDP figures with blank ids (the
copy in the shared data was re-saved with one); it is skipped. Any other line with a
blank proposal or issue id is an error.

Capability is the number of Council votes under the Treaty of Nice (:data:`NICE_VOTES`),
29 for the Commission and the Parliament, as in the back-tests of Thomson et al. (2006).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast.backtest import DeuData, DeuIssue
from peaceops.forecast.deu_venues import NICE_VOTES
from peaceops.io._common import ModelFile, read_text

__all__ = ["NICE_VOTES", "deu_model_file", "read_deu", "write_deu"]

_RULES = {"QMV": "QMV", "Unan": "Unan"}

_QMV_VARIANT = re.compile(r"QMV\(\d+\)")
_REQUIRED = ("prnr", "isnr", "proc", "rp", "out")


def read_deu(path: PathLike) -> DeuData:
    """Read a DEU-format tab-separated file.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    DeuData
        Actors, capabilities (Nice votes) and issues.

    Raises
    ------
    ScenarioError
        With every problem found (file, line, column, value): an unreadable or empty file,
        a missing column, an actor code without a capability, a line with too many cells, a
        blank id, a duplicate issue id, an unknown voting rule, a value that is not a number
        or is outside 0..100.

    Notes
    -----
    Salience is rescaled from 0..100 to 0..1. A position without a salience (46 cells in
    ``deu3_dev.tsv``) gets the mean salience of the issue's other stance-holders; a salience
    without a position is ignored (the actor takes no part in the issue).
    """
    name = str(path)
    text = read_text(path, what="DEU data file")
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ScenarioError([Problem(name, 1, "", "the file is empty: expected a header line")])
    header = [h.strip() for h in rows[0]]
    col = {h: k for k, h in enumerate(header)}
    problems: list[Problem] = []
    rule_col = "counvte" if "counvte" in col else "council"
    for needed in (*_REQUIRED, rule_col):
        if needed not in col:
            problems.append(Problem(name, 1, needed, "required column is missing"))
    actors = tuple(h[1:] for h in header if h.startswith("p") and f"s{h[1:]}" in col and h[1:])
    for code in actors:
        if code not in NICE_VOTES:
            problems.append(
                Problem(name, 1, f"p{code}", f"no capability for actor code {code!r} "
                        f"(known: {', '.join(sorted(NICE_VOTES))})")
            )  # fmt: skip
    if not actors:
        problems.append(Problem(name, 1, "", "no actor columns (p<actor> with s<actor>)"))
    if problems:
        raise ScenarioError(problems)

    issues: list[DeuIssue] = []
    seen: dict[str, int] = {}
    skipped = False
    for lineno, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(header):
            problems.append(
                Problem(name, lineno, "", f"{len(raw)} cells but the header has {len(header)}")
            )
            continue
        row = [c.strip() for c in raw] + [""] * (len(header) - len(raw))
        pid, iid = row[col["prnr"]], row[col["isnr"]]
        if not pid and not iid and lineno == 2:
            skipped = True  # the line of relative GDP figures
            continue
        issue = _parse_issue(name, lineno, row, col, rule_col, actors, problems)
        if issue is None:
            continue
        if issue.issue in seen:
            problems.append(
                Problem(name, lineno, "isnr", f"duplicate issue id {issue.issue!r} "
                        f"(first on line {seen[issue.issue]})")
            )  # fmt: skip
            continue
        seen[issue.issue] = lineno
        issues.append(issue)
    if not issues and not problems:
        problems.append(Problem(name, None, "", "no issue lines"))
    if problems:
        raise ScenarioError(problems)
    return DeuData(
        path=name,
        actors=actors,
        clout=np.array([float(NICE_VOTES[a]) for a in actors]),
        issues=tuple(issues),
        skipped_gdp_line=skipped,
    )


def _parse_issue(
    name: str,
    lineno: int,
    row: list[str],
    col: dict[str, int],
    rule_col: str,
    actors: tuple[str, ...],
    problems: list[Problem],
) -> DeuIssue | None:
    before = len(problems)
    pid, iid = row[col["prnr"]], row[col["isnr"]]
    for key, value in (("prnr", pid), ("isnr", iid)):
        if not value:
            problems.append(Problem(name, lineno, key, "blank id"))
    rule_raw = row[col[rule_col]]
    rule = _RULES.get(rule_raw, "QMV" if _QMV_VARIANT.fullmatch(rule_raw) else "")
    if not rule:
        problems.append(
            Problem(name, lineno, rule_col, f"voting rule must be QMV or Unan; got {rule_raw!r}")
        )
    procedure = row[col["proc"]]
    if not procedure:
        problems.append(Problem(name, lineno, "proc", "blank procedure"))

    def number(column: str) -> float:
        text = row[col[column]]
        if not text:
            return float("nan")
        try:
            value = float(text)
        except ValueError:
            problems.append(Problem(name, lineno, column, f"not a number: {text!r}"))
            return float("nan")
        if not 0.0 <= value <= 100.0:
            problems.append(Problem(name, lineno, column, f"must be within 0..100; got {text!r}"))
            return float("nan")
        return value

    positions = np.array([number(f"p{a}") for a in actors])
    salience = np.array([number(f"s{a}") for a in actors]) / 100.0
    reference_point = number("rp")
    outcome = number("out")
    if len(problems) > before:
        return None
    has = ~np.isnan(positions)
    imputed = has & np.isnan(salience)
    if imputed.any():
        given = has & ~np.isnan(salience)
        salience[imputed] = float(salience[given].mean()) if given.any() else 0.5
    salience[~has] = np.nan
    return DeuIssue(
        proposal=pid,
        issue=iid,
        rule=rule,
        procedure=procedure,
        line=lineno,
        positions=positions,
        salience=salience,
        imputed=imputed,
        reference_point=reference_point,
        outcome=outcome,
    )


def deu_model_file(data: DeuData, proposal: str | None = None) -> ModelFile:
    """One proposal of a DEU file as a :class:`ModelFile` (its issues, Nice-vote capabilities).

    Parameters
    ----------
    data
        As read by :func:`read_deu`.
    proposal
        The proposal id (``prnr``); may be left out when the file has one proposal.

    Raises
    ------
    ScenarioError
        When ``proposal`` is not in the file, or is left out and the file has several.
    """
    if proposal is None and len(data.proposals) == 1:
        proposal = data.proposals[0]
    if proposal not in data.proposals:
        shown = ", ".join(data.proposals[:8]) + (" ..." if len(data.proposals) > 8 else "")
        what = "choose one" if proposal is None else f"no proposal {proposal!r}"
        raise ScenarioError(
            [Problem(data.path, None, "--proposal", f"{what} of {len(data.proposals)} "
                     f"proposals: {shown}")]
        )  # fmt: skip
    negotiation = data.negotiation(proposal)
    return ModelFile(data.path, "deu", proposal, "", negotiation, ("",) * len(data.actors))


def write_deu(path: PathLike, data: DeuData) -> None:
    """Write ``data`` in the layout :func:`read_deu` reads (no GDP line; the rule as ``counvte``).

    Saliences go back on 0..100; an imputed salience is written blank, as it was read, so a
    file survives a round trip.
    """
    header = ["prnr", "isnr", "proc", "counvte"]
    header += [f"p{a}" for a in data.actors] + [f"s{a}" for a in data.actors] + ["rp", "out"]

    def cell(value: float) -> str:
        return "" if np.isnan(value) else repr(float(value))

    lines = ["\t".join(header)]
    for issue in data.issues:
        salience = np.where(issue.imputed, np.nan, issue.salience * 100.0)
        row = [issue.proposal, issue.issue, issue.procedure, issue.rule]
        row += [cell(x) for x in issue.positions] + [cell(x) for x in salience]
        row += [cell(issue.reference_point), cell(issue.outcome)]
        lines.append("\t".join(row))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
