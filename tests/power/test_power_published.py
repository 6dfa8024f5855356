"""Power indices against published values and worked examples (every engine).

Sources: Shapley and Shubik (1954), APSR 48(3), 787-792, doi:10.2307/1951053 (UN Security
Council 1945-65 [27; 5x5, 1x6]: 76/385 per permanent and 1/462 per elected member); the same
method on the council enlarged in 1966, [39; 7x5, 1x10]: 421/2145 and 4/2145 (the figures in
the project's method notes, ``shared/MODELS.md``); the EEC Council of Ministers 1958-72
[12; 4, 4, 4, 2, 2, 1], whose Luxembourg was a dummy: normalized Banzhaf 5/21, 5/21, 5/21, 1/7,
1/7, 0 (Felsenthal and Machover 1998, *The Measurement of Voting Power*, Edward Elgar; also the
example of the PyPI ``powerindex`` package); Holler and Illing, *Einführung in die
Spieltheorie* (Springer): Deegan-Packel of [51; 35, 20, 15, 15, 15] is 18/60, 9/60, 11/60,
11/60, 11/60. The other examples are worked by hand in their docstrings.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from peaceops.power import count_quota_game, power_indices, weighted_game

F = Fraction
METHODS = ["dp", "mitm", "enumerate"]


@pytest.mark.parametrize("method", METHODS)
def test_security_council_1945_shapley_shubik(method: str) -> None:
    res = power_indices(weighted_game([5] * 5 + [1] * 6, 27), method=method)
    assert res.shapley_shubik == (F(76, 385),) * 5 + (F(1, 462),) * 6
    assert res.veto_players == ("P1", "P2", "P3", "P4", "P5")


@pytest.mark.parametrize("method", METHODS)
def test_security_council_since_1966_shapley_shubik(method: str) -> None:
    res = power_indices(weighted_game([7] * 5 + [1] * 10, 39), method=method)
    assert res.shapley_shubik == (F(421, 2145),) * 5 + (F(4, 2145),) * 10


@pytest.mark.parametrize("method", METHODS)
def test_security_council_as_count_quota_with_vetoes_gives_the_same(method: str) -> None:
    members = ["CHN", "FRA", "GBR", "RUS", "USA"] + [f"E{i}" for i in range(1, 11)]
    game = count_quota_game(members, 9, vetoes=members[:5])
    res = power_indices(game, method=method)
    weighted = power_indices(weighted_game([7] * 5 + [1] * 10, 39), method=method)
    assert res.shapley_shubik == (F(421, 2145),) * 5 + (F(4, 2145),) * 10
    for name in res.computed:
        assert res.index(name) == weighted.index(name)
    # 9 of 15 with all five permanent: C(10, 4) + ... + C(10, 10) winning coalitions
    assert res.n_winning == sum(math.comb(10, k) for k in range(4, 11)) == 848
    assert res.n_minimal_winning == 210  # the five plus any 4 of 10
    assert res.veto_players == tuple(members[:5])


@pytest.mark.parametrize("method", METHODS)
def test_eec_1958_normalized_banzhaf_and_the_dummy(method: str) -> None:
    game = weighted_game([4, 4, 4, 2, 2, 1], 12, players=["DE", "FR", "IT", "NL", "BE", "LU"])
    res = power_indices(game, method=method)
    assert res.normalized_banzhaf == (F(5, 21),) * 3 + (F(1, 7),) * 2 + (F(0),)
    assert res.dummies == ("LU",)
    assert res.swings == (10, 10, 10, 6, 6, 0)
    assert res.banzhaf == (F(10, 32),) * 3 + (F(6, 32),) * 2 + (F(0),)


@pytest.mark.parametrize("method", METHODS)
def test_holler_illing_deegan_packel(method: str) -> None:
    res = power_indices(weighted_game([35, 20, 15, 15, 15], 51), method=method)
    assert res.deegan_packel == (F(18, 60), F(9, 60), F(11, 60), F(11, 60), F(11, 60))


@pytest.mark.parametrize("method", METHODS)
def test_shapley_shubik_of_10_10_20_30_at_50(method: str) -> None:
    res = power_indices(weighted_game([10, 10, 20, 30], 50), method=method)
    assert res.shapley_shubik == (F(1, 12), F(1, 12), F(1, 4), F(7, 12))


@pytest.mark.parametrize("method", METHODS)
def test_holler_and_deegan_packel_by_hand(method: str) -> None:
    """[51; 35, 20, 15, 15, 15] with players A, B, C, D, E.

    Minimal winning coalitions (every member needed): AB (55), ACD, ACE, ADE (65 each) and
    BCDE (65): five of them. A is in 4, B in 2, C, D and E in 3 each, 15 memberships in all, so
    Holler = 4/15, 2/15, 3/15, 3/15, 3/15. Deegan-Packel: A gets (1/2 + 3 * 1/3) / 5 = 3/10,
    B (1/2 + 1/4) / 5 = 3/20, C (1/3 + 1/3 + 1/4) / 5 = 11/60.
    """
    res = power_indices(weighted_game([35, 20, 15, 15, 15], 51), method=method)
    assert res.n_minimal_winning == 5
    assert res.holler == (F(4, 15), F(2, 15), F(1, 5), F(1, 5), F(1, 5))
    assert res.deegan_packel == (F(3, 10), F(3, 20), F(11, 60), F(11, 60), F(11, 60))


@pytest.mark.parametrize("method", METHODS)
def test_holler_alone_of_the_holler_illing_napel_example(method: str) -> None:
    """Holler, Illing and Napel, *Einführung in die Spieltheorie*, 8th ed. (Springer Gabler
    2019), pp. 330 ff.: [51; 35, 20, 15, 15, 15] has the minimal winning coalitions {35, 20},
    three of type {35, 15, 15} and {20, 15, 15, 15}, so the public good index is 4/15, 2/15 and
    3/15 for each 15. Asked alone, the index takes the size-free pass of the dense engine."""
    res = power_indices(weighted_game([35, 20, 15, 15, 15], 51), indices=("holler",), method=method)
    assert res.holler == (F(4, 15), F(2, 15), F(1, 5), F(1, 5), F(1, 5))
    assert res.n_minimal_winning == 5


@pytest.mark.parametrize("method", METHODS)
def test_johnston_and_holler_by_hand_3_2_2_1_at_5(method: str) -> None:
    """[5; 3, 2, 2, 1] with players A, B, C, D.

    Winning coalitions and their critical members (whose departure makes them lose):
    AB {A, B}; AC {A, C}; ABC {A} (without B or C, 5 remains); ABD {A, B} (without D, 5);
    ACD {A, C}; BCD {B, C, D} (each departure leaves 3 or 4); ABCD none (any departure leaves
    at least 5). Six winning coalitions have a critical member. Johnston shares 1/|C| per
    coalition: A 1/2 + 1/2 + 1 + 1/2 + 1/2 = 3, B 1/2 + 1/2 + 1/3 = 4/3, C 4/3, D 1/3; divided
    by 6: 1/2, 2/9, 2/9, 1/18. Minimal winning: AB, AC, BCD, so Holler 2/7, 2/7, 2/7, 1/7:
    A's larger weight buys no more minimal coalitions than B's.
    """
    res = power_indices(weighted_game([3, 2, 2, 1], 5), method=method)
    assert res.johnston == (F(1, 2), F(2, 9), F(2, 9), F(1, 18))
    assert res.holler == (F(2, 7), F(2, 7), F(2, 7), F(1, 7))
    assert res.n_winning == 7
    assert res.n_minimal_winning == 3


@pytest.mark.parametrize("method", METHODS)
def test_johnston_by_hand_10_10_20_30_at_50(method: str) -> None:
    """[50; 10, 10, 20, 30] with players A, B, C, D.

    Winning: CD {C, D}; ABD {A, B, D}; ACD and BCD (60: the 10 can leave) {C, D}; ABCD (70:
    only D's departure, to 40, loses) {D}. Johnston: A 1/3, B 1/3, C 1/2 + 1/2 + 1/2 = 3/2,
    D 1/2 + 1/3 + 1/2 + 1/2 + 1 = 17/6; total 5, so 1/15, 1/15, 3/10, 17/30.
    """
    res = power_indices(weighted_game([10, 10, 20, 30], 50), method=method)
    assert res.johnston == (F(1, 15), F(1, 15), F(3, 10), F(17, 30))
    assert res.n_winning == 5


@pytest.mark.parametrize("method", METHODS)
def test_johnston_of_the_smallest_example_4_3_2_1(method: str) -> None:
    """[4; 3, 2, 1]: AB {A, B}, AC {A, C}, ABC {A}: A 1/2 + 1/2 + 1 = 2, B 1/2, C 1/2; / 3."""
    res = power_indices(weighted_game([3, 2, 1], 4), method=method)
    assert res.johnston == (F(2, 3), F(1, 6), F(1, 6))


def test_dictator_takes_all_power() -> None:
    res = power_indices(weighted_game([6, 2, 1, 1], 6))
    for name in res.computed:
        assert res.index(name) == (F(1), F(0), F(0), F(0)), name
    assert res.dummies == ("P2", "P3", "P4")
    assert res.veto_players == ("P1",)
