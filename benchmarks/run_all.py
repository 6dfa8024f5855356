"""Run every benchmark (``benchmarks/bench_*.py``) in its own process, in name order.

Usage: ``make bench`` or ``python benchmarks/run_all.py [NAME ...]`` where NAME selects
``bench_NAME.py``. Each benchmark prints a markdown table and writes its figures, with the
machine and the peer measured in the same run, to ``benchmarks/results/``; afterwards
``docs/performance.md`` is rebuilt from its summary (``benchmarks/summary.md``) and every
results file, so the docs always carry the figures of the last run.
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
    write_performance_doc()
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def write_performance_doc() -> None:
    """docs/performance.md = the summary, then each results file with its headings demoted."""
    parts = [(HERE / "summary.md").read_text(encoding="utf-8").rstrip()]
    for result in sorted((HERE / "results").glob("*.md")):
        text = result.read_text(encoding="utf-8").rstrip()
        demoted = "\n".join(
            "#" + line if line.startswith("#") else line for line in text.splitlines()
        )
        parts.append(f"<!-- from benchmarks/results/{result.name} -->\n{demoted}")
    (HERE.parent / "docs" / "performance.md").write_text(
        "\n\n".join(parts) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--doc-only"]:
        write_performance_doc()
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
