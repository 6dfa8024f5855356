"""The anchor-text word scores (peaceops.evidence.anchors) and their use between issues.

Expectations are hand-annotated by the guide of docs/evidence.md or read off the packaged
scenario files, not taken from the code's output.
"""

from __future__ import annotations

import pytest

from peaceops.evidence import extract_candidates, parse_text
from peaceops.evidence.anchors import build_anchor_model
from peaceops.scenario import load_scenario


def test_a_word_only_one_issue_uses_counts_fully_for_it(unifil) -> None:  # type: ignore[no-untyped-def]
    # `interdiction` occurs only in the texts of the `maritime` issue of unifil-2006-08
    # (its name "Naval interdiction off Lebanon" and its "100" scale text)
    m = build_anchor_model(unifil)
    assert m.issue_of_word["interd"] == {"maritime": 1.0}
    scores = m.issue_scores("an interdiction")
    assert scores == {"maritime": 1.0}


def test_a_word_every_issue_uses_is_shared_and_shares_sum_to_one(unifil) -> None:  # type: ignore[no-untyped-def]
    # `troops` is in the scale texts of force_size ("15,000 troops"), border_deployment
    # ("UNIFIL troops along the border") and composition ("Share of troops ...")
    m = build_anchor_model(unifil)
    shares = m.issue_of_word["troop"]
    assert {"force_size", "border_deployment", "composition"} <= set(shares)
    assert all(0 < p < 1 for p in shares.values())
    for row in m.issue_of_word.values():
        assert sum(row.values()) == pytest.approx(1.0)


def test_function_words_and_reporting_verbs_score_nothing(unifil) -> None:  # type: ignore[no-untyped-def]
    m = build_anchor_model(unifil)
    assert m.issue_scores("He said that they would have been there.") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hand-annotated by the guide: a pledge whose `only after ...` condition is its point
        # is annotated on `timing`; the 0 end is "only after a comprehensive peace agreement"
        (
            "Rome said Italy would send soldiers only after a comprehensive peace agreement.",
            ("ITA", "timing", 0),
        ),
        # the mission's robustness is the point; `troops` is a topic word
        (
            "Lisbon said the mission must deter a renewed attack and be combat-capable, "
            "with troops ready to respond.",
            ("PRT", "mandate", 100),
        ),
    ],
)
def test_between_competing_issues_the_sentence_words_decide(text: str, expected: tuple) -> None:  # type: ignore[type-arg]
    s = load_scenario("ukraine-2025-04")
    (c,) = extract_candidates(s, parse_text(text, kind="text"), min_confidence=0, learned=False)
    assert (c.actor, c.issue, c.direction) == expected


def test_confidence_falls_when_the_words_are_about_another_issue() -> None:
    # by the documented formula: 0.45 + 0.15 (a speech verb) + 0.1 (a named official) = 0.7
    # for both; the second sentence's other words (`cities`, `infrastructure`) are words of
    # the `zone` issue's description in ukraine-2025-04, not of `ground_presence`'s, so its
    # issue is less sure: 0.1 less
    s = load_scenario("ukraine-2025-04")
    plain, elsewhere = (
        extract_candidates(s, parse_text(t, kind="text"), min_confidence=0, learned=False)[0]
        for t in (
            "Tusk said Poland would send troops.",
            "Tusk said Poland would send troops to guard cities and infrastructure.",
        )
    )
    assert (plain.issue, plain.confidence) == ("ground_presence", 0.7)
    assert (elsewhere.issue, elsewhere.confidence) == ("ground_presence", 0.6)
