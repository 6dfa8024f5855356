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
"""

from __future__ import annotations

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
    _gaps: dict[tuple[str, int], Lit] = field(default_factory=dict)
    _true: Lit = None

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
                else:
                    group = sum(
                        pv.personnel * pv.var
                        for pv in counted
                        if dmap.group in actors[pv.pledge.actor].groups
                    )
                    positive = cp.new_int_var(1, max(1, top), f"Pp[{issue.id}]")
                    cp.add_max_equality(positive, [total, 1])
                    cp.add_division_equality(value, FULL * group, positive)
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
                cp.add(x >= bound).only_enforce_if(out)
                cp.add(x < bound).only_enforce_if(out.Not())
            else:
                cp.add(x <= bound).only_enforce_if(out)
                cp.add(x > bound).only_enforce_if(out.Not())
        return out

    def _bound(self, issue: str, value: float, lower: bool, lit: Lit) -> None:
        """``lit`` implies the issue's value is at least (``lower``) or at most ``value``."""
        x, bound = self.issue[issue], scaled(value)
        if isinstance(x, int):
            if (x < bound) if lower else (x > bound):
                self.cp.add(lit == 0)
        elif lower:
            self.cp.add(x >= bound).only_enforce_if(lit)
        else:
            self.cp.add(x <= bound).only_enforce_if(lit)

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
            cp.add(own[a] == personnel[a])
        total = cp.new_int_var(0, sum(top.values()), "P[fair]")
        cp.add(total == sum(own.values()))
        devs = []
        for a, fig in figures.items():
            share = round(_SHARE * fig / total_fig)
            dev = cp.new_int_var(0, _SHARE * max(sum(top.values()), 1), f"dev[{a}]")
            cp.add(dev >= _SHARE * own[a] - share * total)
            cp.add(dev >= share * total - _SHARE * own[a])
            devs.append(dev)
        return sum(devs)

    def _design_order(self) -> Any:
        n = len(self.level)
        return sum(i * n * lit for i, lit in enumerate(self.route.values())) + sum(
            i * lit for i, lit in enumerate(self.level.values())
        )
