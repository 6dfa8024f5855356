"""Time the negotiation-forecast models; print a markdown report (not collected by pytest).

One run of each model on ``--actors`` x ``--issues`` for ``--rounds`` rounds, then a batch of
``--batch`` such runs of the expected-utility model (time and peak memory). Inputs are
random (positions uniform on 0..100, salience on 0..1, clout on 1..30) with a fixed seed.

    python benchmarks/bench_forecast.py                      # 25 x 7, 50 rounds, 10,000 runs
    python benchmarks/bench_forecast.py --out benchmarks/results/forecast.md
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numba
import numpy as np

from _machine import cpu_model
from peaceops.forecast import (
    NegotiationInput,
    compromise_forecast,
    exchange_forecast,
    expected_utility_batch,
    expected_utility_forecast,
    median_forecast,
    nash_forecast,
)


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=25)
    parser.add_argument("--issues", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=None, help="numba threads (default all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()
    if args.threads:
        numba.set_num_threads(args.threads)
    n, m, rounds, b = args.actors, args.issues, args.rounds, args.batch
    rng = np.random.default_rng(args.seed)
    data = NegotiationInput(
        actors=tuple(f"a{i}" for i in range(n)),
        issues=tuple(f"e{e}" for e in range(m)),
        positions=rng.uniform(0, 100, (n, m)),
        salience=rng.uniform(0, 1, (n, m)),
        clout=rng.uniform(1, 30, n),
        status_quo=rng.uniform(0, 100, m),
    )
    models: dict[str, Callable[[], object]] = {
        "compromise": partial(compromise_forecast, data),
        "median": partial(median_forecast, data),
        "nash": partial(nash_forecast, data),
        "expected_utility": partial(expected_utility_forecast, data, rounds=rounds),
        "exchange": partial(exchange_forecast, data, rounds=rounds),
    }
    lines = [
        "# Forecast benchmarks",
        "",
        f"Machine: {os.cpu_count()} CPUs (nproc), {cpu_model()};"
        f" Python {platform.python_version()}, numpy {np.__version__},"
        f" numba {numba.__version__} ({numba.get_num_threads()} threads);"
        f" load average at start {os.getloadavg()[0]:.2f}.",
        f"Command: `python benchmarks/bench_forecast.py {' '.join(sys.argv[1:])}`".rstrip(),
        "",
        f"## One run: {n} actors x {m} issues, {rounds} rounds (dynamic models)",
        "",
        "| model | seconds (best of 3, after a warm-up call) |",
        "| --- | ---: |",
    ]
    for name, fn in models.items():
        fn()  # warm-up: numba compiles or loads its cache
        lines.append(f"| {name} | {_best(fn):.4f} |")

    positions = rng.uniform(0, 100, (b, n, m))
    salience = rng.uniform(0, 1, (b, n, m))
    clout = rng.uniform(1, 30, (b, n))
    expected_utility_batch(positions[:2], salience[:2], clout[:2], rounds=2)  # warm-up
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start, cpu_start = time.perf_counter(), time.process_time()
    out = expected_utility_batch(positions, salience, clout, rounds=rounds)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    issue_rounds = b * m * rounds
    mib = 2.0**20
    inputs = (positions.nbytes + salience.nbytes + clout.nbytes) / mib
    lines += [
        "",
        f"## Batch: expected_utility_batch, {b:,} runs of {n} x {m}, {rounds} rounds",
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| wall time | {elapsed:.1f} s |",
        f"| CPU time (all threads) | {cpu:.1f} s |",
        f"| per run (wall) | {elapsed / b * 1e3:.2f} ms |",
        f"| per issue and round (CPU) | {cpu / issue_rounds * 1e6:.2f} us |",
        f"| load average after | {os.getloadavg()[0]:.2f} |",
        f"| inputs (positions, salience, clout) | {inputs:.1f} MiB |",
        f"| result {out.shape} | {out.nbytes / mib:.1f} MiB |",
        f"| peak of numpy allocations in the call (tracemalloc) | {traced_peak / mib:.1f} MiB |",
        f"| process peak RSS before / after | {rss_before >> 10} / {rss_after >> 10} MiB |",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
