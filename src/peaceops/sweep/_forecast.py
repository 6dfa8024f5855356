r"""Forecast trajectories for a batch of replicates, through the forecast package's engines.

Each replicate's negotiation input is the scenario's (:func:`peaceops.forecast.timeline.
negotiation_input`) with its drawn positions, saliences and clouts; its dated events that
happened in the replicate become scheduled changes (:func:`peaceops.forecast.timeline.schedule`
with ``min_probability=0``; undated events have no round and affect only pledges). Replicates
are grouped by which events happened, so every group shares one schedule and runs as one call
of the model's batch engine:

====================  =========================================================================
``compromise``        :func:`peaceops.forecast.compromise_batch`: the weighted mean (van den Bos
                      1991; Achen 2006) recomputed on each round's inputs, as
                      :mod:`peaceops.forecast.timeline` runs static models
``expected_utility``  :func:`peaceops.forecast.expected_utility_batch` (Bueno de Mesquita 1994;
                      Scholz et al. 2011), ``rounds`` rounds
``smp``               :func:`peaceops.forecast.smp.smp_rounds_batch` (KTAB SMP, compiled),
                      ``max_turns = rounds``
====================  =========================================================================

Every model is called through :data:`peaceops.forecast.REGISTRY` in the one batch signature.
When patience makes each replicate's schedule its own (saliences decay from the replicate's
drawn values), the replicates of a group run as batches of one: same result, slower.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from peaceops.errors import OptionError
from peaceops.scenario.model import Event, Scenario
from peaceops.sweep.design import SamplingDesign

if TYPE_CHECKING:  # the forecast engines (numba) load only when a sweep runs a forecast
    from peaceops.forecast import NegotiationInput, Perturbation

__all__ = ["FORECAST_MODELS", "ForecastKernel", "compile_forecast", "run_forecasts"]

FloatArray = npt.NDArray[np.float64]

#: Models the sweep can run (the registry's models with a batch engine, in its order; a test
#: keeps the two equal so that the sweep can name them without loading the numba engines).
FORECAST_MODELS = ("compromise", "expected_utility", "smp")


@dataclass(frozen=True)
class ForecastKernel:
    """A scenario compiled for :func:`run_forecasts`."""

    scenario: Scenario
    models: tuple[str, ...]
    rounds: int
    base: NegotiationInput
    pos_cols: tuple[tuple[int, int, int], ...]  # (input column, actor row, issue)
    sal_cols: tuple[tuple[int, int, int], ...]
    clout_cols: tuple[tuple[int, int], ...]
    events: tuple[tuple[str, int, bool], ...]  # (event id, input column or -1, happened if -1)
    patience: bool

    @property
    def issues(self) -> tuple[str, ...]:
        """Issue ids, the last axis of every trajectory."""
        return self.base.issues


def compile_forecast(
    scenario: Scenario, design: SamplingDesign, *, models: Sequence[str], rounds: int
) -> ForecastKernel:
    """Compile the forecast part of a sweep.

    Raises
    ------
    OptionError (a ScenarioError, so also a ValueError)
        For an unknown model name or ``rounds < 1``.
    """
    unknown = [m for m in models if m not in FORECAST_MODELS]
    if unknown:
        raise OptionError(
            "forecast",
            f"unknown forecast model(s) {', '.join(map(repr, unknown))}; "
            f"the sweep runs {', '.join(FORECAST_MODELS)}",
        )
    if rounds < 1:
        raise OptionError("rounds", f"rounds must be at least 1; got {rounds!r}")
    from peaceops.forecast.timeline import negotiation_input

    base = negotiation_input(scenario)
    row = {a: i for i, a in enumerate(base.actors)}
    issue = {k: j for j, k in enumerate(base.issues)}
    pos_cols: list[tuple[int, int, int]] = []
    sal_cols: list[tuple[int, int, int]] = []
    clout_cols: list[tuple[int, int]] = []
    for c, x in enumerate(design.inputs):
        parts = x.name.split(":")
        if x.kind in ("position", "salience") and parts[1] in row:
            target = (c, row[parts[1]], issue[parts[2]])
            (pos_cols if x.kind == "position" else sal_cols).append(target)
        elif x.kind == "clout" and parts[1] in row:
            clout_cols.append((c, row[parts[1]]))
    col = {name: c for c, name in enumerate(design.names)}
    events = []
    for e in scenario.events:
        if e.date is None:
            continue
        c = col.get(f"event:{e.id}", -1)
        events.append((e.id, c, e.probability >= 0.5))
    patience = any((scenario.actor(a).patience or 1.0) < 1.0 for a in base.actors)
    return ForecastKernel(
        scenario=scenario,
        models=tuple(dict.fromkeys(models)),
        rounds=rounds,
        base=base,
        pos_cols=tuple(pos_cols),
        sal_cols=tuple(sal_cols),
        clout_cols=tuple(clout_cols),
        events=tuple(events),
        patience=patience,
    )


def run_forecasts(kernel: ForecastKernel, values: FloatArray) -> dict[str, FloatArray]:
    """Trajectories ``(b, rounds + 1, m)`` of each model for a batch of input draws."""
    from peaceops.forecast.timeline import schedule

    b = values.shape[0]
    x = np.broadcast_to(kernel.base.positions, (b, *kernel.base.positions.shape)).copy()
    s = np.broadcast_to(kernel.base.salience, (b, *kernel.base.salience.shape)).copy()
    c = np.broadcast_to(kernel.base.clout, (b, kernel.base.clout.shape[0])).copy()
    for col, i, j in kernel.pos_cols:
        x[:, i, j] = values[:, col]
    for col, i, j in kernel.sal_cols:
        s[:, i, j] = values[:, col]
    for col, i in kernel.clout_cols:
        c[:, i] = values[:, col]
    happened = np.ones((b, len(kernel.events)), dtype=bool)
    for k, (_, col, static) in enumerate(kernel.events):
        happened[:, k] = values[:, col] >= 0.5 if col >= 0 else static
    out = {m: np.full((b, kernel.rounds + 1, len(kernel.issues)), np.nan) for m in kernel.models}
    patterns, group = np.unique(happened, axis=0, return_inverse=True)
    for g, pattern in enumerate(patterns):
        members = np.flatnonzero(group.reshape(-1) == g)
        chosen = {kernel.events[k][0] for k in np.flatnonzero(pattern)}
        events = [e for e in kernel.scenario.events if e.id in chosen]
        xg, sg, cg = x[members], s[members], c[members]
        shared: tuple[Perturbation, ...] | None = None
        if not kernel.patience:
            shared = schedule(
                kernel.scenario,
                kernel.base,
                rounds=kernel.rounds,
                min_probability=0.0,
                events=events,
            )
        for model in kernel.models:
            out[model][members] = _run(kernel, model, xg, sg, cg, shared, events)
    return out


def _run(
    kernel: ForecastKernel,
    model: str,
    x: FloatArray,
    s: FloatArray,
    c: FloatArray,
    shared: tuple[Perturbation, ...] | None,
    events: list[Event],
) -> FloatArray:
    """One model's trajectories for one group of replicates sharing their events.

    Every model runs through its batch engine in the registry's one signature; when each
    replicate has its own schedule (patience), each runs as a batch of one.
    """
    from peaceops.forecast import REGISTRY

    batch = REGISTRY[model].batch
    assert batch is not None  # compile_forecast admits only models with a batch engine
    sq = kernel.base.status_quo
    if shared is not None:
        return batch(x, s, c, rounds=kernel.rounds, status_quo=sq, perturbations=shared)
    traj = np.empty((x.shape[0], kernel.rounds + 1, x.shape[2]))
    for k in range(x.shape[0]):
        sched = _own_schedule(kernel, x[k], s[k], c[k], events)
        one = (x[k : k + 1], s[k : k + 1], c[k : k + 1])
        traj[k] = batch(*one, rounds=kernel.rounds, status_quo=sq, perturbations=sched)[0]
    return traj


def _own_schedule(
    kernel: ForecastKernel, x: FloatArray, s: FloatArray, c: FloatArray, events: list[Event]
) -> tuple[Perturbation, ...]:
    from peaceops.forecast.timeline import schedule

    data = replace(kernel.base, positions=x, salience=s, clout=c)
    return schedule(kernel.scenario, data, rounds=kernel.rounds, min_probability=0.0, events=events)
