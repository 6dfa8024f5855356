"""Packaged, dated reference lists of memberships (UN Security Council, NATO, EU).

A venue may give its members as ``lists: [UNSC_P5, UNSC_ELECTED]``; the scenario's ``as_of``
date picks who was a member then, so a scenario only needs actors for members with a stance
(members without one vote as the venue's ``silent_vote`` says). The data are in
``peaceops/data/memberships.csv`` (list, ISO 3166 alpha-3 code, first and last day of
membership, source id); ``peaceops/data/memberships.md`` gives each source.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from importlib import resources

__all__ = ["MEMBERSHIP_LISTS", "list_names", "members_on"]

MEMBERSHIP_LISTS = ("EU", "NATO", "UNSC_ELECTED", "UNSC_P5")
"""Names of the packaged lists."""


@cache
def _rows() -> tuple[tuple[str, str, dt.date, dt.date | None], ...]:
    text = (resources.files("peaceops") / "data" / "memberships.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        end = dt.date.fromisoformat(row["to"]) if row["to"] else None
        out.append((row["list"], row["member"], dt.date.fromisoformat(row["from"]), end))
    return tuple(out)


def list_names() -> tuple[str, ...]:
    """Names of the packaged lists, sorted.

    Examples
    --------
    >>> list_names()
    ('EU', 'NATO', 'UNSC_ELECTED', 'UNSC_P5')
    """
    return tuple(sorted({r[0] for r in _rows()}))


def members_on(name: str, date: dt.date) -> tuple[str, ...]:
    """ISO codes of the members of list ``name`` on ``date``, sorted.

    Raises ``KeyError`` for an unknown list. A list with no entry covering ``date`` (e.g.
    Security Council elected members of a year not packaged) is empty; the scenario checks
    report that as an error.

    >>> import datetime as dt
    >>> members_on("UNSC_ELECTED", dt.date(2006, 8, 11))
    ('ARG', 'COG', 'DNK', 'GHA', 'GRC', 'JPN', 'PER', 'QAT', 'SVK', 'TZA')
    >>> len(members_on("EU", dt.date(2024, 2, 19))), len(members_on("NATO", dt.date(2024, 2, 19)))
    (27, 31)
    """
    if name not in list_names():
        raise KeyError(name)
    return tuple(
        sorted(
            m
            for lst, m, start, end in _rows()
            if lst == name and start <= date and (end is None or date <= end)
        )
    )
