"""Run every benchmark (``benchmarks/bench_*.py``) in its own process, in name order.

Usage: ``make bench`` or ``python benchmarks/run_all.py [NAME ...]`` where NAME selects
``bench_NAME.py``. Each benchmark prints a markdown table and writes its figures to
``benchmarks/results/``; ``docs/performance.md`` collects them with the machine they ran on.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        wanted = {f"bench_{name}.py" for name in argv}
        scripts = [s for s in scripts if s.name in wanted]
    if not scripts:
        print("no benchmarks selected", file=sys.stderr)
        return 2
    failed = []
    for script in scripts:
        print(f"\n## {script.name}\n", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)])
        print(f"\n({script.name}: exit {code}, {time.perf_counter() - start:.1f} s)", flush=True)
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
