"""Broken scenarios: every problem reported together, with exact file, line and field path."""

from __future__ import annotations

import json

import pytest
import yaml

from peaceops.errors import ScenarioError
from peaceops.scenario import parse_scenario
from peaceops_testing import template_text

FILE = "demo.yaml"


def problems(text: str, *, file: str = FILE, json_first: bool = False) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file=file, json_first=json_first)
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of ``needle``: computed from the text, not the code."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth - 1]


def mutate(old: str, new: str, *, count: int = 1) -> str:
    text = template_text()
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


def test_template_is_valid() -> None:
    s = parse_scenario(template_text(), file=FILE)
    assert [a.id for a in s.actors] == ["HST", "ADV", "LDR", "NTR"]
    assert s.pledges[1].quantity.low == 0
    assert s.pledges[1].quantity.high == 1


def test_salience_out_of_range_names_line_and_path() -> None:
    text = mutate("      salience: 1.0\n", "      salience: 1.4\n")
    line = line_of(text, "salience: 1.4")
    assert problems(text) == [
        f"{FILE}:{line}: stances[ADV][alliance_share].salience: 1.4 is outside 0..1",
        f"{FILE}:{line + 1}: stances[ADV][alliance_share].uncertainty.salience: "
        "value 1.4 lies outside its own range [0.8, 1.0]",
    ]


def test_malformed_yaml_is_reported_with_its_line() -> None:
    text = mutate("  - id: HST\n", "  - id: [HST\n")
    (message,) = problems(text)
    assert message.startswith(f"{FILE}:{line_of(text, 'name: Host State')}: invalid YAML:")


def test_wrong_type_is_reported_with_the_value() -> None:
    text = mutate("position: 80", "position: high")
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'position: high')}: stances[HST][ground_size].position: "
        "expected a number, got 'high'"
    ]


def test_unknown_actor_in_a_pledge() -> None:
    text = mutate("    actor: LDR\n", "    actor: XYZ\n")
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'actor: XYZ')}: pledges[ldr-inf].actor: "
        "unknown actor 'XYZ': define it under actors"
    ]


def test_condition_naming_a_missing_issue() -> None:
    text = mutate("issue: alliance_share, value: 50", "issue: nato_share, value: 50")
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'nato_share')}: pledges[ntr-med].conditions[0].issue: "
        "unknown issue 'nato_share': define it under issues"
    ]


def test_duplicate_ids_point_at_the_second() -> None:
    text = mutate("  - id: NTR\n    name: Neutral Contributor", "  - id: HST\n    name: Neutral")
    found = problems(text)
    second = line_of(text, "- id: HST", 2)
    assert found[0] == f"{FILE}:{second}: actors[HST].id: duplicate id 'HST' (also actors[0])"
    # NTR is now undefined, so every reference to it is reported in the same run.
    assert (
        f"{FILE}:{line_of(text, 'actor: NTR')}: pledges[ntr-inf].actor: unknown actor 'NTR': "
        "define it under actors" in found
    )
    assert len(found) == 5


def test_duplicate_mapping_key_is_not_silently_overwritten() -> None:
    text = mutate("    status_quo: 0\n", "    status_quo: 0\n    status_quo: 10\n")
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'status_quo: 10')}: issues[0].status_quo: "
        f"duplicate key 'status_quo' (first at line {line_of(text, 'status_quo: 0')})"
    ]


def test_missing_and_unknown_fields() -> None:
    text = mutate("    kind: state\n    groups: []\n", "    knd: state\n    groups: []\n")
    line = line_of(text, "knd: state")
    assert problems(text) == [
        f"{FILE}:{line - 2}: actors[HST].kind: required field is missing",
        f"{FILE}:{line}: actors[HST].knd: unknown field (check the spelling; "
        "see docs/scenario-format.md)",
    ]


def test_judgement_source_needs_a_rationale() -> None:
    text = mutate(
        "    rationale: Illustrative values chosen to show every field of the format.\n", ""
    )
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'id: analyst')}: sources[analyst].rationale: "
        "a judgement source needs a one-line rationale"
    ]


def test_unknown_source_is_reported() -> None:
    text = mutate("clout: {value: 0.6, sources: [analyst]}", "clout: {value: 0.6, sources: [tass]}")
    assert problems(text) == [
        f"{FILE}:{line_of(text, '[tass]')}: actors[ADV].clout.sources[0]: "
        "unknown source 'tass': define it under sources"
    ]


def test_contradictory_conditions_are_impossible() -> None:
    text = mutate(
        "      - {kind: issue_max, issue: alliance_share, value: 50}\n",
        "      - {kind: issue_max, issue: alliance_share, value: 50}\n"
        "      - {kind: issue_min, issue: alliance_share, value: 60}\n",
    )
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'alliance_share, value: 60')}: pledges[ntr-med].conditions[1]: "
        "impossible: 'alliance_share' must be at least 60 and at most 50"
    ]


def test_quota_above_membership_is_impossible() -> None:
    text = mutate("quota: 2, vetoes", "quota: 5, vetoes")
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'quota: 5')}: venues[UNSC].rule.quota: "
        "impossible: quota 5 exceeds the 3 members"
    ]


def test_unknown_kind_lists_the_allowed_ones() -> None:
    text = mutate("rule: {kind: opt_in}", "rule: {kind: opt_out}")
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'opt_out')}: venues[COALITION].rule: kind 'opt_out' is not one of "
        "'unanimity', 'count_quota', 'weighted', 'multi_quota', 'opt_in', 'consent'"
    ]


def test_every_problem_is_reported_together_in_line_order() -> None:
    text = template_text()
    text = text.replace("position: 80", "position: 180")
    text = text.replace("    actor: LDR\n", "    actor: XYZ\n")
    text = text.replace("personnel: 70", "personnel: -5")
    found = problems(text)
    assert [p.split(": ", 1)[0] for p in found] == [
        f"{FILE}:{line_of(text, 'position: 180')}",
        f"{FILE}:{line_of(text, 'personnel: -5')}",
        f"{FILE}:{line_of(text, 'actor: XYZ')}",
    ]
    assert found[1].endswith("capabilities[MED_L2].personnel: -5 must not be negative")


def test_json_scenario_is_accepted_and_its_errors_are_located() -> None:
    data = yaml.safe_load(template_text())
    text = json.dumps(data, indent=2, default=str)
    assert parse_scenario(text, file="demo.json", json_first=True).id == "demo"
    broken = text.replace('"salience": 0.9', '"salience": 2.5', 1)
    (message,) = problems(broken, file="demo.json", json_first=True)
    line = line_of(broken, '"salience": 2.5')
    assert message == (f"demo.json:{line}: stances[HST][ground_size].salience: 2.5 is outside 0..1")
    (syntax,) = problems(
        text.replace('"id": "demo",', '"id": "demo"', 1), file="demo.json", json_first=True
    )
    assert syntax.startswith("demo.json:")
    assert "invalid JSON: Expecting ',' delimiter" in syntax


def test_empty_document_and_non_mapping() -> None:
    assert problems("# nothing\n") == [f"{FILE}:1: the document is empty"]
    assert problems("- a\n- b\n") == [
        f"{FILE}:1: a scenario must be a mapping of sections (sources, actors, …)"
    ]


def test_scenario_is_frozen() -> None:
    s = parse_scenario(template_text(), file=FILE)
    with pytest.raises(ValueError, match="frozen"):
        s.actors[0].name = "changed"  # type: ignore[misc]
