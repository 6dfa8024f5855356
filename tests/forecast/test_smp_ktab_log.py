"""KTAB's own 2017 reference log of ``smpc`` on ``dummyData_3Dim.csv``, turn by turn.

The log (``../shared/data/ktab/ref-dummyData_3Dim.txt``) prints every turn's positions
("postn i , 0 :" lines, 4 decimals on 0..100), each state's inferred risk attitudes, each
actor's chosen target with its expected gain, the stop rule's ratio, and the final history
of winning probabilities ("prob" lines). The tests read it with
:func:`peaceops.io.read_ktab_log` and compare with both engines.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from peaceops.forecast._core import NegotiationInput
from peaceops.forecast.smp import Mode, smp_forecast, smp_trace
from peaceops.io import KtabLog, read_ktab_csv, read_ktab_log

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
KTAB = SHARED / "data" / "ktab"
CSV_FILE = KTAB / "dummyData_3Dim.csv"
LOG_FILE = KTAB / "ref-dummyData_3Dim.txt"

pytestmark = pytest.mark.skipif(
    not (CSV_FILE.is_file() and LOG_FILE.is_file()),
    reason="../shared/data/ktab (KTAB example and reference log) is not present",
)


def _read_csv() -> NegotiationInput:
    return read_ktab_csv(CSV_FILE).data


@cache
def _parse() -> KtabLog:
    return read_ktab_log(LOG_FILE)


def test_log_was_run_with_ktab_defaults() -> None:
    assert _parse().parameters == {
        "VictoryProbModel": "Linear",
        "VotingRule": "Prop",
        "PCEModel": "Conditional",
        "StateTransitions": "Deterministic",
        "BigRRange": "Mid",
        "BigRAdjust": "OneThird",
        "ThirdPartyCommit": "SemiCommit",
        "InterVecBrgn": "S2P2",
        "BargnModel": "InitOnlyInterp",
    }


@pytest.mark.parametrize("mode", ["ktab", "fast"])
def test_positions_match_the_log_turn_by_turn(mode: Mode) -> None:
    log = _parse()
    res = smp_forecast(_read_csv(), mode=mode)
    assert log.n_states == 11
    assert res.positions is not None
    assert res.positions.shape[0] == log.n_states  # 10 turns, as in KTAB
    assert res.details["turns"] == 10.0
    assert res.details["converged"] == 1.0
    for t, expected in enumerate(log.positions):
        deviation = np.abs(res.positions[t] - expected).max()
        assert deviation < 1e-3, f"turn {t}: max deviation {deviation:.2e}"


def test_trace_matches_risk_targets_ratios_and_probabilities() -> None:
    log = _parse()
    tr = smp_trace(_read_csv())
    assert tr.turns == 10
    # risk attitudes, printed with 3 decimals, for every state including the last
    assert len(log.risk) == tr.turns + 1
    np.testing.assert_allclose(tr.risk, np.array(log.risk), atol=5e-4 + 1e-12)
    # each actor's target and expected gain ("worth", 3 decimals), or no target
    for t in range(tr.turns):
        for i in range(len(tr.actors)):
            if (t, i) in log.no_target:
                assert tr.target[t, i] == -1
            else:
                j, worth = log.targets[(t, i)]
                assert tr.target[t, i] == j
                assert tr.gain[t, i] == pytest.approx(worth, abs=5e-4 + 1e-12)
    # the stop rule's ratio (4 decimals): KTAB prints 0.9999 for the first turn
    np.testing.assert_allclose(tr.change_ratio, log.ratios, atol=5e-5 + 1e-12)
    # the history of winning probabilities ("prob" lines, 4 decimals), as KTAB shows them
    np.testing.assert_allclose(tr.p_position.T, log.prob, atol=5e-5 + 1e-12)


def test_forecast_distribution_is_the_final_election() -> None:
    log = _parse()
    res = smp_forecast(_read_csv())
    assert res.distribution is not None
    assert res.support is not None
    assert res.positions is not None
    np.testing.assert_allclose(res.support.T, res.positions[-1])
    assert res.distribution.sum(axis=1) == pytest.approx(np.ones(3))
    # KTAB shows each actor the probability of its position; actors sharing a position
    # (0 and 1, 4 and 6 at the end) split it in the forecast's distribution
    final_pos = log.positions[-1]
    same = np.linalg.norm(final_pos[:, None] - final_pos[None], axis=2) < 0.1
    expected = log.prob[:, -1] / same.sum(axis=1)
    assert same.sum() == 7 + 4
    np.testing.assert_allclose(res.distribution[0], expected, atol=5e-5)
