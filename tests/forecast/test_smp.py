"""Spatial model of politics: dichotomous issues, engines, batches, perturbations, inputs."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from peaceops.errors import ScenarioError
from peaceops.forecast._core import ForecastResult, NegotiationInput, Perturbation
from peaceops.forecast.smp import Mode, smp_batch, smp_forecast, smp_trace


def _data(
    x: np.ndarray, s: np.ndarray, c: np.ndarray, sq: np.ndarray | None = None
) -> NegotiationInput:
    n, m = x.shape
    return NegotiationInput(
        actors=tuple(f"a{i}" for i in range(n)),
        issues=tuple(f"e{k}" for k in range(m)),
        positions=np.asarray(x, dtype=float),
        salience=np.asarray(s, dtype=float),
        clout=np.asarray(c, dtype=float),
        status_quo=np.full(m, np.nan) if sq is None else sq,
    )


def _random(seed: int, n: int, m: int) -> NegotiationInput:
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0, 100, (n, m)), 2)
    s = rng.uniform(0.05, 1.0, (n, m))
    s = s / s.sum(axis=1, keepdims=True) * rng.uniform(0.5, 1.0, (n, 1))
    return _data(x, s, rng.uniform(10, 200, n))


def _same(a: ForecastResult, b: ForecastResult) -> None:
    assert a.details == b.details
    for field in ("trajectory", "positions", "distribution", "support"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)


# ---------------------------------------------------------------------------------------
# Dichotomous issues (KTAB aborts on them)


YES_NO = _data(
    np.array([[0.0], [100.0], [100.0]]), np.array([[1.0], [1.0], [0.5]]), np.array([3.0, 1.0, 1.0])
)


def test_dichotomous_issue_first_turn_matches_hand_calculation() -> None:
    tr = smp_trace(YES_NO)
    # Every distance is 0 or 1, so u = (1 - d)(1 + dR) does not depend on R: KTAB's check
    # that risk changes utilities fails and it aborts. Risk-neutral election over the
    # three positions: C(A:B) = C(A:C) = 3, C(B:A) = C(C:A) = 2, C(B:C) = C(C:B) = 1e-8,
    # so P ~ (.5*.6*.6, .4*.5*.5, .4*.5*.5) = (.18, .10, .10); R maps max -> 1, min -> -1/2.
    np.testing.assert_allclose(tr.risk[0], [1.0, -0.5, -0.5], atol=1e-9)
    # reported election over the two distinct positions: C(0:100) = 3, C(100:0) = 2
    np.testing.assert_allclose(tr.p_position[0], [0.6, 0.4, 0.4], atol=1e-8)
    np.testing.assert_allclose(tr.p_actor[0], [0.6, 0.2, 0.2], atol=1e-8)
    assert tr.mean[0, 0] == pytest.approx(40.0, abs=1e-6)
    # A vs C: principals 3 : 0.5; third party B (weight 1) prefers C by 1, so its little
    # coalition gives P(A) = 3 / 4.5 = 2/3; under semi-commitment B backs A (5/3 > 1) and
    # adds 1 * (5/3 - 1) = 2/3 to A: P = (3 + 2/3) / (3 + 2/3 + 1/2) = 0.88. C resists with
    # probability s_C = 1/2: gain = (1 - .5) * 2 + .5 * (.88 * 2) - (1 + 0) = 0.88, more
    # than against B (7/13). B and C gain nothing from challenging anyone.
    np.testing.assert_array_equal(tr.target[0], [2, -1, -1])
    assert tr.p_win[0, 0] == pytest.approx(0.88, abs=1e-9)
    assert tr.gain[0, 0] == pytest.approx(0.88, abs=1e-9)
    # bargain, weights s^2 P^2: A 1 * .88^2 = .7744, C .25 * .12^2 = .0036, so both meet at
    # .0036 / .778 = 0.0046 (KTAB rounds to 4 decimals); A's and C's elections adopt it
    np.testing.assert_allclose(tr.positions[1, :, 0], [0.46, 100.0, 0.46], atol=1e-9)
    np.testing.assert_array_equal(tr.adopted[0], [0, -1, 0])


@pytest.mark.parametrize("mode", ["ktab", "fast"])
def test_dichotomous_issue_forecast_leans_to_the_stronger_side(mode: Mode) -> None:
    res = smp_forecast(YES_NO, mode=mode)
    assert res.details["converged"] == 1.0
    assert np.isfinite(res.trajectory).all()
    assert res.trajectory[0, 0] == pytest.approx(40.0)
    assert res.outcome[0] < 50.0  # A (clout 3) against B and C (clout 2)
    assert res.distribution is not None
    assert res.support is not None
    assert res.distribution.sum() == pytest.approx(1.0)
    assert float(res.distribution[0][res.support[0] < 50].sum()) > 0.5


def test_several_dichotomous_issues_run_in_both_modes() -> None:
    rng = np.random.default_rng(3)
    x = rng.choice([0.0, 100.0], size=(6, 3))
    s = np.full((6, 3), 0.3)
    data = _data(x, s, rng.uniform(1, 10, 6))
    ktab = smp_forecast(data)
    _same(ktab, smp_forecast(data, mode="fast"))
    assert np.isfinite(ktab.trajectory).all()


def test_everyone_at_one_position_is_a_fixed_point() -> None:
    # all win probabilities equal: KTAB divides 0 by 0; here everyone is risk neutral
    data = _data(np.full((4, 2), 30.0), np.full((4, 2), 0.4), np.array([1.0, 2.0, 3.0, 4.0]))
    tr = smp_trace(data)
    np.testing.assert_array_equal(tr.risk, 0.0)
    np.testing.assert_array_equal(tr.target, -1)
    assert tr.turns == 2
    res = smp_forecast(data)
    np.testing.assert_allclose(res.trajectory, 30.0)
    assert res.details["n_positions"] == 1.0


# ---------------------------------------------------------------------------------------
# The two engines compute the same model


OPTION_SETS = [
    {},
    {"vote_rule": "asym_prospect", "third_party": "full", "interpolation": "s1p1"},
    {"vote_rule": "prop_cubic", "big_r_range": "max", "big_r_adjust": "half"},
    {"bargain_model": "init_rcvr", "big_r_adjust": "two_thirds", "victory_model": "square"},
    {"bargain_model": "pw_comp", "interpolation": "s2pmax", "third_party": "none"},
    {"pce": "markov_uniform", "vote_rule": "binary", "big_r_range": "min"},
    {"pce": "markov_incentive", "vote_rule": "prop_bin", "big_r_adjust": "none"},
    {"victory_model": "binary", "big_r_adjust": "full", "vote_rule": "cubic"},
]


@pytest.mark.parametrize("options", OPTION_SETS)
@pytest.mark.parametrize("seed", [0, 1])
def test_fast_mode_equals_ktab_mode_bit_for_bit(options: dict[str, str], seed: int) -> None:
    data = _random(seed, n=5 + 3 * seed, m=1 + seed)
    ktab = smp_forecast(data, max_turns=30, **options)  # type: ignore[arg-type]
    fast = smp_forecast(data, mode="fast", max_turns=30, **options)  # type: ignore[arg-type]
    _same(ktab, fast)


def test_fast_mode_skips_fixed_points_without_changing_results() -> None:
    # once a turn moves nobody, every later turn repeats it; the compiled engine copies
    # those turns instead of recomputing them, and must still equal the reference engine
    data = _random(14, n=12, m=3)
    tr = smp_trace(data, tol=0.0, max_turns=60)
    assert (tr.change_ratio[16:] == 0.0).all()  # a fixed point from turn 17 on
    _same(
        smp_forecast(data, tol=0.0, max_turns=60),
        smp_forecast(data, mode="fast", tol=0.0, max_turns=60),
    )
    late = Perturbation(round=55, clout=np.where(np.arange(12) == 3, 900.0, np.nan))
    _same(
        smp_forecast(data, tol=0.0, max_turns=60, perturbations=[late]),
        smp_forecast(data, mode="fast", tol=0.0, max_turns=60, perturbations=[late]),
    )


# ---------------------------------------------------------------------------------------
# Batches


def test_batch_members_equal_single_runs() -> None:
    members = [_random(seed, n=9, m=3) for seed in range(5)]
    x = np.array([d.positions for d in members])
    x[1, 2, 0] = np.nan  # a member with a missing stance
    x[3, :, 2] = np.nan  # and one with an issue nobody takes a stance on
    s = np.array([d.salience for d in members])
    c = np.array([d.clout for d in members])
    sq = np.array([np.nan, 50.0, 20.0])
    out = smp_batch(x, s, c, status_quo=sq, max_turns=40, keep_positions=True)
    assert out.positions is not None
    for b in range(5):
        single = smp_forecast(
            _data(x[b], s[b], c[b], sq), mode="ktab" if b % 2 else "fast", max_turns=40
        )
        turns = int(single.details["turns"])
        assert single.positions is not None
        assert single.distribution is not None
        assert out.n_turns[b] == turns
        assert bool(out.converged[b]) == bool(single.details["converged"])
        np.testing.assert_array_equal(out.trajectory[b, : turns + 1], single.trajectory)
        rest = out.trajectory[b, turns + 1 :]
        np.testing.assert_array_equal(rest, np.broadcast_to(single.trajectory[-1], rest.shape))
        np.testing.assert_array_equal(out.positions[b, : turns + 1], single.positions)
        np.testing.assert_array_equal(out.final_positions[b], single.positions[-1])
        np.testing.assert_array_equal(out.p_final[b], single.distribution[0])
    np.testing.assert_allclose(out.final_positions[3, :, 2], 20.0)  # filled by status quo
    rows = out.to_rows()
    assert len(rows) == 5
    assert rows[0]["turns"] == float(out.n_turns[0])


def test_batch_results_do_not_depend_on_thread_count() -> None:
    members = [_random(seed, n=6, m=2) for seed in range(40)]
    x = np.array([d.positions for d in members])
    s = np.array([d.salience for d in members])
    c = np.array([d.clout for d in members])
    one = smp_batch(x, s, c, outcome="mode", n_threads=1)
    three = smp_batch(x, s, c, outcome="mode", n_threads=3)
    np.testing.assert_array_equal(one.trajectory, three.trajectory)
    np.testing.assert_array_equal(one.n_turns, three.n_turns)


# ---------------------------------------------------------------------------------------
# Perturbations


def _continue_from(
    data: NegotiationInput, state: np.ndarray, p: Perturbation, turns: int
) -> ForecastResult:
    """A fresh run from ``state`` with the perturbation applied to it beforehand."""
    x = state.copy()
    s, c = data.salience.copy(), data.clout.copy()
    for new, old in ((p.positions, x), (p.salience, s), (p.clout, c)):
        if new is not None:
            old[...] = np.where(np.isnan(new), old, new)
    return smp_forecast(
        dataclasses.replace(data, positions=x, salience=s, clout=c), tol=0.0, max_turns=turns
    )


@pytest.mark.parametrize("kind", ["positions", "salience", "clout"])
def test_perturbation_applies_at_the_start_of_its_round(kind: str) -> None:
    data = _random(4, n=7, m=2)
    n, m = 7, 2
    change = {
        "positions": {
            "positions": np.where(np.arange(n)[:, None] == 0, 95.0, np.nan) * np.ones((n, m))
        },
        "salience": {
            "salience": np.where(np.arange(n)[:, None] == 2, 0.9, np.nan) * np.ones((n, m))
        },
        "clout": {"clout": np.where(np.arange(n) == 5, 500.0, np.nan)},
    }[kind]
    p = Perturbation(round=4, **change)
    total = 9
    with_p = smp_forecast(data, tol=0.0, max_turns=total, perturbations=[p])
    without = smp_forecast(data, tol=0.0, max_turns=3)
    assert with_p.positions is not None
    assert without.positions is not None
    # turns 1..3 are untouched
    np.testing.assert_array_equal(with_p.positions[:4], without.positions)
    np.testing.assert_array_equal(with_p.trajectory[:4], without.trajectory)
    # turn 4 bargains from the perturbed state 3: the same as a fresh run from it
    fresh = _continue_from(data, without.positions[3], p, total - 3)
    assert fresh.positions is not None
    np.testing.assert_allclose(with_p.positions[4:], fresh.positions[1:], atol=1e-9)
    np.testing.assert_allclose(with_p.trajectory[4:], fresh.trajectory[1:], atol=1e-9)
    assert not np.array_equal(with_p.positions[4], without.positions[3])
    # the same in the compiled engine and in a batch
    _same(with_p, smp_forecast(data, mode="fast", tol=0.0, max_turns=total, perturbations=[p]))
    batch = smp_batch(
        data.positions[None],
        data.salience[None],
        data.clout[None],
        tol=0.0,
        max_turns=total,
        perturbations=[p],
    )
    np.testing.assert_array_equal(batch.trajectory[0], with_p.trajectory)


def test_run_does_not_stop_before_the_last_perturbation() -> None:
    data = YES_NO
    assert smp_forecast(data).details["turns"] == 4.0
    late = Perturbation(round=12, clout=np.array([np.nan, 5.0, np.nan]))
    res = smp_forecast(data, perturbations=[late])
    assert res.details["turns"] >= 12.0
    assert res.details["converged"] == 1.0


# ---------------------------------------------------------------------------------------
# Inputs


def test_missing_stance_takes_the_weighted_mean_with_zero_salience() -> None:
    x = np.array([[10.0, 20.0], [50.0, np.nan], [90.0, 80.0]])
    s = np.array([[0.5, 0.5], [0.6, 0.9], [0.2, 0.4]])
    c = np.array([1.0, 2.0, 3.0])
    res = smp_forecast(_data(x, s, c))
    fill = (1 * 0.5 * 20 + 3 * 0.4 * 80) / (1 * 0.5 + 3 * 0.4)
    assert res.positions is not None
    assert res.positions[0, 1, 1] == pytest.approx(fill, rel=1e-12)
    explicit = smp_forecast(_data(np.where(np.isnan(x), fill, x), np.where(np.isnan(x), 0.0, s), c))
    np.testing.assert_allclose(res.trajectory, explicit.trajectory, atol=1e-9)


def test_saliences_summing_above_one_are_rescaled() -> None:
    data = _random(9, n=6, m=3)
    loud = dataclasses.replace(data, salience=np.minimum(data.salience * 3.0, 1.0))
    tot = loud.salience.sum(axis=1, keepdims=True)
    scaled = dataclasses.replace(
        loud, salience=np.where(tot > 1, loud.salience / tot, loud.salience)
    )
    res, ref = smp_forecast(loud), smp_forecast(scaled)
    np.testing.assert_allclose(res.trajectory, ref.trajectory, atol=1e-9)


def test_mode_outcome_is_the_most_probable_position() -> None:
    data = _random(2, n=8, m=2)
    tr = smp_trace(data)
    res = smp_forecast(data, outcome="mode")
    for t in range(tr.turns + 1):
        best = int(np.argmax(tr.p_position[t]))
        np.testing.assert_allclose(res.trajectory[t], tr.positions[t, best])
    mean = smp_forecast(data)
    np.testing.assert_allclose(mean.trajectory, tr.mean)


def test_max_turns_ends_an_unconverged_run() -> None:
    res = smp_forecast(_random(5, n=8, m=2), max_turns=1)
    assert res.details["turns"] == 1.0
    assert res.details["converged"] == 0.0
    assert res.trajectory.shape == (2, 2)


def test_out_of_range_inputs_are_all_reported() -> None:
    x = np.array([[10.0], [120.0], [50.0]])
    s = np.array([[0.5], [0.5], [1.5]])
    c = np.array([1.0, 0.0, 2.0])
    with pytest.raises(ScenarioError, match=r"positions\[a1\]\[e0\]: must be within 0..100") as err:
        smp_forecast(_data(x, s, c))
    message = str(err.value)
    assert "salience[a2][e0]: must be within 0..1" in message
    assert "clout[a1]: must be finite and > 0" in message


def test_unknown_options_and_bad_run_settings_are_rejected() -> None:
    with pytest.raises(ScenarioError, match="third_party: must be one of"):
        smp_forecast(YES_NO, third_party="loyal")
    with pytest.raises(ScenarioError, match="mode: must be 'ktab' or 'fast'") as err:
        smp_forecast(YES_NO, mode="quick", tol=-1.0, max_turns=0, pce="markov")  # type: ignore[arg-type]
    message = str(err.value)
    assert "tol: must be finite and >= 0" in message
    assert "max_turns: must be an integer >= 1" in message
    assert "pce: must be one of ['conditional', 'markov_incentive', 'markov_uniform']" in message
    with pytest.raises(ScenarioError, match="n_threads: must be an integer >= 1"):
        smp_batch(YES_NO.positions[None], YES_NO.salience[None], YES_NO.clout[None], n_threads=0)


def test_malformed_perturbations_are_rejected() -> None:
    bad = [
        Perturbation(round=0, clout=np.array([1.0, 1.0, 1.0])),
        Perturbation(round=2, positions=np.ones((2, 2))),
        Perturbation(round=3, salience=np.array([[2.0], [np.nan], [np.nan]])),
    ]
    with pytest.raises(
        ScenarioError, match=r"perturbations\[0\].round: must be within 1..100"
    ) as err:
        smp_forecast(YES_NO, perturbations=bad)
    message = str(err.value)
    assert "perturbations[1].positions: must be (3, 1)" in message
    assert "perturbations[2].salience: must be within 0..1" in message


def test_batch_shapes_are_checked() -> None:
    with pytest.raises(ScenarioError, match=r"must be \(b, n, m\)"):
        smp_batch(np.ones((2, 3)), np.ones((2, 3)), np.ones(2))
    with pytest.raises(ScenarioError, match=r"positions\[1\]\[0\]\[0\]: must be within 0..100"):
        smp_batch(np.array([[[1.0], [2.0]], [[-5.0], [2.0]]]), np.ones((2, 2, 1)), np.ones((2, 2)))


def test_trace_rows_describe_each_state() -> None:
    tr = smp_trace(YES_NO)
    rows = tr.to_rows()
    assert len(rows) == (tr.turns + 1) * 3
    assert rows[0] == {
        "turn": 0,
        "actor": "a0",
        "position[e0]": 0.0,
        "risk": pytest.approx(1.0),
        "p_position": pytest.approx(0.6),
        "target": None,
        "p_win": None,
        "gain": None,
        "adopted": None,
    }
    assert rows[3]["target"] == "a2"
    assert rows[3]["adopted"] == "a0"


# ---------------------------------------------------------------------------------------
# Larger runs


@pytest.mark.slow
@pytest.mark.parametrize("seed", [10, 11])
def test_fast_mode_equals_ktab_mode_on_forty_actors(seed: int) -> None:
    data = _random(seed, n=40, m=3)
    _same(smp_forecast(data), smp_forecast(data, mode="fast"))


@pytest.mark.slow
def test_eighty_actors_on_one_issue_converge() -> None:
    rng = np.random.default_rng(80)
    data = _data(
        rng.uniform(0, 100, (80, 1)), rng.uniform(0.1, 1.0, (80, 1)), rng.uniform(1, 100, 80)
    )
    res = smp_forecast(data, mode="fast")
    assert res.details["converged"] == 1.0
    _same(res, smp_forecast(data))


@pytest.mark.slow
def test_compiled_engine_runs_without_a_writable_cache() -> None:
    # no cache locator at all (as in a read-only installation): numba refuses cache=True,
    # and the engine compiles in memory instead, without warnings
    code = (
        "import numba.core.caching as caching\n"
        "caching.CacheImpl._locator_classes = []\n"
        "import numpy as np\n"
        "from peaceops.forecast.smp import smp_batch\n"
        "r = smp_batch(np.array([[[20.0], [60.0], [90.0]]]), np.array([[[0.9], [0.6], [0.5]]]),\n"
        "              np.array([[3.0, 1.0, 1.0]]))\n"
        "print(int(r.n_turns[0]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "2"
