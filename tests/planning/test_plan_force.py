"""Force generation on the hand-computed cases of ``planning_cases``.

Coverage weights: battalions (priority 1) 16, hospital (priority 2) 8, out of 24; three
battalions and one hospital are required. L offers 4 battalions and a hospital (only with a
backstop of at least 50); the neutral N (when added) 2 battalions. Utilities and verdicts of
the designs below are derived in ``test_plan_acceptance``.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from planning_cases import NEUTRAL_ACTOR, NEUTRAL_PLEDGE, hand

from peaceops.errors import InfeasibleError, ScenarioError
from peaceops.planning import ConditionState, solve_force_generation
from peaceops.planning._authorise import minimal_winning_sets


def test_optimal_plan_by_hand() -> None:
    """Free route and backstop, authorisation required, objectives (coverage, fairness).

    Coalition route: L's acceptance authorises it; L accepts three battalions and the hospital
    (utility 0 against -70). The hospital needs backstop 100. Coverage (16 + 8)/24 = 1.
    The Council route would need A, whose red line bars L's battalions: at most 8/24 there.
    So: COAL, backstop 100, 3 battalions + hospital, 1600 troops, x3 rotation = 4800.
    """
    plan = solve_force_generation(hand(), "M")
    d = plan.design
    assert (d.route, d.value("backstop"), d.allocation) == (
        "COAL",
        100.0,
        (("l-inf", 3), ("l-med", 1)),
    )
    assert (plan.coverage, plan.personnel, plan.personnel_rotated) == (1.0, 1600, 4800.0)
    assert plan.shortfalls == ()
    assert [(o.name, o.value, o.status) for o in plan.objectives] == [
        ("coverage", 1.0, "OPTIMAL"),
        ("fairness", 0.0, "OPTIMAL"),
    ]
    rows = plan.to_rows()
    assert rows[0] == {
        "pledge": "l-inf",
        "actor": "L",
        "capability": "INF",
        "domain": "land",
        "units": 3,
        "personnel": 1500,
        "personnel_rotated": 4500.0,
        "location": "host_territory",
    }
    assert list(plan.to_frame().columns) == list(rows[0])


def test_conditional_pledge_switches_on_only_with_a_backstop() -> None:
    """Backstop fixed at 0: the hospital's condition fails, coverage 16/24; the planner names
    the fixed backstop as what holds it back. At 100 it switches on: coverage 1."""
    off = solve_force_generation(hand(), "M", levels={"backstop": 0})
    assert off.coverage == pytest.approx(2 / 3)
    (med,) = off.shortfalls
    assert (med.capability, med.missing) == ("MED", 1)
    (note,) = med.notes
    assert note.status == "not_in_design"
    assert "backstop >= 50 (the design's backstop is 0)" in note.detail
    assert "more would break: backstop = 0" in note.detail
    on = solve_force_generation(hand(), "M", levels={"backstop": 100})
    assert on.coverage == 1.0
    assert on.design.units("l-med") == 1


def test_red_line_forces_a_non_alliance_composition() -> None:
    """Require A's acceptance, with a neutral N offering two battalions.

    A's red line bars L's battalions on host territory, so only N's serve. On the coalition
    route A rejects even N alone (0.5 x 33.33 + 0.5 x 100 = 66.67 > 50); on the Council route
    (un = 100) A's loss is 16.67 <= 50 and A, with L (loss 0.4 x 16.67 = 6.67), authorises.
    Plan: Council, backstop 100, N's 2 battalions + L's hospital (outside the host country):
    coverage (16 x 2/3 + 8)/24 = 7/9. One battalion short: L's held back by A's red line,
    N's used up.
    """
    s = hand(NEUTRAL_ACTOR, NEUTRAL_PLEDGE)
    plan = solve_force_generation(s, "M", require_acceptance=["A"])
    assert plan.design.route == "COUNCIL"
    assert plan.design.allocation == (("l-med", 1), ("n-inf", 2))
    assert plan.coverage == pytest.approx(7 / 9)
    on_host = {a.actor for a in plan.allocation if a.on_host}
    assert on_host == {"N"}
    assert not any("ALLY" in s.actor(a).groups for a in on_host)
    assert plan.evaluation.acceptance("A").accepts
    (inf,) = plan.shortfalls
    notes = {n.pledge: n for n in inf.notes}
    assert notes["n-inf"].status == "used_up"
    assert notes["l-inf"].status == "held_back"
    assert "acceptance by A: red line a-no-ally" in notes["l-inf"].detail


def test_infeasible_request_names_the_conflict() -> None:
    """H needs troops on the ground (size >= 10, i.e. a battalion: only L has them, A's red
    line bars them) and A must accept too: no design does both."""
    with pytest.raises(InfeasibleError) as info:
        solve_force_generation(hand(), "M", require_acceptance=["A", "H"])
    conflicts = info.value.conflicts
    assert any(c.startswith("acceptance by A: red line a-no-ally") for c in conflicts)
    assert any(c.startswith("acceptance by H: red line h-presence") for c in conflicts)
    assert "no design of mission 'M' meets every requirement" in str(info.value)


def test_minimum_coverage_conflicts_with_the_adversary() -> None:
    """With A's acceptance coverage is at most 1/3 (the hospital): 0.5 is infeasible."""
    with pytest.raises(InfeasibleError) as info:
        solve_force_generation(hand(), "M", require_acceptance=["A"], min_coverage=0.5)
    assert "coverage at least 0.5" in info.value.conflicts


def test_fixed_route_blocked_by_a_veto_names_the_blocker() -> None:
    """The Council route needs A: with H's acceptance required (troops), A vetoes."""
    with pytest.raises(InfeasibleError) as info:
        solve_force_generation(hand(), "M", route="COUNCIL", require_acceptance=["H"])
    assert "route = COUNCIL" in info.value.conflicts
    assert "the route's venue authorises (COUNCIL blocked by A)" in info.value.conflicts


def test_lexicographic_order_matters() -> None:
    """A's utility first: its best is 0 (Council route, no troops on host); then coverage:
    the hospital (outside, not in A's issues) with backstop 100 gives 8/24 = 1/3."""
    plan = solve_force_generation(hand(), "M", objectives=("utility", "coverage"))
    assert [(o.name, o.value) for o in plan.objectives] == [
        ("utility:A", 0.0),
        ("coverage", pytest.approx(1 / 3)),
    ]
    assert (plan.design.route, plan.design.allocation) == ("COUNCIL", (("l-med", 1),))


def test_quantities_and_events_come_from_the_condition_state() -> None:
    """Count on one battalion from L (the sweep's draw): coverage (16/3 + 8)/24 = 5/9."""
    plan = solve_force_generation(hand(), "M", state=ConditionState(quantities={"l-inf": 1}))
    assert plan.coverage == pytest.approx(Fraction(5, 9))
    (inf,) = plan.shortfalls
    assert inf.notes[0].status == "used_up"


def test_plans_are_deterministic() -> None:
    s = hand(NEUTRAL_ACTOR, NEUTRAL_PLEDGE)
    runs = {solve_force_generation(s, "M", require_acceptance=["A"]).design for _ in range(3)}
    assert len(runs) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"objectives": ("coverage", "speed")}, "'speed' is not one of coverage"),
        ({"objectives": ("utility:Z",)}, "'utility:Z': unknown actor"),
        ({"require_acceptance": ["Z"]}, "unknown actor 'Z'"),
        ({"route": "NOWHERE"}, "unknown venue 'NOWHERE'"),
        ({"levels": {"backstop": 120}}, "120.0 is outside 0..100"),
        ({"min_coverage": 1.5}, "1.5 is outside 0..1"),
        ({"fair_share": "area"}, "'area' is not one of gdp, population"),
    ],
)
def test_bad_options_are_rejected(options: dict[str, object], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        solve_force_generation(hand(), "M", **options)  # type: ignore[arg-type]


def test_unknown_mission_is_rejected() -> None:
    with pytest.raises(ScenarioError, match="unknown mission 'X' \\(M\\)"):
        solve_force_generation(hand(), "X")


def _weighted(weights: dict[str, int], quota: int, vetoes: set[str]):  # type: ignore[no-untyped-def]
    return lambda yes: sum(weights[a] for a in yes) >= quota and vetoes <= set(yes)


@pytest.mark.parametrize(
    ("weights", "quota", "vetoes", "fixed"),
    [
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, 3, set(), set()),
        ({"a": 4, "b": 3, "c": 2, "d": 1, "e": 1}, 6, {"a"}, set()),
        ({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, 8, set(), {"e"}),
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, 5, set(), set()),
    ],
)
def test_minimal_winning_sets_match_brute_force(
    weights: dict[str, int], quota: int, vetoes: set[str], fixed: set[str]
) -> None:
    """Minimal winning subsets of the variable members, by enumerating all 2^n subsets."""
    win = _weighted(weights, quota, vetoes)
    variable = tuple(a for a in weights if a not in fixed)
    expected = set()
    for k in range(len(variable) + 1):
        for subset in itertools.combinations(variable, k):
            s = set(subset)
            if win(fixed | s) and all(not win(fixed | (s - {m})) for m in s):
                expected.add(frozenset(s))
    found = minimal_winning_sets(win, frozenset(fixed), variable)
    assert found is not None
    assert {frozenset(f) for f in found} == expected
    assert minimal_winning_sets(win, frozenset(fixed), variable, limit=0) is (
        None if len(expected) > 0 else found
    )


def test_participation_of_an_actor_without_units_switches_a_pledge_off() -> None:
    """N's hospital needs A to take part; A offers nothing, so the hospital never counts (and
    at backstop 0 neither does L's): the medical requirement stays empty, with the reason."""
    extra = (
        NEUTRAL_PLEDGE
        + "\n  - {id: n-med, actor: N, capability: MED, quantity: 1, sources: [s],"
        + " conditions: [{kind: requires_participation, actor: A}]}"
    )
    plan = solve_force_generation(hand(NEUTRAL_ACTOR, extra), "M", levels={"backstop": 0})
    med = next(r for r in plan.requirements if r.capability == "MED")
    assert med.units == 0
    note = next(n for n in med.notes if n.pledge == "n-med")
    assert note.status == "not_in_design"
    assert "A takes part (A contributes no units)" in note.detail
