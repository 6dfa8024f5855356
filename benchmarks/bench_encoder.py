"""Time the sentence encoder of the extra ``semantic``; print a markdown report.

Not collected by pytest. The sentences are those of the annotated evidence corpus
(tests/data/evidence, every split), as the reader splits them, repeated in a fixed order up
to ``--sentences``. BLAS runs on one thread (``OPENBLAS_NUM_THREADS=1`` and friends are set
before numpy loads), so the figures are for one core. Reported: the model's load time (first
call), then for each ``--batch-size`` sentences per second by wall clock and by CPU time
(the figure that does not depend on the other jobs of a shared machine), with the load
average before and after.

    python benchmarks/bench_encoder.py                       # 2,000 sentences
    python benchmarks/bench_encoder.py --sentences 5000 --batch-size 8 32 128
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["RAYON_NUM_THREADS"] = "1"  # the tokenizer's thread pool

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "evidence"))

from evidence_corpus import read_corpus  # noqa: E402

from _machine import cpu_model  # noqa: E402
from peaceops.evidence import encoder, parse_text  # noqa: E402


def corpus_sentences() -> list[str]:
    """Every sentence of the annotated corpus, in file order."""
    return [s.text for d in read_corpus() for s in parse_text(d.text, kind="text").sentences]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[1, 8, 32, 128])
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    base = corpus_sentences()
    texts = [base[i % len(base)] for i in range(args.sentences)]
    t0, c0 = time.perf_counter(), time.process_time()
    model = encoder._model()  # the first call loads the model
    load_wall, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    n_tokens = [len(e.ids) for e in model.tokenizer.encode_batch(texts)]
    encoder.encode(texts[:64])  # warm-up
    rows = []
    for size in args.batch_size:
        before = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        encoder.encode(texts, batch_size=size)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        after = os.getloadavg()[0]
        rows.append(
            f"| {size} | {len(texts) / wall:.0f} | {len(texts) / cpu:.0f} "
            f"| {before:.1f} / {after:.1f} |"
        )
    report = "\n".join(
        [
            "# Sentence encoder (extra `semantic`): speed on one core",
            "",
            f"`python benchmarks/bench_encoder.py --sentences {args.sentences}`: "
            f"{len(texts)} sentences of the evidence corpus ({len(base)} distinct, mean "
            f"{sum(n_tokens) / len(n_tokens):.1f} tokens, longest {max(n_tokens)}), "
            f"encoded by `peaceops.evidence.encoder.encode` with BLAS on one thread "
            f"(`OPENBLAS_NUM_THREADS=1`); {os.cpu_count()}-core {cpu_model()}, shared "
            "with other jobs. Model load (inflate the zip, parse, transpose): "
            f"{load_wall:.2f} s wall, {load_cpu:.2f} s CPU.",
            "",
            "| batch size | sentences/s (wall) | sentences per CPU-second | load average "
            "before / after |",
            "|---|---|---|---|",
            *rows,
        ]
    )
    print(report)
    if args.out is not None:
        args.out.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
