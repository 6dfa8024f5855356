"""Sampling designs: the scenario's uncertainty fields, their draws and per-replicate streams."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from peaceops import load_scenario, parse_scenario
from peaceops.scenario import canonical_json
from peaceops.sweep import (
    SamplingDesign,
    UncertainInput,
    draw_inputs,
    realise_scenario,
    resolve_seed,
    sampling_design,
)
from peaceops_testing import template_text

N_DRAWS = 20_000
#: Tolerance in standard errors. A draw is a fixed-seed regression value, but the bound is
#: the statistical one: with about 100 checks, 5 standard errors (two-sided p = 5.7e-7 each)
#: keeps the chance that an honest sampler fails any of them below 1e-4 for any seed.
Z = 5.0


@pytest.fixture(scope="module")
def ukraine_design() -> SamplingDesign:
    return sampling_design(load_scenario("ukraine-2025-04"))


@pytest.fixture(scope="module")
def ukraine_draws(ukraine_design: SamplingDesign) -> np.ndarray:
    return draw_inputs(ukraine_design, 20250405, 0, N_DRAWS)


def test_template_design_lists_every_uncertainty_field() -> None:
    design = sampling_design(parse_scenario(template_text()))
    rows = {x.name: (x.kind, x.distribution, x.low, x.high, x.probability) for x in design.inputs}
    assert rows == {
        "clout:HST": ("clout", "uniform", 0.1, 0.3, None),
        "position:ADV:alliance_share": ("position", "uniform", 0.0, 10.0, None),
        "salience:ADV:alliance_share": ("salience", "uniform", 0.8, 1.0, None),
        "quantity:ntr-inf": ("quantity", "integer", 0.0, 1.0, None),
        "approval:NTR:Parliament": ("approval", "bernoulli", 0.0, 1.0, 0.7),
        "event:ceasefire": ("event", "bernoulli", 0.0, 1.0, 0.5),
        "threat:adv-harass": ("threat", "uniform", 0.05, 0.2, None),
    }
    assert design.inputs[0].path == "actors[HST].clout.range"
    assert design.inputs[1].path == "stances[ADV][alliance_share].uncertainty.position"
    assert design.nominal().tolist() == [0.2, 0.0, 1.0, 0.0, 0.7, 0.5, 0.1]


def test_ukraine_design_covers_clouts_stances_quantities_approvals_and_events(
    ukraine_design: SamplingDesign,
) -> None:
    kinds = [x.kind for x in ukraine_design.inputs]
    s = load_scenario("ukraine-2025-04")
    n_clout = sum(1 for a in s.actors if a.clout.range and a.clout.range[0] < a.clout.range[1])
    n_quantity = sum(1 for p in s.pledges if p.quantity.low < p.quantity.high)
    assert kinds.count("clout") == n_clout
    assert kinds.count("quantity") == n_quantity
    assert kinds.count("event") == len([e for e in s.events if 0 < e.probability < 1])
    assert "position:TUR:ground_presence" in ukraine_design.names
    assert "salience:TUR:ground_presence" in ukraine_design.names
    # inputs are grouped by kind in a fixed order
    order = ["clout", "position", "salience", "quantity", "approval", "event"]
    ranks = [order.index("position" if k == "salience" else k) for k in kinds]
    assert ranks == sorted(ranks)


def test_a_body_with_different_probabilities_is_one_latent_uniform_input(
    ukraine_design: SamplingDesign,
) -> None:
    turkey = ukraine_design.inputs[
        ukraine_design.index("approval:TUR:Grand National Assembly of Turkiye")
    ]
    assert (turkey.distribution, turkey.low, turkey.high) == ("uniform", 0.0, 1.0)
    bundestag = ukraine_design.inputs[ukraine_design.index("approval:DEU:Bundestag")]
    assert (bundestag.distribution, bundestag.probability) == ("bernoulli", 0.5)


def test_design_does_not_depend_on_the_order_of_mapping_keys() -> None:
    s = load_scenario("ukraine-2025-04")
    again = parse_scenario(canonical_json(s))  # canonical JSON sorts the stances' keys
    assert list(again.stances) != list(s.stances)
    assert sampling_design(again) == sampling_design(s)


def test_draws_stay_inside_the_stated_ranges(
    ukraine_design: SamplingDesign, ukraine_draws: np.ndarray
) -> None:
    lo = np.array([x.low for x in ukraine_design.inputs])
    hi = np.array([x.high for x in ukraine_design.inputs])
    assert np.all(ukraine_draws >= lo)
    assert np.all(ukraine_draws <= hi)
    for j, x in enumerate(ukraine_design.inputs):
        if x.distribution != "uniform":
            col = ukraine_draws[:, j]
            assert np.array_equal(col, np.round(col)), x.name  # whole numbers and 0/1


def test_uniform_inputs_are_uniform_on_their_range(
    ukraine_design: SamplingDesign, ukraine_draws: np.ndarray
) -> None:
    for j, x in enumerate(ukraine_design.inputs):
        if x.distribution != "uniform":
            continue
        col = ukraine_draws[:, j]
        se = (x.high - x.low) / np.sqrt(12 * N_DRAWS)
        assert abs(col.mean() - (x.low + x.high) / 2) < Z * se, x.name
        # Kolmogorov-Smirnov against U(low, high); Bonferroni over the ~90 uniform inputs
        assert stats.kstest(col, stats.uniform(x.low, x.high - x.low).cdf).pvalue > 1e-4, x.name


def test_bernoulli_inputs_hold_with_the_stated_probability(
    ukraine_design: SamplingDesign, ukraine_draws: np.ndarray
) -> None:
    checked = 0
    for j, x in enumerate(ukraine_design.inputs):
        if x.distribution == "bernoulli":
            assert x.probability is not None
            p = x.probability
            assert abs(ukraine_draws[:, j].mean() - p) < Z * np.sqrt(p * (1 - p) / N_DRAWS), x.name
            checked += 1
    turkey = ukraine_design.index("approval:TUR:Grand National Assembly of Turkiye")
    for p in (0.8, 0.6):  # each Turkish condition keeps its own probability
        freq = (ukraine_draws[:, turkey] < p).mean()
        assert abs(freq - p) < Z * np.sqrt(p * (1 - p) / N_DRAWS)
    assert checked >= 10


def test_integer_inputs_take_every_value_equally_often(
    ukraine_design: SamplingDesign, ukraine_draws: np.ndarray
) -> None:
    for j, x in enumerate(ukraine_design.inputs):
        if x.distribution != "integer":
            continue
        values = np.arange(int(x.low), int(x.high) + 1)
        counts = np.array([(ukraine_draws[:, j] == v).sum() for v in values])
        assert counts.sum() == N_DRAWS
        assert stats.chisquare(counts).pvalue > 1e-4, x.name


def test_inputs_are_drawn_independently(ukraine_draws: np.ndarray) -> None:
    varying = ukraine_draws[:, ukraine_draws.std(axis=0) > 0]
    corr = np.corrcoef(varying, rowvar=False)
    off = corr[~np.eye(len(corr), dtype=bool)]
    assert np.abs(off).max() < Z / np.sqrt(N_DRAWS)


def test_each_replicate_has_its_own_spawned_stream(ukraine_design: SamplingDesign) -> None:
    seed = 99
    whole = draw_inputs(ukraine_design, seed, 0, 50)
    assert np.array_equal(whole[37:40], draw_inputs(ukraine_design, seed, 37, 40))
    child = np.random.SeedSequence(seed).spawn(50)[37]
    u = np.random.default_rng(child).random(ukraine_design.k)
    assert np.array_equal(whole[37], ukraine_design.transform(u[None, :])[0])
    assert not np.array_equal(whole[0], whole[1])
    assert not np.array_equal(whole, draw_inputs(ukraine_design, seed + 1, 0, 50))


def test_transform_inverts_each_distribution() -> None:
    design = SamplingDesign(
        (
            UncertainInput("u", "parameter", "uniform", 10.0, 20.0),
            UncertainInput("q", "parameter", "integer", 2.0, 4.0),
            UncertainInput("b", "parameter", "bernoulli", 0.0, 1.0, probability=0.25),
        )
    )
    u = np.array([[0.0, 0.0, 0.0], [0.5, 1 / 3, 0.2499], [0.999999, 0.999999, 0.25]])
    assert design.transform(u).tolist() == [
        [10.0, 2.0, 1.0],
        [15.0, 3.0, 1.0],
        [19.99999, 4.0, 0.0],
    ]
    with pytest.raises(ValueError, match=r"u must have shape \(b, 3\)"):
        design.transform(np.zeros((2, 2)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"distribution": "uniform", "low": 2.0, "high": 1.0}, "low <= high"),
        ({"distribution": "integer", "low": 0.5, "high": 2.0}, "whole-number bounds"),
        ({"distribution": "bernoulli", "low": 0.0, "high": 1.0}, "needs a probability"),
    ],
)
def test_malformed_inputs_are_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        UncertainInput("x", "parameter", **kwargs)  # type: ignore[arg-type]


def test_duplicate_input_names_are_rejected() -> None:
    x = UncertainInput("x", "parameter", "uniform", 0.0, 1.0)
    with pytest.raises(ValueError, match="unique"):
        SamplingDesign((x, x))


def test_resolve_seed_accepts_the_documented_kinds() -> None:
    assert resolve_seed(7) == 7
    assert resolve_seed(np.random.SeedSequence(11)) == 11
    fresh = resolve_seed(None)
    assert isinstance(fresh, int)
    assert fresh >= 0
    a = resolve_seed(np.random.default_rng(3))
    assert a == resolve_seed(np.random.default_rng(3))  # drawn from the generator: reproducible
    assert 0 <= a < 2**128
    with pytest.raises(ValueError, match="non-negative"):
        resolve_seed(-1)
    with pytest.raises(ValueError, match="spawned child"):
        resolve_seed(np.random.SeedSequence(1).spawn(1)[0])


def test_realised_scenario_is_valid_and_carries_the_draws() -> None:
    s = parse_scenario(template_text())
    design = sampling_design(s)
    values = np.array([0.25, 7.5, 0.9, 1.0, 1.0, 1.0, 0.15])
    r = realise_scenario(s, design, values)
    again = parse_scenario(canonical_json(r))  # passes every check of the format
    assert again.actor("HST").clout.value == 0.25
    assert again.actor("HST").clout.range is None
    st = again.stances["ADV"]["alliance_share"]
    assert (st.position, st.salience, st.uncertainty) == (7.5, 0.9, None)
    pledge = next(p for p in again.pledges if p.id == "ntr-inf")
    assert (pledge.quantity.low, pledge.quantity.high) == (1, 1)
    approval = next(c for c in pledge.conditions if c.kind == "approval")
    assert approval.probability == 1.0  # drawn: parliament approves
    assert again.events[0].probability == 1.0  # drawn: the ceasefire happens
    assert (again.threats[0].probability, again.threats[0].range) == (0.15, None)
    assert s.actor("HST").clout.value == 0.2  # the original is untouched


def test_a_refusal_drawn_is_probability_zero_in_the_realised_world() -> None:
    s = parse_scenario(template_text())
    design = sampling_design(s)
    r = realise_scenario(s, design, np.array([0.25, 7.5, 0.9, 0.0, 0.0, 0.0, 0.1]))
    pledge = next(p for p in r.pledges if p.id == "ntr-inf")
    approval = next(c for c in pledge.conditions if c.kind == "approval")
    assert (pledge.quantity.low, approval.probability, r.events[0].probability) == (0, 0.0, 0.0)
    with pytest.raises(ValueError, match=r"values must have shape \(7,\)"):
        realise_scenario(s, design, np.zeros(5))
