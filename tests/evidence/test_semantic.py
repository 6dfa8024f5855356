"""The semantic weights of the learned layer (``extract --semantic``): the neighbours' votes
against a brute-force count, the runtime sums against the features, what the extractor and
the command do without the extra, and the held-out scores of docs/evidence.md."""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

import evidence_learn as learn
from test_learned import _table_rows_are_documented

from peaceops.cli import app
from peaceops.evidence import encoder as encoder_module
from peaceops.evidence import extract_candidates, parse_text
from peaceops.evidence.encoder import SemanticUnavailable, encode
from peaceops.evidence.learned import (
    NEIGHBOURS,
    alternative_features,
    best_alternative,
    learned_model,
    neighbour_votes,
)

ROOT = Path(__file__).resolve().parents[2]
LEARNED = ROOT / "src" / "peaceops" / "evidence" / "data" / "learned"
DOCS = ROOT / "docs" / "evidence.md"
TEXT = "Tusk said Poland does not intend to send soldiers to Ukraine."


def _brute_votes(sims: list[float], labels: list[tuple[str, int | None]], k: int) -> dict:  # type: ignore[type-arg]
    """Every row ranked by (similarity down, row up), the first k kept, counted by hand."""
    ranked = sorted(((-s, i) for i, s in enumerate(sims)))[:k]
    out: dict[tuple[str, int | None], list[float]] = {}
    for neg, i in ranked:
        out.setdefault(labels[i], []).append(-neg)
    return {a: (sum(v) / k, max(v)) for a, v in out.items()}


def test_neighbour_votes_match_a_brute_force_count() -> None:
    rng = random.Random(7)
    alts = [("-", None), ("zone", 0), ("zone", 100), ("timing", 0)]
    for _ in range(200):
        n = rng.randint(1, 30)
        sims = [round(rng.uniform(-1, 1), 2) for _ in range(n)]  # rounded: ties happen
        labels = [rng.choice(alts) for _ in range(n)]
        k = rng.randint(1, 12)
        got = neighbour_votes(sims, labels, k)
        want = _brute_votes(sims, labels, k)
        assert set(got) == set(want)
        for a, (v, b) in want.items():
            assert math.isclose(got[a][0], v, abs_tol=1e-12)
            assert got[a][1] == b


def _semantic_models() -> dict[str, object]:
    out = {}
    for s, clf in learn.classifiers().items():
        out[s] = learned_model(s, [i.id for i in clf.scenario.issues], semantic=True)
        assert out[s] is not None
        assert out[s].neighbours is not None  # type: ignore[attr-defined]
    return out


def test_the_runtime_sums_with_votes_give_the_sum_of_the_feature_weights() -> None:
    """With the shipped semantic weights and neighbours: the runtime's probability of the
    best alternative against the plain sum of every feature's weight and a softmax written
    out here, the votes computed from the shipped neighbours and the encoder."""
    models = _semantic_models()
    exs = [e for e in learn.examples() if e.split == "blind5"][:120]
    assert len({e.scenario for e in exs}) == 3
    vectors = encode([e.candidate.quote for e in exs])
    for e, v in zip(exs, vectors, strict=True):
        clf, model = learn.classifiers()[e.scenario], models[e.scenario]
        index = model.neighbours  # type: ignore[attr-defined]
        votes = neighbour_votes((index.vectors @ v).tolist(), index.labels)
        alt, p = best_alternative(clf, model, e.candidate, bare=e.bare, votes=votes)  # type: ignore[arg-type]
        alts = alternative_features(clf, e.candidate, bare=e.bare, votes=votes)
        weights = model.weights  # type: ignore[attr-defined]
        scores = [sum(weights.get(n, 0.0) * x for n, x in f) for _, f in alts]
        assert any(n.startswith("K:") for _, f in alts for n, _ in f)
        i = max(range(1, len(scores)), key=lambda j: scores[j])
        assert alts[i][0] == alt
        assert abs(math.exp(scores[i]) / sum(math.exp(s) for s in scores) - p) < 1e-9


def test_shipped_semantic_weights_record_their_corpus_settings_and_neighbours() -> None:
    sha = learn.corpus_sha256()
    for scenario in learn.SCENARIOS:
        data = json.loads((LEARNED / f"{scenario}.semantic.json").read_text(encoding="utf-8"))
        assert data["training_corpus_sha256"] == sha, "the corpus changed: retrain"
        assert data["training_splits"] == list(learn.SPLITS)
        assert (data["l2"], data["threshold"]) == (learn.SEMANTIC_L2, learn.SEMANTIC_THRESHOLD)
        assert {"K:vote", "K:best", "K:top"} <= set(data["weights"])
        with np.load(LEARNED / f"{scenario}.semantic.npz") as z:
            n = sum(1 for e in learn.examples() if e.scenario == scenario)
            assert z["vectors"].shape == (n, 384)
            assert z["vectors"].dtype == np.float16
            assert len(z["issues"]) == len(z["ends"]) == n
    assert NEIGHBOURS == 10


def test_semantic_falls_back_to_the_plain_weights_or_the_rules(ukraine) -> None:  # type: ignore[no-untyped-def]
    """A scenario without semantic weights gets the plain layer; one without any weights
    (another id) the rules' candidates, with or without ``semantic``."""
    doc = parse_text(TEXT, kind="text")
    other = ukraine.model_copy(update={"id": "my-operation"})
    rules = extract_candidates(other, doc, learned=False)
    assert extract_candidates(other, doc, semantic=True) == rules
    plain = extract_candidates(ukraine, doc)
    sem = extract_candidates(ukraine, doc, semantic=True)
    assert [(c.actor, c.issue, c.direction) for c in plain] == [
        (c.actor, c.issue, c.direction) for c in sem
    ]


def test_without_the_extra_semantic_is_one_clear_error_and_the_rules_still_work(
    monkeypatch: pytest.MonkeyPatch, ukraine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    def missing() -> object:
        raise SemanticUnavailable(
            "the semantic extra is not installed: run `uv sync --extra semantic`"
        )

    monkeypatch.setattr(encoder_module, "_model", missing)
    monkeypatch.setattr(encoder_module, "available", lambda: False)
    doc = parse_text(TEXT, kind="text")
    with pytest.raises(SemanticUnavailable, match="uv sync --extra semantic"):
        extract_candidates(ukraine, doc, semantic=True)
    assert extract_candidates(ukraine, doc, learned=False)
    assert extract_candidates(ukraine, doc)  # the plain layer needs no extra
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "p.yaml"
    r = runner.invoke(app, ["extract", str(article), "--semantic", "-o", str(out)])
    assert r.exit_code == 2, r.output
    assert "uv sync --extra semantic" in r.output
    assert "Traceback" not in r.output
    assert not out.exists()
    r = runner.invoke(app, ["extract", str(article), "-o", str(out)])  # default: plain layer
    assert r.exit_code == 0, r.output
    assert out.exists()


def test_semantic_and_rules_only_exclude_each_other(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "p.yaml"
    r = CliRunner().invoke(
        app, ["extract", str(article), "--semantic", "--rules-only", "-o", str(out)]
    )
    assert r.exit_code == 2
    assert "--rules-only" in r.output
    assert not out.exists()


def test_the_default_extract_uses_the_semantic_weights_when_the_extra_is_installed(
    tmp_path: Path,
) -> None:
    """The command's default is the semantic layer here (the test environment has the
    extra): its patch equals `--semantic`'s and may differ from `--no-semantic`'s."""
    article = tmp_path / "a.txt"
    article.write_text(
        "Warsaw will not deploy forces. Macron said European soldiers could go to Ukraine "
        "after a peace deal. Witkoff dismissed the plans as a posture and a pose.",
        encoding="utf-8",
    )
    runner = CliRunner()
    outs = {}
    for flag in ("", "--semantic", "--no-semantic"):
        path = tmp_path / f"p{flag}.yaml"
        args = ["extract", str(article), "-o", str(path)] + ([flag] if flag else [])
        r = runner.invoke(app, args)
        assert r.exit_code == 0, r.output
        outs[flag] = path.read_text(encoding="utf-8")
    assert outs[""] == outs["--semantic"]
    # the semantic patch goes through apply, and the new scenario validates
    patch = tmp_path / "p--semantic.yaml"
    assert "accept: true" in outs["--semantic"]
    new = tmp_path / "new.yaml"
    r = runner.invoke(app, ["apply", str(patch), "--scenario", "ukraine-2025-04", "--to", str(new)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["validate", str(new)])
    assert r.exit_code == 0, r.output


@pytest.mark.slow
def test_documented_session7_held_out_scores_are_what_the_code_gets() -> None:
    """`blind10` and `blind11`, scored once in session 7: the rules, the plain layer and the
    semantic layer, each trained on the nineteen splits before them with the settings of
    the time, read as ``extract_candidates`` reads a document."""
    text = " ".join(DOCS.read_text(encoding="utf-8").split())
    before = learn.SPLITS[:19]
    assert not {"blind10", "blind11"} & set(before)
    pooled = {"rules": [0, 0, 0], "plain": [0, 0, 0], "semantic": [0, 0, 0]}
    for split in ("blind10", "blind11"):
        kw = {"splits": (*before, split), "held_out": (split,), "runtime": True}
        plain = learn.cross_validate(l2=0.3, thresholds=(0.68,), **kw)[split]  # type: ignore[arg-type]
        sem = learn.cross_validate(l2=3.0, thresholds=(0.52,), semantic=True, **kw)[split]  # type: ignore[arg-type]
        counts = {
            "rules": plain["rules"],
            "plain": plain["learned"][0.68],
            "semantic": sem["learned"][0.52],
        }
        cells = []
        for name, (ok, n_pred, n_gold) in counts.items():
            cells.append(f"{ok / n_pred:.2f} ({ok} of {n_pred}) at {ok / n_gold:.2f}")
            pooled[name] = [a + b for a, b in zip(pooled[name], (ok, n_pred, n_gold), strict=True)]
        assert f"| `{split}` | " + " | ".join(cells) + " |" in text, (split, cells)
    cells = [
        f"**{ok / n_pred:.2f} at {ok / n_gold:.2f}**" for ok, n_pred, n_gold in pooled.values()
    ]
    assert "| both | " + " | ".join(cells) + " |" in text, cells


@pytest.mark.long
def test_documented_semantic_cross_validation_is_what_the_code_gets() -> None:
    """Every row of the semantic layer's cross-validation table (twenty-one splits, leave
    one out, its neighbours from the training splits only) as ``evidence_learn.py
    --semantic`` prints it."""
    _table_rows_are_documented("--semantic")
