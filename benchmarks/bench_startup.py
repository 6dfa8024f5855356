"""Benchmark: how long a user waits for the command line to start, as whole processes.

For ``peaceops --help``, ``peaceops validate --help``, ``peaceops validate`` (the built-in
Ukraine scenario), ``peaceops warm`` with the kernels cached and ``peaceops run`` on Ukraine
after a first run: median wall and CPU seconds and peak memory over several runs after a
warm-up (``_process.py``; bytecode cache on, as on a user's machine), and what
``python -X importtime`` counts (modules imported, their total import time). With ``--before
REV`` the light commands are also timed on the source tree of git revision ``REV`` (the same
environment, its ``src`` first on ``PYTHONPATH``), which gives the before/after table.

``peaceops run`` is timed on every built-in scenario, also on the source tree of ``--run-before
REV`` (default: the commit before the run's speed-up), at the same load.

Usage::

    python benchmarks/bench_startup.py [--before REV] [--run-before REV] [--runs 5] [--no-run]

Writes ``benchmarks/results/startup.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import cpu_model
from _process import ProcessTiming, time_process, user_env

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "results" / "startup.md"
MAIN = "from peaceops.cli.app import main; main()"
#: The last commit before the start-up work of issues 12 and 15: the "before" of the table.
BEFORE = "10a76ce"
LIGHT = {
    "peaceops --help": ["--help"],
    "peaceops validate --help": ["validate", "--help"],
    "peaceops validate ukraine-2025-04": ["validate", "ukraine-2025-04"],
}
#: The last commit before issue 15's work on `peaceops run` (forked side branch, Shapley
#: solver settings, Sobol' core): the "before" of the run rows.
RUN_BEFORE = "e6e5224"
RUN_SCENARIOS = ("ukraine-2025-04", "unifil-2006-08", "aspides-2024-02")
TARGETS = {  # command -> seconds (issues 12 and 15)
    "peaceops --help": 0.5,
    "peaceops validate --help": 0.5,
    "peaceops validate ukraine-2025-04": 0.5,
    "peaceops run ukraine-2025-04 (after the first run)": 5.0,
}


def import_profile(args: list[str], env: dict[str, str]) -> tuple[int, float]:
    """Modules imported and the summed import time (s) of the top-level imports."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", MAIN, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    modules, total_us = 0, 0
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, cumulative, name = line.split("|")
        modules += 1
        if not name.startswith("  "):  # depth 0: its cumulative time includes its children
            total_us += int(cumulative)
    return modules, total_us / 1e6


def _row(what: str, label: str, t: ProcessTiming, imports: tuple[int, float] | None) -> str:
    target = TARGETS.get(what)
    verdict = "-"
    if target is not None:  # start-up is one thread: its CPU time is its wall time on an idle
        # machine, and the steadier figure on a shared one; whole runs use threads: wall time
        seconds = t.cpu_s if what in LIGHT else t.wall_s
        verdict = f"< {target:g} s: {'met' if seconds < target else 'MISSED'}"
    mods = "-" if imports is None else f"{imports[0]} / {imports[1]:.3f}"
    return (
        f"| {what} | {label} | {t.wall_s:.3f} ({t.wall_min_s:.3f}-{t.wall_max_s:.3f}) | "
        f"{t.cpu_s:.3f} | {t.peak_mib:.0f} | {mods} | {verdict} |"
    )


def _source_tree(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def _kept_rows() -> tuple[list[str], str]:
    """The rows of the results file other than `peaceops run`, and when they were measured."""
    if not OUT.exists():
        return [], ""
    text = OUT.read_text(encoding="utf-8")
    rows = [
        line
        for line in text.splitlines()
        if line.startswith("| peaceops") and not line.startswith("| peaceops run ")
    ]
    earlier = re.search(r"The rows other than `peaceops run` are kept from the run [^(]*", text)
    if earlier:  # they were kept already: keep their date
        return rows, earlier.group(0) + "(`--run-only`); the `run` rows are from this run."
    found = re.search(
        r"; (\d{4}-\d\d-\d\d \d\d:\d\d \w+); load average at the end ([\d., ]+?) \(", text
    )
    when = f"on {found.group(1)} at load {found.group(2)}" if found else "in an earlier run"
    note = (
        f"The rows other than `peaceops run` are kept from the run {when} "
        f"(`--run-only`); the `run` rows are from this run."
    )
    return rows, note


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before",
        default=BEFORE,
        help=f"git revision to compare with (default {BEFORE}; '' for none)",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-run", action="store_true", help="skip `peaceops run` (slow)")
    parser.add_argument(
        "--run-before",
        default=RUN_BEFORE,
        help=f"revision whose `run` is timed beside (default {RUN_BEFORE}; '' for none)",
    )
    parser.add_argument(
        "--run-only",
        action="store_true",
        help="time `peaceops run` only; keep the other rows of the results file",
    )
    args = parser.parse_args(argv)
    exe = str(Path(sys.executable).with_name("peaceops"))
    env = user_env({"COLUMNS": "80"})
    rows: list[str] = []
    kept, kept_note = _kept_rows() if args.run_only else ([], "")
    with tempfile.TemporaryDirectory() as tmp:
        if args.run_only:
            pass
        elif args.before:
            old_src = _source_tree(args.before, Path(tmp))
            old_env = {**env, "PYTHONPATH": str(old_src)}
            for what, cmd in LIGHT.items():
                t = time_process([exe, *cmd], runs=args.runs, env=old_env)
                rows.append(_row(what, f"before ({args.before})", t, import_profile(cmd, old_env)))
                print(rows[-1], flush=True)
        for what, cmd in {} if args.run_only else LIGHT.items():
            t = time_process([exe, *cmd], runs=args.runs, env=env)
            rows.append(_row(what, "now", t, import_profile(cmd, env)))
            print(rows[-1], flush=True)
        if not args.run_only:
            t = time_process([exe, "warm"], runs=3, env=env)
            rows.append(_row("peaceops warm (kernels cached)", "now", t, None))
            print(rows[-1], flush=True)
        if not args.no_run:
            report = str(Path(tmp) / "report.html")
            trees = [("now", env)]
            if args.run_before:
                (Path(tmp) / "run-before").mkdir()
                run_src = _source_tree(args.run_before, Path(tmp) / "run-before")
                trees.insert(
                    0, (f"before ({args.run_before})", {**env, "PYTHONPATH": str(run_src)})
                )
            for scenario in RUN_SCENARIOS:
                for label, tree_env in trees:
                    cmd = [exe, "run", scenario, "--no-store", "--quiet", "--report", report]
                    t = time_process(cmd, runs=3, env=tree_env, cwd=tmp)
                    what = f"peaceops run {scenario} (after the first run)"
                    rows.append(_row(what, label, t, None))
                    print(rows[-1], flush=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = [
        "# Start-up and whole commands (whole processes)",
        "",
        f"Machine: {cpu_model()}, `nproc` {len(os.sched_getaffinity(0))}; Python "
        f"{sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M %Z')}; load average at the "
        f"end {load} (the machine is shared: medians of {args.runs} runs after a warm-up, the "
        "range of wall times in brackets). Bytecode cache on, as on a user's machine; numba "
        "kernels cached (`peaceops warm`). Imports: modules loaded and their summed import "
        "time from `python -X importtime`. The start-up targets are judged on CPU time (one "
        "thread: on an idle machine wall time equals it; on this shared machine wall time "
        "mostly measures the other jobs), `run` on wall time. `run` forks its side branch (sweep, "
        "Sobol' analysis, patched option matrices) into a second process: its CPU time is the "
        "sum of both processes.",
        *(["", kept_note] if kept_note else []),
        "",
        "| command | tree | wall s, median (min-max) | CPU s | peak MiB | modules / import s "
        "| target |",
        "|---|---|---|---|---|---|---|",
        *kept,
        *rows,
        "",
    ]
    OUT.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
