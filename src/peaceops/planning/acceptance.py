r"""Acceptability of a design: each actor's utility, its red lines, and the venues' verdicts.

An actor :math:`i` with stances (position :math:`p_{ik}`, salience :math:`s_{ik}`) values a
design at issue values :math:`x` by a spatial loss, linear or quadratic:

.. math::

    u_i^{\mathrm{lin}}(x) = -\sum_k s_{ik}\,|x_k - p_{ik}|, \qquad
    u_i^{\mathrm{quad}}(x) = -\sum_k s_{ik}\,(x_k - p_{ik})^2 / 100 .

It **accepts** a design when :math:`u_i(x) \ge u_i(x^{sq})` (the status quo: every issue at its
status quo) and none of its own red lines is violated. Red lines are hard vetoes, whatever the
utility. Actors without stances and without red lines accept by default.

Venues decide on the acceptances through :func:`peaceops.venues.venue_verdict`. A
``requires_authorisation`` red line makes an actor's acceptance depend on a venue's verdict,
which depends on acceptances in turn; we break the circle in one pass: the verdicts are
taken on the acceptances computed *without* ``requires_authorisation`` red lines
(``accepts_before_authorisation``), and those red lines are applied afterwards. The
``authorised_by`` conditions of pledges read the same verdicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from peaceops._frames import FrameMixin
from peaceops.errors import Problem, ScenarioError
from peaceops.planning.design import (
    SCALE,
    Deployment,
    Design,
    deployment,
    scaled,
    scaled_issue_values,
)
from peaceops.scenario.model import (
    AuthorisedBy,
    IssueMax,
    IssueMin,
    Members,
    NoTroops,
    RedIssueMax,
    RedIssueMin,
    RedLine,
    RedLineCondition,
    RequiresAuthorisation,
    Scenario,
)
from peaceops.scenario.tables import WHERE_WORDS, describe_red_line
from peaceops.venues import VenueVerdict, venue_verdict

__all__ = ["Acceptance", "DesignEvaluation", "UtilityForm", "evaluate_design"]

UtilityForm = Literal["linear", "quadratic"]
UTILITY_FORMS: tuple[str, ...] = ("linear", "quadratic")

#: Saliences enter the integer model in ten-thousandths.
SALIENCE_SCALE = 10_000
_N_HURT = 3


@dataclass(frozen=True)
class LossTerm:
    """One issue of an actor's loss, in integers: salience x 10^4, position in hundredths."""

    issue: str
    weight: int
    position: int


def loss_terms(scenario: Scenario, actor: str) -> tuple[LossTerm, ...]:
    """The actor's stances with non-zero salience, as integer loss terms, in issue order."""
    stances = scenario.stances.get(actor, {})
    out = []
    for issue in scenario.issues:
        st = stances.get(issue.id)
        if st is None:
            continue
        weight = round(st.salience * SALIENCE_SCALE)
        if weight > 0:
            out.append(LossTerm(issue.id, weight, scaled(st.position)))
    return tuple(out)


def term_loss(term: LossTerm, value: int, form: str) -> int:
    """Loss of one term at issue value ``value`` (hundredths), in integer units."""
    gap = value - term.position
    return term.weight * (gap * gap if form == "quadratic" else abs(gap))


def loss(terms: tuple[LossTerm, ...], values: Mapping[str, int], form: str) -> int:
    """Total integer loss of ``terms`` at ``values``; lower is better."""
    return sum(term_loss(t, values[t.issue], form) for t in terms)


def utility_of_loss(value: int, form: str) -> float:
    """The utility in the units of the module formula from an integer loss."""
    if form == "quadratic":
        return -value / (SALIENCE_SCALE * SCALE * SCALE * 100)
    return -value / (SALIENCE_SCALE * SCALE)


def status_quo_values(scenario: Scenario) -> dict[str, int]:
    """Every issue at its status quo, in hundredths."""
    return {i.id: scaled(i.status_quo) for i in scenario.issues}


def no_troops_from(scenario: Scenario, rule: NoTroops) -> frozenset[str]:
    """Actors whose troops a ``no_troops`` rule bars."""
    groups = (rule.from_group,) if rule.from_group else ()
    return frozenset(scenario.resolve_members(Members(groups=groups, actors=rule.from_actors)))


def where_barred(rule: NoTroops, location: str) -> bool:
    """Whether a ``no_troops`` rule bars units serving at ``location``."""
    return rule.where == "anywhere" or rule.where == location


def troops_barred(barred: frozenset[str], rule: NoTroops, actor: str, location: str) -> bool:
    """The one ``no_troops`` predicate: whether ``rule`` (barring the actors ``barred``, see
    :func:`no_troops_from`) bars a unit of ``actor`` serving at ``location``.

    The planner's model, its authorisation step, the acceptance check and the sweep's
    compiled options all ask this function.

    >>> from peaceops.scenario.model import NoTroops
    >>> rule = NoTroops(kind="no_troops", from_actors=("A",))
    >>> [troops_barred(frozenset({"A"}), rule, "A", w) for w in ("at_sea", "host_territory")]
    [False, True]
    """
    return actor in barred and where_barred(rule, location)


def issue_line_crossed(
    rule: RedIssueMin | RedIssueMax, value: int | npt.NDArray[np.int64]
) -> bool | npt.NDArray[np.bool_]:
    """The one issue red-line predicate: whether issue value(s) ``value`` (hundredths, an int
    or an int array: the sweep's twin passes a column of replicates) cross ``rule``.

    >>> from peaceops.scenario.model import RedIssueMin
    >>> rule = RedIssueMin(kind="issue_min", issue="share", value=40.0)
    >>> issue_line_crossed(rule, 3999), issue_line_crossed(rule, 4000)
    (True, False)
    """
    bound = scaled(rule.value)
    return value < bound if isinstance(rule, RedIssueMin) else value > bound


def check_utility_form(form: str) -> None:
    """Raise ``ScenarioError`` unless ``form`` is a known utility form."""
    if form not in UTILITY_FORMS:
        raise ScenarioError(
            [
                Problem(
                    "<options>",
                    None,
                    "utility",
                    f"{form!r} is not one of {', '.join(UTILITY_FORMS)}",
                )
            ]
        )


@dataclass(frozen=True)
class Acceptance:
    """One actor's judgement of a design.

    Attributes
    ----------
    actor
        Actor id.
    accepts
        Final acceptance: utility at least the status quo's and no red line violated.
    accepts_before_authorisation
        Acceptance without ``requires_authorisation`` red lines: what the venues count.
    utility, status_quo_utility
        The actor's utility of the design and of the status quo.
    by_default
        True for an actor without stances and red lines (it accepts by default).
    violated
        Ids of the actor's red lines the design violates.
    reasons
        Why it rejects, one sentence each (empty when it accepts).
    """

    actor: str
    accepts: bool
    accepts_before_authorisation: bool
    utility: float
    status_quo_utility: float
    by_default: bool
    violated: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DesignEvaluation(FrameMixin):
    """Issue values, every actor's acceptance and every venue's verdict on one design.

    Attributes
    ----------
    design
        The design evaluated.
    utility_form
        ``"linear"`` or ``"quadratic"``.
    issue_values
        Issue id -> value on 0..100.
    deployed
        The design's units by pledge.
    acceptances
        One :class:`Acceptance` per actor, in scenario order.
    verdicts
        One verdict per venue (on ``accepts_before_authorisation``), in scenario order.
    """

    design: Design
    utility_form: str
    issue_values: Mapping[str, float]
    deployed: tuple[Deployment, ...]
    acceptances: tuple[Acceptance, ...]
    verdicts: tuple[VenueVerdict, ...]

    def acceptance(self, actor: str) -> Acceptance:
        """The acceptance of ``actor`` (``KeyError`` if unknown)."""
        for a in self.acceptances:
            if a.actor == actor:
                return a
        raise KeyError(actor)

    def verdict(self, venue: str) -> VenueVerdict:
        """The verdict of ``venue`` (``KeyError`` if unknown)."""
        for v in self.verdicts:
            if v.venue == venue:
                return v
        raise KeyError(venue)

    @property
    def accepting(self) -> tuple[str, ...]:
        """Actors who accept, in scenario order."""
        return tuple(a.actor for a in self.acceptances if a.accepts)

    @property
    def rejecting(self) -> tuple[str, ...]:
        """Actors who reject, in scenario order."""
        return tuple(a.actor for a in self.acceptances if not a.accepts)

    @property
    def authorised(self) -> bool:
        """Whether the design's own route authorises it."""
        return self.verdict(self.design.route).authorised

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per actor: acceptance, utilities, violated red lines and reasons."""
        return [
            {
                "actor": a.actor,
                "accepts": a.accepts,
                "utility": a.utility,
                "status_quo_utility": a.status_quo_utility,
                "by_default": a.by_default,
                "violated": ", ".join(a.violated),
                "reasons": "; ".join(a.reasons),
            }
            for a in self.acceptances
        ]

    def verdict_rows(self) -> list[dict[str, Any]]:
        """One row per venue: authorised, yes and no voters, blockers, pivotal members."""
        return [
            {
                "venue": v.venue,
                "authorised": v.authorised,
                "n_yes": len(v.yes),
                "n_no": len(v.no),
                "blockers": ", ".join(v.blockers),
                "pivotal": ", ".join(v.pivotal),
            }
            for v in self.verdicts
        ]

    def to_frame(self) -> pd.DataFrame:
        """:meth:`to_rows` as a DataFrame indexed by actor."""
        return pd.DataFrame(self.to_rows()).set_index("actor")


def evaluate_design(
    scenario: Scenario, design: Design, *, utility: UtilityForm = "linear"
) -> DesignEvaluation:
    r"""Evaluate ``design``: issue values, each actor's acceptance, each venue's verdict.

    Parameters
    ----------
    scenario
        A validated scenario.
    design
        The design (mission, choices, allocation of units to pledges).
    utility
        ``"linear"`` (default) or ``"quadratic"`` loss; see the module docstring.

    Returns
    -------
    DesignEvaluation
        Acceptances in actor order and verdicts in venue order.

    Raises
    ------
    ScenarioError
        When the design refers to unknown ids or over-allocates a pledge, or ``utility`` is
        unknown.

    Notes
    -----
    Red lines: ``no_troops`` is violated by any unit of the named actors (or group members) on
    host territory (``where: host_territory``) or anywhere in the design (``anywhere``);
    ``issue_min``/``issue_max`` compare the design's issue value; ``requires_authorisation``
    needs the design's route to be that venue and the venue to authorise (verdict on the
    acceptances before authorisation, see the module docstring). Utilities use issue values in
    hundredths and saliences in ten-thousandths, in integers, so that acceptance here and in
    the CP-SAT model agree exactly; ties (utility equal to the status quo's) accept.

    The spatial utility is the city-block or quadratic loss of the negotiation literature
    (Achen 2006); red lines model national caveats as hard constraints (Saideman and
    Auerswald 2012).

    References
    ----------
    .. [1] Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson,
       F. N. Stokman, C. H. Achen and T. König (eds.), *The European Union Decides*,
       pp. 264-298. Cambridge University Press. doi:10.1017/CBO9780511492082.011
    .. [2] Saideman, S. M. and Auerswald, D. P. (2012). Comparing caveats: understanding the
       sources of national restrictions upon NATO's mission in Afghanistan. *International
       Studies Quarterly* 56(1), 67-84. doi:10.1111/j.1468-2478.2011.00700.x

    Examples
    --------
    In the template scenario the adversary rejects any design with alliance troops on host
    territory (its red line), whatever its utility:

    >>> from peaceops.scenario import parse_scenario
    >>> from peaceops.planning import Design, evaluate_design
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> d = Design.from_mission(s.mission("monitors"), allocation={"ldr-inf": 2})
    >>> e = evaluate_design(s, d)
    >>> e.acceptance("ADV").accepts, e.acceptance("ADV").violated
    (False, ('adv-no-alliance',))
    """
    check_utility_form(utility)
    deployed = deployment(scenario, design)
    values = scaled_issue_values(scenario, design, deployed)
    sq = status_quo_values(scenario)
    reds: dict[str, list[RedLine]] = {}
    for red in scenario.red_lines:
        reds.setdefault(red.actor, []).append(red)

    base: dict[str, tuple[bool, list[str], list[str], int, int, bool]] = {}
    for actor in scenario.actors:
        terms = loss_terms(scenario, actor.id)
        own = reds.get(actor.id, [])
        d_loss, sq_loss = loss(terms, values, utility), loss(terms, sq, utility)
        violated, reasons = [], []
        for red in own:
            if isinstance(red.rule, RequiresAuthorisation) or not red_line_active(
                scenario, red, values, design.route, design.mission
            ):
                continue
            detail = _red_line_violation(scenario, red, values, deployed)
            if detail is not None:
                violated.append(red.id)
                reasons.append(f"red line {red.id}: {describe_red_line(red)} ({detail})")
        if d_loss > sq_loss:
            reasons.append(_utility_reason(scenario, terms, values, sq, utility, d_loss, sq_loss))
        by_default = not scenario.stances.get(actor.id) and not own
        base[actor.id] = (not reasons, violated, reasons, d_loss, sq_loss, by_default)

    before = [a for a, b in base.items() if b[0]]
    verdicts = tuple(venue_verdict(scenario, v.id, before) for v in scenario.venues)
    by_venue = {v.venue: v for v in verdicts}
    acceptances = []
    for actor in scenario.actors:
        ok, violated, reasons, d_loss, sq_loss, by_default = base[actor.id]
        violated, reasons = list(violated), list(reasons)
        for red in reds.get(actor.id, []):
            if isinstance(red.rule, RequiresAuthorisation) and red_line_active(
                scenario, red, values, design.route, design.mission
            ):
                detail = _authorisation_violation(design, red.rule, by_venue)
                if detail is not None:
                    violated.append(red.id)
                    reasons.append(f"red line {red.id}: {describe_red_line(red)} ({detail})")
        acceptances.append(
            Acceptance(
                actor=actor.id,
                accepts=not reasons,
                accepts_before_authorisation=ok,
                utility=utility_of_loss(d_loss, utility),
                status_quo_utility=utility_of_loss(sq_loss, utility),
                by_default=by_default,
                violated=tuple(violated),
                reasons=tuple(reasons),
            )
        )
    return DesignEvaluation(
        design=design,
        utility_form=utility,
        issue_values=MappingProxyType({k: v / SCALE for k, v in values.items()}),
        deployed=deployed,
        acceptances=tuple(acceptances),
        verdicts=verdicts,
    )


def condition_holds(
    scenario: Scenario,
    cond: RedLineCondition,
    values: Mapping[str, int],
    route: str,
    mission: str | None,
    threshold: float = 0.5,
) -> bool:
    """Whether a red line's ``when``/``unless`` condition holds for a design.

    ``issue_min``/``issue_max`` compare the design's issue value (hundredths); ``authorised_by``
    holds when the design's route is that venue (the venue's own verdict is the matter of a
    ``requires_authorisation`` rule); ``after_event`` holds when the mission concept presupposes
    the event or its probability is at least ``threshold``.
    """
    if isinstance(cond, IssueMin):
        return values[cond.issue] >= scaled(cond.value)
    if isinstance(cond, IssueMax):
        return values[cond.issue] <= scaled(cond.value)
    if isinstance(cond, AuthorisedBy):
        return route == cond.venue
    if mission is not None and cond.event in scenario.mission(mission).after_events:
        return True
    return any(e.id == cond.event and e.probability >= threshold for e in scenario.events)


def red_line_active(
    scenario: Scenario, red: RedLine, values: Mapping[str, int], route: str, mission: str | None
) -> bool:
    """Whether ``red`` holds for a design: it is active, its ``when`` holds and its ``unless``
    does not."""
    if not red.active:
        return False
    if red.when is not None and not condition_holds(scenario, red.when, values, route, mission):
        return False
    return red.unless is None or not condition_holds(scenario, red.unless, values, route, mission)


def _red_line_violation(
    scenario: Scenario, red: RedLine, values: Mapping[str, int], deployed: tuple[Deployment, ...]
) -> str | None:
    """Why ``red`` (not an authorisation rule) is violated, or ``None`` when it holds."""
    rule = red.rule
    if isinstance(rule, NoTroops):
        barred = no_troops_from(scenario, rule)
        offenders = sorted(
            {d.actor for d in deployed if troops_barred(barred, rule, d.actor, d.location)}
        )
        if offenders:
            where = "deployed" if rule.where == "anywhere" else WHERE_WORDS[rule.where]
            return f"units from {', '.join(offenders)} {where}"
        return None
    if isinstance(rule, RedIssueMin | RedIssueMax) and issue_line_crossed(rule, values[rule.issue]):
        return f"{rule.issue} is {values[rule.issue] / SCALE:g}"
    return None


def _authorisation_violation(
    design: Design, rule: RequiresAuthorisation, verdicts: Mapping[str, VenueVerdict]
) -> str | None:
    if design.route != rule.venue:
        return f"the route is {design.route}"
    verdict = verdicts[rule.venue]
    if not verdict.authorised:
        return f"{rule.venue} does not authorise: blocked by {', '.join(verdict.blockers)}"
    return None


def _utility_reason(
    scenario: Scenario,
    terms: tuple[LossTerm, ...],
    values: Mapping[str, int],
    sq: Mapping[str, int],
    form: str,
    d_loss: int,
    sq_loss: int,
) -> str:
    hurt = sorted(
        ((term_loss(t, values[t.issue], form) - term_loss(t, sq[t.issue], form), t) for t in terms),
        key=lambda pair: -pair[0],
    )
    worst = [
        f"{t.issue} (design {values[t.issue] / SCALE:g}, wants {t.position / SCALE:g}, "
        f"status quo {sq[t.issue] / SCALE:g})"
        for gain, t in hurt[:_N_HURT]
        if gain > 0
    ]
    return (
        f"utility {utility_of_loss(d_loss, form):.4g} below the status quo's "
        f"{utility_of_loss(sq_loss, form):.4g}; hurt most by {', '.join(worst)}"
    )
