"""Probabilistic Condorcet elections against brute force written from the definitions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from peaceops.errors import ScenarioError
from peaceops.forecast.smp.election import condorcet_election


def _victory_from_definition(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """V[a, b] = C(a:b) / (C(a:b) + C(b:a)), C(a:b) = 1e-8 + sum_k w_k max(0, u_ka - u_kb)."""
    n_opt = u.shape[1]
    v = np.full((n_opt, n_opt), 0.5)
    for a, b in itertools.permutations(range(n_opt), 2):
        c_ab = 1e-8 + sum(wk * max(0.0, uk[a] - uk[b]) for wk, uk in zip(w, u, strict=True))
        c_ba = 1e-8 + sum(wk * max(0.0, uk[b] - uk[a]) for wk, uk in zip(w, u, strict=True))
        v[a, b] = c_ab / (c_ab + c_ba)
    return v


def _brute_force_conditional(v: np.ndarray) -> np.ndarray:
    """Enumerate every tournament (one winner per pair, independent contests): the
    probability that option a beats all others, given that some option does."""
    n_opt = v.shape[0]
    pairs = list(itertools.combinations(range(n_opt), 2))
    p_winner = np.zeros(n_opt)
    for outcome in itertools.product((0, 1), repeat=len(pairs)):
        prob = 1.0
        wins = np.zeros(n_opt, dtype=int)
        for (a, b), first_wins in zip(pairs, outcome, strict=True):
            winner = a if first_wins else b
            prob *= v[a, b] if first_wins else v[b, a]
            wins[winner] += 1
        champions = np.nonzero(wins == n_opt - 1)[0]
        if champions.size:
            p_winner[champions[0]] += prob
    out: np.ndarray = p_winner / p_winner.sum()
    return out


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_three_option_election_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    u = rng.uniform(0.0, 1.0, (3, 3))  # three actors voting on their three positions
    np.fill_diagonal(u, 1.0)
    w = rng.uniform(1.0, 100.0, 3)
    expected = _brute_force_conditional(_victory_from_definition(u, w))
    p = condorcet_election(u, w)
    assert p.sum() == pytest.approx(1.0, abs=1e-14)
    np.testing.assert_allclose(p, expected, rtol=1e-12, atol=1e-15)


def test_five_option_election_matches_brute_force() -> None:
    rng = np.random.default_rng(7)
    u = rng.uniform(0.0, 1.0, (6, 5))
    w = rng.uniform(1.0, 10.0, 6)
    expected = _brute_force_conditional(_victory_from_definition(u, w))
    np.testing.assert_allclose(condorcet_election(u, w), expected, rtol=1e-12)


def test_three_actor_election_by_hand() -> None:
    # one issue, positions 0, 0.5, 1 with utility 1 - distance; weights 1, 1, 2.
    u = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]])
    w = np.array([1.0, 1.0, 2.0])
    # C(0:1) = 1*0.5 = .5, C(1:0) = 1*.5 + 2*.5 = 1.5 -> V(0,1) = 1/4
    # C(0:2) = 1*1 + 1*0 = 1 (actor 1 indifferent), C(2:0) = 2*1 = 2 -> V(0,2) = 1/3
    # C(1:2) = 1*.5 + 1*.5 = 1, C(2:1) = 2*.5 = 1 -> V(1,2) = 1/2
    p0 = (1 / 4) * (1 / 3)
    p1 = (3 / 4) * (1 / 2)
    p2 = (2 / 3) * (1 / 2)
    total = p0 + p1 + p2
    np.testing.assert_allclose(
        condorcet_election(u, w), [p0 / total, p1 / total, p2 / total], rtol=1e-7
    )


def test_identical_options_share_probability_equally() -> None:
    u = np.array([[1.0, 1.0, 0.2], [0.4, 0.4, 1.0]])
    p = condorcet_election(u, np.array([2.0, 1.0]))
    assert p[0] == p[1]
    assert p.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "rule", ["binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect"]
)
@pytest.mark.parametrize("victory", ["linear", "square", "quartic", "octic", "binary"])
def test_every_variant_gives_a_distribution(rule: str, victory: str) -> None:
    rng = np.random.default_rng(11)
    u = rng.uniform(0.0, 1.0, (5, 4))
    for pce in ("conditional", "markov_uniform", "markov_incentive"):
        p = condorcet_election(
            u, rng.uniform(1, 5, 5), vote_rule=rule, victory_model=victory, pce=pce
        )
        assert p.shape == (4,)
        assert (p >= 0).all()
        assert p.sum() == pytest.approx(1.0, abs=1e-9)


def test_square_victory_model_gives_four_fifths_at_two_to_one() -> None:
    # KTAB's guide: with "square", a 2:1 coalition ratio gives the stronger side 4/5.
    u = np.array([[1.0, 0.0], [0.0, 1.0]])
    p = condorcet_election(u, np.array([2.0, 1.0]), victory_model="square")
    assert p[0] == pytest.approx(4 / 5, rel=1e-7)


def _stationary(t: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eig(t)
    k = int(np.argmin(np.abs(vals - 1.0)))
    pi = np.real(vecs[:, k])
    out: np.ndarray = pi / pi.sum()
    return out


def test_markov_uniform_is_the_stationary_distribution_of_uniform_challenges() -> None:
    rng = np.random.default_rng(5)
    u = rng.uniform(0.0, 1.0, (4, 4))
    w = rng.uniform(1.0, 3.0, 4)
    v = _victory_from_definition(u, w)
    n_opt = 4
    # from winner b, a uniformly drawn option a (b included) challenges and wins w.p. V(a, b)
    t = np.zeros((n_opt, n_opt))
    for a, b in itertools.permutations(range(n_opt), 2):
        t[a, b] = v[a, b] / n_opt
    t[np.diag_indices(n_opt)] = 1.0 - t.sum(axis=0)
    p = condorcet_election(u, w, pce="markov_uniform")
    np.testing.assert_allclose(p, _stationary(t), atol=1e-5)


def test_markov_incentive_is_the_stationary_distribution_of_incentive_challenges() -> None:
    rng = np.random.default_rng(6)
    u = rng.uniform(0.0, 1.0, (5, 4))
    w = rng.uniform(1.0, 3.0, 5)
    n_opt = 4
    c = np.full((n_opt, n_opt), 1e-8)
    for a, b in itertools.permutations(range(n_opt), 2):
        c[a, b] = 1e-8 + sum(wk * max(0.0, uk[a] - uk[b]) for wk, uk in zip(w, u, strict=True))
    v = c / (c + c.T)
    # a challenges winner b in proportion to C(a:b) V(a, b) (plus 1e-10 for b itself)
    inc = c * v + np.eye(n_opt) * 1e-10
    chlg = inc / inc.sum(axis=0, keepdims=True)
    t = chlg * v
    t[np.diag_indices(n_opt)] = 0.0
    t[np.diag_indices(n_opt)] = 1.0 - t.sum(axis=0)
    p = condorcet_election(u, w, pce="markov_incentive")
    np.testing.assert_allclose(p, _stationary(t), atol=1e-7)


def test_bad_inputs_are_rejected_together() -> None:
    with pytest.raises(ScenarioError, match=r"weights: must be finite and >= 0") as err:
        condorcet_election(np.ones((2, 2)), np.array([1.0, -1.0]), vote_rule="majority")
    assert "vote_rule: must be one of" in str(err.value)
    with pytest.raises(ScenarioError, match=r"weights: must be \(3,\)"):
        condorcet_election(np.ones((3, 2)), np.ones(2))
    with pytest.raises(ScenarioError, match="utilities: must be finite"):
        condorcet_election(np.array([[np.nan, 1.0]]), np.ones(1))
