"""Time the evidence reader; print a markdown report (not collected by pytest).

The reader runs as ``peaceops extract`` does: the rules and the learned layer, or with
``--rules-only`` the rules alone.

Articles of about 1,000 words are built by joining documents of the annotated corpus
(tests/data/evidence; by default the written ``dev`` and ``test`` splits, the input of the
documented figure; ``--splits real`` for the real official texts) in a fixed order; each is
split into sentences and classified against the built-in ukraine-2025-04 scenario with one
compiled :class:`Classifier`. Reported:
articles per second on one process (wall clock and CPU time: on a shared machine the CPU
time is the figure that does not depend on the other jobs) and on ``--workers`` processes
(default 2), the load average, and the import time of the package.

    python benchmarks/bench_evidence.py                 # 200 articles
    python benchmarks/bench_evidence.py --articles 1000 --workers 2
    python benchmarks/bench_evidence.py --articles 300 --splits real
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "evidence"))

from evidence_corpus import read_corpus  # noqa: E402

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


def run(batch: list[str], learned: bool = True) -> int:
    """Classify every article of ``batch`` (with the learned layer unless ``learned`` is
    false: the rules alone); return the number of candidates."""
    if not _STATE:
        _setup()
    clf = _STATE["clf"]
    assert isinstance(clf, Classifier)
    return sum(
        len(
            extract_candidates(
                clf.scenario, parse_text(a, kind="text"), classifier=clf, learned=learned
            )
        )
        for a in batch
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--splits", default="dev,test", help="corpus splits to build articles from")
    ap.add_argument("--rules-only", action="store_true", help="without the learned layer")
    args = ap.parse_args()
    learned = not args.rules_only
    docs = articles(args.articles, splits=tuple(args.splits.split(",")))
    n_words = sum(len(d.split()) for d in docs)
    run(docs[:2], learned)  # warm the caches
    t0, c0 = time.perf_counter(), time.process_time()
    run(docs, learned)
    one, cpu = time.perf_counter() - t0, time.process_time() - c0
    chunks = [docs[i :: args.workers] for i in range(args.workers)]
    with ProcessPoolExecutor(args.workers, initializer=_setup) as pool:
        warm = [[d] for d in docs[: args.workers]]
        list(pool.map(run, warm, [learned] * len(warm)))  # start and warm workers
        t0 = time.perf_counter()
        list(pool.map(run, chunks, [learned] * len(chunks)))
        many = time.perf_counter() - t0
    code = (
        "import time; t=time.perf_counter(); import peaceops.evidence; print(time.perf_counter()-t)"
    )
    imp = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout)  # fmt: skip
    print("| measure | value |\n|---|---|")
    path = "rules only" if args.rules_only else "rules + learned layer"
    print(
        f"| articles | {len(docs)} (mean {n_words / len(docs):.0f} words; {args.splits}; {path}) |"
    )
    print(f"| one process, wall clock | {len(docs) / one:.0f} articles/s |")
    print(f"| one process, CPU time | {len(docs) / cpu:.0f} articles per CPU-second |")
    print(f"| {args.workers} processes, wall clock | {len(docs) / many:.0f} articles/s |")
    print(f"| load average (1 min) at the end | {os.getloadavg()[0]:.1f} |")
    print(f"| import peaceops.evidence | {imp * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
