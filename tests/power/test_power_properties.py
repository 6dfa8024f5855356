"""Every engine against the brute-force oracle on random games of every kind, and invariants.

The oracle (``power_oracle.py``) enumerates all coalitions of a rule written here from the raw
game description, independently of the engines' reductions. Large games, beyond the oracle,
are checked against closed forms (players in two classes of equal weight) and against a
separate big-integer generating function.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from power_oracle import Rule, general_rule, oracle, shapley_shubik_by_orders

from peaceops.power import (
    ALL_INDICES,
    SimpleGame,
    consent_game,
    count_quota_game,
    multi_quota_game,
    power_indices,
    unanimity_game,
    weighted_game,
)
from peaceops.power._reduce import reduce_game


@dataclass(frozen=True)
class Case:
    game: SimpleGame
    rule: Rule


def _names(n: int) -> list[str]:
    return [f"p{i}" for i in range(n)]


@st.composite
def _weights(draw: st.DrawFn, n: int) -> list[int]:
    top = draw(st.sampled_from([1, 3, 12, 60]))
    w = draw(st.lists(st.integers(0, top), min_size=n, max_size=n))
    if sum(w) == 0:
        w[0] = 1
    return w


@st.composite
def _subset(draw: st.DrawFn, n: int, p: float = 0.2) -> list[int]:
    return [i for i in range(n) if draw(st.booleans()) and draw(st.floats(0, 1)) < p * 2]


@st.composite
def weighted_cases(draw: st.DrawFn, *, vetoes: bool) -> Case:
    n = draw(st.one_of(st.integers(1, 12), st.integers(9, 12)))
    w = draw(_weights(n))
    q = draw(st.integers(1, sum(w)))
    req = draw(_subset(n)) if vetoes else []
    names = _names(n)
    game = weighted_game(w, q, players=names, vetoes=[names[i] for i in req])
    return Case(game, general_rule(n, [(w, q)], required=req))


@st.composite
def multi_cases(draw: st.DrawFn, *, blocking: bool) -> Case:
    n = draw(st.one_of(st.integers(1, 12), st.integers(9, 12)))
    criteria: list[tuple[list[int], int]] = []
    for _ in range(draw(st.integers(1, 3))):
        w = [1] * n if draw(st.booleans()) else draw(_weights(n))
        criteria.append((w, draw(st.integers(1, sum(w)))))
    min_blocking = draw(st.integers(1, n)) if blocking else None
    req = draw(_subset(n, 0.1))
    names = _names(n)
    game = multi_quota_game(
        names,
        [(list(w), q) for w, q in criteria],
        min_blocking=min_blocking,
        vetoes=[names[i] for i in req],
    )
    max_against = None if min_blocking is None else min_blocking - 1
    return Case(game, general_rule(n, criteria, required=req, max_against=max_against))


@st.composite
def count_cases(draw: st.DrawFn) -> Case:
    n = draw(st.one_of(st.integers(1, 12), st.integers(9, 12)))
    quota = draw(st.integers(1, n))
    req = draw(_subset(n))
    names = _names(n)
    game = count_quota_game(names, quota, vetoes=[names[i] for i in req])
    return Case(game, general_rule(n, [([1] * n, quota)], required=req))


@st.composite
def unanimity_cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 10))
    return Case(unanimity_game(_names(n)), general_rule(n, [], required=list(range(n))))


@st.composite
def consent_cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 10))
    parties = draw(_subset(n, 0.3)) or [draw(st.integers(0, n - 1))]
    names = _names(n)
    game = consent_game(names, [names[i] for i in parties])
    return Case(game, general_rule(n, [], required=parties))


def _methods(game: SimpleGame) -> list[str]:
    threshold = reduce_game(game).theta is not None
    return ["auto", "dp", "mitm", "enumerate"] if threshold else ["auto", "enumerate"]


def _check_against_oracle(case: Case) -> None:
    game = case.game
    n = game.n_players
    expected = oracle(n, case.rule)
    for method in _methods(game):
        res = power_indices(game, method=method)
        for name in ALL_INDICES:
            assert res.index(name) == getattr(expected, name), (method, name)
        assert res.swings == expected.swings, method
        assert res.n_winning == expected.n_winning, method
        assert res.n_minimal_winning == expected.n_minimal_winning, method
        assert res.veto_players == tuple(game.players[i] for i in expected.veto), method
        zero = tuple(p for p, s in zip(game.players, expected.swings, strict=True) if s == 0)
        assert res.dummies == zero, method


KINDS: dict[str, Callable[[], st.SearchStrategy[Case]]] = {
    "weighted": lambda: weighted_cases(vetoes=False),
    "weighted_with_vetoes": lambda: weighted_cases(vetoes=True),
    "multi_criteria": lambda: multi_cases(blocking=False),
    "blocking_clause": lambda: multi_cases(blocking=True),
    "count_quota": count_cases,
    "unanimity": unanimity_cases,
    "consent": consent_cases,
}


@settings(max_examples=150, deadline=None)
@given(weighted_cases(vetoes=False))
def test_weighted_games_match_the_oracle(case: Case) -> None:
    _check_against_oracle(case)


@settings(max_examples=100, deadline=None)
@given(weighted_cases(vetoes=True))
def test_weighted_games_with_vetoes_match_the_oracle(case: Case) -> None:
    _check_against_oracle(case)


@settings(max_examples=100, deadline=None)
@given(multi_cases(blocking=False))
def test_multi_criteria_games_match_the_oracle(case: Case) -> None:
    _check_against_oracle(case)


@settings(max_examples=100, deadline=None)
@given(multi_cases(blocking=True))
def test_games_with_a_blocking_clause_match_the_oracle(case: Case) -> None:
    _check_against_oracle(case)


@settings(max_examples=80, deadline=None)
@given(count_cases())
def test_count_quota_games_match_the_oracle(case: Case) -> None:
    _check_against_oracle(case)


@settings(max_examples=10, deadline=None)
@given(unanimity_cases())
def test_unanimity_games_match_the_oracle(case: Case) -> None:
    _check_against_oracle(case)


@settings(max_examples=40, deadline=None)
@given(consent_cases())
def test_consent_games_match_the_oracle(case: Case) -> None:
    _check_against_oracle(case)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(KINDS)).flatmap(lambda kind: KINDS[kind]()))
def test_shapley_shubik_is_the_share_of_orders_where_a_player_is_pivotal(case: Case) -> None:
    n = case.game.n_players
    if n > 7:
        return
    res = power_indices(case.game, indices=("shapley_shubik",))
    assert res.shapley_shubik == shapley_shubik_by_orders(n, case.rule)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(KINDS)).flatmap(lambda kind: KINDS[kind]()))
def test_any_subset_of_indices_gives_the_same_values(case: Case) -> None:
    full = power_indices(case.game)
    for name in ALL_INDICES:
        assert power_indices(case.game, indices=(name,)).index(name) == full.index(name)


@settings(max_examples=150, deadline=None)
@given(st.one_of(weighted_cases(vetoes=False), weighted_cases(vetoes=True)))
def test_holler_alone_matches_the_oracle(case: Case) -> None:
    expected = oracle(case.game.n_players, case.rule)
    for method in _methods(case.game):
        res = power_indices(case.game, indices=("holler",), method=method)
        assert res.holler == expected.holler, method
        assert res.n_minimal_winning == expected.n_minimal_winning, method


@settings(max_examples=25, deadline=None)
@given(st.integers(13, 22).flatmap(lambda n: st.lists(st.integers(0, 60), min_size=n, max_size=n)))
def test_holler_alone_agrees_with_enumeration_beyond_the_oracle(w: list[int]) -> None:
    w[0] += 1
    game = weighted_game(w, sum(w) // 2 + 1)
    fast = power_indices(game, indices=("holler",), method="dp")
    assert fast.holler == power_indices(game, indices=("holler",), method="enumerate").holler


@st.composite
def larger_games(draw: st.DrawFn) -> SimpleGame:
    n = draw(st.integers(13, 40))
    names = _names(n)
    w = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
    w[0] += 1
    criteria: list[tuple[list[int], int]] = [(w, draw(st.integers(1, sum(w))))]
    if draw(st.booleans()):
        criteria.append(([1] * n, draw(st.integers(1, n))))
    min_blocking = draw(st.one_of(st.none(), st.integers(1, n)))
    vetoes = [names[i] for i in range(n) if draw(st.integers(0, 30)) == 0]
    return multi_quota_game(names, criteria, min_blocking=min_blocking, vetoes=vetoes)


@settings(max_examples=60, deadline=None)
@given(larger_games())
def test_invariants_on_larger_games(game: SimpleGame) -> None:
    res = power_indices(game)
    for name in ("shapley_shubik", "normalized_banzhaf", "holler", "deegan_packel", "johnston"):
        assert sum(res.index(name)) == 1, name
    position = {p: i for i, p in enumerate(game.players)}
    for p in res.dummies:
        for name in ALL_INDICES:
            assert res.index(name)[position[p]] == 0, (name, p)
    profile: dict[tuple[object, ...], list[int]] = {}
    for i, p in enumerate(game.players):
        key = (tuple(c.weights[i] for c in game.criteria), p in game.required)
        profile.setdefault(key, []).append(i)
    for members in profile.values():
        for name in ALL_INDICES:
            values = {res.index(name)[i] for i in members}
            assert len(values) == 1, (name, members)
    for p in res.veto_players:
        assert res.swings[position[p]] == res.n_winning
    assert set(game.required) <= set(res.veto_players)


@settings(max_examples=15, deadline=None)
@given(larger_games())
def test_the_three_engines_agree_beyond_the_oracle(game: SimpleGame) -> None:
    if game.n_players - len(game.required) > 22:
        return
    results = [power_indices(game, method=m) for m in ("dp", "mitm", "enumerate")]
    for other in results[1:]:
        for name in ALL_INDICES:
            assert other.index(name) == results[0].index(name), name
        assert other.swings == results[0].swings


def _two_class_oracle(
    n1: int, a: int, n2: int, win: Callable[[int, int], bool]
) -> dict[str, tuple[Fraction, Fraction]]:
    """Indices of a heavy player (weight ``a``, ``n1`` of them) and a light one (``n2``) from
    ``win(h, l)``, the rule on ``h`` heavy and ``l`` light members, by counting with binomials."""
    n = n1 + n2
    fact = [math.factorial(k) for k in range(n + 1)]
    swings = [0, 0]
    ss = [Fraction(0), Fraction(0)]
    holler = [0, 0]
    dp = [Fraction(0), Fraction(0)]
    john = [Fraction(0), Fraction(0)]
    n_min = with_critical = 0
    for h in range(n1 + 1):
        for l in range(n2 + 1):
            ways = math.comb(n1, h) * math.comb(n2, l)
            size = h + l
            if not win(h, l):
                for cls, (dh, dl, others) in enumerate(
                    ((1, 0, math.comb(n1 - 1, h) * math.comb(n2, l) if h < n1 else 0),
                     (0, 1, math.comb(n1, h) * math.comb(n2 - 1, l) if l < n2 else 0))
                ):  # fmt: skip
                    if others and win(h + dh, l + dl):
                        swings[cls] += others
                        ss[cls] += Fraction(others * fact[size] * fact[n - size - 1], fact[n])
                continue
            crit_h = h > 0 and not win(h - 1, l)
            crit_l = l > 0 and not win(h, l - 1)
            c = h * crit_h + l * crit_l
            heavy_in = math.comb(n1 - 1, h - 1) * math.comb(n2, l) if h else 0
            light_in = math.comb(n1, h) * math.comb(n2 - 1, l - 1) if l else 0
            if c:
                with_critical += ways
                john[0] += Fraction(heavy_in, c) if crit_h else 0
                john[1] += Fraction(light_in, c) if crit_l else 0
            if c == size:
                n_min += ways
                holler[0] += heavy_in
                holler[1] += light_in
                dp[0] += Fraction(heavy_in, size)
                dp[1] += Fraction(light_in, size)
    total_swings = n1 * swings[0] + n2 * swings[1]
    members = n1 * holler[0] + n2 * holler[1]
    return {
        "shapley_shubik": (ss[0], ss[1]),
        "banzhaf": (Fraction(swings[0], 2 ** (n - 1)), Fraction(swings[1], 2 ** (n - 1))),
        "normalized_banzhaf": (
            Fraction(swings[0], total_swings),
            Fraction(swings[1], total_swings),
        ),
        "holler": (Fraction(holler[0], members), Fraction(holler[1], members)),
        "deegan_packel": (dp[0] / n_min, dp[1] / n_min),
        "johnston": (john[0] / with_critical, john[1] / with_critical),
    }


@pytest.mark.parametrize(
    ("n1", "a", "n2", "quota", "count", "min_blocking"),
    [(30, 7, 60, 136, None, None), (25, 9, 50, 150, 40, 8), (3, 5, 95, 51, None, None)],
)
def test_two_weight_classes_match_their_closed_form(
    n1: int, a: int, n2: int, quota: int, count: int | None, min_blocking: int | None
) -> None:
    n = n1 + n2
    weights = [a] * n1 + [1] * n2

    def win(h: int, l: int) -> bool:
        if min_blocking is not None and n - h - l <= min_blocking - 1:
            return True
        return a * h + l >= quota and (count is None or h + l >= count)

    criteria: list[tuple[list[int], int]] = [(weights, quota)]
    if count is not None:
        criteria.append(([1] * n, count))
    game = multi_quota_game(_names(n), criteria, min_blocking=min_blocking)
    res = power_indices(game)
    assert res.method == "dp"
    expected = _two_class_oracle(n1, a, n2, win)
    for name in ALL_INDICES:
        heavy, light = expected[name]
        assert res.index(name) == (heavy,) * n1 + (light,) * n2, name


def test_majority_of_101_equal_players_is_exact() -> None:
    n = 101
    res = power_indices(count_quota_game(_names(n), 51))
    for name in ("shapley_shubik", "normalized_banzhaf", "holler", "deegan_packel", "johnston"):
        assert res.index(name) == (Fraction(1, n),) * n, name
    assert res.swings == (math.comb(100, 50),) * n
    assert res.banzhaf == (Fraction(math.comb(100, 50), 2**100),) * n
    assert res.n_winning == 2**100
    assert res.n_minimal_winning == math.comb(101, 51)


def _banzhaf_by_big_integers(weights: list[int], quota: int) -> list[int]:
    """Swings from the generating function prod_{j != i} (1 + x^{w_j}) held in one Python
    integer (each coefficient in its own block of bits): no removal trick, no moduli."""
    n = len(weights)
    bits = n + 2
    mask = (1 << (bits * quota)) - 1
    out = []
    for i in range(n):
        poly = 1
        for j, w in enumerate(weights):
            if j != i:
                poly = (poly + (poly << (bits * w))) & mask
        block = (1 << bits) - 1
        low = max(0, quota - weights[i])
        out.append(sum((poly >> (bits * s)) & block for s in range(low, quota)))
    return out


def test_banzhaf_of_80_players_matches_big_integer_generating_functions() -> None:
    import random

    rnd = random.Random(80)
    weights = [rnd.randint(1, 60) for _ in range(80)]
    quota = sum(weights) // 2 + 1
    expected = _banzhaf_by_big_integers(weights, quota)
    assert max(expected) > 2**62  # needs more than one prime
    res = power_indices(weighted_game(weights, quota), indices=("normalized_banzhaf",))
    assert list(res.swings) == expected
    assert res.normalized_banzhaf == tuple(Fraction(s, sum(expected)) for s in expected)
