"""The learned layer of the extractor: what it falls back to, what it ships, and that the
shipped weights and the documented figures are what training and cross-validation give."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import evidence_learn as learn
from evidence_corpus import read_corpus, score

from peaceops.evidence import extract_candidates, parse_text
from peaceops.evidence.learned import alternative_features, best_alternative, learned_model
from peaceops.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
LEARNED = ROOT / "src" / "peaceops" / "evidence" / "data" / "learned"
DOCS = ROOT / "docs" / "evidence.md"


def _shipped() -> dict[str, dict]:  # type: ignore[type-arg]
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in LEARNED.glob("*.json")
        if not p.name.endswith(".semantic.json")
    }


def _read(scenario, text: str, **kw):  # type: ignore[no-untyped-def]
    found = extract_candidates(scenario, parse_text(text, kind="text"), **kw)
    return [(c.actor, c.kind, c.issue, c.direction, c.confidence, c.quote) for c in found]


def test_a_scenario_without_weights_gets_exactly_the_rules_candidates(ukraine) -> None:  # type: ignore[no-untyped-def]
    """A scenario of its own (another id) or a built-in one whose issues were changed has no
    weights: every corpus document of the Ukraine scenario reads as the rules read it."""
    own = ukraine.model_copy(update={"id": "my-own-scenario"})
    fewer = ukraine.model_copy(update={"issues": ukraine.issues[:-1]})
    assert learned_model(own.id, [i.id for i in own.issues]) is None
    assert learned_model(fewer.id, [i.id for i in fewer.issues]) is None
    docs = [d for d in read_corpus() if d.scenario == "ukraine-2025-04"][:40]
    for doc in docs:
        rules = _read(ukraine, doc.text, author=doc.author, learned=False)
        assert _read(own, doc.text, author=doc.author) == rules, doc.id
        assert _read(fewer, doc.text, author=doc.author) == _read(
            fewer, doc.text, author=doc.author, learned=False
        )
    # ... while the built-in scenario itself reads differently with its weights
    assert any(
        _read(ukraine, d.text, author=d.author)
        != _read(ukraine, d.text, author=d.author, learned=False)
        for d in docs
    )


def test_the_runtime_sums_give_the_sum_of_the_feature_weights() -> None:
    """The runtime's probabilities (non-word features summed directly, word features from
    per-word tables) against the plain sum of the weights of every feature of every
    alternative and a softmax written out here, on two splits of all three scenarios."""
    models = {}
    for s, clf in learn.classifiers().items():
        models[s] = learned_model(s, [i.id for i in clf.scenario.issues])
    exs = [e for e in learn.examples() if e.split in ("blind5", "real")]
    assert len({e.scenario for e in exs}) == 3
    for e in exs:
        clf, model = learn.classifiers()[e.scenario], models[e.scenario]
        assert model is not None
        alt, p = best_alternative(clf, model, e.candidate, bare=e.bare)
        alts = alternative_features(clf, e.candidate, bare=e.bare)
        scores = [sum(model.weights.get(n, 0.0) * v for n, v in f) for _, f in alts]
        i = max(range(1, len(scores)), key=lambda j: scores[j])
        assert alts[i][0] == alt
        z = sum(math.exp(s) for s in scores)
        assert abs(math.exp(scores[i]) / z - p) < 1e-9


def test_shipped_weights_record_the_corpus_and_settings_they_were_trained_on() -> None:
    shipped = _shipped()
    assert set(shipped) == set(learn.SCENARIOS)
    sha = learn.corpus_sha256()
    assert set(sha) == {p.name for p in learn.corpus_files()}
    shared: dict[str, float] = {}
    for scenario, data in shipped.items():
        assert data["training_corpus_sha256"] == sha, "the corpus changed: retrain"
        assert data["training_splits"] == list(learn.SPLITS)
        assert (
            data["l2"],
            data["threshold"],
            data["min_count"],
            data["bigrams"],
            data["prefix"],
        ) == (learn.L2, learn.THRESHOLD, learn.MIN_COUNT, learn.BIGRAMS, learn.PREFIX)
        assert data["issues"] == [i.id for i in load_scenario(scenario).issues]
        for name, v in data["weights"].items():
            if name.startswith(("S:", "I:")):
                assert name.split(":")[1] == scenario, name
            else:  # issue-relative weights: the same in every file
                assert shared.setdefault(name, v) == v, name


def test_shipped_weights_are_the_optimum_of_the_penalised_likelihood() -> None:
    """At the shipped weights (rounded to 1e-6) the gradient of the training objective is
    near zero; at zero it is not."""
    weights: dict[str, float] = {}
    for data in _shipped().values():
        weights.update(data["weights"])
    assert learn.gradient_norm(weights, learn.L2) < 1e-3
    assert learn.gradient_norm({}, learn.L2) > 10


def test_the_runtime_reads_its_weights_from_the_package_only() -> None:
    src = (ROOT / "src" / "peaceops" / "evidence" / "learned.py").read_text(encoding="utf-8")
    assert "tests/" not in src
    assert "importlib" in src
    assert "urllib" not in src


def test_documented_training_set_figures_are_what_the_code_gets() -> None:
    """The figures of the default extractor (rules and shipped weights) on every seen split:
    training-set figures, as the docs call them."""
    text = DOCS.read_text(encoding="utf-8")
    text = text[text.index("### Training-set figures") :]
    for split in learn.SPLITS:
        got = score(split)
        k, n_pred, n_gold = (
            got["correct"]["combined"],
            got["n_predicted_issue"],
            got["n_gold_issue"],
        )
        row = f"| {split} | {k / max(n_pred, 1):.2f} ({k} of {n_pred}) | "
        row += f"{k / max(n_gold, 1):.2f} ({k} of {n_gold}) |"
        assert row in text, row


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_weights() -> None:
    r = _run("scripts/train_evidence.py", "--check")
    assert r.returncode == 0, r.stdout + r.stderr


def _table_rows_are_documented(*args: str, splits: tuple[str, ...] = learn.SPLITS) -> None:
    """Every table row ``evidence_learn.py *args`` prints (one per split of ``splits`` and
    two pooled) is in docs/evidence.md."""
    r = _run("tests/evidence/evidence_learn.py", *args)
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) == len(splits) + 2
    text = DOCS.read_text(encoding="utf-8")
    for row in rows:
        assert row in text, row


@pytest.mark.slow
def test_documented_cross_validation_is_what_the_code_gets() -> None:
    """Every row of the cross-validation table (leave one split out, rules beside the
    learned layer) as ``evidence_learn.py`` computes it."""
    _table_rows_are_documented()


@pytest.mark.long
def test_documented_nested_cross_validation_is_what_the_code_gets() -> None:
    """The nested cross-validation table (settings chosen without the held-out split)."""
    _table_rows_are_documented("--nested", splits=learn.SESSION6_SPLITS)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("n_train", "splits", "thresholds"),
    [
        # blind6 and blind7: the layer trained on the nine splits before them, threshold 0.60
        (9, ("blind6", "blind7"), (0.6,)),
        # blind8 and blind9: trained on the eleven before them, first and second round
        (11, ("blind8", "blind9"), (0.6, 0.84)),
    ],
)
def test_documented_held_out_scores_are_what_the_code_gets(
    n_train: int, splits: tuple[str, ...], thresholds: tuple[float, ...]
) -> None:
    """The held-out scores of docs/evidence.md: per split, the rules alone and the layer
    trained on the splits before it (penalty 0.1, no bigrams, no prefixes: the settings of
    the time, whatever the defaults are now) at each threshold of the time, read as
    ``extract_candidates`` reads a document; the last figure of each row is in bold."""
    text = " ".join(DOCS.read_text(encoding="utf-8").split())
    before = learn.SPLITS[:n_train]
    assert not set(splits) & set(before)
    for split in splits:
        got = learn.cross_validate(
            l2=0.1,
            thresholds=thresholds,
            bigrams=False,
            prefix=0,
            min_count=1,
            splits=(*before, split),
            held_out=(split,),
            runtime=True,
        )[split]
        cells = [
            f"{ok / n_pred:.2f} ({ok} of {n_pred}) at {ok / n_gold:.2f} ({ok} of {n_gold})"
            for ok, n_pred, n_gold in (got["rules"], *(got["learned"][t] for t in thresholds))
        ]
        cells[-1] = f"**{cells[-1]}**"
        assert f"| `{split}` | " in text, split
        assert "| " + " | ".join(cells) + " |" in text, (split, cells)
