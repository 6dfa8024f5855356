"""Brute-force oracle for the power tests: every index straight from its definition.

Independent of the engines: a rule is a plain function of a coalition (a set of player
positions), written by each test from the raw game description; the oracle enumerates all
``2^n`` coalitions (and, for small ``n``, all ``n!`` orders) with ``itertools``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

Rule = Callable[[frozenset[int]], bool]


@dataclass(frozen=True)
class OracleResult:
    swings: tuple[int, ...]
    n_winning: int
    n_minimal_winning: int
    veto: tuple[int, ...]
    shapley_shubik: tuple[Fraction, ...]
    banzhaf: tuple[Fraction, ...]
    normalized_banzhaf: tuple[Fraction, ...]
    holler: tuple[Fraction, ...]
    deegan_packel: tuple[Fraction, ...]
    johnston: tuple[Fraction, ...]


def weighted_rule(weights: Sequence[int], quota: int) -> Rule:
    return lambda s: sum(weights[i] for i in s) >= quota


def general_rule(
    n: int,
    criteria: Sequence[tuple[Sequence[int], int]],
    *,
    required: Sequence[int] = (),
    max_against: int | None = None,
) -> Rule:
    """Every criterion met (or at most ``max_against`` outside), and every required player in."""

    def rule(s: frozenset[int]) -> bool:
        if not all(r in s for r in required):
            return False
        if max_against is not None and n - len(s) <= max_against:
            return True
        return all(sum(w[i] for i in s) >= q for w, q in criteria)

    return rule


def oracle(n: int, rule: Rule) -> OracleResult:
    coalitions = [frozenset(c) for k in range(n + 1) for c in itertools.combinations(range(n), k)]
    win = {s: rule(s) for s in coalitions}
    fact = [math.factorial(k) for k in range(n + 1)]
    swings = [0] * n
    ss = [Fraction(0)] * n
    for s in coalitions:
        if win[s]:
            continue
        for i in range(n):
            if i not in s and win[s | {i}]:
                swings[i] += 1
                ss[i] += Fraction(fact[len(s)] * fact[n - len(s) - 1], fact[n])
    winning = [s for s in coalitions if win[s]]
    critical = {s: [i for i in s if not win[s - {i}]] for s in winning}
    minimal = [s for s in winning if len(critical[s]) == len(s)]
    holler_raw = [sum(1 for s in minimal if i in s) for i in range(n)]
    dp = [
        sum((Fraction(1, len(s)) for s in minimal if i in s), Fraction(0)) / len(minimal)
        for i in range(n)
    ]
    john_raw = [Fraction(0)] * n
    with_critical = 0
    for s in winning:
        if critical[s]:
            with_critical += 1
            for i in critical[s]:
                john_raw[i] += Fraction(1, len(critical[s]))
    total_swings = sum(swings)
    grand = frozenset(range(n))
    return OracleResult(
        swings=tuple(swings),
        n_winning=len(winning),
        n_minimal_winning=len(minimal),
        veto=tuple(i for i in range(n) if not win[grand - {i}]),
        shapley_shubik=tuple(ss),
        banzhaf=tuple(Fraction(s, 2 ** (n - 1)) for s in swings),
        normalized_banzhaf=tuple(Fraction(s, total_swings) for s in swings),
        holler=tuple(Fraction(h, sum(holler_raw)) for h in holler_raw),
        deegan_packel=tuple(dp),
        johnston=tuple(j / with_critical for j in john_raw),
    )


def shapley_shubik_by_orders(n: int, rule: Rule) -> tuple[Fraction, ...]:
    """Shapley-Shubik as the share of the ``n!`` orders in which each player is pivotal."""
    pivots = [0] * n
    for order in itertools.permutations(range(n)):
        joined: set[int] = set()
        for i in order:
            joined.add(i)
            if rule(frozenset(joined)):
                pivots[i] += 1
                break
    return tuple(Fraction(p, math.factorial(n)) for p in pivots)
