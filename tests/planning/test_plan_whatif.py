"""What-if patches: reading, applying every operation, errors, and the comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from planning_cases import hand

from peaceops.errors import ScenarioError
from peaceops.io import read_patch
from peaceops.planning import apply_patch, compare_patch, parse_patch

NEUTRAL_JOINS = """
name: A neutral joins
description: N offers three battalions.
scenario: hand
operations:
  - op: add_actor
    actor:
      id: N
      name: Neutral
      kind: state
      clout: {value: 0.2, sources: [s]}
      gdp_usd: {value: 5.0e+11, year: 2024, sources: [s]}
  - op: add_pledge
    pledge: {id: n-inf, actor: N, capability: INF, quantity: 3, sources: [s]}
"""


def test_every_operation_applies() -> None:
    text = """
- op: add_source
  source: {id: w, title: What-if, publisher: tests, date: 2025-01-01, kind: judgement,
           rationale: hypothetical}
- {op: add_actor, actor: {id: N, name: Neutral, kind: state, clout: {value: 0.2, sources: [w]}}}
- {op: add_pledge, pledge: {id: n-inf, actor: N, capability: INF, quantity: 2, sources: [w]}}
- {op: update_pledge, id: l-inf, quantity: {low: 1, high: 5}, note: fewer}
- {op: drop_pledge, id: l-med}
- {op: set_stance, actor: H, issue: size, position: 60}
- {op: set_stance, actor: N, issue: un, position: 20, salience: 0.5, sources: [w]}
- {op: join_group, actor: N, group: ALLY}
- {op: join_group, actor: N, group: ALLY}
- {op: leave_group, actor: L, group: ALLY}
- {op: drop_red_line, id: h-presence}
- op: add_red_line
  red_line: {id: n-own, actor: N, description: No own troops., rule: {kind: no_troops,
             from_actors: [N]}, sources: [w]}
"""
    s = apply_patch(hand(), parse_patch(text, file="all.yaml"))
    assert s.actor("N").groups == ("ALLY",)
    assert s.actor("L").groups == ()
    assert [p.id for p in s.pledges] == ["l-inf", "n-inf"]
    assert (s.pledges[0].quantity.low, s.pledges[0].quantity.high) == (1, 5)
    assert s.pledges[0].note == "fewer"
    assert s.stances["H"]["size"].position == 60
    assert s.stances["H"]["size"].salience == 1.0
    assert s.stances["N"]["un"].sources == ("w",)
    assert [r.id for r in s.red_lines] == ["a-no-ally", "n-own"]
    assert s.source("w").kind.value == "judgement"
    assert hand().actor("L").groups == ("ALLY",)  # the input is untouched


def test_malformed_operations_are_listed_with_lines() -> None:
    text = (
        "operations:\n  - {op: fly}\n  - {op: drop_pledge}\n  - {op: drop_pledge, id: x, why: y}\n"
    )
    with pytest.raises(ScenarioError) as info:
        parse_patch(text, file="bad.yaml")
    got = [(p.line, p.path, p.message) for p in info.value.problems]
    assert got[0][:2] == (2, "operations[0].op")
    assert got[0][2].startswith("'fly' is not one of add_source")
    assert got[1] == (3, "operations[1].id", "drop_pledge needs 'id'")
    assert got[2] == (4, "operations[x].why", "unknown key 'why' for drop_pledge")  # item id


def test_operations_on_missing_items_fail_with_their_index() -> None:
    patch = parse_patch(
        "- {op: drop_pledge, id: zz}\n- {op: join_group, actor: Q, group: ALLY}\n", file="gone.yaml"
    )
    with pytest.raises(ScenarioError) as info:
        apply_patch(hand(), patch)
    got = [(p.line, p.path, p.message) for p in info.value.problems]
    assert got == [
        (1, "operations[0]", "no pledge with id 'zz' to drop"),
        (2, "operations[1]", "unknown actor 'Q'"),
    ]


def test_patched_scenario_is_validated_as_a_whole() -> None:
    patch = parse_patch(
        file="x.yaml",
        source=(
            "- {op: add_pledge, pledge: {id: q, actor: L, capability: TANK, quantity: 1,"
            " sources: [s]}}\n"
        ),
    )
    with pytest.raises(ScenarioError, match="unknown capability 'TANK'"):
        apply_patch(hand(), patch)


def test_patch_for_another_scenario_is_refused() -> None:
    patch = parse_patch("scenario: other\noperations: []\n", file="x.yaml")
    with pytest.raises(ScenarioError, match="the patch is for 'other', not 'hand'"):
        apply_patch(hand(), patch)


def test_new_stance_needs_position_salience_and_sources() -> None:
    patch = parse_patch(
        "- {op: set_stance, actor: H, issue: ally_share, position: 5}\n", file="x.yaml"
    )
    with pytest.raises(ScenarioError, match="a new stance of H on ally_share needs"):
        apply_patch(hand(), patch)


def test_read_patch_reads_files_at_the_edge(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text(NEUTRAL_JOINS, encoding="utf-8")
    patch = read_patch(path)
    assert (patch.name, patch.scenario, len(patch.operations)) == ("A neutral joins", "hand", 2)
    assert patch.file == str(path)
    assert patch.lines == (6, 13)  # the `- op:` lines (NEUTRAL_JOINS starts with a newline)
    with pytest.raises(ScenarioError, match="cannot read the patch"):
        read_patch(tmp_path / "missing.yaml")


def test_read_patch_keeps_file_and_line_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- {op: join_group, actor: N, group: ALLY}\n- {op: fly}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        read_patch(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 2, "[1].op")


def test_a_patch_given_as_data_equals_the_same_patch_as_text() -> None:
    ops = [{"op": "join_group", "actor": "N", "group": "ALLY"}, {"op": "drop_pledge", "id": "p"}]
    as_data = parse_patch({"name": "n", "operations": ops})
    as_text = parse_patch(
        "name: n\noperations:\n- {op: join_group, actor: N, group: ALLY}\n"
        "- {op: drop_pledge, id: p}\n"
    )
    assert as_data.operations == as_text.operations
    assert (as_data.lines, as_text.lines) == ((None, None), (3, 4))
    ops[0]["group"] = "OTHER"  # the patch keeps its own copy
    assert as_data.operations[0]["group"] == "ALLY"
    with pytest.raises(ScenarioError, match="unknown key 'actor' for drop_pledge"):
        parse_patch([{"op": "drop_pledge", "id": "p", "actor": "N"}])
    with pytest.raises(ScenarioError, match="a patch is a list of operations") as info:
        parse_patch({"operations": "none"}, file="form")
    assert (info.value.problems[0].file, info.value.problems[0].line) == ("form", None)


def test_neutral_battalions_open_the_council_route() -> None:
    """N's three battalions are not the alliance's: on the Council route A accepts them
    (loss 0.5 x 50 = 25 <= 50) and H too (|50 - 100| + 0.5 x |100 - 0| = 100 <= 100), so the
    Council options become feasible.

    The plan (coalition route first among equals) now shares the burden by GDP (L 2/3, N 1/3
    of 1600 troops): L two battalions and the hospital (1100), N one battalion (500) deviate
    by 32.8 each from 1066.7 and 533.3, against 532.8 each when L keeps all three.
    """
    result = compare_patch(hand(), parse_patch(NEUTRAL_JOINS, file="n.yaml"))
    rows = {(r["route"], r["backstop"]): r for r in result.to_rows()}
    council = rows[("COUNCIL", 100.0)]
    assert (council["feasible_before"], council["feasible_after"]) == (False, True)
    assert council["coverage_after"] == 1.0
    assert rows[("COAL", 0.0)]["coverage_change"] == 0.0
    assert result.plan_rows() == [
        {"pledge": "l-inf", "actor": "L", "capability": "INF", "units_before": 3, "units_after": 2},
        {"pledge": "n-inf", "actor": "N", "capability": "INF", "units_before": 0, "units_after": 1},
    ]
    assert result.plan_after is not None
    assert result.plan_after.objectives[1].value == pytest.approx(65.6)
