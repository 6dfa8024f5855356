"""The CP-SAT planner against exhaustive enumeration on random tiny scenarios.

The oracle does not use the CP-SAT model: it lists every design (route x backstop level x
units from each pledge), keeps those the library's own evaluation allows
(:func:`~peaceops.planning.evaluate_design` for acceptances and venue verdicts,
:func:`~peaceops.planning.pledge_status` for pledge conditions), and computes coverage and
fairness from their definitions in ``docs/planning.md`` section 5 with fractions. Both stages of
:func:`~peaceops.planning.solve_force_generation` (coverage, then fairness) and every point of
:func:`~peaceops.planning.pareto_frontier` must reach the enumerated optimum values. A second
family (four unconditional contributors of two capabilities, every allocation allowed) makes
many allocations tie on coverage, so that the fairness stage with its proven window on the
total and its per-contributor envelope cuts (``planning/_model.py``) decides among them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from planning_cases import _HEAD

import peaceops.planning._solve as solve_module
from peaceops.errors import InfeasibleError
from peaceops.planning import (
    ConditionState,
    Design,
    evaluate_design,
    pareto_frontier,
    pledge_status,
    solve_force_generation,
)
from peaceops.scenario import Scenario, parse_scenario

ROUTES = ("COAL", "COUNCIL")
BACKSTOPS = (0.0, 100.0)


@dataclass(frozen=True)
class Tiny:
    """Random parameters of a two-contributor scenario (L in the alliance, N neutral)."""

    q_l_inf: int
    q_n_inf: int
    q_n_med: int
    n_inf: int
    n_med: int
    prio_inf: int
    prio_med: int
    pers_inf: int
    pers_med: int
    gdp_l: int
    gdp_n: int
    a_size: int
    a_share_salience: float
    presence: int
    share_max: int

    def yaml(self) -> str:
        return (
            _HEAD
            + f"""
actors:
  - {{id: H, name: Host, kind: state, clout: {{value: 0.5, sources: [s]}}}}
  - {{id: A, name: Adversary, kind: state, clout: {{value: 0.5, sources: [s]}}}}
  - {{id: L, name: Lead, kind: state, groups: [ALLY], clout: {{value: 0.5, sources: [s]}},
     gdp_usd: {{value: {self.gdp_l}.0e+11, year: 2024, sources: [s]}}}}
  - {{id: N, name: Neutral, kind: state, clout: {{value: 0.2, sources: [s]}},
     gdp_usd: {{value: {self.gdp_n}.0e+11, year: 2024, sources: [s]}}}}
issues:
  - {{id: size, name: Size, scale: {{"0": none, "50": mid, "100": many}}, status_quo: 0,
     sources: [s], design: {{kind: personnel, full_scale: 3000, domains: [land]}}}}
  - {{id: ally_share, name: Share, scale: {{"0": none, "50": mid, "100": all}}, status_quo: 0,
     sources: [s], design: {{kind: group_share, group: ALLY}}}}
  - {{id: un, name: Mandate, scale: {{"0": none, "50": mid, "100": full}}, status_quo: 0,
     sources: [s], design: {{kind: route, values: {{COUNCIL: 100, COAL: 0}}}}}}
  - {{id: backstop, name: Backstop, scale: {{"0": none, "50": mid, "100": full}}, status_quo: 0,
     sources: [s], design: {{kind: choice, field: backstop}}}}
stances:
  H:
    size: {{position: 100, salience: 1.0, sources: [s]}}
  A:
    size: {{position: {self.a_size}, salience: 0.5, sources: [s]}}
    ally_share: {{position: 0, salience: {self.a_share_salience}, sources: [s]}}
    un: {{position: 100, salience: 0.5, sources: [s]}}
  L:
    backstop: {{position: 100, salience: 0.5, sources: [s]}}
capabilities:
  - {{id: INF, name: Infantry, domain: land, unit: battalion, personnel: {self.pers_inf},
     sources: [s]}}
  - {{id: MED, name: Hospital, domain: medical, unit: hospital, personnel: {self.pers_med},
     sources: [s]}}
pledges:
  - {{id: l-inf, actor: L, capability: INF, quantity: {self.q_l_inf}, sources: [s]}}
  - {{id: l-med, actor: L, capability: MED, quantity: 1, sources: [s],
     conditions: [{{kind: issue_min, issue: backstop, value: 50}}]}}
  - {{id: n-inf, actor: N, capability: INF, quantity: {self.q_n_inf}, sources: [s]}}
  - {{id: n-med, actor: N, capability: MED, quantity: {self.q_n_med}, sources: [s],
     conditions: [{{kind: issue_max, issue: ally_share, value: {self.share_max}}}]}}
red_lines:
  - {{id: a-no-ally, actor: A, description: No alliance troops., sources: [s],
     rule: {{kind: no_troops, from_group: ALLY, where: host_territory}}}}
  - {{id: h-presence, actor: H, description: Troops., sources: [s],
     rule: {{kind: issue_min, issue: size, value: {self.presence}}}}}
venues:
  - {{id: COUNCIL, name: Council, rule: {{kind: count_quota, quota: 2, vetoes: {{actors: [A]}}}},
     members: {{actors: [H, A, L]}}, sources: [s]}}
  - {{id: COAL, name: Coalition, rule: {{kind: opt_in}}, members: {{actors: [L, N]}},
     sources: [s]}}
missions:
  - id: M
    name: Mission
    route: COAL
    zone: 50
    mandate: 50
    timing: 50
    requirements:
      - {{capability: INF, count: {self.n_inf}, priority: {self.prio_inf}}}
      - {{capability: MED, count: {self.n_med}, priority: {self.prio_med}, in_host: false}}
    sources: [s]
planning:
  routes: [COAL, COUNCIL]
  backstop_levels: [0, 100]
  host: H
  adversary: A
"""
        )


tiny_instances = st.builds(
    Tiny,
    q_l_inf=st.integers(1, 3),
    q_n_inf=st.integers(1, 2),
    q_n_med=st.integers(1, 2),
    n_inf=st.integers(1, 3),
    n_med=st.integers(1, 2),
    prio_inf=st.integers(1, 5),
    prio_med=st.integers(1, 5),
    pers_inf=st.sampled_from([120, 300, 500, 700]),
    pers_med=st.sampled_from([40, 100, 250]),
    gdp_l=st.integers(1, 9),
    gdp_n=st.integers(1, 9),
    a_size=st.sampled_from([0, 30, 60]),
    a_share_salience=st.sampled_from([0.2, 0.6, 1.0]),
    presence=st.sampled_from([0, 10, 25]),
    share_max=st.sampled_from([30, 60, 100]),
)


@dataclass(frozen=True)
class Allowed:
    """One design the oracle allows, with its exact objective values."""

    coverage: Fraction
    fairness: Fraction
    utility_a: float
    accepts: frozenset[str]


def enumerate_designs(s: Scenario) -> list[Allowed]:
    """Every design whose pledges all hold and whose route's venue authorises."""
    mission = s.mission("M")
    counts = {r.capability: r.count for r in mission.requirements}
    weights = {r.capability: 2 ** (5 - r.priority) for r in mission.requirements}
    pledges = list(s.pledges)
    ranges = [range(min(p.quantity.low, counts[p.capability]) + 1) for p in pledges]
    figures = {a.id: a.gdp_usd.value for a in s.actors if a.gdp_usd is not None}
    share = {a: round(1000 * f / sum(figures.values())) for a, f in figures.items()}
    out = []
    for route, backstop in itertools.product(ROUTES, BACKSTOPS):
        for units in itertools.product(*ranges):
            by_cap = dict.fromkeys(counts, 0)
            for p, u in zip(pledges, units, strict=True):
                by_cap[p.capability] += u
            if any(by_cap[c] > counts[c] for c in counts):
                continue
            alloc = {p.id: u for p, u in zip(pledges, units, strict=True)}
            design = Design.from_mission(
                mission, route=route, levels={"backstop": backstop}, allocation=alloc
            )
            ev = evaluate_design(s, design)
            status = pledge_status(s, ev, state=ConditionState())
            if any(ps.units > 0 and not ps.holds for ps in status):
                continue
            if not ev.verdict(route).authorised:
                continue
            personnel = dict.fromkeys(figures, 0)
            for p, u in zip(pledges, units, strict=True):
                personnel[p.actor] += u * s.capability(p.capability).personnel
            total = sum(personnel.values())
            fairness = Fraction(
                sum(abs(1000 * personnel[a] - share[a] * total) for a in figures), 1000
            )
            coverage = sum(
                (Fraction(weights[c] * by_cap[c], counts[c]) for c in counts), Fraction(0)
            ) / sum(weights.values())
            accepts = frozenset(a.actor for a in ev.acceptances if a.accepts)
            out.append(Allowed(coverage, fairness, ev.acceptance("A").utility, accepts))
    return out


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@SETTINGS
@given(tiny=tiny_instances, require=st.sampled_from([(), ("H",), ("A",), ("H", "A")]))
def test_both_stages_match_brute_force(tiny: Tiny, require: tuple[str, ...]) -> None:
    """Coverage optimum, then the fairness optimum among the coverage-optimal designs."""
    _check_tiny(tiny, require)


def _check_tiny(tiny: Tiny, require: tuple[str, ...]) -> None:
    s = parse_scenario(tiny.yaml(), file="tiny.yaml")
    allowed = [d for d in enumerate_designs(s) if set(require) <= d.accepts]
    if not allowed:
        with pytest.raises(InfeasibleError):
            solve_force_generation(s, "M", require_acceptance=require, explain=False)
        return
    best_cov = max(d.coverage for d in allowed)
    best_fair = min(d.fairness for d in allowed if d.coverage == best_cov)
    plan = solve_force_generation(s, "M", require_acceptance=require, explain=False)
    values = {o.name: (o.value, o.status) for o in plan.objectives}
    assert values["coverage"] == (pytest.approx(float(best_cov)), "OPTIMAL")
    assert values["fairness"] == (pytest.approx(float(best_fair)), "OPTIMAL")
    assert plan.coverage == pytest.approx(float(best_cov))


def frontier_by_enumeration(
    allowed: list[Allowed], full: int, n_points: int
) -> list[tuple[Fraction, float]]:
    """Epsilon-constraint points (coverage, A's utility) on the planner's integer floors."""

    def lexmax(pool: list[Allowed]) -> Allowed:
        top = max(d.utility_a for d in pool)
        return max((d for d in pool if d.utility_a == top), key=lambda d: d.coverage)

    hi = max(d.coverage for d in allowed) * full
    lo = lexmax(allowed).coverage * full
    points = []
    for i in range(n_points):
        floor = lo + math.ceil((hi - lo) * i / (n_points - 1))
        best = lexmax([d for d in allowed if d.coverage * full >= floor])
        points.append((best.coverage, best.utility_a))
    return points


@SETTINGS
@given(tiny=tiny_instances, n_points=st.integers(2, 5))
def test_frontier_matches_brute_force(tiny: Tiny, n_points: int) -> None:
    """Every frontier point: A's best utility at the floor, then the most coverage."""
    s = parse_scenario(tiny.yaml(), file="tiny.yaml")
    allowed = enumerate_designs(s)
    mission = s.mission("M")
    lcm = math.lcm(*(r.count for r in mission.requirements))
    full = lcm * sum(2 ** (5 - r.priority) for r in mission.requirements)
    expected = frontier_by_enumeration(allowed, full, n_points)
    front = pareto_frontier(s, "M", n_points=n_points)
    got = [(p.coverage, p.utility) for p in front.points]
    assert got == [(pytest.approx(float(c)), pytest.approx(u)) for c, u in expected]


@pytest.mark.parametrize("budget", [0.0, 0.5])
def test_frontier_matches_brute_force_when_the_core_search_gives_up(
    monkeypatch: pytest.MonkeyPatch, budget: float
) -> None:
    """Loss stages try the core search under a deterministic budget; with no budget it settles
    nothing and the default search takes over: both ways, the enumeration's frontier."""
    tiny = Tiny(3, 2, 2, 3, 2, 1, 2, 500, 100, 6, 3, 0, 1.0, 10, 60)
    s = parse_scenario(tiny.yaml(), file="tiny.yaml")
    mission = s.mission("M")
    lcm = math.lcm(*(r.count for r in mission.requirements))
    full = lcm * sum(2 ** (5 - r.priority) for r in mission.requirements)
    expected = frontier_by_enumeration(enumerate_designs(s), full, 4)
    monkeypatch.setattr(solve_module, "CORE_SEARCH_DTIME", budget)
    front = pareto_frontier(s, "M", n_points=4)
    got = [(p.coverage, p.utility) for p in front.points]
    assert got == [(pytest.approx(float(c)), pytest.approx(u)) for c, u in expected]


def test_frontier_values_do_not_depend_on_the_number_of_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One worker (sequential search) and two (interleaved) reach the same optima."""
    tiny = Tiny(3, 2, 2, 3, 2, 1, 2, 500, 100, 6, 3, 0, 1.0, 10, 60)
    s = parse_scenario(tiny.yaml(), file="tiny.yaml")
    monkeypatch.setattr(solve_module, "NUM_WORKERS", 1)
    one = pareto_frontier(s, "M", n_points=5)
    monkeypatch.setattr(solve_module, "NUM_WORKERS", 2)
    two = pareto_frontier(s, "M", n_points=5)
    assert [(p.coverage, p.utility) for p in one.points] == [
        (p.coverage, p.utility) for p in two.points
    ]


@dataclass(frozen=True)
class Crowd:
    """Four unconditional contributors pledging two capabilities: many allocations tie on
    coverage, so the fairness stage (its window and envelope cuts) decides among them."""

    gdp: tuple[int, int, int, int]
    inf: tuple[int, int, int, int]
    med: tuple[int, int, int, int]
    n_inf: int
    n_med: int
    prio_inf: int
    prio_med: int
    pers_inf: int
    pers_med: int

    def yaml(self) -> str:
        actors = "\n".join(
            f"  - {{id: C{i}, name: C{i}, kind: state, clout: {{value: 0.5, sources: [s]}},\n"
            f"     gdp_usd: {{value: {g}.0e+11, year: 2024, sources: [s]}}}}"
            for i, g in enumerate(self.gdp)
        )
        pledges = "\n".join(
            f"  - {{id: c{i}-{cap.lower()}, actor: C{i}, capability: {cap}, quantity: {q},"
            " sources: [s]}"
            for cap, qs in (("INF", self.inf), ("MED", self.med))
            for i, q in enumerate(qs)
            if q > 0
        )
        return (
            _HEAD
            + f"""
actors:
  - {{id: H, name: Host, kind: state, clout: {{value: 0.5, sources: [s]}}}}
{actors}
issues:
  - {{id: size, name: Size, scale: {{"0": none, "50": mid, "100": many}}, status_quo: 0,
     sources: [s], design: {{kind: personnel, full_scale: 3000, domains: [land]}}}}
capabilities:
  - {{id: INF, name: Infantry, domain: land, unit: battalion, personnel: {self.pers_inf},
     sources: [s]}}
  - {{id: MED, name: Hospital, domain: medical, unit: hospital, personnel: {self.pers_med},
     sources: [s]}}
pledges:
{pledges}
venues:
  - {{id: HOST, name: Host consent, rule: {{kind: consent}}, members: {{actors: [H]}},
     sources: [s]}}
missions:
  - id: M
    name: Mission
    route: HOST
    zone: 50
    mandate: 50
    timing: 50
    requirements:
      - {{capability: INF, count: {self.n_inf}, priority: {self.prio_inf}}}
      - {{capability: MED, count: {self.n_med}, priority: {self.prio_med}}}
    sources: [s]
planning:
  routes: [HOST]
  host: H
"""
        )


crowd_instances = st.builds(
    Crowd,
    gdp=st.tuples(*[st.integers(1, 9)] * 4),
    inf=st.tuples(st.integers(1, 2), *[st.integers(0, 2)] * 3),
    med=st.tuples(*[st.integers(0, 2)] * 4),
    n_inf=st.integers(1, 4),
    n_med=st.integers(1, 3),
    prio_inf=st.integers(1, 5),
    prio_med=st.integers(1, 5),
    pers_inf=st.sampled_from([120, 300, 500, 700]),
    pers_med=st.sampled_from([40, 100, 250]),
)


@SETTINGS
@given(crowd=crowd_instances)
def test_fairness_among_many_contributors_matches_brute_force(crowd: Crowd) -> None:
    """Every allocation is allowed (no conditions, no stances): the oracle lists them all."""
    _check_crowd(crowd)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(crowd=crowd_instances, tiny=tiny_instances)
def test_fairness_stage_without_mir_cuts_matches_brute_force(crowd: Crowd, tiny: Tiny) -> None:
    """Large models solve the fairness stage and its window's upper bound without MIR cuts
    (``CUTS_OFF`` in ``planning/_solve.py``); with the size bound lowered to every model,
    those are the solves that ran without them (the window's lower bound and the design
    tie-break have them), and both optima are the enumeration's."""
    seen: list[tuple[str, bool]] = []
    tune = solve_module._tune_cuts

    def spy(solver: Any, name: str, n_variables: int) -> None:
        tune(solver, name, n_variables)
        seen.append((name, bool(solver.parameters.add_mir_cuts)))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solve_module, "CUT_TUNING_MIN_VARIABLES", 0)
        patch.setattr(solve_module, "_tune_cuts", spy)
        _check_crowd(crowd)
        _check_tiny(tiny, ())
    off = ("fairness", "fairness-upper-bound")
    assert ("fairness", False) in seen
    assert ("fairness-upper-bound", False) in seen
    assert ("fairness-lower-bound", True) in seen
    assert ("design", True) in seen
    assert all(mir == (name not in off) for name, mir in seen)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(crowd=crowd_instances, tiny=tiny_instances, budget=st.sampled_from([0.0, 0.5]))
def test_fairness_stage_with_the_linearization_try_matches_brute_force(
    crowd: Crowd, tiny: Tiny, budget: float
) -> None:
    """Large models first try the fairness stage at CP-SAT's linearization level 2 under a
    deterministic budget (``LINEARIZATION_TRY`` in ``planning/_solve.py``), then, unless that
    proved it, solve it again at the default level. With the size bound lowered to every
    model, the try runs; with no budget it settles nothing and the second solve decides: both
    ways the enumeration's optima."""
    seen: list[tuple[int, float]] = []
    inner = cp_model.CpSolver.solve

    def spy(solver: Any, model: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(
            (solver.parameters.linearization_level, solver.parameters.max_deterministic_time)
        )
        return inner(solver, model, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solve_module, "LINEARIZATION_TRY_MIN_VARIABLES", 0)
        patch.setattr(solve_module, "LINEARIZATION_TRY", {"fairness": budget})
        patch.setattr(cp_model.CpSolver, "solve", spy)
        _check_crowd(crowd)
        _check_tiny(tiny, ())
    tries = [i for i, (level, dtime) in enumerate(seen) if level == 2]
    assert tries
    assert all(seen[i][1] == budget for i in tries)
    if budget == 0.0:  # each try is followed by the default level's solve
        assert all(seen[i + 1][0] == 1 for i in tries)


def _check_crowd(crowd: Crowd) -> None:
    s = parse_scenario(crowd.yaml(), file="crowd.yaml")
    counts = {"INF": crowd.n_inf, "MED": crowd.n_med}
    weights = {"INF": 2 ** (5 - crowd.prio_inf), "MED": 2 ** (5 - crowd.prio_med)}
    personnel = {"INF": crowd.pers_inf, "MED": crowd.pers_med}
    pledges = list(s.pledges)
    figures = {a.id: a.gdp_usd.value for a in s.actors if a.gdp_usd is not None}
    contributors = {p.actor for p in pledges}
    total_fig = sum(figures[a] for a in contributors)
    share = {a: round(1000 * figures[a] / total_fig) for a in contributors}
    best: tuple[Fraction, Fraction] | None = None
    ranges = [range(min(p.quantity.low, counts[p.capability]) + 1) for p in pledges]
    for units in itertools.product(*ranges):
        by_cap = dict.fromkeys(counts, 0)
        own = dict.fromkeys(contributors, 0)
        for p, u in zip(pledges, units, strict=True):
            by_cap[p.capability] += u
            own[p.actor] += u * personnel[p.capability]
        if any(by_cap[c] > counts[c] for c in counts):
            continue
        total = sum(own.values())
        coverage = sum(
            (Fraction(weights[c] * by_cap[c], counts[c]) for c in counts), Fraction(0)
        ) / sum(weights.values())
        fairness = Fraction(sum(abs(1000 * own[a] - share[a] * total) for a in own), 1000)
        if best is None or (coverage, -fairness) > (best[0], -best[1]):
            best = (coverage, fairness)
    assert best is not None
    plan = solve_force_generation(s, "M", explain=False)
    values = {o.name: (o.value, o.status) for o in plan.objectives}
    assert values["coverage"] == (pytest.approx(float(best[0])), "OPTIMAL")
    assert values["fairness"] == (pytest.approx(float(best[1])), "OPTIMAL")
