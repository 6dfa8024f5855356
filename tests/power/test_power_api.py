"""The public API of ``peaceops.power``: exports, options, errors and result conversions."""

from __future__ import annotations

import subprocess
import sys
import types
from fractions import Fraction

import pytest

import peaceops.power as power
from peaceops.errors import InfeasibleError, ScenarioError
from peaceops.power import (
    ALL_INDICES,
    METHODS,
    eu_council_game,
    multi_quota_game,
    power_indices,
    weighted_game,
)


def test_all_is_sorted_and_lists_exactly_the_public_names() -> None:
    assert power.__all__ == sorted(power.__all__)
    public = {
        name
        for name, value in vars(power).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert public == set(power.__all__)


def test_engines_do_not_import_the_command_line_or_the_store() -> None:
    code = (
        "import sys, peaceops.power\n"
        "bad = [m for m in ('typer', 'rich', 'sqlalchemy', 'peaceops.cli') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_methods_are_chosen_through_a_dict() -> None:
    assert sorted(METHODS) == ["dp", "enumerate", "mitm"]
    assert power_indices(weighted_game([2, 1, 1], 3)).method == "dp"
    assert power_indices(eu_council_game(), indices=("banzhaf",)).method == "mitm"
    two_weights = multi_quota_game(["a", "b", "c"], [([3, 1, 1], 3), ([1, 2, 3], 4)])
    assert power_indices(two_weights).method == "enumerate"


def test_unknown_index_and_method_are_reported_together() -> None:
    with pytest.raises(ScenarioError) as info:
        power_indices(weighted_game([1, 1], 2), indices=("power",), method="fast")
    assert [p.path for p in info.value.problems] == ["indices", "method"]


def test_dense_engine_refuses_two_weight_criteria() -> None:
    game = multi_quota_game(["a", "b", "c"], [([3, 1, 1], 3), ([1, 2, 3], 4)])
    with pytest.raises(ScenarioError, match="'dp' needs at most one weight criterion"):
        power_indices(game, method="dp")
    with pytest.raises(ScenarioError, match="'mitm' needs at most one weight criterion"):
        power_indices(game, method="mitm")


def test_dense_engine_refuses_population_sized_tables() -> None:
    with pytest.raises(InfeasibleError, match="dense tables would need"):
        power_indices(eu_council_game(), method="dp")


def test_enumeration_and_split_engines_refuse_too_many_players() -> None:
    game = weighted_game([1] * 40, 21)
    with pytest.raises(InfeasibleError, match="up to 30 free players"):
        power_indices(game, method="enumerate")
    with pytest.raises(InfeasibleError, match="up to 34 free players"):
        power_indices(game, method="mitm")


def test_auto_gives_up_on_large_games_with_two_weight_criteria() -> None:
    n = 40
    criteria = [(list(range(1, n + 1)), 400), ([i % 7 + 1 for i in range(n)], 80)]
    game = multi_quota_game([f"p{i}" for i in range(n)], criteria)
    with pytest.raises(InfeasibleError, match="two or more weight criteria"):
        power_indices(game)


def test_result_rows_hold_floats_and_exact_text() -> None:
    res = power_indices(weighted_game([4, 4, 4, 2, 2, 1], 12), indices=("normalized_banzhaf",))
    rows = res.to_rows()
    assert rows[0] == {
        "player": "P1",
        "swings": 10,
        "veto": False,
        "dummy": False,
        "normalized_banzhaf": 5 / 21,
        "normalized_banzhaf_exact": "5/21",
    }
    assert rows[5]["dummy"] is True


def test_result_frame_is_indexed_by_player_with_fractions() -> None:
    res = power_indices(weighted_game([7] * 5 + [1] * 10, 39), indices=("shapley_shubik",))
    frame = res.to_frame()
    assert frame.index[0] == "P1"
    assert frame.loc["P1", "shapley_shubik_exact"] == Fraction(421, 2145)
    assert frame.loc["P15", "shapley_shubik"] == pytest.approx(4 / 2145)
    assert list(frame.columns) == [
        "swings",
        "veto",
        "dummy",
        "shapley_shubik",
        "shapley_shubik_exact",
    ]


def test_result_index_lookup() -> None:
    res = power_indices(weighted_game([2, 1, 1], 3), indices=("holler", "johnston"))
    assert res.computed == ("holler", "johnston")
    assert res.shapley_shubik is None
    assert res.as_float("holler") == pytest.approx([0.5, 0.25, 0.25])
    with pytest.raises(KeyError, match="'banzhaf' not computed"):
        res.index("banzhaf")
    with pytest.raises(KeyError):
        res.index("nonsense")


def test_every_index_is_listed_once_in_display_order() -> None:
    assert ALL_INDICES == (
        "shapley_shubik",
        "banzhaf",
        "normalized_banzhaf",
        "holler",
        "deegan_packel",
        "johnston",
    )


def test_unanimity_gives_equal_power_and_one_winning_coalition() -> None:
    res = power_indices(power.unanimity_game(["a", "b", "c", "d"]))
    for name in ("shapley_shubik", "normalized_banzhaf", "holler", "deegan_packel", "johnston"):
        assert res.index(name) == (Fraction(1, 4),) * 4
    assert res.banzhaf == (Fraction(1, 8),) * 4
    assert res.n_winning == res.n_minimal_winning == 1
    assert res.veto_players == ("a", "b", "c", "d")
