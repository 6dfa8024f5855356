"""Whole-process timing for the benchmarks: wall and CPU seconds and peak memory of a command.

Runs the command several times after a warm-up and reports medians, since the machine is
shared; each run's own resource usage comes from ``os.wait4``. Python's bytecode cache is left
on (``PYTHONDONTWRITEBYTECODE`` is removed from the environment), as on a user's machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ProcessTiming:
    """Medians (and the spread of wall time) over the counted runs of one command."""

    wall_s: float
    cpu_s: float
    peak_mib: float
    wall_min_s: float
    wall_max_s: float
    runs: int


def user_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The current environment as a user's shell has it: bytecode cache on, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra or {})
    return env


def run_once(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: str | None = None
) -> tuple[float, float, float, int]:
    """Wall s, CPU s (user + system), peak RSS MiB and exit code of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(env) if env is not None else user_env(),
        cwd=cwd,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def time_process(
    argv: Sequence[str],
    *,
    runs: int = 5,
    warmup: int = 1,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> ProcessTiming:
    """Median wall and CPU time and peak memory of ``argv`` over ``runs`` runs after ``warmup``."""
    for _ in range(warmup):
        run_once(argv, env=env, cwd=cwd)
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        wall, cpu, peak, code = run_once(argv, env=env, cwd=cwd)
        if code != 0:
            raise RuntimeError(f"{' '.join(argv)} exited with {code}")
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return ProcessTiming(
        wall_s=statistics.median(walls),
        cpu_s=statistics.median(cpus),
        peak_mib=max(peaks),
        wall_min_s=min(walls),
        wall_max_s=max(walls),
        runs=runs,
    )
