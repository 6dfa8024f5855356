"""Benchmark: SMP forecasts as whole processes, peaceops against KTAB's ``smpc``.

The inputs are those of ``bench_forecast_smp.py`` (random, fixed seeds: positions uniform on
0..100, saliences uniform on 0.1..1, clout uniform on 1..100), one issue, 20, 40 and 80
actors, written as KTAB CSV scenario files. Each program reads the file, forecasts to
convergence and exits; we time the whole process (median of several runs after a warm-up,
bytecode cache on, ``_process.py``):

- peaceops: ``benchmarks/smp_csv.py FILE`` with the NumPy engine (``mode="ktab"``, the
  default; nothing to compile) and with the compiled engine (``mode="fast"``; the two give
  bit-identical results), its numba kernels cached (after ``peaceops warm``) and, once, with
  an empty cache (the first run on a new machine: compilation included);
- KTAB ``smpc --csv FILE`` when ``KTAB_SMPC`` names the executable built with ``-O2``, and
  ``KTAB_SMPC_SHIPPED`` one built as KTAB's CMake files have it (``CMAKE_BUILD_TYPE Debug``,
  unoptimised); both from KTAB's public sources, not part of this repository. Without them
  the KTAB columns are empty.

Usage::

    KTAB_SMPC=/path/to/smpc KTAB_SMPC_SHIPPED=/path/to/smpc-debug \
        python benchmarks/bench_smp_process.py [--runs 3]

Writes ``benchmarks/results/smp_process.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _machine import cpu_model
from _process import ProcessTiming, run_once, time_process, user_env

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "smp_process.md"
SIZES = (20, 40, 80)


def write_csv(path: Path, n: int, m: int = 1) -> None:
    """The inputs of ``bench_forecast_smp.py`` for ``n`` actors as a KTAB CSV file."""
    rng = np.random.default_rng(1000 + n * 10 + m)
    x = rng.uniform(0.0, 100.0, (1, n, m))
    s = rng.uniform(0.1, 1.0, (1, n, m)) / m
    c = rng.uniform(1.0, 100.0, (1, n))
    lines = [
        f"bench{n},generated,{n},{m},",
        "Actor,Description,Power," + ",".join(f"Pstn{k + 1},Sal{k + 1}" for k in range(m)) + ",",
    ]
    for i in range(n):
        cells = ",".join(f"{x[0, i, k]:.4f},{100 * s[0, i, k]:.4f}" for k in range(m))
        lines.append(f"A{i:02d},generated,{c[0, i]:.4f},{cells},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cell(t: ProcessTiming | None) -> str:
    if t is None:
        return "-"
    return f"{t.wall_s:.2f} ({t.cpu_s:.2f} CPU, {t.peak_mib:.0f} MiB)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    ktab = os.environ.get("KTAB_SMPC")
    shipped = os.environ.get("KTAB_SMPC_SHIPPED")
    script = str(HERE / "smp_csv.py")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if ktab:  # smpc reads its logger configuration from the working directory
            conf = Path(ktab).with_name("smpc-logger.conf")
            if conf.is_file():
                (work / conf.name).write_text(conf.read_text())
        for n in SIZES:
            data = work / f"bench{n}.csv"
            write_csv(data, n)
            fast = [sys.executable, script, str(data), "--mode", "fast"]
            ours = time_process(fast, runs=args.runs)
            literal = time_process([sys.executable, script, str(data)], runs=args.runs)
            cold = "-"
            if n == SIZES[0]:  # compilation dominates: the same at every size
                cold_env = user_env({"NUMBA_CACHE_DIR": str(work / "numba-cold")})
                wall, cpu, peak, _ = run_once(fast, env=cold_env)
                cold = f"{wall:.2f} ({cpu:.2f} CPU, {peak:.0f} MiB)"
            peers: list[ProcessTiming | None] = []
            for exe in (ktab, shipped):
                if not exe or (exe == shipped and n > 40):  # unoptimised: many minutes at 80
                    peers.append(None)
                    continue
                db = f"Driver=QSQLITE;Database={work / f'ktab{n}'}"
                cmd = [exe, "--csv", str(data), "--logmin", "--connstr", db]
                peers.append(time_process(cmd, runs=args.runs if n < 80 else 1, warmup=0, cwd=tmp))
            best = min(ours.wall_s, literal.wall_s)
            best_cpu = min(ours.cpu_s, literal.cpu_s)
            ratio = (
                f"{peers[0].wall_s / best:.1f}x wall, {peers[0].cpu_s / best_cpu:.1f}x CPU"
                if peers[0]
                else "-"
            )
            rows.append(
                f"| {n} | {_cell(literal)} | {_cell(ours)} | {cold} | {_cell(peers[0])} | "
                f"{_cell(peers[1])} | {ratio} |"
            )
            print(rows[-1], flush=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = [
        "# SMP forecast as a whole process: peaceops against KTAB `smpc`",
        "",
        f"Machine: {cpu_model()}, `nproc` {len(os.sched_getaffinity(0))}; Python "
        f"{sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M %Z')}; load average at the "
        f"end {load} (shared machine: medians of {args.runs} runs after a warm-up; KTAB at 80 "
        "actors once). One issue, to convergence; the same CSV file for both programs. "
        "peaceops reads it with `benchmarks/smp_csv.py` (the command line's "
        "`forecast --input` is being added separately). Seconds of wall time, then CPU time and "
        "peak memory of the process.",
        "",
        '| actors | peaceops, NumPy engine (`mode="ktab"`, the default) | peaceops, compiled '
        'engine (`mode="fast"`), kernels cached | the same, first run on a new machine '
        "(compiles) | KTAB `smpc`, -O2 | KTAB `smpc` as its CMake files build it | "
        "KTAB -O2 / faster peaceops |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        "KTAB was built from its public sources (github.com/KAPSARC/KTAB, via a fork snapshot "
        "at the same head) with CMake and g++ -O2; its CMakeLists fixes `CMAKE_BUILD_TYPE "
        "Debug`, which leaves the code unoptimised unless the flags are overridden, so the "
        "`-O2` build is the stronger peer."
        if ktab
        else "KTAB `smpc` was not available (set `KTAB_SMPC`).",
        "",
    ]
    OUT.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
