"""Venue verdicts: does a decision body authorise, given which of its members say yes?

A scenario's venue (members by group and actor, a rule) decides on a proposal once each member
has said yes or no. This module answers, for one set of yes-voters: authorised or not, which
members blocked (veto players who said no, or the no-voters when no veto was used), and who was
pivotal (a member whose switch alone would change the verdict, i.e. a swing in the sense of
Banzhaf 1965).

Every answer comes from the venue's compiled simple game (:func:`venue_game`), the same game
whose power indices :mod:`peaceops.power` computes, so verdicts and power rest on one rule.

The game is played by the venue's members that are actors of the scenario. Members that come
from a packaged reference list without an actor entry (*silent members*) vote as the venue's
``silent_vote`` says - ``abstain`` by default, because a scenario should not invent support or
opposition nobody has stated; a scenario that knows better (a resolution passed unanimously)
says ``yes`` and cites it. Silent yes-votes count towards quotas, so the game's quota falls by
their number. Abstention follows the venue's ``abstention`` rule: ``blocks`` (an abstention
counts as a no; plain unanimity), ``constructive`` (an abstaining member does not block a
unanimous decision; TEU art. 31(1)) or ``not_a_veto`` (an abstaining veto player does not veto,
as in the Security Council's practice under Charter art. 27(3), but does not add a vote
either). Members listed as ``abstainers`` abstain, rather than vote no, on a design they do not
accept. Deviation: the EU's limit on constructive abstention (abstainers representing a third
of the members and of the population stop the decision) is not modelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from peaceops._memo import memo_on
from peaceops.errors import OptionError
from peaceops.power import (
    PowerResult,
    SimpleGame,
    count_quota_game,
    is_winning,
    multi_quota_game,
    power_indices,
    unanimity_game,
    weighted_game,
)
from peaceops.scenario.model import (
    Consent,
    CountQuota,
    MultiQuota,
    OptIn,
    Scenario,
    Unanimity,
    Venue,
    Weighted,
)
from peaceops.scenario.tables import venue_rows

__all__ = [
    "VenueVerdict",
    "venue_game",
    "venue_power",
    "venue_table",
    "venue_verdict",
    "veto_players",
    "wins",
    "wins_batch",
]


@dataclass(frozen=True)
class VenueVerdict:
    """A venue's decision on one proposal.

    Attributes
    ----------
    venue
        Venue id.
    authorised
        Whether the yes-voters form a winning coalition.
    yes, no
        Members who accepted and who did not, in scenario order.
    blockers
        When not authorised: the veto players among the no-voters, or all no-voters if none of
        them holds a veto. Empty when authorised.
    pivotal
        Members whose switch alone would flip the verdict.
    """

    venue: str
    authorised: bool
    yes: tuple[str, ...]
    no: tuple[str, ...]
    blockers: tuple[str, ...]
    pivotal: tuple[str, ...]


def venue_game(scenario: Scenario, venue: Venue) -> SimpleGame:
    """Compile ``venue`` into the exact simple game of :mod:`peaceops.power` over its members.

    Rules map as follows: ``unanimity`` and ``consent`` (every member) → unanimity;
    ``opt_in`` → a count quota of ``min_members``; ``count_quota`` → a count quota with veto
    players; ``weighted`` → a weighted game with veto players (weights default to 1);
    ``multi_quota`` → one criterion per weight vector with quota ``share x total`` and the
    blocking clause (a coalition also wins when fewer than ``min_blocking`` members are outside).
    Weights and shares are converted exactly (``Decimal``/``Fraction`` of their decimal text),
    so a coalition exactly at a quota wins.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("ukraine-2025-04")
    >>> game = venue_game(s, s.venue("UNSC"))  # 15 members, quota 9, five vetoes
    >>> len(game.players), game.criteria[0].quota, game.required
    (15, 9, ('RUS', 'USA', 'GBR', 'FRA', 'CHN'))

    The game depends on the frozen scenario and the venue alone, so it is compiled once per
    scenario object and venue (:func:`peaceops._memo.memo_on`): an analysis asks for each
    venue's game tens of thousands of times (every verdict of every design it plans).
    """
    # the venue is kept in the entry so that its identity cannot be reused while it is cached
    _, game = memo_on(
        scenario, ("venue_game", id(venue)), lambda: (venue, _compile(scenario, venue))
    )
    return game


def _compile(scenario: Scenario, venue: Venue) -> SimpleGame:
    members = scenario.resolve_members(venue.members)
    rule = venue.rule
    silent_yes = len(scenario.silent_members(venue.members)) if venue.silent_vote == "yes" else 0
    abstain = set(scenario.resolve_members(venue.abstainers))
    if isinstance(rule, Unanimity | Consent):
        if venue.abstention == "blocks" or not abstain & set(members):
            return unanimity_game(members)
        needed = tuple(m for m in members if m not in abstain)
        return count_quota_game(members, max(1, len(needed)), vetoes=needed)
    if isinstance(rule, OptIn):
        return count_quota_game(members, max(1, rule.min_members - silent_yes))
    if isinstance(rule, CountQuota):
        vetoes = scenario.resolve_members(rule.vetoes)
        if venue.abstention == "not_a_veto":
            vetoes = tuple(v for v in vetoes if v not in abstain)
        return count_quota_game(members, max(1, rule.quota - silent_yes), vetoes=vetoes)
    if isinstance(rule, Weighted):
        return weighted_game(
            [_exact(rule.weights.get(a, 1.0)) for a in members],
            _exact(rule.quota),
            players=members,
            vetoes=scenario.resolve_members(rule.vetoes),
        )
    if isinstance(rule, MultiQuota):
        criteria = []
        for criterion in rule.criteria:
            weights = [_exact(_weight(scenario, a, criterion.weight)) for a in members]
            quota = Fraction(str(criterion.share)) * sum(Fraction(w) for w in weights)
            criteria.append((weights, quota))
        return multi_quota_game(members, criteria, min_blocking=rule.min_blocking)
    raise TypeError(f"unknown venue rule {rule!r}")


def wins(scenario: Scenario, venue: Venue, yes: Iterable[str]) -> bool:
    """Whether members ``yes`` (non-members are ignored) carry a decision in ``venue``.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("ukraine-2025-04")
    >>> wins(s, s.venue("UNSC"), ["USA", "GBR", "FRA", "CHN", "RUS"])  # 5 votes, quota 9
    False
    """
    game = venue_game(scenario, venue)
    coalition = frozenset(yes) & frozenset(game.players)
    return memo_on(scenario, ("wins", id(venue), coalition), lambda: is_winning(game, coalition))


def wins_batch(game: SimpleGame, yes: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """:func:`~peaceops.power.games.is_winning` for many coalitions at once.

    The vectorised twin of :func:`wins` that the sweep uses: row ``k`` of ``yes`` (``(b,
    n_players)``, in the game's player order) marks who says yes. Same rule, same exact
    integer arithmetic (int64 when the weights allow, Python integers otherwise); a property
    test checks the two agree on random games and coalitions.

    Examples
    --------
    >>> from peaceops.power import weighted_game
    >>> game = weighted_game([3, 2, 1], 4, players=["a", "b", "c"])
    >>> wins_batch(game, np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1]], dtype=bool)).tolist()
    [True, True, False]
    """
    out = np.ones(yes.shape[0], dtype=np.bool_)
    where = {name: i for i, name in enumerate(game.players)}
    for name in game.required:
        out &= yes[:, where[name]]
    meets = np.ones_like(out)
    for c in game.criteria:
        small = sum(c.weights) < 2**62
        w = np.array(c.weights, dtype=np.int64 if small else object)
        meets &= np.asarray(yes.astype(w.dtype) @ w >= c.quota, dtype=np.bool_)
    if game.max_against is not None:
        meets |= game.n_players - yes.sum(axis=1) <= game.max_against
    return np.asarray(out & meets, dtype=np.bool_)


def veto_players(scenario: Scenario, venue: Venue) -> tuple[str, ...]:
    """Members without whom no coalition wins.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("ukraine-2025-04")
    >>> veto_players(s, s.venue("UNSC"))
    ('RUS', 'USA', 'GBR', 'FRA', 'CHN')
    """
    game = venue_game(scenario, venue)
    everyone = set(game.players)
    return memo_on(
        scenario,
        ("veto_players", id(venue)),
        lambda: tuple(a for a in game.players if not is_winning(game, everyone - {a})),
    )


def venue_verdict(scenario: Scenario, venue_id: str, accepting: Iterable[str]) -> VenueVerdict:
    """The verdict of venue ``venue_id`` when the actors in ``accepting`` say yes.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> v = venue_verdict(load_scenario("ukraine-2025-04"), "UNSC", ["USA", "GBR", "FRA", "CHN"])
    >>> v.authorised, v.blockers
    (False, ('RUS',))
    """
    venue = scenario.venue(venue_id)
    members = scenario.resolve_members(venue.members)
    accept = frozenset(accepting)
    yes = tuple(a for a in members if a in accept)
    no = tuple(a for a in members if a not in accept)
    authorised = wins(scenario, venue, yes)
    pivotal = tuple(a for a in members if wins(scenario, venue, set(yes) ^ {a}) != authorised)
    blockers: tuple[str, ...] = ()
    if not authorised:
        vetoes = set(veto_players(scenario, venue))
        blockers = tuple(a for a in no if a in vetoes) or no
    return VenueVerdict(venue_id, authorised, yes, no, blockers, pivotal)


def _weight(scenario: Scenario, actor_id: str, kind: str) -> float:
    if kind == "count":
        return 1.0
    actor = scenario.actor(actor_id)
    figure = actor.population if kind == "population" else actor.gdp_usd
    if figure is None:  # the scenario checks guarantee figures for weighted members
        raise OptionError(f"actors[{actor_id}].{kind}", f"actor {actor_id!r} has no {kind} figure")
    return figure.value


def venue_table(scenario: Scenario) -> list[dict[str, Any]]:
    """The scenario's venue rows (rule, members) with each venue's exact veto players.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> rows = venue_table(load_scenario("ukraine-2025-04"))
    >>> [r["venue"] for r in rows][:3], rows[0]["n_members"]
    (['UNSC', 'NATO', 'EU'], 15)
    """
    rows = venue_rows(scenario)
    for row, venue in zip(rows, scenario.venues, strict=True):
        row["veto_players"] = ", ".join(veto_players(scenario, venue))
    return rows


def venue_power(scenario: Scenario) -> dict[str, PowerResult]:
    """Exact power indices of every venue's members (all six indices), by venue id.

    Examples
    --------
    The template's Security Council has three members, two with a veto and quota 2: the two
    permanent members must both agree and suffice, so they share the power and the elected
    member is a dummy.

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> power = venue_power(s)
    >>> power["UNSC"].players, power["UNSC"].as_float("shapley_shubik")
    (('ADV', 'LDR', 'NTR'), (0.5, 0.5, 0.0))
    """
    return {v.id: power_indices(venue_game(scenario, v)) for v in scenario.venues}


def _exact(value: float) -> Decimal:
    """A scenario number as an exact decimal (its shortest decimal text)."""
    return Decimal(repr(float(value)))
