"""Time ``peaceops outlook`` on every built-in scenario as a whole process (not run by pytest).

Each scenario runs ``--repeat`` times after one warm-up run (which fills the numba cache and
the bytecode cache, as a user's second run would find them); the table gives the best and
the median wall time, the CPU time of the child and its peak memory. Target: under 10 s.

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
        "| scenario | best wall (s) | median wall (s) | CPU (s) | peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in sorted(builtin_scenarios()):
        _once(name)
        runs = [_once(name) for _ in range(args.repeat)]
        walls = [r[0] for r in runs]
        best = min(runs)
        lines.append(
            f"| {name} | {best[0]:.1f} | {statistics.median(walls):.1f} | {best[1]:.1f} "
            f"| {max(r[2] for r in runs):.0f} |"
        )
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
