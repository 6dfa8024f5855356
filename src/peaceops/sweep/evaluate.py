"""What one replicate yields: the outputs of a sweep, named, and their evaluation on a batch.

Per mission option (mission x route x levels of the scenario's planned dimensions):

=======================================  =========================================================
``accept:OPTION:ACTOR``                  the actor accepts the design (utility at least the status
                                         quo's, no red line violated; :mod:`peaceops.planning`)
``authorise:OPTION:VENUE``               the venue authorises it (its rule on the acceptances)
``cover:OPTION:DOMAIN``                  every requirement of the domain is filled by pledges
                                         that hold; ``cover:OPTION:all`` every requirement
``coverage:OPTION:DOMAIN``               (a real output, 0..100) the priority-weighted share of
                                         the domain's requirements filled, as the planner counts
                                         it; ``coverage:OPTION:all`` the whole mission
=======================================  =========================================================

``OPTION`` is ``mission/route/level...`` (one level per planned dimension). Per forecast model
and issue: ``forecast:MODEL:ISSUE``, the outcome at the horizon, and the trajectory
``forecast:MODEL:ISSUE@ROUND`` for every round (tallied for fan charts, not stored per
replicate). The acceptance part works without any forecast model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from peaceops.scenario.model import Scenario
from peaceops.sweep._forecast import (
    FORECAST_MODELS,
    ForecastKernel,
    compile_forecast,
    run_forecasts,
)
from peaceops.sweep._options import (
    Option,
    OptionKernel,
    compile_options,
    evaluate_options,
    option_domains,
)
from peaceops.sweep.design import SamplingDesign, sampling_design

__all__ = [
    "FORECAST_MODELS",
    "BatchOutputs",
    "Evaluator",
    "Flag",
    "Option",
    "OutputSpec",
    "build_evaluator",
    "evaluate_batch",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
FlagKind = Literal["accept", "authorise", "cover"]


@dataclass(frozen=True)
class Flag:
    """A yes/no output: ``kind`` of ``subject`` (actor, venue or domain) under ``option``."""

    kind: FlagKind
    option: Option
    subject: str

    @property
    def name(self) -> str:
        """``kind:mission/route/levels:subject``."""
        return f"{self.kind}:{self.option.id}:{self.subject}"


@dataclass(frozen=True)
class OutputSpec:
    """The named outputs of every replicate, in column order.

    Attributes
    ----------
    flags
        Yes/no outputs.
    values
        Real outputs stored per replicate (``forecast:MODEL:ISSUE`` at the horizon).
    series
        Real outputs only tallied (``forecast:MODEL:ISSUE@ROUND``).
    """

    flags: tuple[Flag, ...]
    values: tuple[str, ...]
    series: tuple[str, ...]
    _where: dict[str, tuple[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where: dict[str, tuple[str, int]] = {f.name: ("flag", j) for j, f in enumerate(self.flags)}
        where.update({v: ("value", j) for j, v in enumerate(self.values)})
        where.update({v: ("value", len(self.values) + j) for j, v in enumerate(self.series)})
        object.__setattr__(self, "_where", where)

    @property
    def flag_names(self) -> tuple[str, ...]:
        """Names of the yes/no outputs."""
        return tuple(f.name for f in self.flags)

    def locate(self, name: str) -> tuple[str, int]:
        """``("flag", j)`` or ``("value", j)`` (``j`` over values, then series) of an output.

        Raises
        ------
        KeyError
            With the closest names, when ``name`` is not an output.
        """
        try:
            return self._where[name]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(name, list(self._where), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"no output named {name!r}{hint}") from None


@dataclass(frozen=True)
class Evaluator:
    """A scenario compiled for the sweep: its design, its outputs and the kernels."""

    design: SamplingDesign
    spec: OutputSpec
    options: OptionKernel
    forecast: ForecastKernel | None


@dataclass(frozen=True)
class BatchOutputs:
    """Outputs of a batch: ``flags`` ``(b, f)``, ``values`` ``(b, v)``, ``series`` ``(b, s)``."""

    flags: BoolArray
    values: FloatArray
    series: FloatArray


def build_evaluator(
    scenario: Scenario,
    *,
    forecast: Sequence[str] = (),
    rounds: int | None = None,
    utility: Literal["linear", "quadratic"] = "linear",
    design: SamplingDesign | None = None,
    options: Sequence[Option] | None = None,
) -> Evaluator:
    """Compile ``scenario`` for sweeps.

    Parameters
    ----------
    scenario
        A validated scenario.
    forecast
        Forecast models to run in each replicate (any of :data:`FORECAST_MODELS`); none by
        default (acceptance, venues and coverage only).
    rounds
        Forecast horizon in rounds (default the scenario's ``time.horizon_rounds``).
    utility
        The planner's loss form for acceptance (``linear`` or ``quadratic``).
    design
        The sampling design (default :func:`~peaceops.sweep.design.sampling_design`).
    options
        Mission options to evaluate (default every mission x route x planned levels).

    Examples
    --------
    The template has 7 uncertain inputs and 4 options (2 routes x 2 support levels), each
    with 9 yes/no outputs (3 actors accept, 3 venues authorise, land, medical and all covered):

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> ev = build_evaluator(s)
    >>> ev.design.k, len(ev.spec.flag_names), ev.spec.flag_names[1]
    (7, 36, 'accept:monitors/UNSC/0:ADV')
    """
    design = sampling_design(scenario) if design is None else design
    kernel = compile_options(scenario, design, utility=utility, options=options)
    flags: list[Flag] = []
    values: list[str] = []
    for option, domains in zip(kernel.options, option_domains(kernel), strict=True):
        flags += [Flag("accept", option, a) for a in kernel.parties]
        flags += [Flag("authorise", option, v) for v in kernel.venues]
        flags += [Flag("cover", option, d) for d in domains]
        values += [f"coverage:{option.id}:{d}" for d in domains]
    fk = None
    series: list[str] = []
    if forecast:
        horizon = scenario.time.horizon_rounds if rounds is None else rounds
        fk = compile_forecast(scenario, design, models=forecast, rounds=horizon)
        for m in fk.models:
            values += [f"forecast:{m}:{i}" for i in fk.issues]
            series += [f"forecast:{m}:{i}@{t}" for t in range(horizon + 1) for i in fk.issues]
    spec = OutputSpec(tuple(flags), tuple(values), tuple(series))
    return Evaluator(design=design, spec=spec, options=kernel, forecast=fk)


def evaluate_batch(evaluator: Evaluator, values: FloatArray) -> BatchOutputs:
    """Evaluate a batch of input draws ``(b, k)`` (:func:`~peaceops.sweep.design.draw_inputs`).

    Examples
    --------
    The adversary rejects every option (alliance battalions on host territory), whatever
    the draws:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.sweep.design import draw_inputs
    >>> ev = build_evaluator(s)
    >>> out = evaluate_batch(ev, draw_inputs(ev.design, 1, 0, 4))
    >>> out.flags.shape
    (4, 36)
    >>> out.flags[:, ev.spec.flag_names.index("accept:monitors/UNSC/0:ADV")].tolist()
    [False, False, False, False]
    """
    b = values.shape[0]
    parts = []
    coverage = []
    for oc in evaluate_options(evaluator.options, values):
        parts += [oc.accept, oc.authorise, oc.cover]
        coverage.append(oc.coverage)
    flags = np.concatenate(parts, axis=1) if parts else np.zeros((b, 0), dtype=bool)
    fk = evaluator.forecast
    if fk is None:
        reals = np.concatenate(coverage, axis=1) if coverage else np.zeros((b, 0))
        return BatchOutputs(flags, reals, np.zeros((b, 0)))
    traj = run_forecasts(fk, values)
    finals = [traj[m][:, -1, :] for m in fk.models]
    paths = [traj[m].reshape(b, -1) for m in fk.models]
    reals = np.concatenate([*coverage, *finals], axis=1)
    return BatchOutputs(flags, reals, np.concatenate(paths, axis=1))
