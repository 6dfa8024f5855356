"""Uncertainty at scale: Monte Carlo sweeps, Sobol sensitivity, executors from one core to Dask.

The scenario's uncertainty fields become a sampling design (:mod:`peaceops.sweep.design`);
a sweep draws ``n`` replicates, each from its own random stream, evaluates the planner's
acceptance, venue and coverage rules and the forecast models on each
(:mod:`peaceops.sweep.evaluate`), and aggregates exactly (:mod:`peaceops.sweep.aggregate`), so
the result is the same bits whether it ran inline, in a process pool or on a Dask cluster
(:mod:`peaceops.sweep.executors`). :func:`sobol_sensitivity` ranks the inputs by Sobol'
indices (:mod:`peaceops.sweep.sensitivity`). The engine never touches the store: callers pass
``on_batch`` to keep each finished batch (the CLI stores it), which is also how a sweep is
resumed.

Randomness: ``docs/randomness.md``.
"""

from __future__ import annotations

from peaceops._lazy import callable_module as _callable_module
from peaceops.sweep.aggregate import FlagStats, Tally, ValueStats
from peaceops.sweep.design import (
    SamplingDesign,
    UncertainInput,
    draw_inputs,
    realise_scenario,
    resolve_seed,
    sampling_design,
)
from peaceops.sweep.evaluate import FORECAST_MODELS, Flag, Option, OutputSpec, build_evaluator
from peaceops.sweep.executors import ExecutorSpec, map_batches
from peaceops.sweep.montecarlo import (
    Batch,
    BatchResult,
    SweepPlan,
    execute_sweep,
    plan_sweep,
    replicate_frame,
    run_sweep,
)
from peaceops.sweep.results import SweepResult
from peaceops.sweep.sensitivity import (
    SensitivityResult,
    SobolIndex,
    sobol_indices,
    sobol_sensitivity,
)

__all__ = [
    "FORECAST_MODELS",
    "Batch",
    "BatchResult",
    "ExecutorSpec",
    "Flag",
    "FlagStats",
    "Option",
    "OutputSpec",
    "SamplingDesign",
    "SensitivityResult",
    "SobolIndex",
    "SweepPlan",
    "SweepResult",
    "Tally",
    "UncertainInput",
    "ValueStats",
    "build_evaluator",
    "draw_inputs",
    "execute_sweep",
    "map_batches",
    "plan_sweep",
    "realise_scenario",
    "replicate_frame",
    "resolve_seed",
    "run_sweep",
    "sampling_design",
    "sobol_indices",
    "sobol_sensitivity",
]

# ``peaceops.sweep(scenario, ...)``: the top-level call of the Python API (peaceops.shortcuts).
_callable_module(__name__, "peaceops.shortcuts:sweep")
