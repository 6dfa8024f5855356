r"""Sobol' sensitivity: which uncertain input drives an output, by first-order and total indices.

For an output :math:`Y = f(X_1, \dots, X_k)` of independent inputs, the first-order index of
:math:`X_i` is the share of the variance of :math:`Y` that :math:`X_i` explains alone and the
total index the share it takes part in, interactions included:

.. math::

    S_i = \frac{V[E(Y \mid X_i)]}{V(Y)}, \qquad
    S_{T,i} = \frac{E[V(Y \mid X_{\sim i})]}{V(Y)} = 1 - \frac{V[E(Y \mid X_{\sim i})]}{V(Y)}.

They are estimated from Saltelli's design: two independent quasi-random matrices :math:`A` and
:math:`B` (a scrambled Sobol' sequence in :math:`2k` dimensions cut in two) and the :math:`k`
matrices :math:`A_B^{(i)}` equal to :math:`A` with column :math:`i` from :math:`B`,
:math:`N(k + 2)` evaluations in all (Saltelli 2002), with the estimators of Saltelli et al.
(2010), Table 2 (first order: Saltelli 2010 / Sobol' 2007; total: Jansen 1999), and
bootstrap confidence intervals, as implemented by SALib (Herman and Usher 2017); the
sequence and the estimators are computed by :mod:`peaceops.sweep._sobol`, which gives the
same bits as ``scipy.stats.qmc`` and SALib without importing them. Inputs are
drawn on the unit cube and mapped through the same inverse distribution functions as the
Monte Carlo sweep (:meth:`~peaceops.sweep.design.SamplingDesign.transform`), so discrete inputs
(quantities, approvals, events) take part like continuous ones. Groups of inputs (by actor,
by kind) get one index per group (Jacques et al. 2006).

References
----------
.. [1] Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models and
   their Monte Carlo estimates. *Mathematics and Computers in Simulation* 55(1-3), 271-280.
   doi:10.1016/S0378-4754(00)00270-6
.. [2] Saltelli, A. (2002). Making best use of model evaluations to compute sensitivity
   indices. *Computer Physics Communications* 145(2), 280-297.
   doi:10.1016/S0010-4655(02)00280-1
.. [3] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S.
   (2010). Variance based sensitivity analysis of model output. Design and estimator for the
   total sensitivity index. *Computer Physics Communications* 181(2), 259-270.
   doi:10.1016/j.cpc.2009.09.018
.. [4] Ishigami, T. and Homma, T. (1990). An importance quantification technique in
   uncertainty analysis for computer models. *Proceedings of ISUMA '90*, 398-403.
   doi:10.1109/ISUMA.1990.151285
.. [5] Herman, J. and Usher, W. (2017). SALib: an open-source Python library for sensitivity
   analysis. *Journal of Open Source Software* 2(9), 97. doi:10.21105/joss.00097
.. [6] Jacques, J., Lavergne, C. and Devictor, N. (2006). Sensitivity analysis in presence of
   model uncertainty and correlated inputs. *Reliability Engineering & System Safety* 91(10-11),
   1126-1134. doi:10.1016/j.ress.2005.11.047
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from peaceops._frames import FrameMixin
from peaceops._seeds import SOBOL, stream
from peaceops._types import Seed, make_rng
from peaceops.errors import OptionError
from peaceops.scenario.model import Scenario
from peaceops.sweep._sobol import scrambled_sobol, sobol_estimates
from peaceops.sweep.design import SamplingDesign, resolve_seed, sampling_design
from peaceops.sweep.evaluate import Evaluator, build_evaluator, evaluate_batch
from peaceops.sweep.executors import ExecutorSpec, map_batches

__all__ = [
    "SensitivityResult",
    "SobolIndex",
    "saltelli_matrix",
    "sobol_indices",
    "sobol_sensitivity",
]

FloatArray = npt.NDArray[np.float64]
Grouping = Literal["input", "actor", "kind"]
Model = Callable[[FloatArray], FloatArray]

#: Bootstrap resamples for the confidence intervals.
N_RESAMPLES = 200
#: Rows of the Saltelli matrix evaluated per task.
CHUNK = 4096


@dataclass(frozen=True)
class SobolIndex:
    """Sobol' indices of one input (or group of inputs) with their confidence intervals.

    Attributes
    ----------
    name
        The input or group.
    inputs
        The inputs it covers.
    s1, s1_conf
        First-order index and the half-width of its confidence interval.
    st, st_conf
        Total index and the half-width of its confidence interval.
    """

    name: str
    inputs: tuple[str, ...]
    s1: float
    s1_conf: float
    st: float
    st_conf: float


@dataclass(frozen=True)
class SensitivityResult(FrameMixin):
    """Sobol' indices of one output, ranked by total index ("what matters most").

    Attributes
    ----------
    output
        The output analysed.
    n_base
        Base sample size :math:`N` (a power of two).
    n_evaluations
        Model evaluations, :math:`N (g + 2)` for :math:`g` inputs or groups.
    seed
        Root seed (``docs/randomness.md``).
    grouping
        ``input``, ``actor``, ``kind`` or ``custom``.
    conf_level
        Confidence level of the intervals.
    mean, variance
        Mean and variance of the output over the :math:`A` and :math:`B` samples.
    indices
        One entry per input or group, largest total index first.
    """

    output: str
    n_base: int
    n_evaluations: int
    seed: int
    grouping: str
    conf_level: float
    mean: float
    variance: float
    indices: tuple[SobolIndex, ...]

    def to_rows(self) -> list[dict[str, Any]]:
        """The ranked table: rank, input, S1 and ST with their confidence intervals."""
        rows = []
        for rank, ix in enumerate(self.indices, start=1):
            rows.append(
                {
                    "rank": rank,
                    "input": ix.name,
                    "s1": ix.s1,
                    "s1_low": ix.s1 - ix.s1_conf,
                    "s1_high": ix.s1 + ix.s1_conf,
                    "st": ix.st,
                    "st_low": ix.st - ix.st_conf,
                    "st_high": ix.st + ix.st_conf,
                    "n_inputs": len(ix.inputs),
                }
            )
        return rows

    def index(self, name: str) -> SobolIndex:
        """The indices of input or group ``name``."""
        for ix in self.indices:
            if ix.name == name:
                return ix
        raise KeyError(name)


def saltelli_matrix(
    k: int, n: int, *, seed: int | np.random.Generator, groups: Sequence[str] | None = None
) -> FloatArray:
    r"""Saltelli's design on the unit cube: ``(n (g + 2), k)`` rows.

    For each of the ``n`` base points the rows are :math:`A`, then :math:`A_B^{(j)}` for each
    input (or group) :math:`j` in order of first appearance, then :math:`B`, exactly as
    ``SALib.sample.sobol.sample(..., calc_second_order=False)`` lays them out (a test checks
    the two agree), computed without Python loops over rows.

    Parameters
    ----------
    k
        Inputs.
    n
        Base sample size, a power of two (the balance of Sobol' points needs it).
    seed
        Seed of the scrambling.
    groups
        Group of each input, or ``None`` for one group per input.

    Examples
    --------
    Base sample 4, two inputs: rows A, A_B(1), A_B(2), B per base point. A_B(1) is A with
    its first column taken from B:

    >>> m = saltelli_matrix(2, 4, seed=0)
    >>> m.shape
    (16, 2)
    >>> bool(m[1, 0] == m[3, 0]), bool(m[1, 1] == m[0, 1])
    (True, True)
    """
    if n < 1 or n & (n - 1):
        raise OptionError("n", f"the base sample size must be a power of two; got {n!r}")
    base = scrambled_sobol(2 * k, n, seed)  # = scipy.stats.qmc.Sobol(...).random(n)
    a, b = base[:, :k], base[:, k:]
    names = list(range(k)) if groups is None else list(groups)
    order = list(dict.fromkeys(names))
    member = np.array([[g == name for name in names] for g in order], dtype=bool)
    out = np.empty((n, len(order) + 2, k))
    out[:, 0] = a
    out[:, -1] = b
    for j in range(len(order)):
        out[:, j + 1] = np.where(member[j][None, :], b, a)
    return out.reshape(-1, k)


def sobol_indices(
    design: SamplingDesign,
    model: Model,
    *,
    n: int = 1024,
    seed: Seed = None,
    groups: Sequence[str] | None = None,
    conf_level: float = 0.95,
    output: str = "y",
    executor: ExecutorSpec | None = None,
) -> SensitivityResult:
    r"""Sobol' first-order and total indices of ``model`` over ``design``'s inputs.

    Parameters
    ----------
    design
        The uncertain inputs (their distributions map the unit cube to values).
    model
        Maps ``(r, k)`` input values to ``(r,)`` outputs; a module-level function when
        ``executor`` runs it in other processes.
    n
        Base sample size :math:`N`, a power of two; :math:`N (g + 2)` evaluations.
    seed
        Root seed (``docs/randomness.md``): its child ``(SOBOL, 0)`` scrambles the Sobol'
        sequence, ``(SOBOL, 1)`` draws the bootstrap resamples (never a replicate's stream).
    groups
        Group name of each input, or ``None`` (one index per input).
    conf_level
        Confidence level of the bootstrap intervals.
    output
        Name of the output, for the result.
    executor
        Where the evaluations run (default inline).

    Returns
    -------
    SensitivityResult
        Ranked by total index.

    Raises
    ------
    OptionError (a ScenarioError, so also a ValueError)
        When ``n`` is not a power of two or the design has no input.

    Examples
    --------
    The Ishigami function (Ishigami and Homma 1990) has known indices:

    >>> import numpy as np
    >>> from peaceops.sweep.design import SamplingDesign, UncertainInput
    >>> xs = [UncertainInput(f"x{i}", "parameter", "uniform", -np.pi, np.pi) for i in (1, 2, 3)]
    >>> def ishigami(x):
    ...     return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    >>> r = sobol_indices(SamplingDesign(tuple(xs)), ishigami, n=4096, seed=1)
    >>> [ix.name for ix in r.indices]  # ranked by total index: 0.558, 0.442, 0.244
    ['x1', 'x2', 'x3']
    """
    if design.k == 0:
        raise OptionError("design", "the design has no uncertain input: nothing to analyse")
    root = resolve_seed(seed)
    scramble = make_rng(stream(root, SOBOL, 0))
    rows = saltelli_matrix(design.k, n, seed=scramble, groups=groups)
    values = design.transform(rows)
    starts = range(0, len(values), CHUNK)
    chunks = [values[i : i + CHUNK] for i in starts]
    y = np.empty(len(values))
    spec = executor or ExecutorSpec("inline")
    for j, part in map_batches(_apply, model, chunks, executor=spec):
        y[starts[j] : starts[j] + len(chunks[j])] = part
    names = list(design.names) if groups is None else list(groups)
    order = list(dict.fromkeys(names))
    covers = {
        g: tuple(x for x, gx in zip(design.names, names, strict=True) if gx == g) for g in order
    }
    ab = np.concatenate([y[0 :: len(order) + 2], y[len(order) + 1 :: len(order) + 2]])
    mean, variance = float(ab.mean()), float(ab.var())
    if not np.ptp(ab) > 0:  # a constant output: no variance to apportion
        zero = [SobolIndex(g, covers[g], 0.0, 0.0, 0.0, 0.0) for g in order]
        return _result(output, n, len(y), root, groups, conf_level, mean, variance, zero)
    boot = stream(root, SOBOL, 1).generate_state(1)[0]
    # SALib's estimators, written out in sweep._sobol (the same bits, without its imports)
    s1, s1_conf, st, st_conf = sobol_estimates(
        y, len(order), n_resamples=N_RESAMPLES, conf_level=conf_level, seed=int(boot) or 1
    )
    found = [
        SobolIndex(g, covers[g], float(s1[j]), float(s1_conf[j]), float(st[j]), float(st_conf[j]))
        for j, g in enumerate(order)
    ]
    return _result(output, n, len(y), root, groups, conf_level, mean, variance, found)


def sobol_sensitivity(
    scenario: Scenario,
    *,
    output: str,
    n: int = 512,
    seed: Seed = None,
    grouping: Grouping = "input",
    forecast_rounds: int | None = None,
    utility: Literal["linear", "quadratic"] = "linear",
    executor: ExecutorSpec | None = None,
) -> SensitivityResult:
    """Sobol' indices of one sweep output with respect to the scenario's uncertain inputs.

    Parameters
    ----------
    scenario
        A validated scenario.
    output
        A sweep output name (:mod:`peaceops.sweep.evaluate`): a yes/no output such as
        ``cover:reassurance/COALITION/0:land`` (the probability the coalition route fields the
        land requirement) or a forecast such as ``forecast:compromise:timing``.
    n
        Base sample size (a power of two).
    seed
        Root seed (``docs/randomness.md``).
    grouping
        One index per ``input``, per ``actor`` (an actor's clout, stances, pledges and
        parliaments together; events apart) or per ``kind`` (positions, saliences, clouts,
        quantities, approvals, events).
    forecast_rounds, utility
        As for :func:`~peaceops.sweep.evaluate.build_evaluator`.
    executor
        Where evaluations run (default inline).

    Raises
    ------
    KeyError
        When ``output`` is not an output of the scenario's sweep.

    Examples
    --------
    In the template only the adversary holds a stance on the alliance share, so the
    compromise forecast of that issue is its position, uniform on [0, 10]: all of the
    variance comes from that position (first-order index 1), none from its salience.

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> r = sobol_sensitivity(s, output="forecast:compromise:alliance_share", n=64, seed=1)
    >>> round(r.mean, 1)
    5.0
    >>> [(i.name, round(i.s1, 1)) for i in r.indices if i.name.endswith("alliance_share")]
    [('position:ADV:alliance_share', 1.0), ('salience:ADV:alliance_share', 0.0)]
    """
    design = sampling_design(scenario)
    evaluator, column = _focused(scenario, design, output, forecast_rounds, utility)
    groups = None if grouping == "input" else _groups(design, grouping)
    result = sobol_indices(
        design,
        _OutputModel(evaluator, column),
        n=n,
        seed=seed,
        groups=groups,
        output=output,
        executor=executor,
    )
    return SensitivityResult(**{**result.__dict__, "grouping": grouping})


@dataclass(frozen=True)
class _OutputModel:
    """One output of a compiled evaluator as a picklable model ``values -> (r,)``."""

    evaluator: Evaluator
    column: tuple[str, int]

    def __call__(self, values: FloatArray) -> FloatArray:
        out = evaluate_batch(self.evaluator, values)
        kind, j = self.column
        if kind == "flag":
            return out.flags[:, j].astype(np.float64)
        both = np.concatenate([out.values, out.series], axis=1)
        return np.asarray(both[:, j], dtype=np.float64)


def _focused(
    scenario: Scenario,
    design: SamplingDesign,
    output: str,
    rounds: int | None,
    utility: Literal["linear", "quadratic"],
) -> tuple[Evaluator, tuple[str, int]]:
    """An evaluator computing as little as ``output`` needs, and the output's column."""
    full = build_evaluator(
        scenario, design=design, forecast=_model_of(output), rounds=rounds, utility=utility
    )
    kind, _ = full.spec.locate(output)
    if kind == "flag":
        flag = next(f for f in full.spec.flags if f.name == output)
        evaluator = build_evaluator(scenario, design=design, utility=utility, options=[flag.option])
    else:
        evaluator = build_evaluator(
            scenario,
            design=design,
            forecast=_model_of(output),
            rounds=rounds,
            utility=utility,
            options=(),
        )
    return evaluator, evaluator.spec.locate(output)


def _model_of(output: str) -> tuple[str, ...]:
    parts = output.split(":")
    return (parts[1],) if parts[0] == "forecast" and len(parts) == 3 else ()


def _groups(design: SamplingDesign, grouping: Grouping) -> list[str]:
    if grouping == "kind":
        return [x.kind for x in design.inputs]
    return [x.actor if x.actor is not None else x.name for x in design.inputs]


def _apply(model: Model, chunk: FloatArray) -> FloatArray:
    out = np.asarray(model(chunk), dtype=np.float64)
    if out.shape != (len(chunk),):
        raise OptionError(
            "model", f"the model must return one value per row; got shape {out.shape!r}"
        )
    return out


def _result(
    output: str,
    n: int,
    n_eval: int,
    seed: int,
    groups: Sequence[str] | None,
    conf_level: float,
    mean: float,
    variance: float,
    indices: list[SobolIndex],
) -> SensitivityResult:
    ranked = sorted(indices, key=lambda ix: (-ix.st, -ix.s1, ix.name))
    return SensitivityResult(
        output=output,
        n_base=n,
        n_evaluations=n_eval,
        seed=seed,
        grouping="input" if groups is None else "custom",
        conf_level=conf_level,
        mean=mean,
        variance=variance,
        indices=tuple(ranked),
    )
