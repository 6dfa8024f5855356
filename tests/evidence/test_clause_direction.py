"""Directions that follow the sentence's clauses: double negation, contrast, concession and
the scope of a negation (session 5, issue 17).

Every sentence was written for these tests (none is taken from the corpus); the
expectations are hand-annotated by the guide of docs/evidence.md (the direction is the end
of the issue's scale the statement favours after negation; `not rule out` and its kin are
no negation) and read off the packaged scenarios' cues (`send troops`, `troops on Ukrainian
soil` are `ground_presence` "100", `UN mandate` is `un_authorisation` "100", `under UN
command` is `un_command` "100", `use force` is `mandate` "100"). Each test fails when its
mechanism is removed: without it the sentence reads the other way.
"""

from __future__ import annotations

from peaceops.evidence import extract_candidates, parse_text


def _read(scenario, text):  # type: ignore[no-untyped-def]
    found = extract_candidates(
        scenario, parse_text(text, kind="text"), min_confidence=0, learned=False
    )
    return [(c.actor, c.issue, c.direction, c.polarity) for c in found]


def test_a_negated_rejection_says_yes(ukraine) -> None:  # type: ignore[no-untyped-def]
    # litotes: `no objection`, `not hesitate` negate a word that itself rejects
    for text in (
        "Sweden said it had no objection to sending troops to Ukraine.",
        "Sweden said it would not hesitate to send troops to Ukraine.",
    ):
        assert _read(ukraine, text) == [("SWE", "ground_presence", 100, "positive")], text


def test_a_cue_in_the_rejected_member_of_a_contrast_points_the_other_way(ukraine) -> None:  # type: ignore[no-untyped-def]
    text = "Sweden said it would offer air and naval support rather than troops on Ukrainian soil."
    assert _read(ukraine, text) == [("SWE", "ground_presence", 0, "negative")]


def test_a_cue_in_the_preferred_member_of_a_contrast_keeps_its_side(ukraine) -> None:  # type: ignore[no-untyped-def]
    text = "Sweden said it would send troops to Ukraine rather than money."
    assert _read(ukraine, text) == [("SWE", "ground_presence", 100, "positive")]


def test_wanted_but_not_required_is_against_requiring_it(ukraine) -> None:  # type: ignore[no-untyped-def]
    # the negated requirement stands in a clause of its own after `but`
    for text in (
        "Spain said a UN mandate would be welcome but not required.",
        "Spain said a UN mandate would be helpful but should not be a precondition.",
    ):
        assert _read(ukraine, text) == [("ESP", "un_authorisation", 0, "negative")], text


def test_a_negation_in_a_later_clause_does_not_reach_the_cue(ukraine) -> None:  # type: ignore[no-untyped-def]
    for text in (
        "Poland has offered to send troops, and officials said that offer had not changed.",
        "Estonia's prime minister, who did not attend the meeting, said Tallinn would send"
        " troops to Ukraine.",
    ):
        (found,) = _read(ukraine, text)
        assert found[1:] == ("ground_presence", 100, "positive"), text


def test_an_elliptical_repeat_of_a_negation_counts_once(ukraine) -> None:  # type: ignore[no-untyped-def]
    # `and would not` repeats the negation of the clause before it: still `0`, not `100`
    text = "Poland said it did not send troops to Ukraine in 2022 and would not."
    assert _read(ukraine, text) == [("POL", "ground_presence", 0, "negative")]


def test_a_negation_in_the_cues_own_clause_still_counts(ukraine) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Poland said it would not send troops to Ukraine, and would focus on air defence at home."
    )
    assert _read(ukraine, text) == [("POL", "ground_presence", 0, "negative")]


def test_a_rejected_alternative_after_the_cue_does_not_negate_it(unifil) -> None:  # type: ignore[no-untyped-def]
    text = "Indonesia said its battalion would serve under UN command, not under NATO."
    assert _read(unifil, text) == [("IDN", "un_command", 100, "positive")]


def test_rules_reject_nothing_unless_they_rule_out(unifil) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Spain said the force needs clear rules allowing its troops to use force in self-defence."
    )
    assert _read(unifil, text) == [("ESP", "mandate", 100, "positive")]
    text = "Spain said it rules out any use of force by the troops."
    assert _read(unifil, text) == [("ESP", "mandate", 0, "negative")]


def test_a_rejected_alternative_far_from_the_cue_still_negates_the_clause(unifil) -> None:  # type: ignore[no-untyped-def]
    # `, not` contrasts the phrase just before it (`for the Lebanese army`), not the cue
    # at the clause's head: disarming Hezbollah is not the Italian soldiers' task
    text = (
        "Italy said the disarmament of Hezbollah is a job for the Lebanese army,"
        " not for Italian soldiers."
    )
    assert _read(unifil, text) == [("ITA", "mandate", 0, "negative")]


def test_without_negates_a_cue_up_to_three_words_after_it(ukraine) -> None:  # type: ignore[no-untyped-def]
    text = "Finland said it would deploy soldiers without first seeking a UN mandate."
    assert _read(ukraine, text) == [("FIN", "un_authorisation", 0, "negative")]


def test_a_restricted_number_of_troops_is_the_low_end_of_the_force(unifil) -> None:  # type: ignore[no-untyped-def]
    # `force_size` reads the personnel deployed ("0": no ground force, "100": 15,000)
    text = "Greece said it would send only 150 soldiers to Lebanon."
    assert _read(unifil, text) == [("GRC", "force_size", 0, "positive")]
    text = "Greece said it would send 150 soldiers to Lebanon."
    assert _read(unifil, text) == [("GRC", "force_size", 100, "positive")]


def test_nobody_is_a_negator(unifil) -> None:  # type: ignore[no-untyped-def]
    # `disarm` is a `mandate` "100" cue: nobody disarming it favours 0
    text = "Hezbollah said nobody would disarm the resistance by force."
    assert _read(unifil, text) == [("HEZ", "mandate", 0, "negative")]


def test_far_from_a_place_negates_it_like_without(ukraine) -> None:  # type: ignore[no-untyped-def]
    # `contact line` is a `zone` "100" cue
    text = "Norway said its troops would be deployed far from the contact line, in the west."
    assert _read(ukraine, text) == [("NOR", "zone", 0, "negative")]
    text = "Norway said its troops would be deployed on the contact line."
    assert _read(ukraine, text) == [("NOR", "zone", 100, "positive")]
