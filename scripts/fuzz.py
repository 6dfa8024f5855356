"""Long fuzz of the scenario loader: ``make fuzz`` (not part of ``make test``).

Each worker is a subprocess limited to 1 GiB of address space; every input gets a 10 s alarm.
A crash is any exception other than ``ScenarioError``, an input over 10 s, or a worker killed
(memory). Inputs cycle through field mutations, text mutations and raw bytes
(``tests/fuzzing.py``), each from its own seed, so a crash is replayed from its seed.
Every 1,000 inputs a worker prints its progress on stderr (count, crashes, last seed, slowest
input and peak memory so far, UTC time), so a run stopped early still has its figures.
Prints one JSON summary (with the machine's load); exits 1 if anything crashed.

    python scripts/fuzz.py --inputs 100000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_BYTES = 1024**3
LIMIT_SECONDS = 10

_WORKER = r"""
import json, random, resource, signal, sys, time, traceback
sys.path.insert(0, {tests!r})
from fuzzing import check_input, field_mutation, raw_bytes, text_mutation
kinds = (field_mutation, text_mutation, raw_bytes)
first, stop = int(sys.argv[1]), int(sys.argv[2])
def alarm(*_):
    raise TimeoutError("input ran over {limit} s")
signal.signal(signal.SIGALRM, alarm)
crashes, valid, slowest = [], 0, 0.0
for seed in range(first, stop):
    rng = random.Random(seed)
    text = kinds[seed % 3](rng)
    start = time.perf_counter()
    signal.alarm({limit})
    try:
        valid += check_input(text, json_first=text.startswith("{{")) is not None
    except BaseException as exc:
        crashes.append({{"seed": seed, "error": repr(exc)[:300],
                        "where": traceback.format_exc().splitlines()[-3:]}})
    finally:
        signal.alarm(0)
    slowest = max(slowest, time.perf_counter() - start)
    if (seed - first + 1) % 1000 == 0:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        progress = {{"done": seed - first + 1, "crashes": len(crashes), "last_seed": seed,
                    "slowest_s": round(slowest, 3), "peak_bytes": peak,
                    "at": time.strftime("%H:%M:%S", time.gmtime())}}
        print(json.dumps(progress), file=sys.stderr, flush=True)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"inputs": stop - first, "valid": valid, "crashes": crashes,
                  "slowest_s": slowest, "peak_bytes": peak}}))
"""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()
    load_start = os.getloadavg()
    code = _WORKER.format(tests=str(ROOT / "tests"), limit=LIMIT_SECONDS)
    step = -(-args.inputs // args.workers)
    start = time.perf_counter()
    procs = []
    for w in range(args.workers):
        first = args.first_seed + w * step
        stop = min(args.first_seed + args.inputs, first + step)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", code, str(first), str(stop)],
                stdout=subprocess.PIPE,
                preexec_fn=_limit,
                text=True,
            )
        )
    total = {"inputs": 0, "valid": 0, "crashes": [], "slowest_s": 0.0, "peak_bytes": 0}
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            total["crashes"].append({"worker_exit": proc.returncode})
            continue
        part = json.loads(out)
        total["inputs"] += part["inputs"]
        total["valid"] += part["valid"]
        total["crashes"] += part["crashes"]
        total["slowest_s"] = max(total["slowest_s"], part["slowest_s"])
        total["peak_bytes"] = max(total["peak_bytes"], part["peak_bytes"])
    total["limits"] = {"memory_bytes": LIMIT_BYTES, "seconds_per_input": LIMIT_SECONDS}
    total["wall_s"] = round(time.perf_counter() - start, 1)
    # the machine's load (1, 5, 15 min) at the start and the end: timings depend on it
    total["load"] = {"start": load_start, "end": os.getloadavg(), "cpus": os.cpu_count()}
    print(json.dumps(total, indent=2))
    return 1 if total["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
