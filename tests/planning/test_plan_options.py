"""Option matrix and Pareto frontier of the hand-computed case (see ``planning_cases``).

Integer coverage scale of mission M: lcm of the counts (3, 1) = 3; battalions weigh
16 x 3/3 = 16 per unit, the hospital 8 x 3/1 = 24; full coverage 16 x 3 + 24 = 72.
"""

from __future__ import annotations

import pytest
from planning_cases import hand

from peaceops.errors import ScenarioError
from peaceops.planning import option_matrix, pareto_frontier


def test_option_matrix_by_hand() -> None:
    """Routes COAL and COUNCIL x backstops 0 and 100, host H must accept (the default).

    COAL, 0: three battalions (size 50 >= 10; H's loss 50 <= 100), no hospital (backstop 0):
    coverage 16/24. COAL, 100: everything, coverage 1. COUNCIL: H needs battalions, which only
    L offers and A (veto) bars: infeasible; shown is the plan without requirements (same
    coverage as on the coalition route), which A blocks.
    """
    m = option_matrix(hand())
    assert m.require_acceptance == ("H",)
    got = [
        (c.route, dict(c.levels)["backstop"], c.feasible, round(c.plan.coverage, 4))
        for c in m.cells
    ]
    assert got == [
        ("COAL", 0.0, True, 0.6667),
        ("COAL", 100.0, True, 1.0),
        ("COUNCIL", 0.0, False, 0.6667),
        ("COUNCIL", 100.0, False, 1.0),
    ]
    council = m.cell("M", "COUNCIL", {"backstop": 100})
    assert council.blockers == ("A",)
    assert not council.authorised
    assert "the route's venue authorises" in council.conflicts
    rows = m.to_rows()
    assert rows[1]["coverage_land"] == 1.0
    assert rows[1]["coverage_medical"] == 1.0
    assert rows[0]["coverage_medical"] == 0.0
    assert rows[1]["personnel"] == 1600
    assert rows[1]["personnel_rotated"] == 4800.0
    assert rows[1]["rejecting"] == ["A (a-no-ally, utility)"]
    assert rows[1]["authorising_venues"] == ["COAL"]
    assert rows[1]["n_accepting"] == 2
    assert m.to_frame().index.names == ["mission", "route", "backstop"]


def test_option_matrix_rejects_unknown_missions() -> None:
    with pytest.raises(ScenarioError, match="unknown missions \\['X'\\]"):
        option_matrix(hand(), missions=["X"])


def test_frontier_by_hand() -> None:
    """Coverage floors 24, 48, 72 (of 72) against A's utility.

    Floor 24: A's favourite, Council route without troops (A's loss 0) plus the hospital:
    utility 0, coverage 1/3. Floor 48: battalions are needed, so A must be outvoted - the
    coalition route (A's un loss 0.5 x 100 = 50); two battalions (size 33.33) and the
    hospital reach 56: loss 0.5 x 33.33 + 1.0 x 100 + 50 = 166.665; three battalions alone
    would cost 175. Floor 72: everything, 175.
    """
    f = pareto_frontier(hand(), "M", n_points=3)
    assert f.party == "A"
    assert f.status_quo_utility == -50.0
    got = [(round(p.epsilon, 4), round(p.coverage, 4), p.utility, p.route) for p in f.points]
    assert got == [
        (0.3333, 0.3333, 0.0, "COUNCIL"),
        (0.6667, 0.7778, -166.665, "COAL"),
        (1.0, 1.0, -175.0, "COAL"),
    ]
    assert [p.accepts for p in f.points] == [True, False, False]
    assert f.efficient == f.points
    rows = f.to_rows()
    assert rows[1]["personnel"] == 1100
    assert rows[1]["backstop"] == 100.0
    assert len(f.to_frame()) == 3


def test_frontier_needs_two_points_and_a_party() -> None:
    with pytest.raises(ScenarioError, match="need at least 2 points"):
        pareto_frontier(hand(), "M", n_points=1)
    with pytest.raises(ScenarioError, match="unknown party 'Z'"):
        pareto_frontier(hand(), "M", party="Z")
