"""Solving the planner's CP-SAT model: lexicographic stages, feasibility, minimal conflicts.

Private to :mod:`peaceops.planning`. Every solve uses a fixed seed. Optimisation stages run
CP-SAT's sequential search on one worker (``NUM_WORKERS``), which makes the solution itself
(not only its value) the same run after run; with more workers they use the interleaved
search, also reproducible. One worker is the default because it was the fastest on the
planner's models, in CPU and in wall time, at every size measured in
``benchmarks/bench_planner.py`` (the 2-worker interleaved schedule took 3-10 times longer per
stage). Each stage solves a copy of the model with its requirement literals fixed
(:func:`stage_model`); assumptions serve only the minimal conflicts. Feasibility checks behind
conflict explanations use one worker; the Shapley game, which needs only optimal values, the
ordinary 2-worker portfolio.

Objectives are optimised in the lexicographic order of [1]_; a minimal conflict is CP-SAT's
infeasible core reduced by the deletion filter of [2]_ (each member dropped in turn, kept only
when the rest becomes feasible). A fairness stage first proves a window on the fairness total
(:func:`fairness_window`: two solves under a deterministic-time budget and a gap limit, their
proven bounds kept; the lower bound gets the larger budget and LP-guided branching, because the
envelope cuts need it most: at 240 x 100 it halved the fairness stage) and adds the window and
the per-actor envelope cuts of :meth:`~._model.PlanModel.fairness_cuts` to its copy of the
model. On large models the fairness stage is first tried with every constraint in the linear
relaxation under a deterministic budget (``LINEARIZATION_TRY``), and solved again as before
when that try does not prove it.

References
----------
.. [1] Marler, R. T. and Arora, J. S. (2004). Survey of multi-objective optimization methods
   for engineering. *Structural and Multidisciplinary Optimization* 26(6), 369-395.
   doi:10.1007/s00158-003-0368-6
.. [2] Chinneck, J. W. and Dravnieks, E. W. (1991). Locating minimal infeasible constraint sets
   in linear programs. *ORSA Journal on Computing* 3(2), 157-168. doi:10.1287/ijoc.3.2.157
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from peaceops.errors import ConvergenceError, InfeasibleError
from peaceops.planning._model import Combo, Lit, PlanModel

#: Seed of every CP-SAT solve: results are reproducible run to run.
RANDOM_SEED = 20250405
#: Workers of the reproducible optimisation stages (1: sequential search; more: interleaved).
NUM_WORKERS = 1
#: Workers of the portfolio used when only optimal values matter.
PORTFOLIO_WORKERS = 2
#: Tasks per synchronised batch of the deterministic (interleaved) search.
INTERLEAVE_BATCH = 2
#: Hint each stage with the previous solution (a warm start).
WARM_START = True
#: Add the fairness window and per-actor envelope cuts to the fairness stage.
FAIRNESS_CUTS = True
#: Deterministic seconds of the two solves bounding the fairness total (minimise, maximise).
WINDOW_DTIME = (1.5, 0.25)
#: Either solve also stops once its relative gap is at most this.
WINDOW_GAP = 0.02
#: CP-SAT search branching of the two window solves (minimise, maximise). LP-guided branching
#: proves the lower bound sooner: at 240 x 100 in ``benchmarks/bench_planner.py`` the same bound
#: (151,050) in 0.74 deterministic s instead of 1.40 (about 3 s wall instead of 4), and at
#: 120 x 50 a tighter one (72,769 instead of 72,261) in about the same time (0.5 s); the upper
#: bound's solve, stopped by its budget, keeps the default.
WINDOW_BRANCHING = (cp_model.LP_SEARCH, cp_model.AUTOMATIC_SEARCH)
#: CP-SAT search branching of a lexicographic solve's first stage, by objective kind (the
#: default, automatic search, for the rest). A plan's first stage, coverage, uses LP-guided
#: branching (``LP_SEARCH``): at 240 x 100 in ``benchmarks/bench_planner.py`` it proves the
#: optimum in 2.3 deterministic seconds instead of 6.0 (about 4 s instead of 10); at 60 x 25 and
#: 120 x 50 the stage takes the same time to within 0.1 s. Later stages keep the default: the
#: fairness stage, and the frontier's coverage stage under a utility bound, are several times
#: slower with it (the 120 x 50 frontier 30 s instead of 12.6).
FIRST_STAGE_BRANCHING = {"coverage": cp_model.LP_SEARCH}
#: Stages that minimise an actor's loss or maximise acceptance, on models of at most
#: ``CORE_SEARCH_MAX_VARIABLES`` variables, first try CP-SAT's core-based search
#: (``optimize_with_core``) for ``CORE_SEARCH_DTIME`` deterministic seconds (a reproducible
#: budget); a stage it does not prove optimal within that budget is solved again with the
#: default search. On the built-in Ukraine scenario one frontier stage (a party's
#: loss, whose alliance-share term is a quotient) took 7,834 conflicts and 0.35-4.5 s with the
#: default search, and 5 conflicts and under 0.01 s with the core search; the stored rows of
#: ``analyse`` on the three built-ins are the same either way. On the generated 60 x 25 and
#: 120 x 50 benchmarks the core search alone found no solution of some stages in 30 s (the
#: frontier's loss stages, the fairness stage), and with the budget and the fallback the
#: 60 x 25 frontier took 7.9 CPU s instead of 4.8, hence the size bound too (the built-ins'
#: models have at most 180 variables, the 60 x 25 benchmark's 641).
CORE_SEARCH = frozenset({"utility", "acceptance"})
CORE_SEARCH_MAX_VARIABLES = 400
CORE_SEARCH_DTIME = 0.5
#: CP-SAT cut families switched off in a stage, by objective kind, on models of more than
#: ``CUT_TUNING_MIN_VARIABLES`` variables. The fairness stage's search is the same without MIR
#: cuts (2.10 deterministic s instead of 2.11 at 240 x 100, 0.53 both at 120 x 50, same
#: optimum), but their separation costs wall time that deterministic time does not count:
#: 4.2-5.0 s instead of 5.9-6.9 at 240 x 100 and 1.4-1.6 s instead of 2.0-2.1 at 120 x 50
#: (stage models solved alone, load 1.5-2.5). They are kept elsewhere: the coverage stage and
#: the window's lower-bound solve need more deterministic time without them (2.55 instead of
#: 2.30 and 1.48 instead of 0.74). The size bound keeps the search, and so the plan chosen
#: among equal optima, unchanged on small models such as the built-in scenarios' (at most 180
#: variables), where the saving is nil. The window's upper-bound solve (its deterministic
#: budget fixed) does the same: at 240 x 100 it proves a slightly lower bound (159,651 instead
#: of 159,731), after which the fairness stage took 1.75 deterministic s instead of 2.10; the
#: same at 120 x 50 and on two other seeds of the benchmark's generator (to 0.02 s).
CUTS_OFF = {"fairness": ("add_mir_cuts",), "fairness-upper-bound": ("add_mir_cuts",)}
CUT_TUNING_MIN_VARIABLES = 400
#: Stages (by objective kind) that first try CP-SAT's linearization level 2 (the relaxations
#: of the enforced, maximum and Boolean constraints in the LP too) under a deterministic-time
#: budget, on models of more than ``LINEARIZATION_TRY_MIN_VARIABLES`` variables; a stage the
#: try does not prove optimal is solved again as before (same hint, default level), so a try
#: costs at most its budget and the optimum is CP-SAT's proven one either way. Measured on
#: the fairness stage at 240 x 100 (``benchmarks/bench_planner.py``): proven in 0.31
#: deterministic s instead of 1.75 (1.1 s wall instead of 3.7), at generator seed 3 in 0.28
#: instead of 0.51; but the level's search is erratic: at seeds 1 and 5 the try did not prove
#: the stage (0.5 deterministic s, 1.3-1.5 s wall, lost before the same solve as before), with
#: another coverage optimum as hint the benchmark's stage took 6.4 s instead of 2.2, and at
#: 120 x 50 0.91 s instead of 0.53; hence the budget and the size bound (the 240 x 100 models
#: have 1,900-2,200 variables, the 120 x 50 ones 1,050-1,250). The window before it is
#: unchanged, so a stage the try does not settle is solved exactly as before.
LINEARIZATION_TRY = {"fairness": 0.5}
LINEARIZATION_TRY_MIN_VARIABLES = 1500
#: Alternative minimal conflicts sought when explaining an infeasible request.
_MAX_CORES = 4


@dataclass
class Stage:
    """One lexicographic stage: objective, optimum (integer), CP-SAT status, proven bound."""

    name: str
    value: int
    status: str
    bound: int = 0


@dataclass
class Outcome:
    """The solution of a lexicographic solve."""

    units: dict[str, int]
    route: str
    levels: Combo
    stages: list[Stage]
    assumptions: list[tuple[Lit, str]]
    #: Value of every model variable (by index) in the last stage's solution: a warm start.
    solution: dict[int, int] = field(default_factory=dict)


def best_loss(model: PlanModel, actor: str, *, time_limit: float) -> int:
    """The lowest loss ``actor`` can have in any design of the model (no requirements)."""
    expr = model.losses[actor]
    if isinstance(expr, int):
        return expr
    model.cp.clear_assumptions()
    model.cp.clear_objective()
    model.cp.minimize(expr)
    solver = make_solver(deterministic=False, time_limit=time_limit)
    solver.solve(model.cp)
    model.cp.clear_objective()
    best: int = round(solver.objective_value)
    return best


def make_solver(*, deterministic: bool, time_limit: float) -> Any:
    """A CP-SAT solver with a fixed seed: reproducible when ``deterministic`` (``NUM_WORKERS``,
    sequential or interleaved search), else the ``PORTFOLIO_WORKERS`` parallel portfolio."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = NUM_WORKERS if deterministic else PORTFOLIO_WORKERS
    solver.parameters.random_seed = RANDOM_SEED
    solver.parameters.interleave_search = deterministic and NUM_WORKERS > 1
    solver.parameters.interleave_batch_size = INTERLEAVE_BATCH
    # Large-neighbourhood search slows the interleaved schedule down several times on these
    # models (measured in benchmarks/bench_planner.py) and is not needed to prove optimality.
    solver.parameters.use_lns = not deterministic
    solver.parameters.max_time_in_seconds = time_limit
    return solver


def feasible(
    model: PlanModel, assumptions: Sequence[tuple[Lit, str]], *, time_limit: float
) -> bool:
    """Whether the model has a solution under ``assumptions`` (no objective)."""
    model.cp.clear_objective()
    model.cp.clear_assumptions()
    model.cp.add_assumptions([lit for lit, _ in assumptions])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = RANDOM_SEED
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model.cp)
    model.cp.clear_assumptions()
    if status in (cp_model.UNKNOWN, cp_model.MODEL_INVALID):
        raise ConvergenceError(
            f"CP-SAT could not decide feasibility ({solver.status_name(status)}) "
            f"in {time_limit:g} s",
            iterations=int(solver.num_conflicts),
            tolerance=0.0,
        )
    return bool(status != cp_model.INFEASIBLE)


def conflict(
    model: PlanModel, assumptions: Sequence[tuple[Lit, str]], *, time_limit: float
) -> list[tuple[Lit, str]]:
    """A minimal infeasible subset of ``assumptions`` (deletion filter over CP-SAT's core)."""
    model.cp.clear_objective()
    model.cp.clear_assumptions()
    model.cp.add_assumptions([lit for lit, _ in assumptions])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = RANDOM_SEED
    solver.parameters.max_time_in_seconds = time_limit
    solver.solve(model.cp)
    core_idx = set(solver.sufficient_assumptions_for_infeasibility())
    model.cp.clear_assumptions()
    core = [a for a in assumptions if a[0].Index() in core_idx] or list(assumptions)
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1 :]
        if not feasible(model, trial, time_limit=time_limit):
            core = trial
        else:
            i += 1
    return core


def conflicts(
    model: PlanModel,
    assumptions: Sequence[tuple[Lit, str]],
    *,
    keep: Sequence[tuple[Lit, str]] = (),
    time_limit: float,
    max_cores: int = _MAX_CORES,
) -> list[tuple[Lit, str]]:
    """Every assumption in one of up to ``max_cores`` minimal conflicts, in order found.

    The first minimal conflict comes from :meth:`conflict`; each further one is sought
    with one member of the first left out, so that a requirement blocked for two separate
    reasons (a red line *and* the utility) shows both. ``keep`` are assumptions that are
    always part of the problem (a probe) and never reported.
    """
    first = conflict(model, [*keep, *assumptions], time_limit=time_limit)
    found = [a for a in first if all(a[0] is not k[0] for k in keep)]
    for dropped in list(found):
        if len(found) >= 4 * max_cores:
            break
        rest = [a for a in assumptions if a[0] is not dropped[0]]
        if feasible(model, [*keep, *rest], time_limit=time_limit):
            continue
        for a in conflict(model, [*keep, *rest], time_limit=time_limit):
            if all(a[0] is not k[0] for k in keep) and all(a[0] is not f[0] for f in found):
                found.append(a)
    return found


def lexicographic(
    model: PlanModel,
    objectives: Sequence[str],
    assumptions: Sequence[tuple[Lit, str]],
    *,
    deterministic: bool,
    time_limit: float,
    on_infeasible: Callable[[list[str]], InfeasibleError],
    tie_break: bool = True,
    start: Mapping[str, int] | Outcome | None = None,
) -> Outcome:
    """Optimise ``objectives`` in order, each kept at its optimum for the next.

    ``tie_break`` adds a last stage preferring the candidate routes and level combinations listed
    first; ``start`` hints the first stage with a neighbouring solution: units by pledge, or a
    previous :class:`Outcome` of the same model (then every variable is hinted). Each later
    stage is hinted with the solution of the stage before.
    """
    active = list(assumptions)
    stages: list[Stage] = []
    solver = make_solver(deterministic=deterministic, time_limit=time_limit)
    order = list(objectives)
    if tie_break and len(model.route) * len(model.level) > 1:
        order.append("design")
    if isinstance(start, Outcome):
        hint = dict(start.solution)
    else:
        first = start or {}
        hint = {pv.var.Index(): first[pid] for pid, pv in model.pledges.items() if pid in first}
    solved: tuple[dict[str, int], str, Combo] | None = None
    for name in order:
        expr, sense = model.objective(name)
        if isinstance(expr, int):
            stages.append(Stage(name, expr, "CONSTANT", expr))
            continue
        model.cp.clear_objective()
        if sense > 0:
            model.cp.maximize(expr)
        else:
            model.cp.minimize(expr)
        cuts = None
        if name.startswith("fairness") and model.fair is not None and FAIRNESS_CUTS:
            window = fairness_window(model, active, hint, time_limit=time_limit)
            cuts = functools.partial(model.fairness_cuts, low=window[0], high=window[1])
        solver.parameters.search_branching = (
            FIRST_STAGE_BRANCHING.get(name.partition(":")[0], cp_model.AUTOMATIC_SEARCH)
            if name == order[0]
            else cp_model.AUTOMATIC_SEARCH
        )
        solver.parameters.optimize_with_core = (
            name.partition(":")[0] in CORE_SEARCH
            and len(model.cp.proto.variables) <= CORE_SEARCH_MAX_VARIABLES
        )
        _tune_cuts(solver, name, len(model.cp.proto.variables))
        try_budget = (
            LINEARIZATION_TRY.get(name.partition(":")[0])
            if len(model.cp.proto.variables) > LINEARIZATION_TRY_MIN_VARIABLES
            else None
        )
        value, solved, hint = _solve_stage(
            model, solver, active, hint, time_limit, on_infeasible, cuts, try_budget
        )
        if name != "design":
            stages.append(Stage(name, value, model.last_status, model.last_bound))
            guard = model.cp.new_bool_var("")
            if sense > 0:
                model.cp.add(expr >= value).only_enforce_if(guard)
            else:
                model.cp.add(expr <= value).only_enforce_if(guard)
            active.append((guard, f"objective {name} kept at its optimum"))
    if solved is None:
        model.cp.clear_objective()
        _, solved, hint = _solve_stage(model, solver, active, hint, time_limit, on_infeasible)
    model.cp.clear_objective()
    units, route, level = solved
    return Outcome(units, route, level, stages, active, hint)


def _tune_cuts(solver: Any, name: str, n_variables: int) -> None:
    """Switch the cut families of ``CUTS_OFF`` off for stage ``name`` of a large model, and
    every other family back on."""
    off = CUTS_OFF.get(name.partition(":")[0], ()) if n_variables > CUT_TUNING_MIN_VARIABLES else ()
    for family in {f for fs in CUTS_OFF.values() for f in fs}:
        setattr(solver.parameters, family, family not in off)


def fairness_window(
    model: PlanModel,
    active: Sequence[tuple[Lit, str]],
    hint: Mapping[int, int],
    *,
    time_limit: float,
) -> tuple[int, int]:
    """Proven bounds ``(low, high)`` on the fairness total ``T`` over every solution that
    keeps the earlier stages at their optima (``active``).

    Two short solves of the stage copy (minimise, maximise ``T``), each stopped after its
    ``WINDOW_DTIME`` deterministic seconds (reproducible, unlike a wall-clock limit) or once its
    relative gap is at most ``WINDOW_GAP``; CP-SAT's best proven bound is used whether or
    not the solve finished, so the window is always valid. It is narrow when the coverage
    stage leaves ``T`` little room (most requirements' unit counts fixed): 72,769-75,467 at
    120 x 50 and 151,050-159,731 at 240 x 100 in ``benchmarks/bench_planner.py``.
    """
    assert model.fair is not None
    bounds = []
    for sense, budget, branching in zip((-1, 1), WINDOW_DTIME, WINDOW_BRANCHING, strict=True):
        work = stage_model(model, active)
        for index, value in hint.items():
            work.add_hint(work.get_int_var_from_proto_index(index), value)
        if sense < 0:
            work.minimize(model.fair.total)
        else:
            work.maximize(model.fair.total)
        solver = make_solver(deterministic=True, time_limit=time_limit)
        solver.parameters.max_deterministic_time = budget
        solver.parameters.relative_gap_limit = WINDOW_GAP
        solver.parameters.search_branching = branching
        _tune_cuts(
            solver,
            "fairness-lower-bound" if sense < 0 else "fairness-upper-bound",
            len(work.proto.variables),
        )
        status = solver.solve(work)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = solver.best_objective_bound
            bounds.append(math.ceil(bound - 1e-6) if sense < 0 else math.floor(bound + 1e-6))
        else:  # no proof: the variable's own domain
            bounds.append(0 if sense < 0 else model.fair.top)
    model.last_window = (bounds[0], bounds[1])
    return bounds[0], bounds[1]


def stage_model(model: PlanModel, active: Sequence[tuple[Lit, str]]) -> Any:
    """A copy of the model with the ``active`` requirement literals fixed to true.

    CP-SAT solves a model with assumptions by one sequential search and a presolve that must
    keep every solution; fixing the literals in a copy instead lets presolve remove what they
    decide (and the switched-off requirements of earlier stages) and lets both workers search.
    The copy has the same variable indices, so values read from its solution apply to
    ``model``. Assumptions are kept for what needs them: minimal conflicts on infeasibility.
    """
    work = model.cp.clone()
    work.clear_assumptions()
    work.clear_hints()
    for lit, _ in active:
        work.add(lit == 1)
    return work


def _solve_with_fallback(solver: Any, work: Any, try_budget: float | None = None) -> Any:
    """Solve ``work``; a core search (``CORE_SEARCH``), or else linearization level 2 when
    ``try_budget`` is given (``LINEARIZATION_TRY``), runs under its deterministic budget
    first, and the default search takes over when it has not settled the stage."""
    core = solver.parameters.optimize_with_core
    if not core and try_budget is None:
        return solver.solve(work)
    level = solver.parameters.linearization_level
    solver.parameters.max_deterministic_time = CORE_SEARCH_DTIME if core else try_budget
    if not core:
        solver.parameters.linearization_level = 2
    try:
        status = solver.solve(work)
    finally:
        solver.parameters.optimize_with_core = False
        solver.parameters.linearization_level = level
        solver.parameters.max_deterministic_time = math.inf
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        return status
    return solver.solve(work)


def _solve_stage(
    model: PlanModel,
    solver: Any,
    active: list[tuple[Lit, str]],
    hint: dict[int, int],
    time_limit: float,
    on_infeasible: Callable[[list[str]], InfeasibleError],
    cuts: Callable[[Any], int] | None = None,
    try_budget: float | None = None,
) -> tuple[int, tuple[dict[str, int], str, Combo], dict[int, int]]:
    work = stage_model(model, active)
    if cuts is not None:
        cuts(work)
    for index, value in hint.items() if WARM_START else ():
        work.add_hint(work.get_int_var_from_proto_index(index), value)
    status = _solve_with_fallback(solver, work, try_budget)
    if status == cp_model.INFEASIBLE:
        names = [n for _, n in conflicts(model, active, time_limit=time_limit)]
        raise on_infeasible(names)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ConvergenceError(
            f"CP-SAT found no solution ({solver.status_name(status)}) in {time_limit:g} s",
            iterations=int(solver.num_conflicts),
            tolerance=0.0,
        )
    value = round(solver.objective_value) if work.has_objective() else 0
    model.last_status = solver.status_name(status)
    model.last_bound = round(solver.best_objective_bound) if work.has_objective() else 0
    # every variable of the solution (not only the units) warm-starts the next stage, so that
    # CP-SAT begins from a complete feasible assignment instead of repairing a partial one
    hint = dict(enumerate(solver.response_proto.solution))
    units = {pid: solver.value(pv.var) for pid, pv in model.pledges.items()}
    route = next(v for v, lit in model.route.items() if solver.boolean_value(lit))
    level = next(c for c, lit in model.level.items() if solver.boolean_value(lit))
    return value, (units, route, level), hint
