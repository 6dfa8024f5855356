"""Sobol' indices against analytical values: the Ishigami function and an exact scenario."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from SALib.sample import sobol as salib_sample

from peaceops import parse_scenario
from peaceops.sweep import SamplingDesign, UncertainInput
from peaceops.sweep.sensitivity import saltelli_matrix, sobol_indices, sobol_sensitivity
from peaceops_testing import template_text

A, B = 7.0, 0.1


def _ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def _ishigami_indices() -> tuple[list[float], list[float]]:
    """Analytical indices (Ishigami and Homma 1990; Sobol' and Levitan 1999)."""
    pi = math.pi
    v1 = 0.5 * (1 + B * pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return [v1 / var, v2 / var, 0.0], [(v1 + v13) / var, v2 / var, v13 / var]


def test_analytical_ishigami_values_are_the_published_ones() -> None:
    s1, st = _ishigami_indices()
    assert [round(v, 4) for v in s1] == [0.3139, 0.4424, 0.0]
    assert [round(v, 4) for v in st] == [0.5576, 0.4424, 0.2437]


def test_sobol_indices_of_the_ishigami_function_match_the_analytical_values() -> None:
    xs = [UncertainInput(f"x{i}", "parameter", "uniform", -math.pi, math.pi) for i in (1, 2, 3)]
    result = sobol_indices(SamplingDesign(tuple(xs)), _ishigami, n=2**13, seed=20250405)
    s1, st = _ishigami_indices()
    for j, name in enumerate(("x1", "x2", "x3")):
        ix = result.index(name)
        # at N = 8192 the bootstrap half-widths are about 0.02; the errors are well inside
        assert ix.s1 == pytest.approx(s1[j], abs=0.02), name
        assert ix.st == pytest.approx(st[j], abs=0.02), name
        assert ix.s1_conf < 0.03
        assert ix.st_conf < 0.04
    assert [ix.name for ix in result.indices] == ["x1", "x2", "x3"]  # ranked by total index
    assert result.n_evaluations == 2**13 * 5
    rows = result.to_rows()
    assert rows[0]["rank"] == 1
    assert rows[0]["st_low"] < rows[0]["st"] < rows[0]["st_high"]


@pytest.mark.parametrize("groups", [None, ["g1", "g2", "g1", "g3"]])
def test_saltelli_matrix_is_salib_sampler_layout(groups: list[str] | None) -> None:
    problem: dict[str, object] = {"num_vars": 4, "names": list("abcd"), "bounds": [[0, 1]] * 4}
    if groups:
        problem["groups"] = groups
    expected = salib_sample.sample(
        problem, 32, calc_second_order=False, seed=np.random.default_rng(8)
    )
    got = saltelli_matrix(4, 32, seed=np.random.default_rng(8), groups=groups)
    assert np.array_equal(got, expected)


def test_base_sample_size_must_be_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        saltelli_matrix(2, 100, seed=1)


def test_a_constant_output_has_zero_indices_without_warnings() -> None:
    xs = (UncertainInput("x", "parameter", "uniform", 0.0, 1.0),)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = sobol_indices(SamplingDesign(xs), lambda v: np.ones(len(v)), n=64, seed=1)
    assert (result.index("x").s1, result.index("x").st, result.variance) == (0.0, 0.0, 0.0)


def _exact_template() -> str:
    """Land is covered exactly when NTR's parliament approves (0.7) and it offers its
    battalion (1 of 0..1, probability 1/2): an indicator ``Y = A B`` of two independent inputs.
    """
    text = template_text()
    return text.replace(
        "      - {kind: authorised_by, venue: UNSC}\n      - {kind: approval, body: Parliament",
        "      - {kind: approval, body: Parliament",
    )


def test_scenario_sensitivity_matches_the_exact_indices_of_a_product_of_bernoullis() -> None:
    # Y = A B, A ~ Bernoulli(0.7), B ~ Bernoulli(0.5): V(Y) = 0.35 * 0.65, V_A = 0.5^2 * 0.21,
    # V_B = 0.7^2 * 0.25, and the interaction takes the rest.
    var = 0.35 * 0.65
    v_a, v_b = 0.25 * 0.21, 0.49 * 0.25
    v_ab = var - v_a - v_b
    s = parse_scenario(_exact_template())
    result = sobol_sensitivity(s, output="cover:monitors/UNSC/0:land", n=2**12, seed=1)
    approval = result.index("approval:NTR:Parliament")
    quantity = result.index("quantity:ntr-inf")
    assert approval.s1 == pytest.approx(v_a / var, abs=0.03)
    assert approval.st == pytest.approx((v_a + v_ab) / var, abs=0.03)
    assert quantity.s1 == pytest.approx(v_b / var, abs=0.03)
    assert quantity.st == pytest.approx((v_b + v_ab) / var, abs=0.03)
    others = [ix for ix in result.indices if ix.name not in (approval.name, quantity.name)]
    assert all(abs(ix.st) < 0.01 and abs(ix.s1) < 0.03 for ix in others)
    assert [ix.name for ix in result.indices[:2]] == [quantity.name, approval.name]
    assert result.mean == pytest.approx(0.35, abs=0.02)


def test_grouping_by_actor_puts_a_contributors_inputs_together() -> None:
    s = parse_scenario(_exact_template())
    result = sobol_sensitivity(
        s, output="cover:monitors/UNSC/0:land", n=2**10, seed=2, grouping="actor"
    )
    ntr = result.index("NTR")
    assert set(ntr.inputs) == {"quantity:ntr-inf", "approval:NTR:Parliament"}
    assert ntr.s1 == pytest.approx(1.0, abs=0.03)
    assert result.indices[0].name == "NTR"
    assert result.grouping == "actor"


def test_forecast_output_sensitivity_finds_the_only_position_that_moves_it() -> None:
    # the compromise on alliance_share is the clout-and-salience weighted mean of ADV's
    # position alone (the only stance on it): it moves only with ADV's uncertain position
    s = parse_scenario(template_text())
    result = sobol_sensitivity(s, output="forecast:compromise:alliance_share", n=2**9, seed=3)
    top = result.indices[0]
    assert top.name == "position:ADV:alliance_share"
    assert top.s1 == pytest.approx(1.0, abs=0.02)


def test_unknown_output_names_the_closest_ones() -> None:
    s = parse_scenario(template_text())
    with pytest.raises(KeyError, match="did you mean cover:monitors/UNSC/0:land"):
        sobol_sensitivity(s, output="cover:monitors/UNSC/0:lan", n=64, seed=1)


def test_a_model_must_return_one_value_per_row() -> None:
    xs = (UncertainInput("x", "parameter", "uniform", 0.0, 1.0),)
    with pytest.raises(ValueError, match="one value per row"):
        sobol_indices(SamplingDesign(xs), lambda v: np.ones((len(v), 2)), n=8, seed=1)


@pytest.mark.slow
def test_scenario_sensitivity_in_worker_processes_gives_the_same_indices() -> None:
    from peaceops.sweep import ExecutorSpec

    s = parse_scenario(_exact_template())
    kwargs = {"output": "cover:monitors/UNSC/0:land", "n": 2**8, "seed": 4}
    inline = sobol_sensitivity(s, **kwargs)  # type: ignore[arg-type]
    pooled = sobol_sensitivity(s, executor=ExecutorSpec("processes", 2), **kwargs)  # type: ignore[arg-type]
    assert pooled == inline
