"""Rules of session 5: a contribution to the scenario's force is a statement on its
contribution issue; a negation flips only the cue it stands before when the chosen issue's
cues name both ends; the speaker stands next to a speech verb, not a bare ``to``.

Expectations are hand-annotated by the guide of docs/evidence.md (a pledge of one's own
units is the force-size issue, ``100``; ``will not take part`` is ``0``) and read off the
packaged scenario files (which issue a design reads from the personnel it deploys); none is
taken from the code's output. The contribution sentences were written for these tests and
name no cue term of their scenario: without the mechanism they give no candidate.
"""

from __future__ import annotations

from peaceops.evidence import extract_candidates, parse_text
from peaceops.evidence.classify import Classifier
from peaceops.scenario import load_scenario


def _read(scenario, text):  # type: ignore[no-untyped-def]
    found = extract_candidates(
        scenario, parse_text(text, kind="text"), min_confidence=0, learned=False
    )
    return [(c.actor, c.issue, c.direction) for c in found]


def test_the_contribution_issue_is_the_one_read_from_deployed_personnel() -> None:
    # the issues whose `design:` has `kind: personnel` in the packaged files
    for name, issue in (
        ("unifil-2006-08", "force_size"),
        ("aspides-2024-02", "escort_strength"),
        ("ukraine-2025-04", "ground_presence"),
    ):
        assert Classifier(load_scenario(name)).contribution_issue == issue, name


def test_taking_part_in_the_mission_is_a_pledge_to_the_force(unifil) -> None:  # type: ignore[no-untyped-def]
    text = "Finland said it would participate in the enlarged mission in southern Lebanon."
    assert _read(unifil, text) == [("FIN", "force_size", 100)]


def test_the_operations_own_name_is_a_target(aspides) -> None:  # type: ignore[no-untyped-def]
    # `Aspides` is the word after "operation" in the scenario's name; negated: 0
    assert _read(aspides, "Spain said it would not take part in Aspides.") == [
        ("ESP", "escort_strength", 0)
    ]


def test_no_verb_of_contributing_or_a_stop_between_is_no_contribution(unifil) -> None:  # type: ignore[no-untyped-def]
    assert _read(unifil, "Finland said it would host talks on the mission.") == []
    assert _read(unifil, "Finland said it would participate. The mission is large.") == []


def test_a_scenario_without_a_personnel_issue_has_no_contribution_issue(unifil) -> None:  # type: ignore[no-untyped-def]
    bare = unifil.model_copy(
        update={"issues": tuple(i for i in unifil.issues if i.id != "force_size")}
    )
    clf = Classifier(bare)
    assert clf.contribution_issue is None
    text = "Finland said it would participate in the enlarged mission in southern Lebanon."
    assert _read(bare, text) == []


# Negation scoped to each cue when the chosen issue's cues name both ends of its scale. The
# expectations follow the guide: the direction is the end the statement favours after
# negation (a rejected end counts for the other one).


def test_a_negation_before_one_cue_flips_only_that_cue(aspides) -> None:  # type: ignore[no-untyped-def]
    # `protect ships` is a `mandate` "0" cue, `strikes` a "100" cue: the sentence wants
    # protection and rejects strikes, so both favour 0 (a flip of the whole sentence would
    # give 100)
    text = "France said the mission would protect ships and would not take part in strikes."
    assert _read(aspides, text) == [("FRA", "mandate", 0)]


def test_a_rejected_alternative_favours_the_other_end(unifil) -> None:  # type: ignore[no-untyped-def]
    # `UN command` is a `un_command` "100" cue, `NATO force` a "0" cue, negated
    text = "Italy said the force must stay under UN command and must not become a NATO force."
    assert _read(unifil, text) == [("ITA", "un_command", 100)]
    text = "Italy said the force should be a NATO force rather than under UN command."
    assert _read(unifil, text) == [("ITA", "un_command", 0)]


def test_a_bare_to_is_no_speech_verb_for_the_speaker(unifil) -> None:  # type: ignore[no-untyped-def]
    # the speaker stands next to the speech verb (`Chirac said`, `Merkel told reporters`),
    # not next to the infinitive `to` after an object (`wants Italy to lead`); Chirac is
    # France's president and Merkel Germany's chancellor in the scenario's officials
    assert _read(unifil, "Finland wants Italy to lead the force, Chirac said.") == [
        ("FRA", "force_size", 100)
    ]
    text = "Germany asked Spain to send troops to Lebanon, Merkel said."
    assert _read(unifil, text) == [("DEU", "force_size", 100)]
