"""Benchmark: exact power indices (``peaceops.power``) beside the PyPI package ``powerindex``.

Random weighted games with n = 50, 100, 200 players, integer weights 1..1000 (fixed seeds),
quota half the total plus one; and the EU-27 Council's Lisbon rule (all six indices). Both
libraries run in this one process, on the same games. Times are wall-clock seconds (best of
three for runs under a second); peak memory is measured in a separate run under
``tracemalloc`` (Python and NumPy allocations). The numba kernels are compiled (or loaded from
the on-disk cache) once before timing. The peer's normalized Banzhaf and Shapley-Shubik values
are compared with ours (largest absolute difference, as floats).

Usage::

    python benchmarks/bench_power.py            # about three minutes on 2 cores
    python benchmarks/bench_power.py --full     # also all six indices together at n = 200
    python benchmarks/bench_power.py --quick    # skip the runs that take minutes
    python benchmarks/bench_power.py --output benchmarks/results/power.md

Not collected by pytest (no ``test_`` names); ``benchmarks/run_all.py`` runs it.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

import peaceops.power as pw
from _machine import cpu_model
from _process import time_process

HERE = Path(__file__).resolve().parent
TARGETS = {  # (case, what) -> seconds, from issue 3
    ("n=200", "normalized Banzhaf"): 0.1,
    ("n=200", "Shapley-Shubik"): 5.0,
    ("EU-27", "all six indices"): 2.0,
    ("n=200", "Holler"): 5.0,  # issue 15
    ("n=200", "Deegan-Packel"): 5.0,
    ("n=200", "Johnston"): 5.0,
}
TRACE_LIMIT_S = 5.0  # trace memory only of runs faster than this (tracemalloc slows Python)
_LAST_CPU = [0.0]  # CPU seconds of the last run timed by _measure


@dataclass
class Row:
    case: str
    what: str
    ours_s: float | None
    ours_mib: float | None
    ours_cpu: float | None = None
    peer_s: float | None = None
    peer_mib: float | None = None
    agree: float | None = None
    note: str = ""


def _time(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Best wall time (of three when under a second) and the CPU time of that run (all
    threads of this process)."""
    start, cpu0 = time.perf_counter(), time.process_time()
    out = fn()
    best, best_cpu = time.perf_counter() - start, time.process_time() - cpu0
    if best < 1.0:
        for _ in range(2):
            start, cpu0 = time.perf_counter(), time.process_time()
            fn()
            wall = time.perf_counter() - start
            if wall < best:
                best, best_cpu = wall, time.process_time() - cpu0
    return best, best_cpu, out


def _peak_mib(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _measure(fn: Callable[[], Any]) -> tuple[float, float | None, Any]:
    seconds, cpu, out = _time(fn)
    _LAST_CPU[0] = cpu
    mib = _peak_mib(fn) if seconds < TRACE_LIMIT_S else None
    return seconds, mib, out


def _game(n: int) -> tuple[list[int], int]:
    rng = np.random.default_rng(n)
    weights = [int(w) for w in rng.integers(1, 1001, n)]
    return weights, sum(weights) // 2 + 1


def _machine() -> list[str]:
    model = cpu_model()
    return [
        f"- CPU: {model}, `nproc` = {os.cpu_count()}",
        f"- Python {platform.python_version()} ({platform.system()} {platform.machine()}); "
        f"numpy {version('numpy')}, numba {version('numba')}, powerindex {version('powerindex')}",
        f"- run: {time.strftime('%Y-%m-%d %H:%M %Z')}; load average at the end "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (other processes share the cores)",
    ]


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}g}" if value >= 0.001 else f"{value:.2e}"


def _table(rows: Sequence[Row]) -> list[str]:
    out = [
        "| case | index | peaceops s | peaceops CPU s | peaceops MiB | powerindex s | "
        "powerindex MiB | powerindex / peaceops | max abs diff | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r.peer_s / r.ours_s:,.0f}x" if r.peer_s and r.ours_s else "-"
        target = TARGETS.get((r.case, r.what))
        tgt = "-"
        if target is not None and r.ours_s is not None:
            tgt = f"< {target:g} s: {'met' if r.ours_s < target else 'MISSED'}"
        out.append(
            f"| {r.case} | {r.what} | {_fmt(r.ours_s)} | {_fmt(r.ours_cpu)} | "
            f"{_fmt(r.ours_mib)} | "
            f"{_fmt(r.peer_s)} | {_fmt(r.peer_mib)} | {ratio} | "
            f"{'-' if r.agree is None else f'{r.agree:.1e}'} | {tgt} |"
        )
    return out


def _max_diff(ours: Sequence[float], peer: Sequence[float]) -> float:
    return float(np.max(np.abs(np.asarray(ours) - np.asarray(peer))))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the runs that take minutes")
    parser.add_argument(
        "--full", action="store_true", help="also all six indices together at n = 200"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=HERE / "results" / "power.md",
        help="write the markdown report to this file",
    )
    args = parser.parse_args(argv)
    import powerindex as px

    start = time.perf_counter()
    for game in (pw.weighted_game([4, 4, 4, 2, 2, 1], 12), pw.eu_council_game()):
        pw.power_indices(game)
        pw.power_indices(game, indices=("normalized_banzhaf",))
    pw.power_indices(pw.weighted_game([4, 4, 4, 2, 2, 1], 12), method="enumerate")
    warm = time.perf_counter() - start

    rows: list[Row] = []
    skipped: list[str] = []
    for n in (50, 100, 200):
        weights, quota = _game(n)
        game = pw.weighted_game(weights, quota)
        case = f"n={n}"
        print(f"{case}: quota {quota} of {sum(weights)}", flush=True)

        s, mib, res = _measure(lambda g=game: pw.power_indices(g, indices=("normalized_banzhaf",)))
        row = Row(case, "normalized Banzhaf", s, mib, _LAST_CPU[0])
        peer = px.Game(quota, weights=weights)
        ps, pmib, _ = _measure(peer.calc_banzhaf)
        row.peer_s, row.peer_mib = ps, pmib
        row.agree = _max_diff(res.as_float("normalized_banzhaf"), peer.banzhaf)
        rows.append(row)
        print(f"  normalized Banzhaf: {s:.4f} s (powerindex {ps:.2f} s)", flush=True)

        s, mib, res = _measure(lambda g=game: pw.power_indices(g, indices=("shapley_shubik",)))
        row = Row(case, "Shapley-Shubik", s, mib, _LAST_CPU[0])
        if n <= 100 and not (args.quick and n == 100):
            peer = px.Game(quota, weights=weights)
            ps, pmib, _ = _measure(peer.calc_shapley_shubik)
            row.peer_s, row.peer_mib = ps, pmib
            row.agree = _max_diff(res.as_float("shapley_shubik"), peer.shapley_shubik)
        elif n > 170:
            row.note = "powerindex cannot: float(n!) overflows above n = 170"
            skipped.append(
                f"powerindex Shapley-Shubik at n = {n}: its `calc_shapley_shubik` divides by "
                "`float(math.factorial(n))`, which overflows for n > 170 (OverflowError)."
            )
        else:
            skipped.append(f"powerindex Shapley-Shubik at n = {n}: skipped by --quick (~2 min).")
        rows.append(row)
        print(f"  Shapley-Shubik: {s:.3f} s (powerindex {row.peer_s} s)", flush=True)

        for what, idx in (
            ("Holler", ("holler",)),
            ("Deegan-Packel", ("deegan_packel",)),
            ("Johnston", ("johnston",)),
            ("all six indices", pw.ALL_INDICES),
        ):
            slow = what in ("Deegan-Packel", "Johnston", "all six indices")
            if n > 100 and what == "all six indices" and not args.full:
                skipped.append(
                    f"peaceops all six indices at n = {n}: Shapley-Shubik's size table plus the "
                    "Holler, Deegan-Packel and Johnston sweep; run with --full."
                )
                continue
            if args.quick and n == 100 and slow:
                continue
            s, mib, _ = _measure(lambda g=game, i=idx: pw.power_indices(g, indices=i))
            rows.append(Row(case, what, s, mib, _LAST_CPU[0], note="powerindex has no such index"))
            print(f"  {what}: {s:.3f} s", flush=True)

    weights, quota = _game(200)
    exe = str(Path(sys.executable).with_name("peaceops"))
    for what, flag in (("normalized Banzhaf", "normalized_banzhaf"), ("Holler", "holler")):
        argv = [exe, "power", "--quota", str(quota), "--weights", ",".join(map(str, weights))]
        t = time_process([*argv, "-i", flag], runs=3)
        rows.append(
            Row(
                "n=200, whole process",
                what,
                t.wall_s,
                t.peak_mib,
                t.cpu_s,
                note=f"`peaceops power`, median of 3 runs, {t.cpu_s:.2f} s CPU",
            )
        )
        print(f"whole process {what}: {t.wall_s:.2f} s", flush=True)

    eu = pw.eu_council_game()
    s, mib, res = _measure(lambda: pw.power_indices(eu))
    rows.append(Row("EU-27", "all six indices", s, mib, _LAST_CPU[0], note=f"method {res.method}"))
    print(f"EU-27 all six: {s:.4f} s ({res.method})", flush=True)
    skipped.append(
        "powerindex on the EU-27 rule: it takes one weight vector; the Lisbon rule is not a "
        "weighted game (Kurz and Napel 2016)."
    )

    lines = [
        "# Power indices: peaceops.power beside powerindex",
        "",
        "Produced by `python benchmarks/bench_power.py` (both libraries in one process, same "
        "games). Random weighted games: weights 1..1000 from `numpy.random.default_rng(n)`, "
        "quota half the total plus one. Times: best of three for runs under 1 s; memory: peak "
        "traced by `tracemalloc` in a separate run (only for runs under "
        f"{TRACE_LIMIT_S:g} s). Kernels compiled or loaded from cache before timing "
        f"({warm:.1f} s in this run).",
        "",
        "Machine:",
        "",
        *_machine(),
        "",
        *_table(rows),
        "",
        "`max abs diff`: largest difference between peaceops's exact values (as floats) and "
        "powerindex's floats on the same game. `powerindex / peaceops`: ratio of times. "
        "`peaceops CPU s`: CPU time of the timed run, all threads of the process (2 at most); on "
        "a shared machine wall time grows with the load, CPU time much less. Rows "
        "`n=200, whole process`: the `peaceops power` command as a separate process (start-up, "
        "reading the weights, printing), median wall time of 3 runs after a warm-up, peak RSS "
        "of the process.",
        "",
        "Skipped:",
        "",
        *(f"- {s}" for s in skipped),
        "",
    ]
    text = "\n".join(lines)
    print()
    print(text)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
