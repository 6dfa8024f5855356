"""Holler, Deegan-Packel and Johnston of weighted games by the last critical member
(``peaceops.power._critical``) against the brute-force oracle and against the general sweep.

The games are drawn to stress the decomposition: many tied weights (the lightest critical member
is the last of its tie block), zero weights (never critical, but free to join), and quotas at
the edges (one, the heaviest weight, half, the total). Each index is asked alone and with the
others, since the engine sizes its tables to what is asked.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from power_oracle import general_rule, oracle

from peaceops.power import _dense as dense
from peaceops.power import power_indices, weighted_game
from peaceops.power._critical import critical_counts, single_quota
from peaceops.power._reduce import reduce_game

MWC_INDICES = ("holler", "deegan_packel", "johnston")
ASKS = (
    ("deegan_packel",),
    ("johnston",),
    ("holler", "deegan_packel"),
    ("holler", "johnston"),
    ("deegan_packel", "johnston"),
    MWC_INDICES,
)


@st.composite
def tied_weighted_games(draw: st.DrawFn) -> tuple[list[int], int, list[int]]:
    n = draw(st.integers(1, 11))
    values = draw(st.lists(st.integers(0, 9), min_size=1, max_size=3))
    w = [draw(st.sampled_from(values)) for _ in range(n)]
    if sum(w) == 0:
        w[0] = 1
    total = sum(w)
    q = draw(
        st.one_of(
            st.sampled_from([1, total, max(w), total // 2 + 1, max(1, total - min(w))]),
            st.integers(1, total),
        )
    )
    q = min(max(q, 1), total)
    vetoes = [i for i in range(n) if draw(st.integers(0, 9)) == 0]
    return w, q, vetoes


def _no_general_sweep(*_: object) -> None:
    raise AssertionError("the general sweep ran on a game with one quota")


@settings(max_examples=300, deadline=None)
@given(tied_weighted_games(), st.sampled_from(ASKS))
def test_ties_zeros_and_edge_quotas_match_the_oracle(
    game_spec: tuple[list[int], int, list[int]], ask: tuple[str, ...]
) -> None:
    w, q, vetoes = game_spec
    names = [f"p{i}" for i in range(len(w))]
    game = weighted_game(w, q, players=names, vetoes=[names[i] for i in vetoes])
    expected = oracle(len(w), general_rule(len(w), [(w, q)], required=vetoes))
    with pytest.MonkeyPatch.context() as mp:
        if single_quota(reduce_game(game)) is not None:
            mp.setattr(dense, "_swept", _no_general_sweep)
        res = power_indices(game, indices=ask, method="dp")
    for name in ask:
        assert res.index(name) == getattr(expected, name), name
    assert res.n_minimal_winning == expected.n_minimal_winning


def test_a_game_with_one_quota_uses_the_critical_member_engine() -> None:
    game = weighted_game([5, 3, 3, 2, 1, 0], 7)
    assert single_quota(reduce_game(game)) == 7
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dense, "_swept", _no_general_sweep)
        power_indices(game, indices=MWC_INDICES, method="dp")


def test_size_dependent_thresholds_keep_the_general_sweep() -> None:
    # a blocking clause makes theta depend on the size: not a single quota
    from peaceops.power import multi_quota_game

    game = multi_quota_game(["a", "b", "c", "d"], [([3, 2, 2, 1], 6)], min_blocking=2)
    assert single_quota(reduce_game(game)) is None


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_the_general_sweep_on_forty_players(seed: int) -> None:
    """Beyond the oracle: the general (size-by-size) sweep of ``_dense`` is a different
    decomposition (cut at every weight level, players divided out of the full table)."""
    rng = random.Random(seed)
    w = sorted(rng.choice([rng.randint(1, 40), rng.randint(1, 5)]) for _ in range(40))
    q = rng.randint(1, sum(w))
    red = reduce_game(weighted_game(w, q))
    want = frozenset(MWC_INDICES)
    fast = critical_counts(red, want)
    weights = np.asarray(red.weights, dtype=np.int64)
    theta = np.asarray(red.theta, dtype=np.int64)
    holler, dp, john, critical = dense._swept(red, weights, theta, want)
    assert fast.holler == holler
    assert fast.deegan_packel == dp
    assert fast.johnston == john
    assert fast.critical_by_count == critical


def test_agrees_with_enumeration_on_eighteen_players() -> None:
    rng = random.Random(7)
    w = [rng.randint(1, 30) for _ in range(18)]
    game = weighted_game(w, sum(w) * 2 // 3)
    fast = power_indices(game, indices=MWC_INDICES, method="dp")
    slow = power_indices(game, indices=MWC_INDICES, method="enumerate")
    for name in MWC_INDICES:
        assert fast.index(name) == slow.index(name), name


def test_two_weight_classes_beyond_64_bits_match_their_closed_form() -> None:
    """50 players of weight 2 and 40 of weight 1 (2**90 coalitions), quota 61. A minimal winning
    coalition with ``x`` heavy and ``y`` light members has ``2x + y = q`` when ``y > 0`` (its
    lightest member is critical) and ``2x`` in ``{q, q + 1}`` when ``y = 0``."""
    a, b, q = 50, 40, 61
    shapes = [(x, q - 2 * x) for x in range(a + 1) if 0 < q - 2 * x <= b]
    shapes += [(x, 0) for x in range(a + 1) if 2 * x in (q, q + 1)]
    heavy_h = sum(math.comb(a - 1, x - 1) * math.comb(b, y) for x, y in shapes if x)
    light_h = sum(math.comb(a, x) * math.comb(b - 1, y - 1) for x, y in shapes if y)
    heavy_d = sum(
        (Fraction(math.comb(a - 1, x - 1) * math.comb(b, y), x + y) for x, y in shapes if x),
        Fraction(0),
    )
    light_d = sum(
        (Fraction(math.comb(a, x) * math.comb(b - 1, y - 1), x + y) for x, y in shapes if y),
        Fraction(0),
    )
    total = sum(math.comb(a, x) * math.comb(b, y) for x, y in shapes)
    assert total > 2**64
    res = power_indices(
        weighted_game([2] * a + [1] * b, q), indices=("holler", "deegan_packel"), method="dp"
    )
    assert res.n_minimal_winning == total
    norm = a * heavy_h + b * light_h
    assert res.index("holler")[0] == Fraction(heavy_h, norm)
    assert res.index("holler")[-1] == Fraction(light_h, norm)
    assert res.index("deegan_packel")[0] == heavy_d / total
    assert res.index("deegan_packel")[-1] == light_d / total
