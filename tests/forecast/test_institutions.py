"""Who decides each issue: win-sets, unilateral deciders, force-set and negotiated issues.

Expected values are computed by hand (in the comments) or by brute force over a grid, never
from the code under test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from peaceops.errors import ScenarioError
from peaceops.forecast.institutions import win_set
from peaceops.forecast.timeline import forecast_scenario
from peaceops.scenario import load_scenario, parse_scenario

FIVE = Path(__file__).parent / "fixtures" / "five-actors.yaml"
STATIC = ("compromise", "median", "nash")


@pytest.fixture(scope="module")
def five() -> object:
    return forecast_scenario(
        load_scenario(FIVE), models=STATIC, plan_values={"alliance_share": 75.0}
    )


def council(vetoes: set[str], quota: int):  # type: ignore[no-untyped-def]
    return lambda s: vetoes <= s and len(s) >= quota


def test_veto_player_at_the_status_quo_blocks_and_is_named() -> None:
    # A holds a veto and sits at the status quo 0: any y > 0 is farther from A than 0 is.
    ws = win_set(council({"A"}, 2), ["A", "B", "C"], {"A": 0, "B": 100, "C": 80}, 0.0, vetoes=["A"])
    assert (ws.low, ws.high) == (0.0, 0.0)
    assert ws.empty
    assert ws.project(70.0) == 0.0
    assert ws.blockers_of(70.0) == ("A",)


def test_every_veto_player_gains_gives_a_point_inside_the_win_set() -> None:
    # Council of five, 3 votes incl. A and B; q = 0; ideals A 60, B 30, C 80, D 100, E 100.
    # Thresholds 2x - q: D, E 200, C 160, A 120, B 60. {D,E,C,A} lacks B; adding B wins at 60.
    ideals = {"A": 60, "B": 30, "C": 80, "D": 100, "E": 100}
    ws = win_set(council({"A", "B"}, 3), list(ideals), ideals, 0.0, vetoes=["A", "B"])
    assert (ws.low, ws.high) == (0.0, 60.0)
    assert ws.project(62.727) == 60.0
    assert ws.project(42.0) == 42.0
    assert ws.blockers_of(42.0) == ()


def test_win_set_equals_brute_force_over_a_grid() -> None:
    rng = np.random.default_rng(7)
    names = ["A", "B", "C", "D", "E"]
    for _ in range(300):
        ideals = {n: int(v) for n, v in zip(names, rng.integers(0, 101, 5), strict=True)}
        if rng.random() < 0.3:  # one member without a stance: indifferent
            del ideals[names[int(rng.integers(0, 5))]]
        q = float(rng.integers(0, 101))
        vetoes = {n for n in names if rng.random() < 0.3}
        test = council(vetoes, int(rng.integers(1, 6)))
        ws = win_set(test, names, ideals, q, vetoes=sorted(vetoes))
        # thresholds 2x - q are integers, so integer points find the bounds exactly
        inside = [
            y
            for y in range(101)
            if test(
                frozenset(
                    n for n in names if n not in ideals or abs(ideals[n] - y) <= abs(ideals[n] - q)
                )
            )
        ]
        assert inside == list(range(inside[0], inside[-1] + 1))  # an interval around q
        assert (ws.low, ws.high) == (inside[0], inside[-1]), (ideals, q, vetoes)


def test_venue_issue_is_limited_to_the_win_set(five) -> None:  # type: ignore[no-untyped-def]
    j = five.issues.index("monitors")
    # compromise: (0.4*60 + 0.3*30 + 0.2*80 + 0.1*100 + 0.1*100) / 1.1 = 69 / 1.1 = 62.73
    assert five.unconstrained["compromise"].outcome[j] == pytest.approx(69 / 1.1)
    assert five.results["compromise"].outcome[j] == pytest.approx(60.0)
    # weighted median: B 0.3, A 0.7 cumulative of 1.1 -> A's 60, already in the win-set
    assert five.results["median"].outcome[j] == pytest.approx(60.0)


def test_blocked_venue_issue_is_the_status_quo_with_the_blocker(five) -> None:  # type: ignore[no-untyped-def]
    j = five.issues.index("relief")
    for name in STATIC:
        assert five.results[name].outcome[j] == 0.0
    labels = {r.label for r in five.rulings if r.issue == "relief"}
    assert labels == {"no change: blocked by B"}


def test_unilateral_issue_follows_its_decider(five) -> None:  # type: ignore[no-untyped-def]
    j = five.issues.index("backstop")
    for name in STATIC:
        assert five.results[name].outcome[j] == 30.0  # A's position


def test_force_issue_equals_the_plans_value(five) -> None:  # type: ignore[no-untyped-def]
    j = five.issues.index("alliance_share")
    for name in STATIC:
        assert five.results[name].outcome[j] == 75.0


def test_only_the_named_parties_negotiate(five) -> None:  # type: ignore[no-untyped-def]
    j = five.issues.index("line")
    # C (0.2) at 20 and D (0.1) at 80: (4 + 8) / 0.3 = 40; weighted median: C's 20
    assert five.results["compromise"].outcome[j] == pytest.approx(40.0)
    assert five.results["median"].outcome[j] == pytest.approx(20.0)


def test_issue_without_deciders_keeps_todays_forecast() -> None:
    s = load_scenario(FIVE)
    plain = s.model_copy(
        update={"issues": tuple(i.model_copy(update={"decided_in": None}) for i in s.issues)}
    )
    f = forecast_scenario(plain, models=("compromise",), plan_values={"alliance_share": 75.0})
    assert f.results["compromise"].outcome[0] == pytest.approx(69 / 1.1)


def test_ukraine_unilateral_backstop_is_the_us_position() -> None:
    s = load_scenario("ukraine-2025-04")
    f = forecast_scenario(s, models=STATIC)
    usa = s.stances["USA"]["us_backstop"].position
    j = f.issues.index("us_backstop")
    for name in STATIC:
        assert f.results[name].trajectory[:, j] == pytest.approx(usa)


TEXT = FIVE.read_text()


def errors_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="five.yaml")
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i + 1 for i, line in enumerate(text.splitlines()) if needle in line)


def test_unknown_venue_is_named_with_line_and_path() -> None:
    text = TEXT.replace("decided_in: COUNCIL", "decided_in: SENATE", 1)
    line = line_of(text, "decided_in: SENATE")
    assert errors_of(text) == [
        f"five.yaml:{line}: issues[monitors].decided_in: unknown venue 'SENATE': define it "
        "under venues"
    ]


def test_unknown_decider_and_party_are_named() -> None:
    text = TEXT.replace("decided_by: [A]", "decided_by: [Z]").replace(
        "parties: [C, D]", "parties: [C, Y]"
    )
    found = errors_of(text)
    assert len(found) == 2
    assert "issues[backstop].decided_by[0]: unknown actor 'Z'" in found[0]
    assert "issues[line].negotiated_by.parties[1]: unknown actor 'Y'" in found[1]


def test_two_ways_of_deciding_are_rejected() -> None:
    text = TEXT.replace("    decided_by: [A]\n", "    decided_by: [A]\n    from_force: true\n")
    found = errors_of(text)
    assert any("give one of decided_by, from_force, not several" in f for f in found)
    assert any("from_force needs a design" in f for f in found)


def test_negotiated_by_list_is_short_for_parties() -> None:
    s = parse_scenario(TEXT.replace("{parties: [C, D]}", "[C, D]"), file="five.yaml")
    neg = s.issue("line").negotiated_by
    assert neg is not None
    assert neg.parties == ("C", "D")
    assert neg.mediators == ()


def worked_example_table() -> list[str]:
    """The table of docs/forecast.md ("Worked example"), rebuilt from the code."""
    models = STATIC
    f = forecast_scenario(load_scenario(FIVE), models=models, plan_values={"alliance_share": 75.0})
    rulings = {(r.issue, r.model): r for r in f.rulings}
    lines = [
        "| issue | decided | win-set | "
        + " | ".join(f"{m} (own → forecast)" for m in models)
        + " |",
        "| --- | --- | --- | " + " | ".join("---:" for _ in models) + " |",
    ]
    for j, issue in enumerate(f.issues):
        cells, kind, bounds = [], "negotiated", ""
        for m in models:
            own = (f.unconstrained.get(m) or f.results[m]).outcome[j]
            cells.append(f"{own:.2f} → {f.results[m].outcome[j]:.2f}")
            r = rulings.get((issue, m))
            if r is not None:
                kind = r.kind
                bounds = "" if r.win_set is None else "{:g}..{:g}".format(*r.win_set)
        lines.append(f"| `{issue}` | {kind} | {bounds} | " + " | ".join(cells) + " |")
    return lines


def test_docs_worked_example_is_what_the_code_gives() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "forecast.md").read_text(encoding="utf-8")
    for line in worked_example_table():
        assert line in docs, line


def test_joint_deciders_act_within_their_unanimity_win_set() -> None:
    text = TEXT.replace("decided_by: [A]", "decided_by: [A, B]")
    f = forecast_scenario(parse_scenario(text, file="five.yaml"), models=("compromise",))
    j = f.issues.index("backstop")
    # A 30 (0.4), B 100 (0.3): mean 42 / 0.7 = 60; win-set [0, 2*30] = [0, 60] -> 60
    assert f.results["compromise"].outcome[j] == pytest.approx(60.0)
    b_block = (
        "    backstop: {position: 100, salience: 1.0, sources: [example]}\n"
        "    line: {position: 50, salience: 1.0, sources: [example]}\n"
        "    alliance_share: {position: 0,"
    )
    assert text.count(b_block) == 1  # B's stances
    blocked = text.replace(b_block, b_block.replace("position: 100", "position: 0", 1))
    assert blocked != text
    g = forecast_scenario(parse_scenario(blocked, file="five.yaml"), models=("compromise",))
    # B sits at the status quo 0: no joint move; A alone would have given 12/0.7 = 17.1
    assert g.results["compromise"].outcome[j] == 0.0
    assert {r.blockers for r in g.rulings if r.issue == "backstop"} == {("B",)}


def test_mediators_bargain_with_the_parties() -> None:
    text = TEXT.replace("{parties: [C, D]}", "{parties: [C, D], mediators: [A]}")
    f = forecast_scenario(parse_scenario(text, file="five.yaml"), models=("compromise",))
    # C 20 (0.2), D 80 (0.1), mediator A 50 (0.4): (4 + 8 + 20) / 0.7 = 45.71
    assert f.results["compromise"].outcome[f.issues.index("line")] == pytest.approx(32 / 0.7)
