"""The planner's strengthened formulation against definitions checked point by point.

Two pieces of the CP-SAT model are stated in a form other than their definition, for the
linear relaxation's sake (see ``peaceops.planning._model``):

- thresholds on personnel and group-share issues, written on the personnel ``P`` and the
  group's personnel ``G`` instead of on the quotient: every ``(P, G, bound)`` must be allowed
  exactly when the quotient, computed here from its definition in ``docs/planning.md``, meets
  the bound;
- the fairness stage's envelope cuts: every reachable personnel value ``v`` of an actor and
  every total ``T`` in the window must stay feasible with the deviation at its definition
  ``|1000 v - share T|`` (the cuts remove no solution), and an actor whose reachable values
  all miss its fair share is charged exactly the nearest miss by the cuts alone, even where
  its personnel may take values it cannot reach.

The end-to-end check (both stages and the frontier against enumeration of every allocation)
is ``test_plan_bruteforce.py``.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from peaceops.planning._model import FairTerms, PlanModel, _reachable
from peaceops.planning.design import FULL

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)


def _feasible(cp: cp_model.CpModel) -> bool:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(cp) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _stub() -> PlanModel:
    return PlanModel(scenario=None, request=None)  # type: ignore[arg-type]


def _threshold_allows(
    total: int, group: int, full_scale: int, bound: int, lower: bool, share: bool, value: int
) -> bool:
    m = _stub()
    cp = m.cp
    p = cp.new_int_var(0, 400, "P")
    g = cp.new_int_var(0, 400, "G")
    x = cp.new_int_var(0, FULL, "X")
    cp.add(p == total)
    cp.add(g == group)
    cp.add(x == value)
    if share:
        nonzero = cp.new_bool_var("nz")
        cp.add(p >= 1).only_enforce_if(nonzero)
        cp.add(p == 0).only_enforce_if(nonzero.Not())
        m._ratio["i"] = (p, g, 0, nonzero)
    else:
        m._ratio["i"] = (p, None, full_scale, None)
    lit = cp.new_bool_var("lit")
    cp.add(lit == 1)
    m._threshold("i", x, bound, lower, lit)
    return _feasible(cp)


def test_issue_thresholds_hold_exactly_when_the_quotient_meets_them() -> None:
    # every small (P, G), at the edges where an off-by-one would show: bounds at the value and
    # one either side, and at the ends of the scale and beyond
    for total, full_scale, share, lower in itertools.product(
        range(9), (1, 3, 7), (False, True), (False, True)
    ):
        for group in range(total + 1) if share else (0,):
            if share:
                value = FULL * group // total if total > 0 else 0
            else:
                value = FULL * min(total, full_scale) // full_scale
            for bound in {value - 1, value, value + 1, -1, 0, 1, FULL - 1, FULL, FULL + 1}:
                expected = value >= bound if lower else value <= bound
                got = _threshold_allows(total, group, full_scale, bound, lower, share, value)
                assert got == expected, (total, group, full_scale, bound, lower, share)


pledge_lists = st.lists(
    st.tuples(st.sampled_from([40, 120, 300, 650, 900]), st.integers(1, 3)), min_size=1, max_size=3
)


@SETTINGS
@given(
    pledges=pledge_lists,
    share=st.integers(0, 1000),
    low=st.integers(0, 6000),
    width=st.integers(0, 3000),
)
def test_fairness_cuts_keep_every_reachable_allocation(
    pledges: list[tuple[int, int]], share: int, low: int, width: int
) -> None:
    reach = _reachable(pledges)
    high = low + width
    totals = sorted({low, high, (low + high) // 2})
    for v, t in itertools.product(reach, totals):
        m = _stub()
        own = m.cp.new_int_var(0, max(reach), "own")
        dev = m.cp.new_int_var(0, 10**9, "dev")
        total = m.cp.new_int_var(0, 10**6, "T")
        m.fair = FairTerms(total, 10**6, {"a": (own, dev, share, reach)})
        m.fairness_cuts(m.cp, low, high)
        m.cp.add(own == v)
        m.cp.add(total == t)
        m.cp.add(dev == abs(1000 * v - share * t))
        assert _feasible(m.cp), (v, t)


@SETTINGS
@given(pledges=pledge_lists, share=st.integers(1, 1000), total=st.integers(100, 6000))
def test_fairness_cuts_alone_charge_exactly_the_nearest_reachable_miss(
    pledges: list[tuple[int, int]], share: int, total: int
) -> None:
    # With T fixed and the actor's personnel any integer between its reachable extremes (not
    # only reachable values, as in the linear relaxation), the cuts alone bound the deviation.
    reach = _reachable(pledges)
    nearest = min(abs(1000 * v - share * total) for v in reach)
    m = _stub()
    own = m.cp.new_int_var(0, max(reach), "own")
    dev = m.cp.new_int_var(0, 10**9, "dev")
    t = m.cp.new_int_var(0, 10**6, "T")
    m.fair = FairTerms(t, 10**6, {"a": (own, dev, share, reach)})
    m.fairness_cuts(m.cp, total, total)
    m.cp.minimize(dev)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(m.cp) == cp_model.OPTIMAL
    # the envelope is convex with its vertices at reachable values, so its least value is
    # the nearest miss itself: the cuts are valid (no more) and tight (no less)
    assert round(solver.objective_value) == nearest
