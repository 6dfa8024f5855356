"""What-if patches: reading, applying every operation, errors, and the comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from planning_cases import hand

from peaceops.errors import ScenarioError
from peaceops.planning import apply_patch, compare_patch, load_patch

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
    s = apply_patch(hand(), load_patch("all.yaml", text=text))
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
        load_patch("bad.yaml", text=text)
    got = [(p.line, p.path, p.message) for p in info.value.problems]
    assert got[0][:2] == (2, "operations[0].op")
    assert got[0][2].startswith("'fly' is not one of add_source")
    assert got[1] == (3, "operations[1].id", "drop_pledge needs 'id'")
    assert got[2] == (4, "operations[x].why", "unknown key 'why' for drop_pledge")  # item id


def test_operations_on_missing_items_fail_with_their_index() -> None:
    patch = load_patch(
        "gone.yaml", text="- {op: drop_pledge, id: zz}\n- {op: join_group, actor: Q, group: ALLY}\n"
    )
    with pytest.raises(ScenarioError) as info:
        apply_patch(hand(), patch)
    got = [(p.line, p.path, p.message) for p in info.value.problems]
    assert got == [
        (1, "operations[0]", "no pledge with id 'zz' to drop"),
        (2, "operations[1]", "unknown actor 'Q'"),
    ]


def test_patched_scenario_is_validated_as_a_whole() -> None:
    patch = load_patch(
        "x.yaml",
        text=(
            "- {op: add_pledge, pledge: {id: q, actor: L, capability: TANK, quantity: 1,"
            " sources: [s]}}\n"
        ),
    )
    with pytest.raises(ScenarioError, match="unknown capability 'TANK'"):
        apply_patch(hand(), patch)


def test_patch_for_another_scenario_is_refused() -> None:
    patch = load_patch("x.yaml", text="scenario: other\noperations: []\n")
    with pytest.raises(ScenarioError, match="the patch is for 'other', not 'hand'"):
        apply_patch(hand(), patch)


def test_new_stance_needs_position_salience_and_sources() -> None:
    patch = load_patch(
        "x.yaml", text="- {op: set_stance, actor: H, issue: ally_share, position: 5}\n"
    )
    with pytest.raises(ScenarioError, match="a new stance of H on ally_share needs"):
        apply_patch(hand(), patch)


def test_load_patch_reads_files(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text(NEUTRAL_JOINS, encoding="utf-8")
    patch = load_patch(path)
    assert (patch.name, patch.scenario, len(patch.operations)) == ("A neutral joins", "hand", 2)
    with pytest.raises(ScenarioError, match="cannot read the patch"):
        load_patch(tmp_path / "missing.yaml")


def test_neutral_battalions_open_the_council_route() -> None:
    """N's three battalions are not the alliance's: on the Council route A accepts them
    (loss 0.5 x 50 = 25 <= 50) and H too (|50 - 100| + 0.5 x |100 - 0| = 100 <= 100), so the
    Council options become feasible.

    The plan (coalition route first among equals) now shares the burden by GDP (L 2/3, N 1/3
    of 1600 troops): L two battalions and the hospital (1100), N one battalion (500) deviate
    by 32.8 each from 1066.7 and 533.3, against 532.8 each when L keeps all three.
    """
    result = compare_patch(hand(), load_patch("n.yaml", text=NEUTRAL_JOINS))
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
