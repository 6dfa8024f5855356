"""Exchange model: a hand-worked two-issue trade, the closed form of repeated trades, rules."""

from __future__ import annotations

import numpy as np
import pytest

from peaceops.forecast import NegotiationInput, Perturbation, compromise_forecast, exchange_forecast


def _input(x: list[list[float]], s: list[list[float]], c: list[float]) -> NegotiationInput:
    xa = np.array(x, dtype=float)
    n, m = xa.shape
    return NegotiationInput(
        actors=tuple("ABCDEFG"[:n]),
        issues=("e", "f", "g")[:m],
        positions=xa,
        salience=np.array(s, dtype=float),
        clout=np.array(c, dtype=float),
        status_quo=np.full(m, np.nan),
    )


def test_hand_worked_three_actor_exchange() -> None:
    """A (100, 0; s .9, .1), B (0, 100; s .3, .6), C (50, 50; s .5, .5), clout 1.

    Expected outcomes: O_e = (90 + 0 + 25) / 1.7 = 1150/17 = 67.647,
    O_f = (0 + 60 + 25) / 1.2 = 425/6 = 70.833.
    Sides of O_e: A above, B and C below; of O_f: B above, A and C below. C is on the same
    side as A on f and as B on e, so only A and B can trade: A gives way on f, B on e;
    s_Ae s_Bf = .54 > s_Be s_Af = .03, so A is the one that cares about e.
    Rate b/a = (s_Ae + s_Be) / (s_Af + s_Bf) = 1.2 / 0.7.
    Limits: B's shift on e moves O_e by at most p_Be |O_e - 0| = (.3/1.7) 67.647 = 11.94
    (and at most 100 - O_e = 32.35); A's shift on f moves O_f by at most
    p_Af |O_f - 0| = (.1/1.2) 70.833 = 425/72 = 5.903 (and 100 - O_f = 29.17).
    So b = 425/72 binds: a = b * 0.7/1.2 = 2975/864 = 3.443.
    A moves on f to O_f = 70.833 (its whole room), B on e by a / p_Be = 19.512.
    New outcomes: O_e = 67.647 + 3.443 = 71.090, O_f = 70.833 + 5.903 = 76.736; each gains
    a (s_Ae s_Bf - s_Be s_Af) / (s_Af + s_Bf) = 3.443 * .51 / .7 = 2.509."""
    data = _input(
        [[100.0, 0.0], [0.0, 100.0], [50.0, 50.0]],
        [[0.9, 0.1], [0.3, 0.6], [0.5, 0.5]],
        [1.0, 1.0, 1.0],
    )
    result = exchange_forecast(data, rounds=1)
    a, b = 2975 / 864, 425 / 72
    np.testing.assert_allclose(result.trajectory[0], [1150 / 17, 425 / 6], rtol=1e-12)
    np.testing.assert_allclose(result.trajectory[1], [1150 / 17 + a, 425 / 6 + b], rtol=1e-12)
    assert result.positions is not None
    np.testing.assert_allclose(
        result.positions[1], [[100.0, 425 / 6], [a / (0.3 / 1.7), 100.0], [50.0, 50.0]], rtol=1e-12
    )
    assert result.details["n_exchanges"] == 1.0
    # utilities from ideal points: both A and B gain the same
    gain_a = 0.9 * a - 0.1 * b
    gain_b = 0.6 * b - 0.3 * a
    assert gain_a == pytest.approx(gain_b) == pytest.approx(a * 0.51 / 0.7)


def test_repeated_trades_follow_the_closed_form() -> None:
    """Two actors, mirror images: A (100, 0; s .8, .2), B (0, 100; s .2, .8), clout 1.
    O = 80 on both issues; rate 1; each round the shifting actor closes its whole gap to O
    and O moves by p = 0.2 of that gap: O_k = 100 - 20 * 0.2^k."""
    data = _input([[100.0, 0.0], [0.0, 100.0]], [[0.8, 0.2], [0.2, 0.8]], [1.0, 1.0])
    result = exchange_forecast(data, rounds=6)
    expected = 100 - 20 * 0.2 ** np.arange(7)
    np.testing.assert_allclose(result.trajectory[:, 0], expected, rtol=1e-12)
    np.testing.assert_allclose(result.trajectory[:, 1], expected, rtol=1e-12)


def test_no_exchange_when_relative_saliences_are_equal() -> None:
    """s_ie / s_if = s_je / s_jf: no exchange profits both; the outcome is the compromise."""
    data = _input([[100.0, 0.0], [0.0, 100.0]], [[0.6, 0.3], [0.4, 0.2]], [1.0, 2.0])
    result = exchange_forecast(data, rounds=3)
    assert result.details["n_exchanges"] == 0.0
    np.testing.assert_allclose(
        result.trajectory, np.tile(compromise_forecast(data).outcome, (4, 1))
    )


def test_an_actor_trades_an_issue_at_most_once_a_round() -> None:
    """B and C both want to trade with A over (e, f). O_e = 90/1.1 = 81.82, O_f = 140/1.5 =
    93.33. A-B: rate (.9 + .1)/(.1 + .5) = 5/3, b limited by A's room p_Af O_f = 6.22, so
    a = 3.73 and the gain is 3.73 * (.45 - .01)/.6 = 2.74. A-C: rate 1, a = b = 6.22, gain
    6.22 * (.81 - .01)/1 = 4.98. A-C goes first and locks A on e and f, so exactly one
    exchange happens in round 1: C shifts on e, A on f."""
    data = _input(
        [[100.0, 0.0], [0.0, 100.0], [0.0, 100.0]],
        [[0.9, 0.1], [0.1, 0.5], [0.1, 0.9]],
        [1.0, 1.0, 1.0],
    )
    result = exchange_forecast(data, rounds=1)
    assert result.details["n_exchanges"] == 1.0
    assert result.positions is not None
    moved = result.positions[1] != result.positions[0]
    assert moved.tolist() == [[False, True], [False, False], [True, False]]


def test_perturbed_position_moves_ideal_and_vote() -> None:
    data = _input([[100.0, 0.0], [0.0, 100.0]], [[0.8, 0.2], [0.2, 0.8]], [1.0, 1.0])
    new = np.full((2, 2), np.nan)
    new[1, 0] = 100.0  # B comes round to A's view on e: nothing left to trade
    result = exchange_forecast(data, rounds=3, perturbations=[Perturbation(2, positions=new)])
    assert result.positions is not None
    assert result.positions[2, 1, 0] == 100.0
    assert result.details["last_exchange_round"] == 1.0


def test_bad_options_are_rejected() -> None:
    data = _input([[100.0, 0.0], [0.0, 100.0]], [[0.8, 0.2], [0.2, 0.8]], [1.0, 1.0])
    with pytest.raises(ValueError, match="rounds must be an integer >= 0"):
        exchange_forecast(data, rounds=-2)
    with pytest.raises(ValueError, match="outcome must be 'compromise' or 'nash'"):
        exchange_forecast(data, outcome="median")  # type: ignore[arg-type]
