"""Many runs of the spatial model of politics at once, through the compiled engine.

:func:`smp_batch` is re-exported by :mod:`peaceops.forecast.smp`; :func:`run_fast` also
serves ``smp_forecast(mode="fast")``.

The method and its references: :mod:`peaceops.forecast.smp.reference` (References section).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from peaceops._frames import FrameMixin
from peaceops.errors import ConvergenceError
from peaceops.forecast._core import (
    FloatArray,
    NegotiationInput,
    Perturbation,
    pad_rounds,
    problem,
    raise_all,
)
from peaceops.forecast.smp.reference import Schedule, Settings
from peaceops.forecast.smp.settings import (
    check_run_options,
    check_values,
    fill,
    make_settings,
    schedule,
)

__all__ = ["SMPBatchResult", "smp_batch", "smp_rounds_batch"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Outcome = Literal["mean", "mode"]

#: Members per job handed to a worker thread.
CHUNK = 16


@dataclass(frozen=True)
class SMPBatchResult(FrameMixin):
    """Results of :func:`smp_batch` for ``b`` runs of ``n`` actors on ``m`` issues.

    Attributes
    ----------
    trajectory
        ``(b, max_turns + 1, m)`` forecast per state (0..100); after a run stops, its rows
        repeat its final forecast.
    n_turns
        ``(b,)`` turns each run took.
    converged
        ``(b,)`` whether the stop rule ended each run.
    final_positions
        ``(b, n, m)`` positions at the end of each run (0..100).
    p_final
        ``(b, n)`` final election probability of each actor's position, split evenly among
        actors sharing a position (rows sum to one).
    positions
        ``(b, max_turns + 1, n, m)`` every state (rows after the stop repeat the final one),
        or ``None`` unless ``keep_positions=True``.
    """

    trajectory: FloatArray
    n_turns: IntArray
    converged: BoolArray
    final_positions: FloatArray
    p_final: FloatArray
    positions: FloatArray | None = None

    def to_rows(self) -> list[dict[str, float]]:
        """One row per run: turns, convergence flag and final forecast per issue index."""
        rows: list[dict[str, float]] = []
        for b in range(self.n_turns.shape[0]):
            row = {"run": float(b), "turns": float(self.n_turns[b])}
            row["converged"] = 1.0 if self.converged[b] else 0.0
            for k in range(self.trajectory.shape[2]):
                row[f"outcome[{k}]"] = float(self.trajectory[b, -1, k])
            rows.append(row)
        return rows


def smp_batch(
    positions: FloatArray,
    salience: FloatArray,
    clout: FloatArray,
    *,
    status_quo: FloatArray | None = None,
    max_turns: int = 100,
    tol: float = 0.02,
    min_turns: int = 2,
    perturbations: Sequence[Perturbation] = (),
    outcome: Outcome = "mean",
    keep_positions: bool = False,
    n_threads: int | None = None,
    vote_rule: str = "proportional",
    victory_model: str = "linear",
    pce: str = "conditional",
    big_r_range: str = "mid",
    big_r_adjust: str = "one_third",
    third_party: str = "semi",
    interpolation: str = "s2p2",
    bargain_model: str = "init_only",
) -> SMPBatchResult:
    """Run many negotiations (parameter draws) through the compiled engine in parallel.

    Member ``k`` is exactly the run of :func:`~peaceops.forecast.smp.smp_forecast` on
    ``positions[k], salience[k], clout[k]`` with the same options (bit for bit, both
    modes). Members run in parallel threads, in chunks of 16 (the compiled code releases
    the GIL); the results do not depend on the number of threads.

    Parameters
    ----------
    positions
        ``(b, n, m)`` positions on 0..100 (NaN = no stance).
    salience
        ``(b, n, m)`` salience in 0..1.
    clout
        ``(b, n)`` capability, finite and > 0.
    status_quo
        ``(m,)`` status quo (used only to fill issues nobody takes a stance on), or ``None``.
    max_turns, tol, min_turns, outcome
        As for :func:`~peaceops.forecast.smp.smp_forecast`.
    perturbations
        Scheduled changes shared by every member (arrays ``(n, m)`` and ``(n,)``).
    keep_positions
        Keep every state's positions (memory ``8 b (max_turns + 1) n m`` bytes).
    n_threads
        Worker threads (default: the usable cores).
    vote_rule, victory_model, pce, big_r_range
        As for :func:`~peaceops.forecast.smp.smp_forecast`.
    big_r_adjust, third_party, interpolation, bargain_model
        As for :func:`~peaceops.forecast.smp.smp_forecast`.

    Returns
    -------
    SMPBatchResult
        Trajectories, turns, convergence, final positions and probabilities per member.

    Raises
    ------
    ScenarioError
        If the shapes disagree or a value is out of range (paths name the member), or as
        :func:`~peaceops.forecast.smp.smp_forecast`.
    ConvergenceError
        If a Markov election does not settle in some member.

    See Also
    --------
    peaceops.forecast.smp.smp_forecast : one run.

    Notes
    -----
    Cost per member as for :func:`~peaceops.forecast.smp.smp_forecast` (``"fast"``): 10 000
    runs of 25 actors on 7 issues take about 26 CPU-seconds for 50 rounds each and 17 when
    the stop rule ends them (27 turns on average), i.e. 13 s and 9 s on two idle cores;
    memory is dominated by the ``(b, max_turns + 1, m)`` trajectories (see
    ``benchmarks/results/smp.md``). The compiled engine is built on first use (15-30 s),
    then loaded from numba's disk cache when a writable cache directory exists.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[20.0], [60.0], [90.0]], [[20.0], [60.0], [95.0]]])
    >>> s = np.array([[[0.9], [0.6], [0.5]]] * 2)
    >>> c = np.array([[3.0, 1.0, 1.0]] * 2)
    >>> res = smp_batch(x, s, c)
    >>> res.n_turns.tolist(), [round(float(v), 1) for v in res.trajectory[:, -1, 0]]
    ([2, 2], [48.5, 48.7])
    """
    problems = check_run_options("fast", outcome, max_turns, tol, min_turns)
    settings = make_settings(
        problems,
        vote_rule,
        victory_model,
        pce,
        big_r_range,
        big_r_adjust,
        third_party,
        interpolation,
        bargain_model,
    )
    if n_threads is not None and not (isinstance(n_threads, int) and n_threads >= 1):
        problems.append(problem("n_threads", f"must be an integer >= 1; got {n_threads!r}"))
    x = np.asarray(positions, dtype=np.float64)
    s_in = np.asarray(salience, dtype=np.float64)
    c_in = np.asarray(clout, dtype=np.float64)
    if x.ndim != 3 or s_in.shape != x.shape or c_in.shape != x.shape[:2]:
        problems.append(
            problem(
                "positions",
                "positions and salience must be (b, n, m) and clout (b, n); got "
                f"{x.shape!r}, {s_in.shape!r} and {c_in.shape!r}",
            )
        )
        raise_all(problems)
    b, n, m = x.shape
    if n < 2 or m < 1 or b < 1:
        problems.append(problem("positions", f"need b >= 1, n >= 2, m >= 1; got {x.shape!r}"))
        raise_all(problems)
    sq = np.full(m, np.nan) if status_quo is None else np.asarray(status_quo, dtype=np.float64)
    actors = tuple(f"{i}" for i in range(n))
    issues = tuple(f"{k}" for k in range(m))
    if sq.shape != (m,):
        problems.append(problem("status_quo", f"must be ({m},); got {sq.shape!r}"))
        raise_all(problems)
    check_values(x, s_in, c_in, sq, actors, issues, problems, batch=True)
    shell = NegotiationInput(actors, issues, x[0], s_in[0], c_in[0], sq)
    sched = schedule(perturbations, shell, max_turns, problems)
    raise_all(problems)
    xf, sf = fill(x, s_in, c_in, sq)
    threads = usable_cores() if n_threads is None else n_threads
    out = run_fast(
        xf / 100.0, sf, c_in, settings, max_turns, tol, min_turns, sched, keep_positions, threads
    )
    if out.failed.any():
        raise ConvergenceError("Markov election did not settle", iterations=100_000, tolerance=1e-6)
    rows = np.minimum(np.arange(max_turns + 1)[None, :], out.n_turns[:, None])
    pick = (out.mean if outcome == "mean" else out.mode) * 100.0
    traj = np.take_along_axis(pick, rows[:, :, None], axis=1)
    p_final = out.p
    all_pos = None
    if out.positions is not None:
        all_pos = np.take_along_axis(out.positions, rows[:, :, None, None], axis=1) * 100.0
    return SMPBatchResult(
        trajectory=traj,
        n_turns=out.n_turns,
        converged=out.converged,
        final_positions=out.final * 100.0,
        p_final=p_final,
        positions=all_pos,
    )


# ---------------------------------------------------------------------------------------
# Compiled runs and summaries


@dataclass(frozen=True)
class FastOut:
    n_turns: IntArray
    converged: BoolArray
    failed: BoolArray
    ratio: FloatArray
    p: FloatArray
    mean: FloatArray
    mode: FloatArray
    final: FloatArray
    positions: FloatArray | None


def smp_rounds_batch(
    positions: FloatArray,
    salience: FloatArray,
    clout: FloatArray,
    *,
    rounds: int,
    status_quo: FloatArray | None = None,
    perturbations: Sequence[Perturbation] = (),
) -> FloatArray:
    """:func:`smp_batch` in the batch signature every model of the registry shares.

    ``max_turns = rounds``; the model may not stop before its last scheduled change (as
    :func:`peaceops.forecast.timeline.forecast_scenario` runs it); a member that converges
    early holds its last forecast.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[0.0], [50.0], [100.0]]])
    >>> smp_rounds_batch(x, np.full((1, 3, 1), 0.5), np.ones((1, 3)), rounds=3).shape
    (1, 4, 1)
    """
    min_turns = max([p.round for p in perturbations], default=1) + 1
    result = smp_batch(
        positions,
        salience,
        clout,
        status_quo=status_quo,
        max_turns=rounds,
        min_turns=min_turns,
        perturbations=perturbations,
    )
    return pad_rounds(result.trajectory, rounds)


def run_fast(
    x: FloatArray,
    s: FloatArray,
    c: FloatArray,
    settings: Settings,
    max_turns: int,
    tol: float,
    min_turns: int,
    sched: Schedule,
    keep: bool,
    threads: int,
) -> FastOut:
    """Run ``(b, n, m)`` members through the compiled engine, in chunks on worker threads."""
    from peaceops.forecast.smp._kernel import run_chunk  # compiled on first use

    b, n, m = x.shape
    t1 = max_turns + 1
    out_pos = np.zeros((b, t1 if keep else 1, n, m))
    out_p = np.zeros((b, n))
    out_mean = np.zeros((b, t1, m))
    out_mode = np.zeros((b, t1, m))
    out_final = np.zeros((b, n, m))
    out_turns = np.zeros(b, dtype=np.int64)
    out_flags = np.zeros((b, 2), dtype=np.bool_)
    out_ratio = np.zeros(b)
    args: tuple[object, ...] = (
        np.ascontiguousarray(x),
        np.ascontiguousarray(s),
        np.ascontiguousarray(c),
        settings.codes(),
        float(tol),
        int(max_turns),
        int(min_turns),
        sched.rounds,
        sched.positions,
        sched.salience,
        sched.clout,
        out_pos,
        out_p,
        out_mean,
        out_mode,
        out_final,
        out_turns,
        out_flags,
        out_ratio,
    )
    workers = min(threads, b)
    if workers <= 1:
        run_chunk(0, b, *args)
    else:
        size = max(1, min(CHUNK, -(-b // workers)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            jobs = [
                pool.submit(run_chunk, lo, min(lo + size, b), *args) for lo in range(0, b, size)
            ]
            for job in jobs:
                job.result()
    return FastOut(
        out_turns,
        out_flags[:, 0].copy(),
        out_flags[:, 1].copy(),
        out_ratio,
        out_p,
        out_mean,
        out_mode,
        out_final,
        out_pos if keep else None,
    )


def usable_cores() -> int:
    """Cores this process may run on (the default number of batch threads)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without affinity
