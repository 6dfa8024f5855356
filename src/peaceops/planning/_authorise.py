"""Authorisation in the planner's CP-SAT model: venue verdicts as constraints.

Private to :mod:`peaceops.planning`. For each candidate route and combination of levels of the
planned dimensions, the members
whose acceptance cannot depend on the allocation are evaluated here (exactly, as
:mod:`peaceops.planning.acceptance` would); for the others, the venue's rule, queried only
through :func:`peaceops.venues.wins`, is compiled into its minimal winning sets, so that
"the venue authorises" implies "every member of some minimal winning set accepts".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from peaceops.planning.acceptance import (
    LossTerm,
    issue_line_crossed,
    loss,
    no_troops_from,
    red_line_active,
    troops_barred,
)
from peaceops.planning.conditions import own_red_lines
from peaceops.planning.design import scaled
from peaceops.scenario.model import (
    DesignChoice,
    DesignRoute,
    IssueMax,
    IssueMin,
    Mission,
    NoTroops,
    Pledge,
    RedIssueMax,
    RedIssueMin,
    Scenario,
    Venue,
)
from peaceops.venues import wins

#: One combination of planned dimension levels: ``((dimension, level), ...)``.
Combo = tuple[tuple[str, float], ...]


class _Request(Protocol):
    @property
    def routes(self) -> tuple[str, ...]: ...
    @property
    def utility(self) -> str: ...
    @property
    def mission(self) -> Mission: ...


class _Unit(Protocol):
    @property
    def pledge(self) -> Pledge: ...
    @property
    def location(self) -> str: ...


class PlanModel(Protocol):
    """What authorisation reads and adds to the planner's model (``_model.PlanModel``); a
    protocol, so that this module does not import the model that imports it."""

    scenario: Scenario
    cp: Any

    @property
    def request(self) -> _Request: ...
    @property
    def pledges(self) -> Mapping[str, _Unit]: ...

    fixed: dict[str, int]
    variable_issues: set[str]
    terms: dict[str, tuple[LossTerm, ...]]
    sq_loss: dict[str, int]
    route: dict[str, Any]
    level: dict[Combo, Any]
    auth: dict[str, Any]
    base: dict[str, Any]


#: Enumerate the minimal winning sets of a venue's allocation-dependent members up to this many.
_MAX_WINNING_SETS = 512


def _allocation_dependent(model: PlanModel, actor: str) -> bool:
    if any(t.issue in model.variable_issues for t in model.terms[actor]):
        return True
    for red in own_red_lines(model.scenario, actor):
        rule = red.rule
        if any(
            isinstance(c, IssueMin | IssueMax) and c.issue in model.variable_issues
            for c in (red.when, red.unless)
        ):
            return True
        if isinstance(rule, NoTroops):
            barred = no_troops_from(model.scenario, rule)
            if any(
                troops_barred(barred, rule, pv.pledge.actor, pv.location)
                for pv in model.pledges.values()
            ):
                return True
        elif isinstance(rule, RedIssueMin | RedIssueMax) and rule.issue in model.variable_issues:
            return True
    return False


def _combo_values(model: PlanModel, venue: str, combo: Combo) -> dict[str, int]:
    values = dict(model.fixed)
    levels = dict(combo)
    for issue in model.scenario.issues:
        dmap = issue.design
        if isinstance(dmap, DesignRoute):
            values[issue.id] = scaled(dmap.values.get(venue, 0.0))
        elif isinstance(dmap, DesignChoice) and issue.id not in values:
            values[issue.id] = scaled(levels.get(dmap.dimension, 0.0))
        elif issue.id not in values:
            values[issue.id] = 0  # allocation-dependent: not read for these actors
    return values


def _accepts_at(model: PlanModel, actor: str, values: dict[str, int], venue: str) -> bool:
    if loss(model.terms[actor], values, model.request.utility) > model.sq_loss[actor]:
        return False
    mission = model.request.mission.id
    for red in own_red_lines(model.scenario, actor):
        rule = red.rule
        if not red_line_active(model.scenario, red, values, venue, mission):
            continue
        if isinstance(rule, RedIssueMin | RedIssueMax) and issue_line_crossed(
            rule, values[rule.issue]
        ):
            return False
    return True


def encode_authorisation(model: PlanModel) -> None:
    """Tie each candidate route's authorisation literal to its members' acceptances."""
    cp, s = model.cp, model.scenario
    dependent = {a.id: _allocation_dependent(model, a.id) for a in s.actors}
    for v in model.request.routes:
        auth = model.auth.setdefault(v, cp.new_bool_var(f"auth[{v}]"))
        venue = s.venue(v)
        members = s.resolve_members(venue.members)
        variable = tuple(m for m in members if dependent[m])
        for combo, b_lit in model.level.items():
            values = _combo_values(model, v, combo)
            yes = frozenset(
                m for m in members if not dependent[m] and _accepts_at(model, m, values, v)
            )
            guard = [model.route[v].Not(), b_lit.Not(), auth.Not()]
            if wins(s, venue, yes):
                continue
            if not wins(s, venue, yes | set(variable)):
                cp.add_bool_or(guard)
                continue

            def win(c: frozenset[str], venue: Venue = venue) -> bool:
                return wins(s, venue, c)

            sets = minimal_winning_sets(win, yes, variable)
            if sets is None:  # too many: authorise only when every such member accepts
                for m in variable:
                    cp.add_bool_or([*guard, model.base[m]])
                continue
            options = []
            for chosen in sets:
                y = cp.new_bool_var("")
                for m in chosen:
                    cp.add_implication(y, model.base[m])
                options.append(y)
            cp.add_bool_or(guard + options)


def minimal_winning_sets(
    win: Callable[[frozenset[str]], bool],
    yes: frozenset[str],
    variable: tuple[str, ...],
    *,
    limit: int = _MAX_WINNING_SETS,
) -> list[tuple[str, ...]] | None:
    """Minimal subsets ``S`` of ``variable`` with ``win(yes | S)``; ``None`` above ``limit``.

    Depth-first over include/exclude decisions, pruning a branch once even all remaining
    members cannot win; assumes ``win`` is monotone (every venue rule of format 1 is).
    """
    out: list[tuple[str, ...]] = []

    def visit(i: int, chosen: tuple[str, ...]) -> bool:
        current = yes | set(chosen)
        if win(current):
            if all(not win(current - {m}) for m in chosen):
                out.append(chosen)
            return len(out) <= limit
        if i == len(variable) or not win(current | set(variable[i:])):
            return True
        return visit(i + 1, (*chosen, variable[i])) and visit(i + 1, chosen)

    return out if visit(0, ()) else None
