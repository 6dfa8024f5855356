r"""The planner's acceptance, venue and coverage rules, vectorised over a batch of replicates.

:func:`peaceops.planning.evaluate_design` and :func:`peaceops.planning.pledge_status` judge one
design of one scenario in Python; a sweep needs the same judgement for every mission option in
each of 100,000 replicates. This module compiles a scenario into integer arrays once
(:func:`compile_options`) and evaluates whole batches with NumPy (:func:`evaluate_options`).
The arithmetic is the planner's, in the planner's integer units (issue values in hundredths,
saliences in ten-thousandths), so the two agree exactly; ``tests/sweep/test_options.py``
checks them against each other replicate by replicate on realised scenarios
(:func:`peaceops.sweep.design.realise_scenario`).

In each replicate and for each option (mission x route x planned levels) the design is formed
by the **fill rule**:

1. a pledge is a candidate when its static conditions hold: its capability is required, its
   events happened and its parliaments approved in this replicate (drawn), its conditions on
   issues no allocation changes (the concept's own dimensions, planned levels, route) hold, an
   ``authorised_by`` condition names the option's route, and no red line of its own actor bars
   its units where they would serve;
2. each requirement is filled from the candidates in scenario order of the pledges, each giving
   up to its drawn quantity, until the requirement's count is reached;
3. the design is evaluated (issue values, acceptance, red lines, venue verdicts); every pledge
   in use whose allocation-dependent conditions fail (``issue_min``/``issue_max`` on personnel
   or group-share issues, ``authorised_by`` when the route does not authorise,
   ``requires_participation``, a red line of its own actor that the design violates) is
   dropped, and the fill is repeated until no pledge in use fails (at most one round per
   pledge).

The planner's CP-SAT optimisation chooses among allocations; the sweep asks instead what the
pledges on the table would field in each possible world and who would accept that force, so
it follows this deterministic rule rather than optimising 100,000 times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from peaceops.errors import OptionError
from peaceops.planning.acceptance import SALIENCE_SCALE, issue_line_crossed
from peaceops.planning.design import FULL
from peaceops.scenario.model import (
    AfterEvent,
    Approval,
    RedIssueMax,
    RedIssueMin,
    RequiresAuthorisation,
    RequiresParticipation,
    Scenario,
)
from peaceops.sweep._compile import (
    SCALE,
    Option,
    OptionData,
    VenueData,
    compile_option,
    compile_venue,
    mission_options,
)
from peaceops.sweep.design import SamplingDesign, approval_name
from peaceops.venues import wins_batch

__all__ = ["Option", "OptionKernel", "compile_options", "evaluate_options", "mission_options"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class OptionKernel:
    """A scenario compiled for :func:`evaluate_options` (arrays only; cheap to pickle)."""

    actors: tuple[str, ...]
    parties: tuple[str, ...]
    party_index: IntArray
    venues: tuple[str, ...]
    options: tuple[Option, ...]
    stance_actors: IntArray  # actors with at least one stance
    pos: IntArray  # (s, m) hundredths
    weight: IntArray  # (s, m) ten-thousandths
    sq: IntArray  # (m,)
    pos_cols: tuple[tuple[int, int, int], ...]  # (input column, stance row, issue)
    sal_cols: tuple[tuple[int, int, int], ...]
    pledge_actor: IntArray
    pledge_onehot: IntArray  # (P, n): pledge k belongs to actor i
    q_low: IntArray
    q_cols: tuple[tuple[int, int], ...]  # (input column, pledge)
    # (pledge, col, p, bernoulli, static, event id or "" for an approval)
    chance: tuple[tuple[int, int, float, bool, bool, str], ...]
    participation: tuple[tuple[int, int], ...]  # (pledge, actor)
    # (owner, issue, rule, index of the red line in the scenario)
    red_issue: tuple[tuple[int, int, RedIssueMin | RedIssueMax, int], ...]
    red_auth: tuple[tuple[int, int, int], ...]  # (owner, venue, red)
    venue_data: tuple[VenueData, ...]
    option_data: tuple[OptionData, ...]
    utility: str
    threat_p: FloatArray = field(default_factory=lambda: np.zeros(0))  # (T,) stated probabilities
    threat_cols: tuple[tuple[int, int], ...] = ()  # (input column, threat)

    @property
    def n_pledges(self) -> int:
        """Number of pledges in the scenario."""
        return int(self.q_low.shape[0])


def compile_options(
    scenario: Scenario,
    design: SamplingDesign,
    *,
    utility: str = "linear",
    options: Sequence[Option] | None = None,
) -> OptionKernel:
    """Compile ``scenario`` (with the columns of ``design``) for :func:`evaluate_options`.

    ``options`` restricts the evaluation to some mission options (default: all of
    :func:`mission_options`).
    """
    if utility not in ("linear", "quadratic"):
        raise OptionError("utility", f"utility must be 'linear' or 'quadratic'; got {utility!r}")
    actors = tuple(a.id for a in scenario.actors)
    a_ix = {a: i for i, a in enumerate(actors)}
    issues = tuple(i.id for i in scenario.issues)
    i_ix = {k: j for j, k in enumerate(issues)}
    venues = tuple(v.id for v in scenario.venues)
    v_ix = {v: j for j, v in enumerate(venues)}
    col = {name: j for j, name in enumerate(design.names)}

    stance_actors = [a for a in actors if scenario.stances.get(a)]
    s_ix = {a: r for r, a in enumerate(stance_actors)}
    pos = np.zeros((len(stance_actors), len(issues)), dtype=np.int64)
    weight = np.zeros_like(pos)
    pos_cols: list[tuple[int, int, int]] = []
    sal_cols: list[tuple[int, int, int]] = []
    for a, by_issue in scenario.stances.items():
        for issue_id, st in by_issue.items():
            r, j = s_ix[a], i_ix[issue_id]
            pos[r, j] = round(st.position * SCALE)
            weight[r, j] = round(st.salience * SALIENCE_SCALE)
            if f"position:{a}:{issue_id}" in col:
                pos_cols.append((col[f"position:{a}:{issue_id}"], r, j))
            if f"salience:{a}:{issue_id}" in col:
                sal_cols.append((col[f"salience:{a}:{issue_id}"], r, j))
    sq = np.array([round(i.status_quo * SCALE) for i in scenario.issues], dtype=np.int64)
    parties = tuple(
        a
        for a in actors
        if scenario.stances.get(a) or any(r.actor == a for r in scenario.red_lines)
    )

    pledges = scenario.pledges
    pledge_actor = np.array([a_ix[p.actor] for p in pledges], dtype=np.int64)
    pledge_onehot = np.zeros((len(pledges), len(actors)), dtype=np.int64)
    pledge_onehot[np.arange(len(pledges)), pledge_actor] = 1
    q_low = np.array([p.quantity.low for p in pledges], dtype=np.int64)
    q_cols = tuple(
        (col[f"quantity:{p.id}"], k) for k, p in enumerate(pledges) if f"quantity:{p.id}" in col
    )
    chance: list[tuple[int, int, float, bool, bool, str]] = []
    participation: list[tuple[int, int]] = []
    by_name = {x.name: x for x in design.inputs}
    for k, p in enumerate(pledges):
        for cond in p.conditions:
            if isinstance(cond, AfterEvent):
                event = next(e for e in scenario.events if e.id == cond.event)
                name = f"event:{event.id}"
                if name in col:
                    chance.append((k, col[name], 1.0, True, False, event.id))
                else:
                    # certain events; the planner's default threshold reads them the same way
                    chance.append((k, -1, 0.0, True, event.probability >= 0.5, event.id))
            elif isinstance(cond, Approval):
                name = approval_name(p.actor, cond.body)
                if name in col:
                    bern = by_name[name].distribution == "bernoulli"
                    chance.append((k, col[name], cond.probability, bern, False, ""))
                else:
                    chance.append((k, -1, 0.0, True, cond.probability >= 0.5, ""))
            elif isinstance(cond, RequiresParticipation):
                participation.append((k, a_ix[cond.actor]))

    red_issue: list[tuple[int, int, RedIssueMin | RedIssueMax, int]] = []
    red_auth: list[tuple[int, int, int]] = []
    for r_i, red in enumerate(scenario.red_lines):
        rule = red.rule
        if isinstance(rule, RedIssueMin | RedIssueMax):
            red_issue.append((a_ix[red.actor], i_ix[rule.issue], rule, r_i))
        elif isinstance(rule, RequiresAuthorisation):
            red_auth.append((a_ix[red.actor], v_ix[rule.venue], r_i))

    venue_data = tuple(compile_venue(scenario, v, a_ix) for v in scenario.venues)
    chosen = mission_options(scenario) if options is None else tuple(options)
    option_data = tuple(compile_option(scenario, o, a_ix, i_ix, v_ix) for o in chosen)
    return OptionKernel(
        actors=actors,
        parties=parties,
        party_index=np.array([a_ix[a] for a in parties], dtype=np.int64),
        venues=venues,
        options=chosen,
        stance_actors=np.array([a_ix[a] for a in stance_actors], dtype=np.int64),
        pos=pos,
        weight=weight,
        sq=sq,
        pos_cols=tuple(pos_cols),
        sal_cols=tuple(sal_cols),
        pledge_actor=pledge_actor,
        pledge_onehot=pledge_onehot,
        q_low=q_low,
        q_cols=q_cols,
        chance=tuple(chance),
        participation=tuple(participation),
        red_issue=tuple(red_issue),
        red_auth=tuple(red_auth),
        venue_data=venue_data,
        option_data=option_data,
        utility=utility,
        threat_p=np.array([t.probability for t in scenario.threats], dtype=np.float64),
        threat_cols=tuple(
            (col[f"threat:{t.id}"], i)
            for i, t in enumerate(scenario.threats)
            if f"threat:{t.id}" in col
        ),
    )


@dataclass(frozen=True)
class OptionOutcome:
    """Per option: acceptance by party, verdict by venue, coverage by domain, units by pledge."""

    accept: BoolArray  # (b, parties)
    authorise: BoolArray  # (b, venues)
    cover: BoolArray  # (b, domains + 1): the mission's domains, then "all"
    units: IntArray  # (b, P)
    coverage: FloatArray  # (b, domains + 1): priority-weighted coverage in percent


def evaluate_options(kernel: OptionKernel, values: FloatArray) -> list[OptionOutcome]:
    """Evaluate every option on a batch of replicates (``values``: ``(b, k)`` input draws).

    Returns one :class:`OptionOutcome` per option, in ``kernel.options`` order.
    """
    b = values.shape[0]
    pos = np.broadcast_to(kernel.pos, (b, *kernel.pos.shape)).copy()
    weight = np.broadcast_to(kernel.weight, (b, *kernel.weight.shape)).copy()
    for c, r, j in kernel.pos_cols:
        pos[:, r, j] = np.rint(values[:, c] * SCALE).astype(np.int64)
    for c, r, j in kernel.sal_cols:
        weight[:, r, j] = np.rint(values[:, c] * SALIENCE_SCALE).astype(np.int64)
    sq_loss = _loss(kernel, kernel.sq[None, :], pos, weight)
    offered = np.broadcast_to(kernel.q_low, (b, kernel.n_pledges)).copy()
    for c, k in kernel.q_cols:
        offered[:, k] = values[:, c].astype(np.int64)
    # Pledges' chance conditions, once per set of events a mission concept presupposes (an
    # ``after_event`` condition on a presupposed event holds for that concept's options).
    chance_ok: dict[frozenset[str], BoolArray] = {}
    for od in kernel.option_data:
        if od.presupposed not in chance_ok:
            chance_ok[od.presupposed] = _chance_ok(kernel, values, od.presupposed)
    threat_p = np.broadcast_to(kernel.threat_p, (b, kernel.threat_p.shape[0])).copy()
    for c, t in kernel.threat_cols:
        threat_p[:, t] = values[:, c]
    return [
        _evaluate_option(
            kernel,
            od,
            pos,
            weight,
            sq_loss,
            offered,
            chance_ok[od.presupposed] & _threat_ok(kernel, od, threat_p),
        )
        for od in kernel.option_data
    ]


def _threat_ok(kernel: OptionKernel, od: OptionData, threat_p: FloatArray) -> BoolArray:
    """``(b, P)``: whether each pledge's ``max_threat`` conditions hold at the replicate's
    threat probabilities (independent threats: ``1 - prod(1 - p)`` over those reaching it)."""
    ok = np.ones((threat_p.shape[0], kernel.n_pledges), dtype=bool)
    for k, limit, reaching in od.threat_limits:
        risk = 1.0 - np.prod(1.0 - threat_p[:, reaching], axis=1)
        ok[:, k] &= risk <= limit
    return ok


def _chance_ok(kernel: OptionKernel, values: FloatArray, presupposed: frozenset[str]) -> BoolArray:
    """``(b, P)``: whether each pledge's event and approval conditions hold in each replicate."""
    b = values.shape[0]
    ok = np.ones((b, kernel.n_pledges), dtype=bool)
    for k, c, p, bern, static, event in kernel.chance:
        if event and event in presupposed:
            continue
        if c < 0:
            held = np.full(b, static)
        elif bern:
            held = values[:, c] >= 0.5
        else:
            held = values[:, c] < p
        ok[:, k] &= held
    return ok


# ----------------------------------------------------------------------------- evaluation


def _loss(kernel: OptionKernel, x: IntArray, pos: IntArray, weight: IntArray) -> IntArray:
    """``(b, s)`` integer loss of the stance actors at issue values ``x`` (``(b|1, m)``)."""
    gap = x[:, None, :] - pos
    if kernel.utility == "quadratic":
        return np.asarray((weight * gap * gap).sum(axis=2), dtype=np.int64)
    return np.asarray((weight * np.abs(gap)).sum(axis=2), dtype=np.int64)


def _evaluate_option(
    kernel: OptionKernel,
    od: OptionData,
    pos: IntArray,
    weight: IntArray,
    sq_loss: IntArray,
    offered: IntArray,
    chance_ok: BoolArray,
) -> OptionOutcome:
    b = pos.shape[0]
    n = len(kernel.actors)
    cand = chance_ok & od.static_ok[None, :]
    for _ in range(kernel.n_pledges + 1):
        units, filled = _fill(od, offered, cand)
        x = _issue_values(kernel, od, units)
        before, violated = _judge(kernel, od, units, x, pos, weight, sq_loss)
        verdict = np.stack([_wins(v, before) for v in kernel.venue_data], axis=1)
        auth_bad = np.zeros((b, n), dtype=bool)
        for owner, venue, r_i in kernel.red_auth:
            if r_i in od.inactive:
                continue
            if venue != od.route:
                auth_bad[:, owner] = True
            else:
                auth_bad[:, owner] |= ~verdict[:, venue]
        accept = before & ~auth_bad
        violated |= auth_bad
        ok = np.ones_like(cand)
        for k, j, value, is_min in od.issue_conditions:
            ok[:, k] &= x[:, j] >= value if is_min else x[:, j] <= value
        if od.authorised_by.size:
            ok[:, od.authorised_by] &= verdict[:, od.route][:, None]
        contributing = ((units > 0).astype(np.int64) @ kernel.pledge_onehot) > 0
        for k, actor in kernel.participation:
            ok[:, k] &= contributing[:, actor]
        ok &= ~violated[:, kernel.pledge_actor]
        bad = (units > 0) & ~ok
        if not bad.any():
            break
        cand &= ~bad
    cover = np.ones((b, len(od.domains) + 1), dtype=bool)
    for r, req in enumerate(od.requirements):
        cover[:, od.domains.index(req.domain)] &= filled[:, r]
    cover[:, -1] = cover[:, :-1].all(axis=1)
    return OptionOutcome(accept[:, kernel.party_index], verdict, cover, units, _coverage(od, units))


def _coverage(od: OptionData, units: IntArray) -> FloatArray:
    """Priority-weighted coverage by domain and overall, in percent: the planner's
    :func:`~peaceops.planning.plan.weighted_coverage` of the units the fill assigned."""
    b = units.shape[0]
    n_cols = len(od.domains) + 1
    covered = np.zeros((b, n_cols))
    weights = np.zeros(n_cols)
    for req in od.requirements:
        got = units[:, req.pledges].sum(axis=1) if req.pledges.size else np.zeros(b)
        part = req.weight * np.minimum(got, req.count) / req.count
        for c in (od.domains.index(req.domain), n_cols - 1):
            covered[:, c] += part
            weights[c] += req.weight
    return 100.0 * covered / np.where(weights > 0, weights, 1.0)


def _fill(od: OptionData, offered: IntArray, cand: BoolArray) -> tuple[IntArray, BoolArray]:
    """Greedy fill of each requirement in pledge order; ``(units (b, P), filled (b, R))``."""
    b = offered.shape[0]
    units = np.zeros_like(offered)
    filled = np.zeros((b, len(od.requirements)), dtype=bool)
    for r, req in enumerate(od.requirements):
        if req.pledges.size == 0:
            continue
        avail = np.where(cand[:, req.pledges], offered[:, req.pledges], 0)
        cum = np.cumsum(avail, axis=1)
        take = np.minimum(avail, np.maximum(req.count - (cum - avail), 0))
        units[:, req.pledges] = take
        filled[:, r] = cum[:, -1] >= req.count
    return units, filled


def _issue_values(kernel: OptionKernel, od: OptionData, units: IntArray) -> IntArray:
    x = np.broadcast_to(od.fixed, (units.shape[0], od.fixed.shape[0])).copy()
    for j, full_scale, counted in od.personnel:
        total = units @ counted
        x[:, j] = FULL * np.minimum(total, full_scale) // full_scale
    for j, counted, group in od.shares:
        total = units @ counted
        part = units @ group
        x[:, j] = np.where(total > 0, FULL * part // np.maximum(total, 1), 0)
    return x


def _judge(
    kernel: OptionKernel,
    od: OptionData,
    units: IntArray,
    x: IntArray,
    pos: IntArray,
    weight: IntArray,
    sq_loss: IntArray,
) -> tuple[BoolArray, BoolArray]:
    """Acceptance before authorisation and red lines violated (other than authorisation)."""
    b = units.shape[0]
    n = len(kernel.actors)
    before = np.ones((b, n), dtype=bool)
    before[:, kernel.stance_actors] = _loss(kernel, x, pos, weight) <= sq_loss
    violated = np.zeros((b, n), dtype=bool)
    for owner, barred in od.no_troops:
        violated[:, owner] |= (units[:, barred] > 0).any(axis=1)
    for owner, j, rule, r_i in kernel.red_issue:  # the planner's predicate, on a column
        if r_i not in od.inactive:
            violated[:, owner] |= issue_line_crossed(rule, x[:, j])
    return before & ~violated, violated


def _wins(v: VenueData, accept: BoolArray) -> BoolArray:
    if v.game is None:
        return np.zeros(accept.shape[0], dtype=bool)
    return wins_batch(v.game, accept[:, v.members])


def option_domains(kernel: OptionKernel) -> Sequence[tuple[str, ...]]:
    """The coverage columns of each option: its mission's domains, then ``all``."""
    return [(*od.domains, "all") for od in kernel.option_data]
