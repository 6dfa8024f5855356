"""Simple games: constructors, exact scaling of non-integer weights, validation, ``is_winning``."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from peaceops.errors import ScenarioError
from peaceops.power import (
    Criterion,
    SimpleGame,
    consent_game,
    count_quota_game,
    is_winning,
    multi_quota_game,
    unanimity_game,
    weighted_game,
)

P5 = ["CHN", "FRA", "GBR", "RUS", "USA"]
ELECTED = [f"E{i}" for i in range(1, 11)]


def _all_coalitions(players: list[str]) -> list[tuple[str, ...]]:
    return [c for k in range(len(players) + 1) for c in itertools.combinations(players, k)]


def test_weighted_game_has_one_criterion_and_default_names() -> None:
    g = weighted_game([4, 4, 4, 2, 2, 1], 12)
    assert g.players == ("P1", "P2", "P3", "P4", "P5", "P6")
    assert g.criteria == (Criterion((4, 4, 4, 2, 2, 1), 12),)
    assert g.required == ()
    assert g.max_against is None


def test_weighted_game_wins_exactly_at_the_quota() -> None:
    g = weighted_game([4, 4, 4, 2, 2, 1], 12, players=["DE", "FR", "IT", "NL", "BE", "LU"])
    assert is_winning(g, ["DE", "FR", "IT"])
    assert is_winning(g, ["DE", "FR", "NL", "BE"])
    assert not is_winning(g, ["DE", "FR", "NL", "LU"])
    assert not is_winning(g, [])


def test_decimal_weights_are_scaled_exactly_and_the_quota_rounded_up() -> None:
    g = weighted_game([Decimal("2.5"), Decimal("1.5"), 1], Decimal("3.2"))
    # x2: weights 5, 3, 2 and quota 6.4 -> 7 (coalition weights are integers)
    assert g.criteria == (Criterion((5, 3, 2), 7),)
    assert is_winning(g, ["P1", "P3"])  # 3.5 >= 3.2
    assert not is_winning(g, ["P2", "P3"])  # 2.5 < 3.2
    assert not is_winning(g, ["P1"])  # 2.5 < 3.2


def test_fraction_weights_give_the_same_winning_coalitions_as_the_rationals() -> None:
    weights = [Fraction(1, 3), Fraction(1, 2), Fraction(1, 6), Fraction(2, 3)]
    quota = Fraction(5, 6)
    g = weighted_game(weights, quota)
    for coalition in _all_coalitions(list(g.players)):
        exact = sum((weights[g.players.index(p)] for p in coalition), Fraction(0)) >= quota
        assert is_winning(g, coalition) == exact


def test_integral_floats_and_numpy_integers_are_accepted() -> None:
    g = weighted_game([np.int64(3), 2.0, 1], 3.0)
    assert g.criteria == (Criterion((3, 2, 1), 3),)


def test_non_integral_float_weight_is_rejected_with_the_fix() -> None:
    with pytest.raises(ScenarioError, match=r"weights\[1\].*not an integer.*Decimal\('2.5'\)"):
        weighted_game([1, 2.5], 2)


def test_negative_weight_is_rejected() -> None:
    with pytest.raises(ScenarioError, match=r"weights\[0\]: must be non-negative, got -1"):
        weighted_game([-1, 3], 2)


def test_quota_above_total_weight_is_rejected() -> None:
    with pytest.raises(ScenarioError, match=r"quota: 8 is above the total weight 7"):
        weighted_game([4, 3], 8)


def test_non_positive_quota_is_rejected() -> None:
    with pytest.raises(ScenarioError, match=r"quota: must be positive, got 0"):
        weighted_game([4, 3], 0)


def test_non_numeric_weight_is_rejected() -> None:
    with pytest.raises(ScenarioError, match=r"weights\[0\]: must be an int, Fraction or Decimal"):
        weighted_game(["4", 3], 2)  # type: ignore[list-item]


def test_wrong_number_of_names_is_rejected() -> None:
    with pytest.raises(ScenarioError, match=r"players: 2 names given for 3 weights"):
        weighted_game([1, 1, 1], 2, players=["a", "b"])


def test_duplicate_and_empty_player_names_are_rejected() -> None:
    with pytest.raises(ScenarioError) as info:
        weighted_game([1, 1, 1], 2, players=["a", "a", ""])
    paths = [p.path for p in info.value.problems]
    assert paths == ["players[2]", "players[1]"]


def test_unknown_veto_player_is_rejected() -> None:
    with pytest.raises(ScenarioError, match=r"required\[0\]: unknown player 'X'"):
        weighted_game([1, 1], 1, vetoes=["X"])


def test_count_quota_game_is_the_security_council() -> None:
    g = count_quota_game(P5 + ELECTED, 9, vetoes=P5)
    assert g.required == tuple(P5)
    assert is_winning(g, P5 + ELECTED[:4])
    assert not is_winning(g, P5 + ELECTED[:3])
    assert not is_winning(g, P5[1:] + ELECTED)


def test_count_quota_outside_range_is_rejected() -> None:
    with pytest.raises(ScenarioError, match=r"criteria\[0\].quota: 4 is above the total weight 3"):
        count_quota_game(["a", "b", "c"], 4)
    with pytest.raises(ScenarioError, match=r"quota: must be an integer"):
        count_quota_game(["a", "b", "c"], 2.5)  # type: ignore[arg-type]


def test_unanimity_game_lets_only_the_grand_coalition_win() -> None:
    g = unanimity_game(["a", "b", "c"])
    wins = [c for c in _all_coalitions(["a", "b", "c"]) if is_winning(g, c)]
    assert wins == [("a", "b", "c")]


def test_consent_game_needs_exactly_the_named_parties() -> None:
    g = consent_game(["host", "adversary", "un", "au"], ["host", "adversary"])
    wins = {c for c in _all_coalitions(list(g.players)) if is_winning(g, c)}
    assert wins == {
        ("host", "adversary"),
        ("host", "adversary", "un"),
        ("host", "adversary", "au"),
        ("host", "adversary", "un", "au"),
    }


def test_consent_game_without_parties_is_rejected() -> None:
    with pytest.raises(ScenarioError, match="parties: name at least one party"):
        consent_game(["a", "b"], [])


def test_multi_quota_game_needs_every_criterion_or_few_against() -> None:
    pop = [60, 40, 30, 10]
    g = multi_quota_game(
        ["A", "B", "C", "D"], [([1] * 4, 3), (pop, Fraction(65, 100) * 140)], min_blocking=2
    )
    assert g.max_against == 1
    assert g.criteria[1] == Criterion((60, 40, 30, 10), 91)
    for coalition in _all_coalitions(["A", "B", "C", "D"]):
        members = len(coalition)
        weight = sum(pop["ABCD".index(p)] for p in coalition)
        expected = (members >= 3 and weight * 100 >= 65 * 140) or 4 - members <= 1
        assert is_winning(g, coalition) == expected, coalition


def test_multi_quota_game_reports_every_bad_criterion_with_its_path() -> None:
    with pytest.raises(ScenarioError) as info:
        multi_quota_game(["a", "b"], [([1, -1], 1), ([1, 1], 3)], min_blocking=3)
    paths = [p.path for p in info.value.problems]
    assert paths == ["criteria[0].weights[1]", "criteria[1].quota", "min_blocking"]


def test_multi_quota_game_rejects_wrong_lengths_and_empty_criteria() -> None:
    with pytest.raises(ScenarioError, match=r"criteria\[0\].weights: has 1 entries for 2 players"):
        multi_quota_game(["a", "b"], [([1], 1)])
    with pytest.raises(ScenarioError, match="criteria: give at least one"):
        multi_quota_game(["a", "b"], [])


def test_direct_construction_validates_too() -> None:
    with pytest.raises(ScenarioError) as info:
        SimpleGame(("a", "b"), (Criterion((1, True), 5),), ("c",), max_against=2)
    paths = [p.path for p in info.value.problems]
    assert paths == ["criteria[0].weights[1]", "required[0]", "max_against"]


def test_rule_under_which_everyone_wins_is_rejected() -> None:
    with pytest.raises(ScenarioError, match="every coalition wins"):
        SimpleGame(("a", "b"))


def test_required_players_are_kept_in_player_order() -> None:
    g = SimpleGame(("a", "b", "c"), (Criterion((1, 1, 1), 2),), ("c", "a"))
    assert g.required == ("a", "c")


def test_is_winning_rejects_unknown_players() -> None:
    g = weighted_game([1, 1], 1)
    with pytest.raises(ScenarioError, match=r"coalition\[1\]: unknown player 'X'"):
        is_winning(g, ["P1", "X"])
