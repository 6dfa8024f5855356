r"""Venue-constrained back-test variants: each model's DEU forecast limited to the EU's win-set.

For every DEU issue the Council's voting rule (``QMV`` or ``Unan``) and the legislative
procedure (``COD`` co-decision, ``CNS`` consultation) say who can stop a change to the
reference point. A model's forecast is projected into the **win-set of the reference point**
(:func:`peaceops.forecast.institutions.win_set`): the points that a winning coalition weakly
prefers to it, where a coalition wins when

* its member states meet the Council rule: under QMV at least 255 of 345 Nice votes (Treaty of
  Nice, Protocol on enlargement Art. 3; the same share, 73.9%, of the votes of the member states
  present in the file); under unanimity every member state (those without a position are
  indifferent, so they never object);
* and, under co-decision, it includes the Parliament (a veto player; under consultation the
  Parliament is only heard and has no veto).

Members without a position on an issue are indifferent and do not object. The variant of model
``m`` is named ``m+venue``. Issues without a reference point keep the model's forecast.

Notes
-----
This is the veto-player reading of the procedures (Tsebelis 2002), not a full procedural model:
Steunenberg (1994) and the procedural models tested in Thomson et al. (2006) also give the
Commission agenda-setting power and model the sequence of readings; here the Commission is one
more actor in the bargaining and the forecast is only limited, never moved to the setter's
favourite point. The Nice requirements of a majority of member states and 62% of the
population are left out (votes only). Thomson et al. (2006) found procedural models less
accurate than the compromise model; ``docs/forecast.md`` records our figures either way.

References
----------
1. Steunenberg, B. (1994). Decision making under different institutional arrangements:
   legislation by the European Community. *Journal of Institutional and Theoretical Economics*
   150(4), 642-669.
2. Tsebelis, G. (2002). *Veto Players: How Political Institutions Work*. Princeton UP.
3. Thomson, R., Stokman, F. N., Achen, C. H. and König, T. (eds.) (2006). *The European Union
   Decides*. Cambridge UP. doi:10.1017/CBO9780511492082
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from peaceops.forecast._core import FloatArray
from peaceops.forecast.institutions import WinningTest, win_set

if TYPE_CHECKING:
    from peaceops.forecast.backtest import DeuData, DeuIssue

__all__ = ["QMV_SHARE", "council_win_set", "venue_variants"]

#: Council votes per member state under the Treaty of Nice (Art. 3 of the Protocol on the
#: enlargement of the EU, OJ C 80, 10.3.2001, as amended by the 2003 and 2005 Acts of
#: Accession, and the 2012 Treaty of Accession of Croatia), keyed by the DEU actor codes
#: (``el`` Greece, ``bu`` Bulgaria, ``cr`` Croatia); the Commission and the Parliament get
#: 29, the largest member states' figure, as in MODELS.md and Thomson et al. (2006).
NICE_VOTES: dict[str, int] = {
    "de": 29, "fr": 29, "it": 29, "uk": 29,
    "es": 27, "pl": 27,
    "ro": 14,
    "nl": 13,
    "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12,
    "at": 10, "bu": 10, "se": 10,
    "dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7,
    "cy": 4, "ee": 4, "lv": 4, "lu": 4, "si": 4,
    "mt": 3,
    "com": 29, "ep": 29,
}  # fmt: skip


#: Qualified majority under the Treaty of Nice: 255 of 345 weighted votes.
QMV_SHARE = 255 / 345
_INSTITUTIONS = ("com", "ep")


def council_win_set(data: DeuData, issue: DeuIssue) -> tuple[float, float]:
    """The win-set ``(low, high)`` of ``issue``'s reference point under its rule and procedure.

    Examples
    --------
    Issue ``a``: reference point 0, co-decision under QMV. Germany (80) and France (30) are
    both needed (255 of 345 votes is 73.9%: of the 62 Council votes present, 45.8), and so is
    the Parliament (20): each accepts a point at most twice its position, so the win-set is
    [0, 40]. Under consultation (issue ``b``) the Parliament has no veto and France, at 100,
    accepts anything up to 200: Germany, at 0, prefers only the reference point itself.
    Issue ``c`` (reference point 100) has the Parliament at 100: only 100 itself passes.

    >>> import numpy as np
    >>> from peaceops.forecast.backtest import DeuData, DeuIssue
    >>> def issue(proposal, name, x, rp, out, procedure="COD"):
    ...     x = np.array(x, dtype=float)
    ...     s = np.where(np.isnan(x), np.nan, 0.5)
    ...     return DeuIssue(proposal, name, "QMV", procedure, 2, x, s, np.isnan(x) & False, rp, out)
    ...
    >>> actors = ("com", "ep", "de", "fr", "lu")
    >>> issues = (issue("P1", "a", [100, 20, 80, 30, 100], 0, 40),
    ...           issue("P1", "b", [50, 50, 0, 100, 50], 0, 50, "CNS"),
    ...           issue("P2", "c", [0, 100, 100, 60, 0], 100, 80))
    >>> data = DeuData("tiny.tsv", actors, np.array([29.0, 29, 29, 29, 4]), issues)
    >>> council_win_set(data, issues[0]), council_win_set(data, issues[1])
    ((0.0, 40.0), (0.0, 0.0))
    """
    members = [a for a in data.actors if a != "com"]
    ideals = {
        a: float(x)
        for a, x in zip(data.actors, issue.positions, strict=True)
        if a != "com" and not np.isnan(x)
    }
    ws = win_set(_rule(data, issue), members, ideals, float(issue.reference_point))
    return ws.low, ws.high


def venue_variants(
    data: DeuData, issues: Sequence[DeuIssue], forecasts: Mapping[str, FloatArray]
) -> dict[str, FloatArray]:
    """``m+venue`` for each model ``m``: its forecasts projected into each issue's win-set.

    Examples
    --------
    Each forecast is clipped into its issue's win-set, [0, 40], [0, 0] and [100, 100]
    (see :func:`council_win_set`):

    >>> import numpy as np
    >>> from peaceops.forecast.backtest import DeuData, DeuIssue
    >>> def issue(proposal, name, x, rp, out, procedure="COD"):
    ...     x = np.array(x, dtype=float)
    ...     s = np.where(np.isnan(x), np.nan, 0.5)
    ...     return DeuIssue(proposal, name, "QMV", procedure, 2, x, s, np.isnan(x) & False, rp, out)
    ...
    >>> actors = ("com", "ep", "de", "fr", "lu")
    >>> issues = (issue("P1", "a", [100, 20, 80, 30, 100], 0, 40),
    ...           issue("P1", "b", [50, 50, 0, 100, 50], 0, 50, "CNS"),
    ...           issue("P2", "c", [0, 100, 100, 60, 0], 100, 80))
    >>> data = DeuData("tiny.tsv", actors, np.array([29.0, 29, 29, 29, 4]), issues)
    >>> v = venue_variants(data, issues, {"m": np.array([70.0, 50.0, 90.0])})
    >>> v["m+venue"].tolist()
    [40.0, 0.0, 100.0]
    """
    bounds = np.array(
        [
            council_win_set(data, i) if not math.isnan(i.reference_point) else (-np.inf, np.inf)
            for i in issues
        ]
    )
    return {
        f"{name}+venue": np.where(np.isnan(f), f, np.clip(f, bounds[:, 0], bounds[:, 1]))
        for name, f in forecasts.items()
    }


def _rule(data: DeuData, issue: DeuIssue) -> WinningTest:
    states = [a for a in data.actors if a not in _INSTITUTIONS]
    total = sum(NICE_VOTES[a] for a in states)
    needs_ep = issue.procedure.upper().startswith("COD") and "ep" in data.actors

    def wins(coalition: frozenset[str]) -> bool:
        if needs_ep and "ep" not in coalition:
            return False
        if issue.rule == "Unan":
            return all(a in coalition for a in states)  # the indifferent are always in
        votes = sum(NICE_VOTES[a] for a in coalition if a not in _INSTITUTIONS)
        return votes >= QMV_SHARE * total

    return wins
