"""Venue verdicts on the template scenario, worked by hand."""

from __future__ import annotations

from conftest import template_text
from peaceops.scenario import parse_scenario
from peaceops.venues import venue_verdict, veto_players


def scenario():  # type: ignore[no-untyped-def]
    return parse_scenario(template_text(), file="demo.yaml")


def test_count_quota_with_vetoes() -> None:
    """UNSC here: members ADV, LDR (P5, vetoes) and NTR; quota 2 including both P5.

    {LDR, NTR}: two votes but no ADV, so rejected; ADV blocks and is pivotal (its switch alone
    passes it); neither LDR nor NTR can change the outcome alone. {ADV, LDR}: authorised; each
    is pivotal (either defection loses a veto player); NTR is not.
    """
    s = scenario()
    v = venue_verdict(s, "UNSC", ["LDR", "NTR", "HST"])
    assert (v.authorised, v.yes, v.no, v.blockers, v.pivotal) == (
        False,
        ("LDR", "NTR"),
        ("ADV",),
        ("ADV",),
        ("ADV",),
    )
    ok = venue_verdict(s, "UNSC", ["ADV", "LDR"])
    assert (ok.authorised, ok.blockers, ok.pivotal) == (True, (), ("ADV", "LDR"))
    assert veto_players(s, s.venue("UNSC")) == ("ADV", "LDR")


def test_opt_in_cannot_be_blocked() -> None:
    s = scenario()
    v = venue_verdict(s, "COALITION", ["LDR"])
    assert (v.authorised, v.no, v.blockers, v.pivotal) == (True, ("NTR",), (), ("LDR",))
    assert veto_players(s, s.venue("COALITION")) == ()


def test_consent_needs_every_party() -> None:
    s = scenario()
    v = venue_verdict(s, "PARTIES", ["HST"])
    assert (v.authorised, v.blockers, v.pivotal) == (False, ("ADV",), ("ADV",))
    assert veto_players(s, s.venue("PARTIES")) == ("HST", "ADV")
