r"""Monte Carlo sweeps: one seed per run, one random stream per replicate, batches anywhere.

A sweep of ``n`` replicates with root seed ``s`` is cut into batches of consecutive
replicates. Replicate ``i`` draws its inputs from its own stream (``SeedSequence(s,
spawn_key=(i,))``, :func:`~peaceops.sweep.design.draw_inputs`), its outputs are a pure function
of those inputs, and each batch is reduced to an integer :class:`~peaceops.sweep.aggregate.
Tally`. Batches can therefore run in any process, on any worker, in any order, and be stored
and resumed: the final aggregates are the same bits. Memory is flat in ``n``: a batch is
handed to the caller's ``on_batch`` (the CLI stores it) and only the running tally is kept.

Probabilities are Monte Carlo estimates: the standard error of a probability ``p`` estimated
from ``n`` replicates is :math:`\sqrt{p(1-p)/n}` (at most :math:`0.5/\sqrt n`: 0.005 for
10,000 replicates). See Robert and Casella (2004), ch. 3.

References
----------
.. [1] Robert, C. P. and Casella, G. (2004). *Monte Carlo Statistical Methods*, 2nd ed.
   Springer. doi:10.1007/978-1-4757-4145-2
.. [2] O'Neill, M. E. (2014). PCG: a family of simple fast space-efficient statistically good
   algorithms for random number generation. Harvey Mudd College, HMC-CS-2014-0905 (NumPy's
   default bit generator; ``SeedSequence`` spawning gives independent streams).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from peaceops._types import Seed
from peaceops.errors import OptionError
from peaceops.scenario import Scenario, scenario_hash
from peaceops.sweep.aggregate import Tally, tally
from peaceops.sweep.design import draw_inputs, resolve_seed
from peaceops.sweep.evaluate import Evaluator, build_evaluator, evaluate_batch
from peaceops.sweep.executors import ExecutorKind, ExecutorSpec, map_batches
from peaceops.sweep.results import SweepResult

__all__ = ["Batch", "BatchResult", "SweepPlan", "execute_sweep", "plan_sweep", "run_sweep"]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]

#: Default replicates per batch: n/20, between these bounds.
MIN_BATCH, MAX_BATCH = 100, 2000
#: ``auto`` runs a sweep in this process when ``n x (1 + 10 x dynamic forecast models)`` is at
#: most this (starting a pool of processes costs a few seconds; one replicate of acceptance and
#: venues costs about 0.2 ms, a dynamic forecast model about ten times as much).
AUTO_INLINE = 20_000


@dataclass(frozen=True)
class Batch:
    """Replicates ``start .. stop - 1``, batch number ``index``."""

    index: int
    start: int
    stop: int

    @property
    def size(self) -> int:
        """Replicates in the batch."""
        return self.stop - self.start


@dataclass(frozen=True)
class SweepPlan:
    """Everything that fixes a sweep's results: scenario, seed, size, batching, options.

    Build it with :func:`plan_sweep`; a stored run keeps :meth:`options` and the scenario,
    which is all a resumed run needs to rebuild the same plan.
    """

    scenario_id: str
    scenario_hash: str
    evaluator: Evaluator
    n: int
    seed: int
    batch_size: int
    forecast: tuple[str, ...]
    rounds: int | None
    utility: Literal["linear", "quadratic"]

    def batches(self) -> tuple[Batch, ...]:
        """The batches in replicate order."""
        return tuple(
            Batch(j, start, min(start + self.batch_size, self.n))
            for j, start in enumerate(range(0, self.n, self.batch_size))
        )

    def options(self) -> dict[str, Any]:
        """JSON-ready options of the plan (the seed as a string: it may exceed 64 bits)."""
        return {
            "n": self.n,
            "seed": str(self.seed),
            "batch_size": self.batch_size,
            "forecast": list(self.forecast),
            "rounds": self.rounds,
            "utility": self.utility,
        }


@dataclass(frozen=True)
class BatchResult:
    """One finished batch: its tally and its replicates' outputs, ready to store.

    Both are produced in the worker, so the process that stores batches only moves bytes.

    Attributes
    ----------
    batch
        The batch.
    tally
        The batch's :class:`~peaceops.sweep.aggregate.Tally` (also over the trajectories).
    outputs
        The replicates' outputs, compact (:func:`encode_outputs`: yes/no outputs bit-packed,
        forecasts at the horizon as float64, in a compressed ``.npz``).
    """

    batch: Batch
    tally: Tally
    outputs: bytes

    def decode(self) -> tuple[BoolArray, FloatArray]:
        """``(flags (b, f), values (b, v))`` of the batch's replicates."""
        return decode_outputs(self.outputs)

    def to_record(self) -> dict[str, Any]:
        """The keyword arguments of the store's ``record_batch`` for this batch."""
        return {
            "batch": self.batch.index,
            "first": self.batch.start,
            "stop": self.batch.stop,
            "tally": self.tally.to_bytes(),
            "outputs": self.outputs,
        }


def encode_outputs(flags: BoolArray, values: FloatArray) -> bytes:
    """Per-replicate outputs as bytes: flags bit-packed, values as float64 (``.npz``)."""
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        flags=np.packbits(flags, axis=1),
        n_flags=np.array([flags.shape[1]], dtype=np.int64),
        values=values,
    )
    return buf.getvalue()


def decode_outputs(data: bytes) -> tuple[BoolArray, FloatArray]:
    """Inverse of :func:`encode_outputs`: ``(flags, values)``."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        n_flags = int(z["n_flags"][0])
        flags = np.unpackbits(z["flags"], axis=1, count=n_flags).astype(bool)
        return flags, z["values"].astype(np.float64)


def plan_sweep(
    scenario: Scenario,
    *,
    n: int,
    seed: Seed = None,
    batch_size: int | None = None,
    forecast: Sequence[str] = (),
    rounds: int | None = None,
    utility: Literal["linear", "quadratic"] = "linear",
) -> SweepPlan:
    """Fix a sweep: compile the scenario and resolve the seed and the batching.

    Parameters
    ----------
    scenario
        A validated scenario.
    n
        Replicates (at least 1).
    seed
        Root seed; ``None`` draws fresh entropy and records it. See ``docs/randomness.md``.
    batch_size
        Replicates per batch (default ``n/20`` clamped to 100..2,000). The results do not
        depend on it; resuming a stored sweep reuses the stored value.
    forecast, rounds, utility
        As for :func:`~peaceops.sweep.evaluate.build_evaluator`.

    Raises
    ------
    OptionError (a ScenarioError, so also a ValueError)
        For ``n < 1``, ``batch_size < 1`` or a bad option.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("ukraine-2025-04")
    >>> plan = plan_sweep(s, n=100, seed=1, batch_size=40)
    >>> [(b.start, b.stop) for b in plan.batches()]
    [(0, 40), (40, 80), (80, 100)]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise OptionError("n", f"n must be a positive integer; got {n!r}")
    if batch_size is None:
        batch_size = min(MAX_BATCH, max(MIN_BATCH, math.ceil(n / 20)))
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise OptionError(
            "batch_size", f"batch_size must be a positive integer; got {batch_size!r}"
        )
    evaluator = build_evaluator(scenario, forecast=forecast, rounds=rounds, utility=utility)
    return SweepPlan(
        scenario_id=scenario.id,
        scenario_hash=scenario_hash(scenario),
        evaluator=evaluator,
        n=n,
        seed=resolve_seed(seed),
        batch_size=min(batch_size, n),
        forecast=evaluator.forecast.models if evaluator.forecast else (),
        rounds=evaluator.forecast.rounds if evaluator.forecast else None,
        utility=utility,
    )


def run_batch(context: tuple[Evaluator, int], batch: Batch) -> BatchResult:
    """Draw, evaluate and tally one batch (the task every executor runs)."""
    evaluator, seed = context
    values = draw_inputs(evaluator.design, seed, batch.start, batch.stop)
    out = evaluate_batch(evaluator, values)
    both = np.concatenate([out.values, out.series], axis=1)
    return BatchResult(batch, tally(out.flags, both), encode_outputs(out.flags, out.values))


def execute_sweep(
    plan: SweepPlan,
    *,
    executor: ExecutorSpec | None = None,
    done: Collection[int] = (),
    initial: Tally | None = None,
    on_batch: Callable[[BatchResult], None] | None = None,
    progress: Progress | None = None,
) -> SweepResult:
    """Run the batches of ``plan`` not in ``done`` and aggregate all of them.

    Parameters
    ----------
    plan
        The sweep (:func:`plan_sweep`).
    executor
        Where batches run (default ``auto``: inline for small sweeps, see
        :data:`AUTO_INLINE`, or a single batch; else a process pool).
    done
        Indices of batches already finished (a resumed run); they are not run again.
    initial
        The tally of the ``done`` batches (their sum, in any order: integer tallies add
        exactly); required when ``done`` is not empty.
    on_batch
        Called in this process with each batch as it finishes (the CLI stores it, in its own
        transaction); an exception stops the sweep.
    progress
        Called as ``progress(replicates_done, n)`` after each batch.

    Returns
    -------
    SweepResult
        Aggregates over all ``n`` replicates.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("ukraine-2025-04")
    >>> plan = plan_sweep(s, n=60, seed=1, batch_size=30)
    >>> seen = []
    >>> result = execute_sweep(plan, executor=ExecutorSpec("inline"), on_batch=seen.append)
    >>> result.n, [b.batch.index for b in seen]
    (60, [0, 1])
    """
    finished = set(done)
    batches = plan.batches()
    if not finished <= {b.index for b in batches}:
        raise OptionError("done", f"done names batches outside the plan: {sorted(finished)}")
    spec = plan.evaluator.spec
    total = Tally.zeros(len(spec.flags), len(spec.values) + len(spec.series))
    if finished:
        if initial is None:
            raise OptionError("initial", "a resumed sweep needs the tally of its finished batches")
        expected = sum(b.size for b in batches if b.index in finished)
        if initial.n != expected:
            raise OptionError(
                "initial", f"the initial tally covers {initial.n} replicates, not {expected}"
            )
        total = total + initial
    replicates = total.n
    if progress is not None:
        progress(replicates, plan.n)
    todo = [b for b in batches if b.index not in finished]
    spec_ex = executor or ExecutorSpec()
    weight = 1 + 10 * sum(1 for m in plan.forecast if m != "compromise")
    if spec_ex.kind == "auto" and spec_ex.scheduler is None and plan.n * weight <= AUTO_INLINE:
        spec_ex = ExecutorSpec("inline")
    context = (plan.evaluator, plan.seed)
    for _, result in map_batches(run_batch, context, todo, executor=spec_ex):
        if on_batch is not None:
            on_batch(result)
        total = total + result.tally
        replicates += result.batch.size
        if progress is not None:
            progress(replicates, plan.n)
    return sweep_result(plan, total)


def sweep_result(plan: SweepPlan, total: Tally) -> SweepResult:
    """The :class:`SweepResult` of ``plan`` from the tally of all its batches."""
    if total.n != plan.n:
        raise OptionError("total", f"the tally covers {total.n} replicates, the plan {plan.n}")
    return SweepResult(
        scenario_id=plan.scenario_id,
        scenario_hash=plan.scenario_hash,
        n=plan.n,
        seed=plan.seed,
        batch_size=plan.batch_size,
        forecast=plan.forecast,
        rounds=plan.rounds,
        utility=plan.utility,
        design=plan.evaluator.design,
        spec=plan.evaluator.spec,
        tally=total,
    )


def run_sweep(
    scenario: Scenario,
    *,
    n: int = 2000,
    seed: Seed = None,
    batch_size: int | None = None,
    forecast: Sequence[str] = (),
    rounds: int | None = None,
    utility: Literal["linear", "quadratic"] = "linear",
    executor: ExecutorKind = "auto",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> SweepResult:
    """Monte Carlo sweep of a scenario's uncertainty: probabilities with standard errors.

    Draws the scenario's uncertain inputs (:func:`~peaceops.sweep.design.sampling_design`)
    ``n`` times and reports, per mission option, the probability that each party accepts, that
    each venue authorises and that each domain's requirements are covered, and the
    distribution of each forecast model's outcome per issue.

    Parameters
    ----------
    scenario
        A validated scenario.
    n
        Replicates (default 2,000: a few seconds; standard errors at most 0.011).
    seed
        Root seed (``docs/randomness.md``); the result depends on it and on nothing else
        random: not on ``executor``, ``workers`` or ``batch_size``.
    batch_size, forecast, rounds, utility
        As for :func:`plan_sweep`.
    executor, workers, scheduler
        Where batches run (:class:`~peaceops.sweep.executors.ExecutorSpec`): ``inline``,
        ``processes`` (``workers`` of them), ``dask`` (``scheduler`` address, or a local
        cluster of ``workers``), ``auto``.
    progress
        ``progress(done, n)`` after each batch.

    Returns
    -------
    SweepResult
        With ``to_rows()`` for the briefing and the store.

    Examples
    --------
    >>> from peaceops import load_scenario
    >>> s = load_scenario("ukraine-2025-04")
    >>> r = run_sweep(s, n=200, seed=1, executor="inline")
    >>> r.probability("authorise:reassurance/NATO/0:NATO").p  # Hungary and Slovakia object
    0.0
    """
    plan = plan_sweep(
        scenario,
        n=n,
        seed=seed,
        batch_size=batch_size,
        forecast=forecast,
        rounds=rounds,
        utility=utility,
    )
    spec = ExecutorSpec(executor, workers, scheduler)
    return execute_sweep(plan, executor=spec, progress=progress)


def replicate_frame(
    plan: SweepPlan, batch: Batch, flags: BoolArray, values: FloatArray, *, inputs: bool = True
) -> pd.DataFrame:
    """Replicate-level rows of one stored batch: replicate, inputs (redrawn), outputs.

    Inputs are not stored: they are a pure function of the seed and the replicate index, so
    they are drawn again here, exactly as the sweep drew them.

    Examples
    --------
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.sweep import ExecutorSpec, execute_sweep, plan_sweep
    >>> from peaceops.sweep.montecarlo import decode_outputs
    >>> plan = plan_sweep(s, n=8, seed=1, batch_size=4)
    >>> kept = []
    >>> _ = execute_sweep(plan, executor=ExecutorSpec("inline"), on_batch=kept.append)
    >>> flags, values = decode_outputs(kept[1].to_record()["outputs"])
    >>> frame = replicate_frame(plan, kept[1].batch, flags, values)
    >>> frame.shape[0], frame["replicate"].tolist(), list(frame.columns[:2])
    (4, [4, 5, 6, 7], ['replicate', 'clout:HST'])
    """
    cols: dict[str, Any] = {"replicate": np.arange(batch.start, batch.stop)}
    if inputs:
        drawn = draw_inputs(plan.evaluator.design, plan.seed, batch.start, batch.stop)
        for j, name in enumerate(plan.evaluator.design.names):
            cols[name] = drawn[:, j]
    for j, name in enumerate(plan.evaluator.spec.flag_names):
        cols[name] = flags[:, j]
    for j, name in enumerate(plan.evaluator.spec.values):
        cols[name] = values[:, j]
    return pd.DataFrame(cols)
