"""The CP-SAT model behind the planner: variables, constraints, objectives, named requirements.

Private to :mod:`peaceops.planning` (solving is in :mod:`._solve`, the venue constraints in
:mod:`._authorise`); ``docs/planning.md`` describes the model in full. In brief:

- ``x[j]``: units taken from pledge ``j`` (0..offered, at most the requirement's count in all);
- ``route[v]``, ``level[c]``: one-hot design choices over the candidate routes and the
  combinations ``c`` of levels of the scenario's planned dimensions (one empty combination when
  it declares none);
- ``X[k]``: issue values in hundredths, exact integer functions of the choices (division
  constraints for the personnel and group-share maps);
- per actor, a literal for "utility at least the status quo's", one per red line ("holds"),
  the acceptance before authorisation and the final acceptance; per candidate route a literal
  "the venue authorises", tied to the members' acceptances through
  :func:`peaceops.venues.wins` (minimal winning sets of the members whose acceptance depends
  on the allocation);
- per conditional pledge a literal "usable" implied by its conditions and its actor's red lines.

All links are implications in the direction that can only help the solver (an acceptance or an
authorisation is never *forced* to be false), so the model with every literal false and no
units is always feasible: infeasibility comes only from the caller's named requirements, and
the minimal set of conflicting requirements is found from CP-SAT's assumptions by a deletion
filter.

Two parts are stated, besides their definition, in forms made for the linear relaxation that
CP-SAT's search runs alongside its propagation [1]_ (neither changes the set of solutions or an
objective value; ``tests/planning/test_plan_formulation.py`` checks both point by point and
``test_plan_bruteforce.py`` the whole planner against enumeration):

- **Issue thresholds** (pledge conditions, red lines and their ``when``/``unless`` on personnel
  and group-share issues) are also written on the personnel ``P`` and the group's personnel
  ``G``, exactly (:meth:`PlanModel._threshold`): the quotient ``X = FULL G // P`` is invisible
  to the relaxation, so "alliance share at most ``b``" was free in it; ``FULL G <= (b + 1) P - 1``
  is not.
- **Fairness** ``sum_a |1000 P_a - s_a T|`` over the free total ``T`` has a weak relaxation:
  fractional units meet every share exactly. Before the fairness stage, ``T`` is bounded by two
  short proven solves (``_solve.fairness_window``); with ``T`` in ``[L, H]`` an actor that
  fields ``v`` deviates at least ``g(v) = max(s L - 1000 v, 1000 v - s H, 0)``, and the edges
  of the lower convex hull of ``(v, g(v))`` over its reachable values (monotone chain [2]_)
  are valid inequalities on ``(P_a, dev_a)`` (:meth:`PlanModel.fairness_cuts`; the convex hull
  of a one-dimensional disjunction, as in [3]_, chapter II.2). The deviations are equalities
  (``add_abs_equality``), so a solution's objective is its true value.

Deviation from the literature: the window and the cuts are added only to the fairness stage's
copy of the model (they are valid only under the earlier stages' optima), and the window's
solves stop at a deterministic-time budget, using CP-SAT's proven bound rather than an optimum.

References
----------
.. [1] Perron, L., Didier, F. and Gay, S. (2023). The CP-SAT-LP solver (invited talk). In
   *29th International Conference on Principles and Practice of Constraint Programming (CP
   2023)*, LIPIcs 280, 3:1-3:2. doi:10.4230/LIPIcs.CP.2023.3
.. [2] Andrew, A. M. (1979). Another efficient algorithm for convex hulls in two dimensions.
   *Information Processing Letters* 9(5), 216-219. doi:10.1016/0020-0190(79)90072-3
.. [3] Nemhauser, G. L. and Wolsey, L. A. (1988). *Integer and Combinatorial Optimization*.
   Wiley. doi:10.1002/9781118627372
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from peaceops.planning._authorise import Combo as Combo
from peaceops.planning._authorise import encode_authorisation
from peaceops.planning.acceptance import (
    LossTerm,
    loss,
    loss_terms,
    no_troops_from,
    status_quo_values,
    term_loss,
    troops_barred,
)
from peaceops.planning.conditions import (
    ConditionState,
    bars_own_units,
    fixed_issue_values,
    own_red_lines,
    static_failure,
)
from peaceops.planning.design import (
    FULL,
    counts_toward,
    requirement_for,
    scaled,
    serves_at,
)
from peaceops.scenario.model import (
    AfterEvent,
    AuthorisedBy,
    DesignChoice,
    DesignGroupShare,
    DesignPersonnel,
    DesignRoute,
    IssueMax,
    IssueMin,
    Mission,
    NoTroops,
    Pledge,
    RedIssueMax,
    RedIssueMin,
    RedLine,
    RedLineCondition,
    RequiresAuthorisation,
    RequiresParticipation,
    Scenario,
    priority_weight,
)
from peaceops.scenario.tables import describe_condition, describe_red_line

Lit = Any  # a CP-SAT Boolean variable (ortools ships no type stubs)
"""One level per planned dimension: ``((dimension id, level), ...)`` in scenario order."""


#: Above this many reachable personnel values an actor's personnel is an interval.
_MAX_REACH = 2000


def _reachable(units: list[tuple[int, int]]) -> list[int]:
    """Every sum of ``k_j * personnel_j`` with ``0 <= k_j <= ub_j`` for ``(personnel_j, ub_j)``
    in ``units``, sorted; ``[]`` when there are more than ``_MAX_REACH``."""
    sums = {0}
    for personnel, ub in units:
        sums = {v + k * personnel for v in sums for k in range(ub + 1)}
        if len(sums) > _MAX_REACH:
            return []
    return sorted(sums)


def _turns_right(a: tuple[int, int], b: tuple[int, int], c: tuple[int, int]) -> bool:
    """Whether ``b`` is on or above the segment from ``a`` to ``c`` (``a``, ``b``, ``c`` by
    increasing first coordinate): then ``b`` is not on the lower convex hull."""
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) <= 0


def describe_combo(combo: Combo) -> str:
    """``"dim = level, ..."`` (``"no planned dimension"`` for the empty combination)."""
    return ", ".join(f"{d} = {v:g}" for d, v in combo) or "no planned dimension"


#: Coverage weight of a requirement of priority p (1 = most important).
PRIORITY_WEIGHT = {p: priority_weight(p) for p in range(1, 6)}
#: Exact coverage needs the lcm of the counts as a common denominator; above this we round.
_MAX_LCM = 1_000_000
_ROUNDED_DENOMINATOR = 1_000_000
#: Fair shares in thousandths.
_SHARE = 1000

AUTHORISES = "the route's venue authorises"
OBJECTIVE_SENSE = {"coverage": 1, "acceptance": 1, "utility": 1, "personnel": -1, "fairness": -1}


@dataclass(frozen=True)
class Request:
    """What the caller asks of one model."""

    mission: Mission
    routes: tuple[str, ...]
    levels: tuple[Combo, ...]
    route: str | None
    level: Combo | None
    require: tuple[str, ...]
    require_authorisation: bool
    utility: str
    state: ConditionState
    fair_share: str
    parties: tuple[str, ...]
    objectives: tuple[str, ...]
    membership: bool = False


@dataclass
class FairTerms:
    """The fairness objective's variables: the total ``T`` and, per actor, its personnel
    ``P_a``, deviation ``dev_a = |1000 P_a - share_a T|``, share (thousandths) and the
    personnel values it can reach (``[]`` when too many to list)."""

    total: Any
    top: int
    actors: dict[str, tuple[Any, Any, int, list[int]]]


@dataclass
class _PledgeVar:
    pledge: Pledge
    var: Lit
    ub: int
    personnel: int
    location: str


@dataclass
class PlanModel:
    """A built CP-SAT model of one request, and the ways to solve it."""

    scenario: Scenario
    request: Request
    cp: Any = field(default_factory=cp_model.CpModel)
    pledges: dict[str, _PledgeVar] = field(default_factory=dict)
    excluded: dict[str, list[str]] = field(default_factory=dict)
    route: dict[str, Lit] = field(default_factory=dict)
    level: dict[Combo, Lit] = field(default_factory=dict)
    issue: dict[str, Any] = field(default_factory=dict)
    losses: dict[str, Any] = field(default_factory=dict)
    util: dict[str, Lit] = field(default_factory=dict)
    holds: dict[str, Lit] = field(default_factory=dict)
    accept: dict[str, Lit] = field(default_factory=dict)
    auth: dict[str, Lit] = field(default_factory=dict)
    members: dict[str, Lit] = field(default_factory=dict)
    named: list[tuple[Lit, str]] = field(default_factory=list)
    named_kind: dict[str, tuple[str, str]] = field(default_factory=dict)
    objectives: dict[str, tuple[Any, int]] = field(default_factory=dict)
    fixed: dict[str, int] = field(default_factory=dict)
    variable_issues: set[str] = field(default_factory=set)
    terms: dict[str, tuple[LossTerm, ...]] = field(default_factory=dict)
    sq_loss: dict[str, int] = field(default_factory=dict)
    base: dict[str, Lit] = field(default_factory=dict)
    part: dict[str, Lit] = field(default_factory=dict)
    req_units: dict[str, Any] = field(default_factory=dict)
    coverage_coef: dict[str, int] = field(default_factory=dict)
    coverage_full: int = 1
    last_status: str = ""
    last_bound: int = 0
    #: The fairness total's window proven before the last fairness stage (benchmarks read it).
    last_window: tuple[int, int] | None = None
    _gaps: dict[tuple[str, int], Lit] = field(default_factory=dict)
    _true: Lit = None
    #: The fairness objective's parts (see :meth:`fairness_cuts`), once it is built.
    fair: FairTerms | None = None
    #: Linear views of the personnel and group-share issues (see :meth:`_threshold`).
    _ratio: dict[str, tuple[Any, Any, int, Lit]] = field(default_factory=dict)

    # ------------------------------------------------------------------ building
    def build(self) -> PlanModel:
        s, req = self.scenario, self.request
        self._true = self.cp.new_bool_var("true")
        self.cp.add(self._true == 1)
        self.route = {v: self.cp.new_bool_var(f"route[{v}]") for v in req.routes}
        self.level = {c: self.cp.new_bool_var(f"level[{describe_combo(c)}]") for c in req.levels}
        self.cp.add_exactly_one(self.route.values())
        self.cp.add_exactly_one(self.level.values())
        self.fixed.update(fixed_issue_values(s, req.mission))
        self._pledge_vars()
        self._requirements()
        self._issues()
        self._red_lines()
        self._acceptance()
        self._authorisation()
        self._pledge_conditions()
        if req.membership:
            self._membership()
        self._named_requirements()
        return self

    def _pledge_vars(self) -> None:
        s, req = self.scenario, self.request
        mission = req.mission
        for p in s.pledges:
            r = requirement_for(mission, p.capability)
            if r is None:
                continue
            location = r.location.value
            offered = req.state.quantity(p)
            why: list[str] = []
            if offered == 0:
                why.append(
                    f"counts on 0 units (offers {p.quantity.low}..{p.quantity.high}; "
                    "the planner counts on the low end)"
                )
            for cond in p.conditions:
                msg = static_failure(s, cond, p, req.state, self.fixed, req.mission)
                if msg:
                    why.append(msg)
                if isinstance(cond, AuthorisedBy) and cond.venue not in req.routes:
                    why.append(f"{describe_condition(cond)} (not among the routes considered)")
            for red in own_red_lines(s, p.actor):
                if bars_own_units(s, red, p.actor, location):
                    why.append(f"own red line {red.id}: {describe_red_line(red)}")
            if why:
                self.excluded[p.id] = why
                continue
            if not serves_at(p, r):
                self.excluded[p.id] = [f"its units serve at {p.location}, not {r.location.value}"]
                continue
            cap = s.capability(p.capability)
            ub = min(offered, r.count)
            var = self.cp.new_int_var(0, ub, f"x[{p.id}]")
            self.pledges[p.id] = _PledgeVar(p, var, ub, cap.personnel, location)

    def _requirements(self) -> None:
        for r in self.request.mission.requirements:
            expr = sum(
                pv.var for pv in self.pledges.values() if pv.pledge.capability == r.capability
            )
            self.req_units[r.capability] = expr
            if not isinstance(expr, int):
                self.cp.add(expr <= r.count)
        counts = [r.count for r in self.request.mission.requirements]
        lcm = math.lcm(*counts)
        exact = lcm <= _MAX_LCM
        self.coverage_coef = {
            r.capability: (
                PRIORITY_WEIGHT[r.priority] * lcm // r.count
                if exact
                else round(PRIORITY_WEIGHT[r.priority] * _ROUNDED_DENOMINATOR / r.count)
            )
            for r in self.request.mission.requirements
        }
        self.coverage_full = sum(
            self.coverage_coef[r.capability] * r.count for r in self.request.mission.requirements
        )

    def _issues(self) -> None:
        s, cp = self.scenario, self.cp
        actors = {a.id: a for a in s.actors}
        caps = {c.id: c for c in s.capabilities}
        for issue in s.issues:
            dmap = issue.design
            if issue.id in self.fixed:
                self.issue[issue.id] = self.fixed[issue.id]
            elif isinstance(dmap, DesignPersonnel | DesignGroupShare):
                counted = [
                    pv
                    for pv in self.pledges.values()
                    if counts_toward(issue, caps[pv.pledge.capability], pv.location)
                ]
                if not counted:
                    self.issue[issue.id] = 0
                    self.fixed[issue.id] = 0
                    continue
                self.variable_issues.add(issue.id)
                top = sum(pv.personnel * pv.ub for pv in counted)
                total = cp.new_int_var(0, top, f"P[{issue.id}]")
                cp.add(total == sum(pv.personnel * pv.var for pv in counted))
                value = cp.new_int_var(0, FULL, f"X[{issue.id}]")
                if isinstance(dmap, DesignPersonnel):
                    capped = cp.new_int_var(0, min(top, dmap.full_scale), f"Pm[{issue.id}]")
                    cp.add_min_equality(capped, [total, dmap.full_scale])
                    cp.add_division_equality(value, FULL * capped, dmap.full_scale)
                    self._ratio[issue.id] = (total, None, dmap.full_scale, None)
                else:
                    group = sum(
                        pv.personnel * pv.var
                        for pv in counted
                        if dmap.group in actors[pv.pledge.actor].groups
                    )
                    positive = cp.new_int_var(1, max(1, top), f"Pp[{issue.id}]")
                    cp.add_max_equality(positive, [total, 1])
                    cp.add_division_equality(value, FULL * group, positive)
                    nonzero = cp.new_bool_var(f"Pnz[{issue.id}]")
                    cp.add(total >= 1).only_enforce_if(nonzero)
                    cp.add(total == 0).only_enforce_if(nonzero.Not())
                    self._ratio[issue.id] = (total, group, 0, nonzero)
                self.issue[issue.id] = value
            elif isinstance(dmap, DesignRoute):
                self.issue[issue.id] = sum(
                    scaled(dmap.values.get(v, 0.0)) * lit for v, lit in self.route.items()
                )
            elif isinstance(dmap, DesignChoice):  # a planned dimension: the others are fixed
                self.issue[issue.id] = sum(
                    scaled(dict(c).get(dmap.dimension, 0.0)) * lit for c, lit in self.level.items()
                )

    def _loss_expr(self, terms: tuple[LossTerm, ...]) -> Any:
        form = self.request.utility
        total: Any = 0
        cache = self._gaps
        for t in terms:
            value = self.issue[t.issue]
            if isinstance(value, int):
                total += term_loss(t, value, form)
                continue
            key = (t.issue, t.position)
            if key not in cache:
                gap = self.cp.new_int_var(0, FULL * FULL if form == "quadratic" else FULL, "")
                if form == "quadratic":
                    self.cp.add_multiplication_equality(gap, [value - t.position] * 2)
                else:
                    self.cp.add_abs_equality(gap, value - t.position)
                cache[key] = gap
            total += t.weight * cache[key]
        return total

    def _red_lines(self) -> None:
        cp = self.cp
        for red in self.scenario.red_lines:
            rule = red.rule
            lit = cp.new_bool_var(f"holds[{red.id}]")
            enforce = self._when_active(red, lit)
            if isinstance(rule, NoTroops):
                barred = no_troops_from(self.scenario, rule)
                units = [
                    pv.var
                    for pv in self.pledges.values()
                    if troops_barred(barred, rule, pv.pledge.actor, pv.location)
                ]
                if units:
                    cp.add(sum(units) == 0).only_enforce_if(enforce)
            elif isinstance(rule, RedIssueMin | RedIssueMax):
                self._bound(rule.issue, rule.value, isinstance(rule, RedIssueMin), enforce)
            elif isinstance(rule, RequiresAuthorisation):
                if rule.venue in self.route:
                    cp.add_implication(enforce, self.route[rule.venue])
                    self.auth.setdefault(rule.venue, cp.new_bool_var(f"auth[{rule.venue}]"))
                    cp.add_implication(enforce, self.auth[rule.venue])
                else:
                    cp.add(enforce == 0)
            self.holds[red.id] = lit

    def _when_active(self, red: RedLine, lit: Lit) -> Lit:
        """The literal under which ``red``'s rule is enforced: ``lit`` for an unconditional red
        line, else ``lit`` and "the red line is active" (forced true whenever its ``when``
        holds and its ``unless`` does not)."""
        cp = self.cp
        if not red.active:  # switched off: the rule is never enforced
            off = cp.new_bool_var("")
            cp.add(off == 0)
            return off
        if red.when is None and red.unless is None:
            return lit
        active = cp.new_bool_var(f"active[{red.id}]")
        # active <=> when and not unless; only the direction "conditions => active" matters.
        cond_lits = []
        if red.when is not None:
            cond_lits.append(self._condition_lit(red.when))
        if red.unless is not None:
            cond_lits.append(self._condition_lit(red.unless).Not())
        cp.add_bool_or([active, *(c.Not() for c in cond_lits)])
        both = cp.new_bool_var("")
        cp.add_bool_and([lit, active]).only_enforce_if(both)
        cp.add_bool_or([both, lit.Not(), active.Not()])
        return both

    def _condition_lit(self, cond: RedLineCondition) -> Lit:
        """A literal equal to "``cond`` holds" for the design."""
        cp = self.cp
        out = cp.new_bool_var("")
        if isinstance(cond, AuthorisedBy):
            route = self.route.get(cond.venue)
            cp.add(out == (route if route is not None else 0))
        elif isinstance(cond, AfterEvent):
            happened = self.request.state.event_happened(
                self.scenario, cond.event, mission=self.request.mission
            )
            cp.add(out == int(happened))
        else:
            x, bound = self.issue[cond.issue], scaled(cond.value)
            lower = isinstance(cond, IssueMin)
            if isinstance(x, int):
                cp.add(out == int(x >= bound if lower else x <= bound))
            elif lower:
                self._threshold(cond.issue, x, bound, True, out)
                self._threshold(cond.issue, x, bound - 1, False, out.Not())
            else:
                self._threshold(cond.issue, x, bound, False, out)
                self._threshold(cond.issue, x, bound + 1, True, out.Not())
        return out

    def _threshold(self, issue: str, x: Any, bound: int, lower: bool, lit: Lit) -> None:
        """``lit`` implies ``x >= bound`` (``lower``) or ``x <= bound``, for issue ``x``.

        A personnel or group-share value is a quotient (``FULL * min(P, s) // s``,
        ``FULL * G // max(P, 1)``); its thresholds are stated on ``P`` and ``G`` in the exact
        linear form below, which CP-SAT's linear relaxation sees (the quotient it does not):

        - ``FULL * min(P, s) // s >= b``  iff  ``P >= ceil(b s / FULL)`` (for ``0 < b <= FULL``);
        - ``FULL * min(P, s) // s <= b``  iff  ``P <= ceil((b + 1) s / FULL) - 1`` (``b < FULL``);
        - ``FULL * G // P >= b``  iff  ``FULL G >= b P`` when ``P >= 1``, and ``0 >= b`` when
          ``P = 0`` (``G = 0``): ``FULL G - b P + b nz >= b`` with ``nz`` iff ``P >= 1``;
        - ``FULL * G // P <= b``  iff  ``FULL G <= (b + 1) P - 1`` when ``P >= 1``, and
          ``0 <= b`` when ``P = 0``: ``FULL G - (b + 1) P + nz <= 0`` (for ``b >= 0``).
        """
        cp = self.cp
        ratio = self._ratio.get(issue)
        if ratio is None:  # a design choice or route: linear already
            cp.add(x >= bound if lower else x <= bound).only_enforce_if(lit)
            return
        total, group, full, nonzero = ratio
        # the bound on the quotient too: it propagates directly to the loss terms
        cp.add(x >= bound if lower else x <= bound).only_enforce_if(lit)
        if (lower and bound <= 0) or (not lower and bound >= FULL):
            return  # always true
        if (lower and bound > FULL) or (not lower and bound < 0):
            cp.add(lit == 0)
            return
        if group is None:
            if lower:
                cp.add(total >= -(-bound * full // FULL)).only_enforce_if(lit)
            else:
                cp.add(total <= -(-(bound + 1) * full // FULL) - 1).only_enforce_if(lit)
        elif lower:
            cp.add(FULL * group - bound * total + bound * nonzero >= bound).only_enforce_if(lit)
        else:
            cp.add(FULL * group - (bound + 1) * total + nonzero <= 0).only_enforce_if(lit)

    def _bound(self, issue: str, value: float, lower: bool, lit: Lit) -> None:
        """``lit`` implies the issue's value is at least (``lower``) or at most ``value``."""
        x, bound = self.issue[issue], scaled(value)
        if isinstance(x, int):
            if (x < bound) if lower else (x > bound):
                self.cp.add(lit == 0)
        else:
            self._threshold(issue, x, bound, lower, lit)

    def _acceptance(self) -> None:
        cp, s = self.cp, self.scenario
        sq = status_quo_values(s)
        self.terms = {a.id: loss_terms(s, a.id) for a in s.actors}
        self.sq_loss = {a: loss(t, sq, self.request.utility) for a, t in self.terms.items()}
        for actor in s.actors:
            terms = self.terms[actor.id]
            reds = own_red_lines(s, actor.id)
            if not s.stances.get(actor.id) and not reds:
                self.util[actor.id] = self.base[actor.id] = self.accept[actor.id] = self._true
                self.losses[actor.id] = 0
                continue
            expr = self._loss_expr(terms)
            self.losses[actor.id] = expr
            util = cp.new_bool_var(f"util[{actor.id}]")
            if isinstance(expr, int):
                if expr > self.sq_loss[actor.id]:
                    cp.add(util == 0)
            else:
                cp.add(expr <= self.sq_loss[actor.id]).only_enforce_if(util)
            base = cp.new_bool_var(f"base[{actor.id}]")
            final = cp.new_bool_var(f"accept[{actor.id}]")
            cp.add_implication(base, util)
            cp.add_implication(final, base)
            for red in reds:
                target = final if isinstance(red.rule, RequiresAuthorisation) else base
                cp.add_implication(target, self.holds[red.id])
            self.util[actor.id], self.base[actor.id], self.accept[actor.id] = util, base, final

    def _authorisation(self) -> None:
        encode_authorisation(self)

    def _pledge_conditions(self) -> None:
        cp, s = self.cp, self.scenario
        by_actor: dict[str, list[Lit]] = {}
        for pv in self.pledges.values():
            by_actor.setdefault(pv.pledge.actor, []).append(pv.var)
        for pv in self.pledges.values():
            p = pv.pledge
            needs: list[Lit] = []
            for cond in p.conditions:
                if isinstance(cond, IssueMin | IssueMax):
                    lit = cp.new_bool_var("")
                    self._bound(cond.issue, cond.value, isinstance(cond, IssueMin), lit)
                    needs.append(lit)
                elif isinstance(cond, AuthorisedBy):
                    needs += [self.route[cond.venue], self.auth[cond.venue]]
                elif isinstance(cond, RequiresParticipation):
                    if cond.actor not in self.part:
                        part = cp.new_bool_var(f"part[{cond.actor}]")
                        if cond.actor in by_actor:
                            cp.add(sum(by_actor[cond.actor]) >= 1).only_enforce_if(part)
                        else:  # the actor has no usable pledge for this mission
                            cp.add(part == 0)
                        self.part[cond.actor] = part
                    needs.append(self.part[cond.actor])
            needs += [self.holds[r.id] for r in own_red_lines(s, p.actor)]
            if needs:
                usable = cp.new_bool_var(f"usable[{p.id}]")
                cp.add(pv.var == 0).only_enforce_if(usable.Not())
                for lit in needs:
                    cp.add_implication(usable, lit)

    def _membership(self) -> None:
        for pv in self.pledges.values():
            actor = pv.pledge.actor
            if actor not in self.members:
                self.members[actor] = self.cp.new_bool_var(f"member[{actor}]")
            self.cp.add(pv.var == 0).only_enforce_if(self.members[actor].Not())

    def _named_requirements(self) -> None:
        cp, s, req = self.cp, self.scenario, self.request
        for party in req.require:
            if self.util[party] is self._true:
                continue
            name = f"acceptance by {party}: utility at least its status quo's"
            self.named.append((self._guard(self.util[party]), name))
            self.named_kind[name] = ("utility", party)
            for red in own_red_lines(s, party):
                self.named.append(
                    (
                        self._guard(self.holds[red.id]),
                        f"acceptance by {party}: red line {red.id} ({describe_red_line(red)})",
                    )
                )
        if req.route is not None:
            self.named.append((self._guard(self.route[req.route]), f"route = {req.route}"))
        for dim, value in req.level or ():
            g = cp.new_bool_var("")
            cp.add_bool_or(
                [g.Not(), *(lit for c, lit in self.level.items() if dict(c).get(dim) == value)]
            )
            self.named.append((g, f"{dim} = {value:g}"))
        if req.require_authorisation:
            g = cp.new_bool_var("require-authorisation")
            for v, r_lit in self.route.items():
                cp.add_bool_or([g.Not(), r_lit.Not(), self.auth[v]])
            self.named.append((g, AUTHORISES))
            self.named_kind[AUTHORISES] = ("authorisation", "")

    def _guard(self, target: Lit) -> Lit:
        g = self.cp.new_bool_var("")
        self.cp.add_implication(g, target)
        return g

    # ------------------------------------------------------------------ objectives
    def objective(self, name: str) -> tuple[Any, int]:
        """Integer expression of objective ``name`` and its sense (+1 max, -1 min)."""
        if name not in self.objectives:
            self.objectives[name] = self._objective(name)
        return self.objectives[name]

    def _objective(self, name: str) -> tuple[Any, int]:
        kind, _, arg = name.partition(":")
        if kind == "coverage":
            expr = sum(self.coverage_coef[c] * u for c, u in self.req_units.items())
        elif kind == "acceptance":
            expr = sum(self.accept[p] for p in self.request.parties)
        elif kind == "utility":
            expr = -self.losses[arg]
        elif kind == "personnel":
            expr = sum(pv.personnel * pv.var for pv in self.pledges.values())
        elif kind == "fairness":
            expr = self._fairness()
        elif kind == "design":
            expr = self._design_order()
        else:  # pragma: no cover - names are checked by the caller
            raise ValueError(name)
        sense = -1 if kind == "design" else OBJECTIVE_SENSE[kind]
        return expr, sense

    def _fairness(self) -> Any:
        s, cp = self.scenario, self.cp
        personnel: dict[str, Any] = {}
        for pv in self.pledges.values():
            personnel[pv.pledge.actor] = personnel.get(pv.pledge.actor, 0) + pv.personnel * pv.var
        figures: dict[str, float] = {}
        for actor_id in personnel:
            actor = s.actor(actor_id)
            figure = actor.gdp_usd if self.request.fair_share == "gdp" else actor.population
            if figure is not None:
                figures[actor_id] = figure.value
        if not figures:
            return 0
        total_fig = sum(figures.values())
        top = {
            a: sum(pv.personnel * pv.ub for pv in self.pledges.values() if pv.pledge.actor == a)
            for a in figures
        }
        own = {}
        reaches: dict[str, list[int]] = {}
        for a in figures:
            # the personnel the actor can field: sums of its pledges' units (holes included,
            # which lets CP-SAT's bounds reasoning skip values no allocation reaches)
            reach = _reachable(
                [(pv.personnel, pv.ub) for pv in self.pledges.values() if pv.pledge.actor == a]
            )
            own[a] = cp.new_int_var_from_domain(
                cp_model.Domain.from_values(reach) if reach else cp_model.Domain(0, top[a]),
                f"P[{a}]",
            )
            reaches[a] = reach
            cp.add(own[a] == personnel[a])
        total = cp.new_int_var(0, sum(top.values()), "P[fair]")
        cp.add(total == sum(own.values()))
        devs = []
        terms = {}
        for a, fig in figures.items():
            share = round(_SHARE * fig / total_fig)
            dev = cp.new_int_var(0, _SHARE * max(sum(top.values()), 1), f"dev[{a}]")
            # an equality, not two inequalities: a solution's objective is its true value, so
            # the search never spends solutions on lowering slack deviations one by one
            cp.add_abs_equality(dev, _SHARE * own[a] - share * total)
            devs.append(dev)
            terms[a] = (own[a], dev, share, reaches[a])
        self.fair = FairTerms(total, sum(top.values()), terms)
        return sum(devs)

    def fairness_cuts(self, work: Any, low: int, high: int) -> int:
        """Add to ``work`` (a stage copy) the bound ``low <= T <= high`` on the fairness
        total and, per actor, the lower convex envelope of its deviation over the personnel
        values it can reach; return the number of cuts.

        With ``T`` in ``[low, high]`` the deviation of an actor fielding ``v`` is at least
        ``g(v) = max(share low - 1000 v, 1000 v - share high, 0)``. Over the reachable values
        ``v_0 < v_1 < ...`` the lower convex hull of the points ``(v_i, g(v_i))`` is a
        piecewise-linear convex function below ``g``; each hull edge from ``(v, g)`` to
        ``(w, h)`` gives the valid inequality ``(w - v) dev >= (w - v) g + (h - g) (P - v)``.
        The linear relaxation then charges each actor at least the deviation of the reachable
        value nearest its fair share (where the plain relaxation lets every share be met
        exactly by fractional units). Valid only when every solution of ``work`` has ``T`` in
        the window, which the caller proves (:func:`._solve.fairness_window`).
        """
        if self.fair is None:
            return 0
        work.add(self.fair.total >= low)
        work.add(self.fair.total <= high)
        n_cuts = 0
        for own, dev, share, reach in self.fair.actors.values():
            lo, hi = share * low, share * high
            hull: list[tuple[int, int]] = []
            for v in reach:
                point = (v, max(lo - _SHARE * v, _SHARE * v - hi, 0))
                while len(hull) >= 2 and _turns_right(hull[-2], hull[-1], point):
                    hull.pop()
                hull.append(point)
            for (v, g), (w, h) in itertools.pairwise(hull):
                work.add((w - v) * dev >= (w - v) * g + (h - g) * (own - v))
                n_cuts += 1
        return n_cuts

    def _design_order(self) -> Any:
        n = len(self.level)
        return sum(i * n * lit for i, lit in enumerate(self.route.values())) + sum(
            i * lit for i, lit in enumerate(self.level.values())
        )
