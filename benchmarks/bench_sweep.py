"""Benchmark of Monte Carlo sweeps on ``ukraine-2025-04`` (a plain script, not collected by pytest).

Each case runs in a fresh subprocess (``--case NAME``) so that its wall time includes the
start of its workers and its peak memory (``ru_maxrss``) is its own:

- ``accept-100k``: 100,000 replicates of the acceptance, venue and coverage evaluation on a
  local pool of 2 processes (limit: 60 s), streamed into a SQLite store batch by batch as
  ``peaceops sweep`` does;
- ``accept-10k`` and ``accept-100k``: the driver's peak memory at ten times the replicates
  (flat: batches are stored and tallied, never accumulated);
- ``forecast-10k``: 10,000 replicates with the compromise, expected-utility and SMP
  forecasts over the 26-week horizon as well (limit: 60 s);
- ``inline-10k``, ``dask1-20k`` and ``dask2-20k``: throughput on one core, and on local Dask
  clusters of one and two worker processes (one thread each) to show the scaling; the steady
  rate is measured from the first finished batch to the last, so it excludes the cluster's
  start-up.

Writes ``benchmarks/results/sweep.md``. Usage: ``python benchmarks/bench_sweep.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _machine import cpu_model

OUT = Path(__file__).resolve().parent / "results" / "sweep.md"
SEED = 20250405
LIMIT_S = 60.0
FORECAST = ("compromise", "expected_utility", "smp")

CASES: dict[str, dict[str, Any]] = {
    "accept-100k": {"n": 100_000, "executor": "processes", "workers": 2, "store": True},
    "accept-10k": {"n": 10_000, "executor": "processes", "workers": 2, "store": True},
    "forecast-10k": {
        "n": 10_000,
        "executor": "processes",
        "workers": 2,
        "forecast": FORECAST,
        "batch_size": 500,
    },
    "inline-10k": {"n": 10_000, "executor": "inline"},
    "dask1-20k": {"n": 20_000, "executor": "dask", "workers": 1},
    "dask2-20k": {"n": 20_000, "executor": "dask", "workers": 2},
}


def run_case(name: str) -> dict[str, Any]:
    """Run one case in this process and return its figures."""
    from peaceops import load_scenario
    from peaceops.sweep import BatchResult, ExecutorSpec, execute_sweep, plan_sweep

    case = CASES[name]
    start = time.perf_counter()
    s = load_scenario("ukraine-2025-04")
    plan = plan_sweep(
        s,
        n=case["n"],
        seed=SEED,
        batch_size=case.get("batch_size", 2000),
        forecast=case.get("forecast", ()),
    )
    marks: list[float] = []
    sink = None
    engine = None
    if case.get("store"):
        from peaceops.store import open_store, record_batch, start_scenario_run, start_sweep

        engine = open_store(str(Path(tempfile.mkdtemp()) / "bench.db"))
        with engine.begin() as conn:
            run_id = start_scenario_run(
                conn, s, kind="sweep", seed=SEED, options=plan.options(), package_version="bench"
            )
            start_sweep(
                conn,
                run_id,
                n=plan.n,
                seed=plan.seed,
                batch_size=plan.batch_size,
                n_batches=len(plan.batches()),
                plan=plan.options(),
                outputs={"flags": list(plan.evaluator.spec.flag_names), "values": []},
            )

        def store_batch(result: BatchResult) -> None:
            assert engine is not None
            with engine.begin() as conn:
                record_batch(conn, run_id, **result.to_record())

        sink = store_batch
    ready = time.perf_counter()
    result = execute_sweep(
        plan,
        executor=ExecutorSpec(case["executor"], case.get("workers")),
        on_batch=sink,
        progress=lambda done, n: marks.append(time.perf_counter()),
    )
    end = time.perf_counter()
    if engine is not None:
        engine.dispose()
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    batches = len(plan.batches())
    steady = (marks[-1] - marks[1]) if len(marks) > 2 else end - ready
    steady_reps = plan.n - plan.batch_size if batches > 1 else plan.n
    return {
        "case": name,
        "n": plan.n,
        "batches": batches,
        "batch_size": plan.batch_size,
        "inputs": plan.evaluator.design.k,
        "outputs": len(plan.evaluator.spec.flags) + len(plan.evaluator.spec.values),
        "setup_s": ready - start,
        "sweep_s": end - ready,
        "total_s": end - start,
        "rate": plan.n / (end - ready),
        "steady_rate": steady_reps / steady if steady > 0 else float("nan"),
        "driver_rss_mib": self_rss,
        "worker_rss_mib": child_rss,
        "check": result.probability("authorise:reassurance/COALITION/0:COALITION").p,
    }


def machine() -> str:
    cpu = cpu_model()
    import numpy as np

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs (nproc), {cpu}; Python {platform.python_version()}, "
        f"numpy {np.__version__}; load average at start {load:.2f}"
    )


def main() -> int:
    figures = []
    head = machine()
    for name in CASES:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--case", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["process_s"] = time.perf_counter() - started
        row["load"] = load
        figures.append(row)
        print(f"{name}: {row['total_s']:.1f} s", flush=True)
    by = {f["case"]: f for f in figures}
    lines = [
        "# Sweep benchmark",
        "",
        f"Machine: {head}.",
        "Written by `python benchmarks/bench_sweep.py`; scenario `ukraine-2025-04` "
        f"({by['accept-10k']['inputs']} uncertain inputs, "
        f"{by['accept-10k']['outputs']} yes/no outputs per replicate), seed {SEED}.",
        "Each case runs in its own process; *total* includes loading the scenario, compiling",
        "it and starting the workers; *steady rate* runs from the first finished batch to the",
        "last (no start-up).",
        "",
        "| case | replicates | batches | total s | replicates/s | steady replicates/s "
        "| driver peak RSS MiB | worker peak RSS MiB | load before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        lines.append(
            f"| {f['case']} | {f['n']:,} | {f['batches']} | {f['total_s']:.1f} | "
            f"{f['rate']:,.0f} | {f['steady_rate']:,.0f} | {f['driver_rss_mib']:.0f} | "
            f"{f['worker_rss_mib']:.0f} | {f['load']:.2f} |"
        )
    a100, f10 = by["accept-100k"], by["forecast-10k"]
    d1, d2 = by["dask1-20k"], by["dask2-20k"]
    lines += [
        "",
        "| requirement | figure | limit | met |",
        "|---|---:|---:|---|",
        f"| 100,000 replicates, acceptance and venues (2 processes, SQLite store) | "
        f"{a100['total_s']:.1f} s | {LIMIT_S:.0f} s | {a100['total_s'] < LIMIT_S} |",
        f"| 10,000 replicates with forecasts ({', '.join(FORECAST)}; 2 processes) | "
        f"{f10['total_s']:.1f} s | {LIMIT_S:.0f} s | {f10['total_s'] < LIMIT_S} |",
        f"| Dask scaling, steady rate 2 workers / 1 worker | "
        f"{d2['steady_rate'] / d1['steady_rate']:.2f}x | ideal 2x on 2 cores | - |",
        f"| driver peak RSS, 100k / 10k replicates | "
        f"{a100['driver_rss_mib']:.0f} / {by['accept-10k']['driver_rss_mib']:.0f} MiB | flat | "
        f"{a100['driver_rss_mib'] < 1.25 * by['accept-10k']['driver_rss_mib']} |",
        "",
        "Every case gives the same probabilities for the same replicates (the aggregates are",
        "exact integer tallies; see `docs/sweep.md`). *load before* is the machine's 1-minute",
        "load average when the case started: on a 2-core machine shared with other jobs the",
        "second worker gets less than a core, and the scaling figures fall accordingly.",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(CASES))
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        sys.exit(0)
    sys.exit(main())
