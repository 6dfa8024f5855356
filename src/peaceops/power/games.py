r"""Simple games: one frozen representation of a yes/no decision rule over named players.

A *simple game* says, for every coalition :math:`S \subseteq N` of the players, whether ``S``
wins (can carry a decision) or loses. Every rule peaceops models is one
:class:`SimpleGame`:

.. math::

    S \text{ wins} \iff R \subseteq S \;\wedge\;
    \Bigl(\forall c:\ \sum_{i \in S} w_{c,i} \ge q_c \;\;\vee\;\; |N \setminus S| \le a\Bigr)

with ``criteria`` the pairs :math:`(w_c, q_c)` of non-negative integer weights and a positive
integer quota, ``required`` the set :math:`R` of players who must be in every winning coalition
(veto players, parties whose consent is needed) and ``max_against`` the number :math:`a` of
players who may vote against while the coalition still wins whatever the criteria say (the EU
Council's blocking-minority clause: a blocking minority needs :math:`a + 1` members). Without
``max_against`` the disjunction reduces to the criteria.

The constructors below cover the kinds in use:

=====================  =============================================================
:func:`weighted_game`   weighted quota game :math:`[q; w_1, \dots, w_n]`, optional vetoes
:func:`count_quota_game`  at least ``quota`` members, including all veto players
:func:`multi_quota_game`  several weight vectors, each with its quota, all to be met, and
                          a blocking-minority clause (the EU Council's Lisbon rule)
:func:`unanimity_game`  every player must agree
:func:`consent_game`    every named party must agree; the other players have no say
=====================  =============================================================

Non-integer weights (populations in millions, GDP shares) are scaled exactly: every weight and
the quota of one criterion are turned into :class:`fractions.Fraction`, multiplied by the least
common multiple of the weights' denominators, and the scaled quota is rounded *up*. That
rounding is exact, not an approximation: the scaled weight of any coalition is an integer, so
it reaches the quota :math:`q` if and only if it reaches :math:`\lceil q \rceil`. Accepted number
types are ``int`` (and NumPy integers), :class:`fractions.Fraction`, :class:`decimal.Decimal`,
and ``float`` only when it holds an integer (``83516593.0``); any other float is rejected, since
its binary value is rarely the number meant: pass ``Decimal("2.5")`` or ``Fraction(5, 2)``. A
share of a total is written exactly as, for example, ``Fraction(65, 100) * sum(populations)``.

References
----------
.. [1] Taylor, A. D., and Zwicker, W. S. (1999). *Simple Games: Desirability Relations,
   Trading, Pseudoweightings*. Princeton University Press. ISBN 978-0-691-00120-7.
.. [2] Felsenthal, D. S., and Machover, M. (1998). *The Measurement of Voting Power: Theory
   and Practice, Problems and Paradoxes*. Edward Elgar. ISBN 978-1-85898-805-1.

Examples
--------
>>> members = [f"M{i}" for i in range(1, 16)]
>>> unsc = count_quota_game(members, 9, vetoes=members[:5])
>>> is_winning(unsc, members[:9])
True
>>> is_winning(unsc, members[1:])
False
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Rational
from typing import Any, TypeAlias

import numpy as np

from peaceops.errors import Problem, ScenarioError

__all__ = [
    "Criterion",
    "Number",
    "SimpleGame",
    "consent_game",
    "count_quota_game",
    "is_winning",
    "multi_quota_game",
    "unanimity_game",
    "weighted_game",
]

#: Numbers accepted as weights and quotas (floats only when they hold an integer).
Number: TypeAlias = int | float | Fraction | Decimal | np.integer[Any]

_FILE = "<input>"


@dataclass(frozen=True, slots=True)
class Criterion:
    """One weight vector and its quota: a coalition meets it when its weight reaches the quota.

    Attributes
    ----------
    weights
        Non-negative integer weight of each player, in the game's player order.
    quota
        Positive integer, at most the sum of the weights.
    """

    weights: tuple[int, ...]
    quota: int


@dataclass(frozen=True)
class SimpleGame:
    r"""A yes/no rule over named players (see the module docstring for the winning condition).

    Build one with the constructors (:func:`weighted_game`, :func:`multi_quota_game`, ...);
    direct construction validates the same way.

    Attributes
    ----------
    players
        Unique non-empty player names; their order is the order of every result.
    criteria
        Weight vectors with quotas, all to be met (may be empty when ``required`` decides).
    required
        Players every winning coalition must contain (veto players, consenting parties),
        kept in player order.
    max_against
        When not ``None``, a coalition with at most this many players outside it also wins
        (a blocking minority needs ``max_against + 1`` players).

    Raises
    ------
    ScenarioError
        Duplicate or empty names, weights of the wrong length or sign, a quota below 1 or
        above the criterion's total weight, unknown required players, ``max_against`` outside
        ``0 .. n - 1``, or a rule under which the empty coalition wins.
    """

    players: tuple[str, ...]
    criteria: tuple[Criterion, ...] = ()
    required: tuple[str, ...] = ()
    max_against: int | None = None

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        players = tuple(self.players)
        n = len(players)
        if n == 0:
            problems.append(_problem("players", "a game needs at least one player"))
        for i, name in enumerate(players):
            if not isinstance(name, str) or not name:
                problems.append(
                    _problem(f"players[{i}]", f"must be a non-empty string, got {name!r}")
                )
        seen: set[str] = set()
        for i, name in enumerate(players):
            if name in seen:
                problems.append(_problem(f"players[{i}]", f"duplicate player {name!r}"))
            seen.add(name)
        for c, crit in enumerate(self.criteria):
            problems += _check_criterion(crit, n, f"criteria[{c}]")
        required = tuple(self.required)
        for i, name in enumerate(required):
            if name not in seen:
                problems.append(_problem(f"required[{i}]", f"unknown player {name!r}"))
        if len(set(required)) != len(required):
            problems.append(_problem("required", f"lists a player twice: {required!r}"))
        a = self.max_against
        if a is not None and (isinstance(a, bool) or not isinstance(a, int) or not 0 <= a < n):
            problems.append(
                _problem("max_against", f"must be an integer in 0..{n - 1} (or None), got {a!r}")
            )
        if not self.criteria and not required:
            problems.append(
                _problem("criteria", "no criteria and no required players: every coalition wins")
            )
        if problems:
            raise ScenarioError(problems)
        order = {name: i for i, name in enumerate(players)}
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "criteria", tuple(self.criteria))
        object.__setattr__(self, "required", tuple(sorted(set(required), key=order.__getitem__)))

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    def index_of(self, player: str) -> int:
        """Position of ``player`` in :attr:`players`."""
        try:
            return self.players.index(player)
        except ValueError:
            raise ScenarioError([_problem("player", f"unknown player {player!r}")]) from None


def weighted_game(
    weights: Sequence[Number],
    quota: Number,
    *,
    players: Sequence[str] | None = None,
    vetoes: Iterable[str] = (),
) -> SimpleGame:
    r"""The weighted quota game :math:`[q; w_1, \dots, w_n]`: ``S`` wins iff :math:`w(S) \ge q`.

    Parameters
    ----------
    weights
        Non-negative weight of each player (see the module docstring for accepted numbers).
    quota
        Positive quota, at most the total weight.
    players
        Player names; default ``P1 .. Pn``.
    vetoes
        Players who must be in every winning coalition.

    Returns
    -------
    SimpleGame

    Raises
    ------
    ScenarioError
        Negative or non-exact weights, a quota outside ``(0, total]``, names of the wrong
        number, unknown veto players.

    Examples
    --------
    >>> g = weighted_game([4, 4, 4, 2, 2, 1], 12)
    >>> g.criteria[0].quota, g.players[:2]
    (12, ('P1', 'P2'))
    """
    names = _names(players, len(weights))
    crit = _exact_criterion(weights, quota, "weights", "quota")
    return SimpleGame(names, (crit,), tuple(vetoes))


def count_quota_game(
    players: Sequence[str], quota: int, *, vetoes: Iterable[str] = ()
) -> SimpleGame:
    """At least ``quota`` players must agree, including every veto player.

    The UN Security Council (Charter art. 27(3)) is ``count_quota_game(members, 9,
    vetoes=permanent_five)`` over its 15 members.

    Parameters
    ----------
    players
        Player names.
    quota
        Number of players needed, ``1 .. len(players)``.
    vetoes
        Players who must be among them.

    Returns
    -------
    SimpleGame

    Examples
    --------
    Three of five members, and ``P`` may veto:

    >>> g = count_quota_game(["P", "Q", "R", "S", "T"], 3, vetoes=["P"])
    >>> is_winning(g, ["P", "Q", "R"]), is_winning(g, ["Q", "R", "S", "T"])
    (True, False)
    """
    names = tuple(players)
    if isinstance(quota, bool) or not isinstance(quota, Integral):
        raise ScenarioError([_problem("quota", f"must be an integer, got {quota!r}")])
    return SimpleGame(names, (Criterion((1,) * len(names), int(quota)),), tuple(vetoes))


def unanimity_game(players: Sequence[str]) -> SimpleGame:
    """Every player must agree: only the grand coalition wins; every player is a veto player.

    Examples
    --------
    >>> g = unanimity_game(["A", "B", "C"])
    >>> is_winning(g, ["A", "B", "C"]), is_winning(g, ["A", "B"])
    (True, False)
    """
    names = tuple(players)
    return SimpleGame(names, (), names)


def consent_game(players: Sequence[str], parties: Iterable[str]) -> SimpleGame:
    """A coalition wins iff it contains every named party; the other players are dummies.

    Models consent-based deployment: e.g. a peace operation needs the host nation and the
    adversary to consent, whatever the other stakeholders think.

    Parameters
    ----------
    players
        Player names.
    parties
        The players whose consent is needed (at least one).

    Examples
    --------
    Only the parties decide; the other players are dummies:

    >>> g = consent_game(["HOST", "ADV", "THIRD"], ["HOST", "ADV"])
    >>> is_winning(g, ["HOST", "ADV"]), is_winning(g, ["HOST", "THIRD"])
    (True, False)
    """
    names = tuple(players)
    needed = tuple(parties)
    if not needed:
        raise ScenarioError([_problem("parties", "name at least one party whose consent counts")])
    return SimpleGame(names, (), needed)


def multi_quota_game(
    players: Sequence[str],
    criteria: Sequence[tuple[Sequence[Number], Number]],
    *,
    min_blocking: int | None = None,
    vetoes: Iterable[str] = (),
) -> SimpleGame:
    """Several weight vectors, each with a quota, all to be met; optional blocking clause.

    Parameters
    ----------
    players
        Player names.
    criteria
        ``(weights, quota)`` pairs. A member count is ``([1] * n, k)``; a population share is
        ``(populations, Fraction(65, 100) * sum(populations))``.
    min_blocking
        When given, a blocking minority needs at least this many players: a coalition with at
        most ``min_blocking - 1`` players outside it wins whatever the criteria say (EU: 4).
    vetoes
        Players who must be in every winning coalition.

    Returns
    -------
    SimpleGame

    Raises
    ------
    ScenarioError
        Bad weights or quotas (paths ``criteria[c].weights[i]``, ``criteria[c].quota``), no
        criteria, ``min_blocking`` outside ``1 .. len(players)``, unknown veto players.

    Examples
    --------
    The EU Council's rule on four states of populations 60, 40, 30, 10 (blocking needs 2):

    >>> from fractions import Fraction
    >>> pop = [60, 40, 30, 10]
    >>> g = multi_quota_game(
    ...     ["A", "B", "C", "D"],
    ...     [([1] * 4, 3), (pop, Fraction(65, 100) * sum(pop))],
    ...     min_blocking=2,
    ... )
    >>> is_winning(g, ["A", "B", "D"]), is_winning(g, ["B", "C", "D"])
    (True, True)
    >>> is_winning(g, ["A", "B"])
    False
    """
    names = tuple(players)
    n = len(names)
    problems: list[Problem] = []
    if not criteria:
        problems.append(_problem("criteria", "give at least one (weights, quota) criterion"))
    crits: list[Criterion] = []
    for c, entry in enumerate(criteria):
        try:
            weights, quota = entry
        except (TypeError, ValueError):
            problems.append(
                _problem(f"criteria[{c}]", f"must be a (weights, quota) pair, got {entry!r}")
            )
            continue
        if len(weights) != n:
            problems.append(
                _problem(f"criteria[{c}].weights", f"has {len(weights)} entries for {n} players")
            )
            continue
        try:
            crits.append(
                _exact_criterion(weights, quota, f"criteria[{c}].weights", f"criteria[{c}].quota")
            )
        except ScenarioError as exc:
            problems += exc.problems
    max_against: int | None = None
    if min_blocking is not None:
        if isinstance(min_blocking, bool) or not isinstance(min_blocking, Integral):
            problems.append(_problem("min_blocking", f"must be an integer, got {min_blocking!r}"))
        elif not 1 <= min_blocking <= n:
            problems.append(
                _problem(
                    "min_blocking",
                    f"must be in 1..{n} (the number of players), got {min_blocking!r}",
                )
            )
        else:
            max_against = int(min_blocking) - 1
    if problems:
        raise ScenarioError(problems)
    return SimpleGame(names, tuple(crits), tuple(vetoes), max_against)


def is_winning(game: SimpleGame, coalition: Iterable[str]) -> bool:
    """Whether the players in ``coalition`` carry a decision under ``game``.

    Raises
    ------
    ScenarioError
        A name in ``coalition`` is not a player of ``game``.

    Examples
    --------
    >>> from peaceops.power import weighted_game
    >>> g = weighted_game([2, 1, 1], 3, players=["A", "B", "C"])
    >>> is_winning(g, ["A", "C"]), is_winning(g, ["B", "C"])
    (True, False)
    """
    members = list(coalition)
    index = {name: i for i, name in enumerate(game.players)}
    unknown = [
        _problem(f"coalition[{k}]", f"unknown player {name!r}")
        for k, name in enumerate(members)
        if name not in index
    ]
    if unknown:
        raise ScenarioError(unknown)
    chosen = {index[name] for name in members}
    if any(index[r] not in chosen for r in game.required):
        return False
    if game.max_against is not None and game.n_players - len(chosen) <= game.max_against:
        return True
    return all(sum(c.weights[i] for i in chosen) >= c.quota for c in game.criteria)


def _problem(path: str, message: str) -> Problem:
    return Problem(file=_FILE, line=None, path=path, message=message)


def _names(players: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if players is None:
        return tuple(f"P{i}" for i in range(1, n + 1))
    names = tuple(players)
    if len(names) != n:
        raise ScenarioError(
            [_problem("players", f"{len(names)} names given for {n} weights: {names!r}")]
        )
    return names


def _check_criterion(crit: Criterion, n: int, path: str) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(crit, Criterion):
        return [_problem(path, f"must be a Criterion, got {crit!r}")]
    if len(crit.weights) != n:
        problems.append(
            _problem(f"{path}.weights", f"has {len(crit.weights)} entries for {n} players")
        )
    for i, w in enumerate(crit.weights):
        if isinstance(w, bool) or not isinstance(w, int) or w < 0:
            problems.append(
                _problem(f"{path}.weights[{i}]", f"must be a non-negative int, got {w!r}")
            )
    q = crit.quota
    if isinstance(q, bool) or not isinstance(q, int):
        problems.append(_problem(f"{path}.quota", f"must be an int, got {q!r}"))
    elif not problems:
        total = sum(crit.weights)
        if q < 1:
            problems.append(_problem(f"{path}.quota", f"must be positive, got {q!r}"))
        elif q > total:
            problems.append(
                _problem(
                    f"{path}.quota", f"{q!r} is above the total weight {total}: no coalition wins"
                )
            )
    return problems


def _exact(value: object, path: str) -> Fraction | Problem:
    """``value`` as an exact Fraction, or the problem with it."""
    if isinstance(value, bool):
        return _problem(path, f"must be a number, got {value!r}")
    if isinstance(value, Integral):
        return Fraction(int(value))
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return _problem(path, f"must be finite, got {value!r}")
        return Fraction(value)
    if isinstance(value, float):
        if value.is_integer():
            return Fraction(int(value))
        return _problem(
            path,
            f"float {value!r} is not an integer; pass Decimal({str(value)!r}) or a Fraction "
            "so it can be scaled exactly",
        )
    return _problem(path, f"must be an int, Fraction or Decimal, got {value!r}")


def _exact_criterion(weights: Sequence[Number], quota: Number, wpath: str, qpath: str) -> Criterion:
    problems: list[Problem] = []
    exact: list[Fraction] = []
    for i, w in enumerate(weights):
        got = _exact(w, f"{wpath}[{i}]")
        if isinstance(got, Problem):
            problems.append(got)
        elif got < 0:
            problems.append(_problem(f"{wpath}[{i}]", f"must be non-negative, got {w!r}"))
        else:
            exact.append(got)
    q = _exact(quota, qpath)
    if isinstance(q, Problem):
        problems.append(q)
    if problems:
        raise ScenarioError(problems)
    assert isinstance(q, Fraction)
    total = sum(exact, Fraction(0))
    if q <= 0:
        raise ScenarioError([_problem(qpath, f"must be positive, got {quota!r}")])
    if q > total:
        raise ScenarioError(
            [_problem(qpath, f"{quota!r} is above the total weight {total}: no coalition wins")]
        )
    scale = math.lcm(*(w.denominator for w in exact)) if exact else 1
    ints = tuple(int(w * scale) for w in exact)
    return Criterion(ints, math.ceil(q * scale))
