r"""Who decides each issue: bargaining outcomes limited by the institution that settles them.

The bargaining models of :mod:`peaceops.forecast` predict where talks among all actors with a
stance would land. An issue is often not settled that way. A scenario says, per issue
(``docs/scenario-format.md``, "Who decides"), that it is settled

* in a **venue** (``decided_in``): the venue can only adopt a point that a winning coalition of
  its members prefers to the status quo and that leaves no veto player worse off, the **win-set
  of the status quo** (Tsebelis 1995, 2002). Each model's outcome is moved to the nearest point of
  the win-set; when the win-set holds only the status quo the forecast is "no change", labelled
  with the players who block it;
* **unilaterally** (``decided_by``): the outcome is the decider's position in that model (a
  dynamic model moves it under pressure, and the decider's patience, modelled as decaying
  salience in :mod:`peaceops.forecast.timeline`, sets how far); several deciders act jointly:
  their clout x salience weighted mean, limited to their unanimity win-set;
* by the **force** (``from_force``): the issue is a property of the force fielded, the value of
  the plan being forecast (the planner's issue values), or the status quo when no plan is given
  (no force has deployed);
* by **negotiation** among named parties (``negotiated_by``): only they (and mediators) bargain;
  other actors' stances on the issue are left out before the models run (:func:`restrict_input`).

Issues without any of these keep the plain bargaining forecast.

The win-set in one dimension
----------------------------
Member :math:`i` with ideal point :math:`x_i` weakly prefers :math:`y` to the status quo
:math:`q` iff :math:`|x_i - y| \le |x_i - q|`; for :math:`y > q` that is
:math:`y \le t_i = 2x_i - q` (and never when :math:`x_i \le q`). The supporters of :math:`y` are
:math:`S(y) = \{i : t_i \ge y\}` plus members without a stance on the issue (indifferent, so they
do not object); :math:`S(y)` shrinks as :math:`y` moves away from :math:`q`, so the win-set on
the right of :math:`q` is the interval :math:`[q, R]` with :math:`R` the largest threshold
:math:`t_{(k)}` such that :math:`S(t_{(k)})` wins in the venue's compiled simple game
(:func:`peaceops.venues.venue_game`); the left side is symmetric. Cost: one winning test per
member and side.

Notes
-----
Deviations and choices, each documented in ``docs/forecast.md``:

* We use the closure of the win-set (weak preference), so a member exactly indifferent does not
  object; with strict preference the same bounds are open intervals.
* Venue members' ideal points are their stated positions (after the scheduled events), the same
  for every model: a veto is what a member would accept, not a bargaining position.
* Where the planner found the venue blocking *every* design it could form (for instance a veto
  player's red line on who deploys), a mandate on this issue cannot pass whatever its value: the
  win-set is the status quo and the blockers are the planner's (``venue_blocks``). This couples
  the one-dimensional win-set with the planner's multi-issue verdicts; Tsebelis's theory is
  multi-dimensional and the planner's verdict is its exact answer on the designs considered.
* Steunenberg (1994) models agenda setting too (the setter picks its favourite point of the
  win-set); we keep each model's outcome and only project it, so the models still differ inside
  the win-set.

References
----------
1. Tsebelis, G. (1995). Decision making in political systems: veto players in presidentialism,
   parliamentarism, multicameralism and multipartyism. *British Journal of Political Science*
   25(3), 289-325. doi:10.1017/S0007123400007225
2. Tsebelis, G. (2002). *Veto Players: How Political Institutions Work*. Princeton University
   Press. doi:10.1515/9781400831456
3. Steunenberg, B. (1994). Decision making under different institutional arrangements:
   legislation by the European Community. *Journal of Institutional and Theoretical Economics*
   150(4), 642-669.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from peaceops.forecast._core import FloatArray, ForecastResult, NegotiationInput, Perturbation
from peaceops.scenario.model import Scenario

__all__ = [
    "IssueRule",
    "Ruling",
    "WinSet",
    "apply_institutions",
    "issue_rules",
    "restrict_input",
    "restrict_schedule",
    "win_set",
]

Kind = Literal["negotiated", "venue", "unilateral", "force"]
#: A venue's winning test on a set of members.
WinningTest = Callable[[frozenset[str]], bool]


@dataclass(frozen=True)
class IssueRule:
    """How one issue is settled.

    Attributes
    ----------
    issue
        Issue id.
    kind
        ``negotiated`` (the default), ``venue``, ``unilateral`` or ``force``.
    venue
        The deciding venue (kind ``venue``).
    actors
        Deciders (``unilateral``), or parties and mediators (``negotiated`` with named parties;
        empty = every actor with a stance).
    """

    issue: str
    kind: Kind
    venue: str | None = None
    actors: tuple[str, ...] = ()


def issue_rules(scenario: Scenario) -> tuple[IssueRule, ...]:
    """The rule of every issue of ``scenario``, in scenario order.

    Examples
    --------
    >>> from peaceops.scenario import parse_scenario, template_scenario
    >>> s = template_scenario()
    >>> import json
    >>> doc = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    >>> doc["issues"][2]["decided_in"] = "UNSC"
    >>> doc["issues"][0]["negotiated_by"] = {"parties": ["HST", "LDR"]}
    >>> v = parse_scenario(json.dumps(doc), json_first=True)
    >>> for x in issue_rules(v): print(x.issue, x.kind, x.venue, x.actors)
    ground_size negotiated None ('HST', 'LDR')
    alliance_share negotiated None ()
    un_authorisation venue UNSC ()
    """
    rules = []
    for issue in scenario.issues:
        if issue.decided_in is not None:
            rules.append(IssueRule(issue.id, "venue", venue=issue.decided_in))
        elif issue.decided_by:
            rules.append(IssueRule(issue.id, "unilateral", actors=issue.decided_by))
        elif issue.from_force:
            rules.append(IssueRule(issue.id, "force"))
        elif issue.negotiated_by is not None:
            neg = issue.negotiated_by
            rules.append(IssueRule(issue.id, "negotiated", actors=neg.parties + neg.mediators))
        else:
            rules.append(IssueRule(issue.id, "negotiated"))
    return tuple(rules)


@dataclass(frozen=True)
class WinSet:
    """The (closed) win-set ``[low, high]`` of the status quo on one issue.

    ``blockers_up`` / ``blockers_down`` name who stops any move above / below the status quo
    when the win-set does not extend that way (veto players among the opponents, or every
    opponent when no veto player is among them).
    """

    status_quo: float
    low: float
    high: float
    blockers_up: tuple[str, ...] = ()
    blockers_down: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether nothing but the status quo can be adopted."""
        return self.low == self.high == self.status_quo

    def project(self, value: float) -> float:
        """The point of the win-set nearest to ``value``."""
        return float(min(max(value, self.low), self.high))

    def blockers_of(self, value: float) -> tuple[str, ...]:
        """Who blocks a move from the status quo towards ``value`` (empty if it can move)."""
        if value > self.status_quo and self.high == self.status_quo:
            return self.blockers_up
        if value < self.status_quo and self.low == self.status_quo:
            return self.blockers_down
        return ()


def win_set(
    winning: WinningTest,
    members: Sequence[str],
    ideals: Mapping[str, float],
    status_quo: float,
    *,
    vetoes: Sequence[str] = (),
    bounds: tuple[float, float] = (0.0, 100.0),
) -> WinSet:
    """The win-set of ``status_quo`` in a venue, in one dimension with distance preferences.

    Parameters
    ----------
    winning
        The venue's winning test on a set of member ids.
    members
        Member ids, in a fixed order (blockers are reported in it).
    ideals
        Ideal point of each member that has a stance; members without one are indifferent.
    status_quo
        The status quo :math:`q`.
    vetoes
        The venue's veto players (used to name blockers).
    bounds
        The issue scale.

    Returns
    -------
    WinSet
        ``[low, high]`` with ``low <= q <= high``.

    Examples
    --------
    A unanimity body whose members sit at 30 and 60 with the status quo at 0 can move up to 60
    (twice the nearer member's ideal point): member 30 is indifferent between 0 and 60.

    >>> ws = win_set(lambda s: s == {"A", "B"}, ["A", "B"], {"A": 30, "B": 60}, 0.0)
    >>> (ws.low, ws.high)
    (0.0, 60.0)
    """
    indifferent = frozenset(m for m in members if m not in ideals)
    sides = []
    for sign in (1.0, -1.0):
        # thresholds t_i = 2 x_i - q on this side, farthest first
        reach = sorted(
            ((sign * (2 * ideals[m] - status_quo), m) for m in members if m in ideals),
            reverse=True,
        )
        edge = status_quo
        supporters = set(indifferent)
        if winning(indifferent):  # the indifferent alone carry any proposal
            edge = bounds[1] if sign > 0 else bounds[0]
            reach = []
        for t, member in reach:
            if t <= sign * status_quo:
                break
            supporters.add(member)
            if winning(frozenset(supporters)):
                edge = sign * t
                break
        edge = min(max(edge, bounds[0]), bounds[1])
        opponents = [m for m in members if m in ideals and sign * (ideals[m] - status_quo) <= 0]
        blocking = tuple(m for m in opponents if m in vetoes) or tuple(opponents)
        sides.append((edge, blocking if edge == status_quo else ()))
    (high, up), (low, down) = sides
    return WinSet(float(status_quo), float(low), float(high), up, down)


@dataclass(frozen=True)
class Ruling:
    """What the institution did to one model's forecast on one issue.

    Attributes
    ----------
    issue, model, kind
        Ids and the issue's rule kind.
    unconstrained
        The model's own outcome at the horizon.
    value
        The outcome after the institution.
    label
        Plain words for tables, e.g. ``"no change: blocked by RUS"``.
    blockers
        Who blocks (venue issues only).
    """

    issue: str
    model: str
    kind: Kind
    unconstrained: float
    value: float
    label: str
    blockers: tuple[str, ...] = ()
    win_set: tuple[float, float] | None = None
    """The win-set ``(low, high)`` at the horizon (venue issues and joint deciders)."""

    def to_row(self) -> dict[str, Any]:
        """A flat row for tables and JSON."""
        return {
            "issue": self.issue,
            "model": self.model,
            "decided": self.kind,
            "unconstrained": round(self.unconstrained, 2),
            "value": round(self.value, 2),
            "label": self.label,
            "blockers": ", ".join(self.blockers),
            "win_set": None
            if self.win_set is None
            else f"{self.win_set[0]:g}..{self.win_set[1]:g}",
        }


def restrict_input(data: NegotiationInput, rules: Sequence[IssueRule]) -> NegotiationInput:
    """``data`` with only the named parties' stances on issues ``negotiated_by`` them.

    Examples
    --------
    Only the host and the lead contributor keep their stances on the ground presence:

    >>> from peaceops.scenario import parse_scenario, template_scenario
    >>> s = template_scenario()
    >>> import json
    >>> doc = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    >>> doc["issues"][2]["decided_in"] = "UNSC"
    >>> doc["issues"][0]["negotiated_by"] = {"parties": ["HST", "LDR"]}
    >>> v = parse_scenario(json.dumps(doc), json_first=True)
    >>> from peaceops.forecast.timeline import negotiation_input
    >>> data = negotiation_input(v)
    >>> restrict_input(data, issue_rules(v)).positions[:, 0].tolist()
    [80.0, nan, 60.0]
    """
    mask = _outsiders(data, rules)
    if not mask.any():
        return data
    positions, salience = data.positions.copy(), data.salience.copy()
    positions[mask], salience[mask] = np.nan, 0.0
    return replace(data, positions=positions, salience=salience)


def restrict_schedule(
    data: NegotiationInput, rules: Sequence[IssueRule], sched: Sequence[Perturbation]
) -> tuple[Perturbation, ...]:
    """``sched`` with changes to outsiders' stances on negotiated issues dropped.

    Examples
    --------
    The template's event changes the adversary's salience on the ground presence, which only the
    host and the lead contributor negotiate here: the restricted input gives the adversary
    salience 0 there, and the restricted schedule keeps it at 0.

    >>> from peaceops.scenario import parse_scenario, template_scenario
    >>> s = template_scenario()
    >>> import json
    >>> doc = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    >>> doc["issues"][2]["decided_in"] = "UNSC"
    >>> doc["issues"][0]["negotiated_by"] = {"parties": ["HST", "LDR"]}
    >>> v = parse_scenario(json.dumps(doc), json_first=True)
    >>> from peaceops.forecast.timeline import negotiation_input, schedule
    >>> data = negotiation_input(v)
    >>> sched = schedule(v, data, rounds=12)
    >>> [p.salience[1].tolist() for p in restrict_schedule(data, issue_rules(v), sched)]
    [[0.0, nan, nan]]
    """
    mask = _outsiders(data, rules)
    if not mask.any():
        return tuple(sched)
    out = []
    for p in sched:
        pos = None if p.positions is None else np.where(mask, np.nan, p.positions)
        sal = None if p.salience is None else np.where(mask, 0.0, p.salience)
        out.append(replace(p, positions=pos, salience=sal))
    return tuple(out)


def _outsiders(data: NegotiationInput, rules: Sequence[IssueRule]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(data.positions.shape, dtype=bool)
    for j, rule in enumerate(rules):
        if rule.kind == "negotiated" and rule.actors:
            inside = set(rule.actors)
            mask[:, j] = [a not in inside for a in data.actors]
    return mask


def apply_institutions(
    scenario: Scenario,
    inputs: Sequence[NegotiationInput],
    results: Mapping[str, ForecastResult],
    *,
    plan_values: Mapping[str, float] | None = None,
    venue_blocks: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[dict[str, ForecastResult], tuple[Ruling, ...]]:
    """Limit each model's trajectory by who decides each issue.

    Parameters
    ----------
    scenario
        The validated scenario.
    inputs
        The negotiation input in force at each round ``0..T`` (stated positions after events).
    results
        Model name -> its forecast, trajectory ``(T + 1, m)`` over ``inputs[0].issues``.
    plan_values
        Issue values of the plan being forecast (for ``from_force`` issues).
    venue_blocks
        Venue id -> blockers, for venues the planner found blocking every design.

    Returns
    -------
    (results, rulings)
        The constrained forecasts (same shapes) and one :class:`Ruling` per model and
        institution-settled issue at the horizon.

    Examples
    --------
    The UN authorisation is settled in the Security Council (quota 2, vetoes of the adversary
    and the lead contributor). With the lead contributor at 30 and the status quo at 0, it
    vetoes anything above 60, so the Council's win-set is [0, 60]. The compromise forecast,
    (0.2 x 0.3 x 40 + 0.6 x 0.7 x 100 + 0.5 x 0.4 x 30) / (0.06 + 0.42 + 0.2) = 74.12, is
    limited to 60:

    >>> from peaceops.scenario import parse_scenario, template_scenario
    >>> s = template_scenario()
    >>> import json
    >>> doc = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    >>> doc["issues"][2]["decided_in"] = "UNSC"
    >>> doc["issues"][0]["negotiated_by"] = {"parties": ["HST", "LDR"]}
    >>> v = parse_scenario(json.dumps(doc), json_first=True)
    >>> doc["stances"]["LDR"]["un_authorisation"]["position"] = 30
    >>> v = parse_scenario(json.dumps(doc), json_first=True)
    >>> from peaceops.forecast.timeline import negotiation_input
    >>> from peaceops.forecast import compromise_forecast
    >>> data = negotiation_input(v)
    >>> res = {"compromise": compromise_forecast(data)}
    >>> limited, rulings = apply_institutions(v, [data], res)
    >>> before = res["compromise"].trajectory[-1, 2]
    >>> round(float(before), 2), float(limited["compromise"].trajectory[-1, 2])
    (74.12, 60.0)
    """
    from peaceops.power import is_winning
    from peaceops.venues import venue_game, veto_players

    rules = issue_rules(scenario)
    data0 = inputs[0]
    n_rounds = len(inputs)
    settled = [(j, r) for j, r in enumerate(rules) if r.kind != "negotiated"]
    if not settled:
        return dict(results), ()
    blocks = dict(venue_blocks or {})
    # win-sets per (issue, round): a venue property, shared by every model
    sets: dict[int, list[WinSet]] = {}
    for j, rule in settled:
        q = float(data0.status_quo[j])
        if rule.kind == "venue":
            assert rule.venue is not None
            if rule.venue in blocks:
                sets[j] = [WinSet(q, q, q, blocks[rule.venue], blocks[rule.venue])] * n_rounds
                continue
            venue = scenario.venue(rule.venue)
            game = venue_game(scenario, venue)
            members = tuple(game.players)
            vetoes = veto_players(scenario, venue)
            cache: dict[tuple[float, ...], WinSet] = {}
            per_round = []
            for data in inputs:
                ideals = _ideals(data, j, members)
                key = tuple(ideals.get(m, np.nan) for m in members)
                if key not in cache:
                    cache[key] = win_set(
                        _game_test(game, is_winning),
                        members,
                        ideals,
                        q,
                        vetoes=vetoes,
                    )
                per_round.append(cache[key])
            sets[j] = per_round
        elif rule.kind == "unilateral" and len(rule.actors) > 1:
            everyone = _unanimity(frozenset(rule.actors))
            sets[j] = [
                win_set(everyone, rule.actors, _ideals(d, j, rule.actors), q) for d in inputs
            ]
    out: dict[str, ForecastResult] = {}
    rulings: list[Ruling] = []
    for name, res in results.items():
        traj = res.trajectory.copy()
        raw = res.trajectory
        for j, rule in settled:
            q = float(data0.status_quo[j])
            for t in range(traj.shape[0]):
                data = inputs[min(t, n_rounds - 1)]
                if rule.kind == "force":
                    traj[t, j] = q if plan_values is None else float(plan_values[rule.issue])
                elif rule.kind == "unilateral":
                    traj[t, j] = _unilateral(data, res, t, j, rule, sets.get(j))
                else:
                    traj[t, j] = sets[j][min(t, n_rounds - 1)].project(float(raw[t, j]))
            last = sets[j][-1] if j in sets else None
            ruling = _ruling(name, rule, float(raw[-1, j]), float(traj[-1, j]), last, q)
            if rule.kind == "force" and plan_values is None:
                ruling = replace(ruling, label="no force planned: status quo")
            rulings.append(ruling)
        out[name] = replace(res, trajectory=traj)
    return out, tuple(rulings)


def _game_test(game: Any, is_winning: Callable[..., bool]) -> WinningTest:
    def test(members: frozenset[str]) -> bool:
        return bool(is_winning(game, set(members)))

    return test


def _unanimity(deciders: frozenset[str]) -> WinningTest:
    def test(members: frozenset[str]) -> bool:
        return deciders <= members

    return test


def _ideals(data: NegotiationInput, j: int, members: Sequence[str]) -> dict[str, float]:
    index = {a: i for i, a in enumerate(data.actors)}
    out = {}
    for m in members:
        i = index.get(m)
        if i is not None and not np.isnan(data.positions[i, j]) and data.salience[i, j] > 0:
            out[m] = float(data.positions[i, j])
    return out


def _unilateral(
    data: NegotiationInput,
    res: ForecastResult,
    t: int,
    j: int,
    rule: IssueRule,
    sets: list[WinSet] | None,
) -> float:
    """The deciders' position in this model at round ``t`` (their joint mean, in their win-set)."""
    index = {a: i for i, a in enumerate(data.actors)}
    rows = [index[a] for a in rule.actors if a in index]
    pos: FloatArray = data.positions[rows, j]
    if res.positions is not None and rows:
        traj = res.positions
        pos = traj[min(t, traj.shape[0] - 1), rows, j]
    weight = data.clout[rows] * data.salience[rows, j]
    ok = ~np.isnan(pos) & (weight > 0)
    q = float(data.status_quo[j])
    if not ok.any():
        return q  # no decider has a stance: nothing is decided
    value = float(np.sum(pos[ok] * weight[ok]) / np.sum(weight[ok]))
    if sets is not None:
        value = sets[min(t, len(sets) - 1)].project(value)
    return value


def _ruling(
    model: str, rule: IssueRule, raw: float, value: float, last: WinSet | None, q: float
) -> Ruling:
    blockers: tuple[str, ...] = ()
    if rule.kind == "force":
        label = "set by the force fielded"
    elif rule.kind == "unilateral":
        label = f"decided by {', '.join(rule.actors)}"
    else:
        assert last is not None
        blockers = last.blockers_of(raw)
        if blockers and value == q:
            label = f"no change: blocked by {', '.join(blockers)}"
        elif value != raw:
            label = f"limited by {rule.venue} to {last.low:g}..{last.high:g}"
        else:
            label = f"adoptable in {rule.venue}"
    if rule.kind == "unilateral" and last is not None and value == q:
        blockers = last.blockers_of(raw)
    bounds = None if last is None else (last.low, last.high)
    return Ruling(rule.issue, model, rule.kind, raw, value, label, blockers, bounds)
