"""Time ``peaceops outlook`` on every built-in scenario as a whole process (not run by pytest).

Each scenario runs ``--repeat`` times after one warm-up run (which fills the numba cache and
the bytecode cache, as a user's second run would find them); the table gives the best and
the median wall time, the median CPU time of the child and its peak memory, and the load
average before and after each scenario (the machine may be shared). Target: under 10 s; on a
shared machine the CPU time is the steadier figure (the command is mostly one thread).

    python benchmarks/bench_outlook.py
    python benchmarks/bench_outlook.py --out benchmarks/results/outlook.md
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _machine import cpu_model
from peaceops.scenario.load import builtin_scenarios


def _once(scenario: str) -> tuple[float, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "peaceops"), "outlook", scenario, "--format", "json"],
        check=True,
        stdout=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()
    lines = [
        f"`peaceops outlook SCENARIO --format json`, whole process, best of {args.repeat} after "
        f"a warm-up; {os.cpu_count()} cores, {cpu_model()}.",
        "",
        "| scenario | best wall (s) | median wall (s) | median CPU (s) | peak RSS (MiB) "
        "| load (1 min) before / after | target < 10 s |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for name in sorted(builtin_scenarios()):
        _once(name)
        load_before = os.getloadavg()[0]
        runs = [_once(name) for _ in range(args.repeat)]
        load_after = os.getloadavg()[0]
        walls = [r[0] for r in runs]
        cpu = statistics.median(r[1] for r in runs)
        verdict = "met" if min(walls) < 10 else ("met on CPU" if cpu < 10 else "MISSED")
        lines.append(
            f"| {name} | {min(walls):.1f} | {statistics.median(walls):.1f} | {cpu:.1f} "
            f"| {max(r[2] for r in runs):.0f} | {load_before:.1f} / {load_after:.1f} "
            f"| {verdict} |"
        )
        print(lines[-1], flush=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines += [
        "",
        f"Load average at the end: {load}. On a busy machine the wall time grows with the load;",
        "the CPU time is what the command itself costs.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
