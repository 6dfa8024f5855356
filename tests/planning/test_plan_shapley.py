"""Shapley values of the coverage game against brute force from the definition.

The case (``planning_cases.SHAPLEY``): requirements 4 battalions (weight 16), 2 hospitals
(8), 1 engineer company (4), out of 28. P1 offers 2 battalions; P2 3 battalions and a
hospital; P3 2 hospitals if P1 takes part; P4 an engineer company, and a battalion if P2 takes
part; P5 counts on 0 units (a dummy). The test computes v(S) by enumerating every allocation
of S's pledges and checking the conditions itself, then averages marginal contributions over
all 5! orders.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from planning_cases import shapley_case

from peaceops.planning import coverage_shapley

#: pledge -> (actor, capability, units offered, actor whose participation it requires)
PLEDGES = {
    "p1-inf": ("P1", "INF", 2, None),
    "p2-inf": ("P2", "INF", 3, None),
    "p2-med": ("P2", "MED", 1, None),
    "p3-med": ("P3", "MED", 2, "P1"),
    "p4-eng": ("P4", "ENG", 1, None),
    "p4-inf": ("P4", "INF", 1, "P2"),
}
REQUIRED = {"INF": (4, 16), "MED": (2, 8), "ENG": (1, 4)}
PLAYERS = ("P1", "P2", "P3", "P4", "P5")


def worth(coalition: frozenset[str]) -> Fraction:
    """Best coverage with the coalition's pledges, by enumerating allocations."""
    mine = [p for p, (actor, *_rest) in PLEDGES.items() if actor in coalition]
    best = Fraction(0)
    for units in itertools.product(*(range(PLEDGES[p][2] + 1) for p in mine)):
        alloc = dict(zip(mine, units, strict=True))
        takes_part = {PLEDGES[p][0] for p, u in alloc.items() if u > 0}
        if any(u > 0 and PLEDGES[p][3] not in (None, *takes_part) for p, u in alloc.items()):
            continue
        by_cap = {c: sum(u for p, u in alloc.items() if PLEDGES[p][1] == c) for c in REQUIRED}
        if any(by_cap[c] > count for c, (count, _) in REQUIRED.items()):
            continue
        value = sum(Fraction(w * by_cap[c], count) for c, (count, w) in REQUIRED.items()) / sum(
            w for _, w in REQUIRED.values()
        )
        best = max(best, value)
    return best


def brute_force_shapley() -> dict[str, Fraction]:
    totals = dict.fromkeys(PLAYERS, Fraction(0))
    for order in itertools.permutations(PLAYERS):
        before: frozenset[str] = frozenset()
        for player in order:
            after = before | {player}
            totals[player] += worth(after) - worth(before)
            before = after
    n_orders = math.factorial(len(PLAYERS))
    return {p: v / n_orders for p, v in totals.items()}


def test_exact_shapley_matches_brute_force_over_all_orders() -> None:
    expected = brute_force_shapley()
    result = coverage_shapley(shapley_case(), "M")
    assert result.method == "exact"
    assert result.n_permutations == 0
    got = {v.actor: v.value for v in result.values}
    assert set(got) == {"P1", "P2", "P3", "P4"}  # P5 offers nothing usable: not a player
    for actor, value in got.items():
        assert value == pytest.approx(float(expected[actor]), abs=1e-12)
    assert expected["P5"] == 0
    assert result.grand_coverage == pytest.approx(float(worth(frozenset(PLAYERS))))
    assert sum(got.values()) == pytest.approx(result.grand_coverage)  # efficiency
    assert all(v.std_error == 0.0 for v in result.values)


def test_sampled_shapley_is_close_and_reproducible() -> None:
    """2000 random orders: every estimate within 4 standard errors of the exact value; the same
    seed gives the same estimates."""
    expected = brute_force_shapley()
    a = coverage_shapley(shapley_case(), "M", method="sampled", n_permutations=2000, seed=7)
    b = coverage_shapley(shapley_case(), "M", method="sampled", n_permutations=2000, seed=7)
    assert a == b
    assert a.method == "sampled"
    for v in a.values:
        assert v.std_error > 0 or expected[v.actor] == 0
        assert abs(v.value - float(expected[v.actor])) <= 4 * v.std_error + 1e-12
    assert a.to_frame().loc["P2", "method"] == "sampled"


def test_auto_switches_to_sampling_above_max_exact() -> None:
    result = coverage_shapley(shapley_case(), "M", max_exact=3, n_permutations=50, seed=1)
    assert (result.method, result.n_permutations) == ("sampled", 50)


def _one_solve_per_coalition(game: object, n: int) -> dict[int, int]:
    """Every coalition's worth from its own solve by the planner's portfolio (no
    implications between coalitions, no fast settings)."""
    from ortools.sat.python import cp_model

    from peaceops.planning._solve import make_solver

    model = game.model  # type: ignore[attr-defined]
    solver = make_solver(deterministic=False, time_limit=10.0)
    worths = {}
    for mask in range(1 << n):
        lits = [lit for lit, _ in model.named]
        for i, actor in enumerate(game.players):  # type: ignore[attr-defined]
            member = model.members[actor]
            lits.append(member if mask >> i & 1 else member.Not())
        model.cp.clear_assumptions()
        model.cp.add_assumptions(lits)
        status = solver.solve(model.cp)
        assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
        worths[mask] = round(solver.objective_value) if status == cp_model.OPTIMAL else 0
    model.cp.clear_assumptions()
    return worths


@pytest.mark.parametrize("case", ["brute-force case", "ukraine-2025-04"])
def test_settled_worths_equal_one_solve_per_coalition(case: str) -> None:
    """The game settles coalitions by implication (monotone worth, unused players, infeasible
    supersets) and solves with fast settings: every worth equals a separate solve's."""
    from peaceops.planning import shapley as module
    from peaceops.planning.force import build_model
    from peaceops.scenario import load_scenario

    if case == "ukraine-2025-04":
        s, mission, route = load_scenario(case), "reassurance", "COALITION"
    else:
        s, mission, route = shapley_case(), "M", None
    model, _ = build_model(
        s,
        mission,
        route=route,
        levels=None,
        routes=None,
        combos=None,
        objectives=("coverage",),
        require_acceptance=(),
        require_authorisation=True,
        min_coverage=None,
        parties=None,
        utility="linear",
        state=None,
        fair_share="gdp",
        membership=True,
    )
    players = tuple(a.id for a in s.actors if a.id in model.members)
    game = module._Game(model, players, 10.0)
    n = len(players)
    game.settle_all(n)
    assert sorted(game.memo) == list(range(1 << n))
    assert game.memo == _one_solve_per_coalition(game, n)
