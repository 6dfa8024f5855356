"""Train the learned layer of ``peaceops extract`` on the annotated corpus and write the weights.

    uv run --frozen python scripts/train_evidence.py          # write the shipped weights
    uv run --frozen python scripts/train_evidence.py --check  # retrain, compare with them

Both do the same for the semantic weights (``<scenario id>.semantic.json``, and the
neighbours, ``<scenario id>.semantic.npz``: each training sentence's embedding, as float16,
and its label), which need the ``semantic`` extra (``uv sync --extra semantic``).

The weights of each built-in scenario go to
``src/peaceops/evidence/data/learned/<scenario id>.json``, with the SHA-256 of every corpus
file that trained them (``tests/data/evidence/corpus_*.txt``: all thirteen seen splits). The
training is deterministic (zero start, L-BFGS, one BLAS thread). The penalty, the feature
cut-off and the threshold are the ones chosen by cross-validation in
``tests/evidence/evidence_learn.py`` (docs/evidence.md).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "peaceops" / "evidence" / "data" / "learned"
sys.path.insert(0, str(ROOT / "tests" / "evidence"))

import evidence_learn  # noqa: E402
import numpy as np  # noqa: E402

TOLERANCE = 1e-5


def dump(content: dict[str, object]) -> str:
    return json.dumps(content, indent=0, sort_keys=True, ensure_ascii=False) + "\n"


def write_neighbours(path: Path, scenario: str) -> None:
    index = evidence_learn.neighbour_index(scenario)
    with path.open("wb") as f:
        np.savez_compressed(
            f,
            vectors=index.vectors.astype(np.float16),
            issues=np.array([a[0] for a in index.labels]),
            ends=np.array([-1 if a[1] is None else a[1] for a in index.labels], dtype=np.int16),
        )


def main(argv: list[str]) -> int:
    models = {f"{s}.json": c for s, c in evidence_learn.train().items()}
    models |= {f"{s}.semantic.json": c for s, c in evidence_learn.train(semantic=True).items()}
    if argv[:1] == ["--check"]:
        bad = 0
        for name, content in models.items():
            scenario = name.removesuffix(".json")
            shipped = json.loads((OUT / name).read_text(encoding="utf-8"))
            new = json.loads(dump(content))
            meta = {k: v for k, v in new.items() if k != "weights"}
            old_meta = {k: v for k, v in shipped.items() if k != "weights"}
            if meta != old_meta:
                print(f"{scenario}: settings or corpus hash differ from the shipped weights")
                bad += 1
                continue
            w_new, w_old = new["weights"], shipped["weights"]
            worst = max(
                (abs(w_new.get(k, 0.0) - w_old.get(k, 0.0)) for k in {*w_new, *w_old}),
                default=0.0,
            )
            print(f"{scenario}: {len(w_new)} weights, largest difference {worst:.2e}")
            bad += worst > TOLERANCE or set(w_new) != set(w_old)
        for scenario in evidence_learn.SCENARIOS:
            index = evidence_learn.neighbour_index(scenario)
            with np.load(OUT / f"{scenario}.semantic.npz") as z:
                same = list(z["issues"]) == [a[0] for a in index.labels] and list(z["ends"]) == [
                    -1 if a[1] is None else a[1] for a in index.labels
                ]
                worst = float(np.max(np.abs(z["vectors"].astype(np.float32) - index.vectors)))
            print(f"{scenario}: {len(index.labels)} neighbours, largest difference {worst:.2e}")
            bad += not same or worst > 1e-3
        return 1 if bad else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in models.items():
        path = OUT / name
        path.write_text(dump(content), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    for scenario in evidence_learn.SCENARIOS:
        path = OUT / f"{scenario}.semantic.npz"
        write_neighbours(path, scenario)
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
