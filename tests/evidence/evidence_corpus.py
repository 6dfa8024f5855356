"""Read the annotated evidence corpus and score the extractor on it (docs/evidence.md).

Run ``uv run --frozen python tests/evidence/evidence_corpus.py [split...]`` to print the
figures of the extractor as it runs by default (``--rules [split...]``: the rules alone),
``... evidence_corpus.py --cv`` for the leave-one-split-out cross-validation of the learned
layer (``tests/evidence/evidence_learn.py``), ``... evidence_corpus.py --misses
[split,split...]`` to count where the annotated
statements that name an issue go. A document header may name the scenario it is scored
against as a sixth field (default ``ukraine-2025-04``): the real texts of the ``real``
split use ``unifil-2006-08`` and ``aspides-2024-02`` as well. An optional seventh field
``author=CODE`` names the document's author, passed to the extractor as ``peaceops extract
--author CODE`` would pass it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peaceops.evidence import extract_candidates, parse_text
from peaceops.evidence.classify import LEARNED
from peaceops.scenario import load_scenario
from peaceops.scenario.model import Scenario

DATA = Path(__file__).resolve().parents[1] / "data" / "evidence"
FIELDS = ("actor", "kind", "issue", "direction", "polarity")
DEFAULT_SCENARIO = "ukraine-2025-04"


@dataclass(frozen=True)
class Gold:
    sentence: str
    actor: str
    kind: str
    issue: str | None
    direction: int | None
    polarity: str


@dataclass(frozen=True)
class CorpusDoc:
    id: str
    split: str
    date: str
    label: str
    title: str
    text: str
    gold: tuple[Gold, ...]
    scenario: str = DEFAULT_SCENARIO
    author: str | None = None


def read_corpus() -> list[CorpusDoc]:
    """Every annotated document of the corpus files ``corpus_*.txt``."""
    return [doc for path in sorted(DATA.glob("corpus_*.txt")) for doc in read_file(path)]


def read_file(path: Path) -> list[CorpusDoc]:
    """The annotated documents of one corpus file."""
    docs: list[CorpusDoc] = []
    blocks = path.read_text(encoding="utf-8").split("=== ")[1:]
    for block in blocks:
        header, _, body = block.partition("\n")
        fields = [x.strip() for x in header.split("|")]
        did, split, date, label, title = fields[:5]
        scenario = fields[5] if len(fields) > 5 and fields[5] else DEFAULT_SCENARIO
        author = None
        for extra in fields[6:]:
            key, _, value = extra.partition("=")
            if key.strip() == "author" and value.strip():
                author = value.strip()
        lines, gold = [], []
        for line in body.splitlines():
            sent, _, ann = line.partition("||")
            lines.append(sent.strip())
            if ann.strip():
                a, k, i, d, p = ann.split()
                gold.append(
                    Gold(
                        sent.strip(),
                        a,
                        k,
                        None if i == "-" else i,
                        None if d == "-" else int(d),
                        {"pos": "positive", "neg": "negative"}[p],
                    )
                )
        text = "\n".join(lines).strip()
        docs.append(CorpusDoc(did, split, date, label, title, text, tuple(gold), scenario, author))
    return docs


def _tally(
    preds: dict[str, Any], gold: dict[str, Gold], correct: dict[str, int]
) -> tuple[int, int, int, int]:
    """Add to ``correct`` the fields of ``preds`` (by sentence) that equal ``gold``'s, and
    actor + issue + direction together where the gold names an issue; return the counts
    (predicted, gold, predicted naming an issue, gold naming an issue)."""
    for quote, c in preds.items():
        g = gold.get(quote)
        if g is None:
            continue
        for f in FIELDS:
            correct[f] += getattr(c, f) == getattr(g, f)
        same = (c.actor, c.issue, c.direction) == (g.actor, g.issue, g.direction)
        correct["combined"] += same and g.issue is not None
    return (
        len(preds),
        len(gold),
        sum(1 for c in preds.values() if c.issue is not None),
        sum(1 for g in gold.values() if g.issue is not None),
    )


def is_written(doc: CorpusDoc) -> bool:
    """A document written for the project (news style), not a real text."""
    return doc.label.startswith("written for peaceops")


def score(
    split: str,
    *,
    min_confidence: float | None = None,
    scenario: str | None = None,
    part: str | None = None,
    learned: bool = LEARNED,
    semantic: bool = False,
) -> dict[str, Any]:
    """Precision and recall per field, and for actor + issue + direction together, over the
    candidates whose confidence is at least ``min_confidence`` (the extractor's operating
    point unless given), of the extractor as it runs by default (``learned=False``: the
    rules alone, as ``peaceops extract --rules-only``; only the documents scored
    against ``scenario`` when it is given; only the written or the real documents when
    ``part`` is ``"written"`` or ``"real"``; ``semantic``: the semantic weights, as
    ``peaceops extract --semantic``)."""
    scenarios: dict[str, Scenario] = {}
    correct = dict.fromkeys((*FIELDS, "combined"), 0)
    n_pred = n_gold = n_pred_issue = n_gold_issue = 0
    docs = [d for d in read_corpus() if d.split == split]
    if part is not None:
        docs = [d for d in docs if is_written(d) == (part == "written")]
    for doc in (d for d in docs if scenario is None or d.scenario == scenario):
        if doc.scenario not in scenarios:
            scenarios[doc.scenario] = load_scenario(doc.scenario)
        found = extract_candidates(  # as `peaceops extract --author` does
            scenarios[doc.scenario],
            parse_text(doc.text, kind="text"),
            author=doc.author,
            min_confidence=min_confidence,
            learned=learned,
            semantic=semantic,
        )
        counts = _tally({c.quote: c for c in found}, {g.sentence: g for g in doc.gold}, correct)
        n_pred, n_gold, n_pred_issue, n_gold_issue = (
            a + b for a, b in zip((n_pred, n_gold, n_pred_issue, n_gold_issue), counts, strict=True)
        )
    out: dict[str, Any] = {
        "split": split,
        "n_gold": n_gold,
        "n_predicted": n_pred,
        "n_gold_issue": n_gold_issue,
        "n_predicted_issue": n_pred_issue,
        "correct": dict(correct),
    }
    for f in FIELDS:
        out[f] = (round(correct[f] / max(n_pred, 1), 3), round(correct[f] / max(n_gold, 1), 3))
    out["actor+issue+direction"] = (
        round(correct["combined"] / max(n_pred_issue, 1), 3),
        round(correct["combined"] / max(n_gold_issue, 1), 3),
    )
    return out


MISS_KINDS = ("right", "no cue", "wrong issue", "wrong direction", "wrong actor", "other")


def miss_reasons(splits: tuple[str, ...]) -> dict[str, int]:
    """Where the annotated statements that name an issue go, with the rules alone at their
    operating point: right
    (actor, issue and direction), a candidate with the wrong actor, issue or direction (in
    that order of checking), no cue of any issue in the sentence, or other (below the
    threshold, filtered as a description or a lone bare word, no speaker, an event)."""
    from peaceops.evidence.classify import Classifier
    from peaceops.evidence.gazetteer import fold

    out = dict.fromkeys(MISS_KINDS, 0)
    classifiers: dict[str, Classifier] = {}
    for doc in (d for d in read_corpus() if d.split in splits):
        if doc.scenario not in classifiers:
            classifiers[doc.scenario] = Classifier(load_scenario(doc.scenario))
        clf = classifiers[doc.scenario]
        found = extract_candidates(
            clf.scenario,
            parse_text(doc.text, kind="text"),
            classifier=clf,
            author=doc.author,
            learned=False,
        )
        preds = {c.quote: c for c in found if c.issue is not None}
        for g in (g for g in doc.gold if g.issue is not None):
            c = preds.get(g.sentence)
            if c is None:
                kind = "no cue" if clf._issue(fold(g.sentence))[0] is None else "other"
            elif c.actor != g.actor:
                kind = "wrong actor"
            elif c.issue != g.issue:
                kind = "wrong issue"
            elif c.direction != g.direction:
                kind = "wrong direction"
            else:
                kind = "right"
            out[kind] += 1
    return out


def agreement(first: list[CorpusDoc], second: list[CorpusDoc]) -> dict[str, Any]:
    """How far a second annotator agrees with the first on the same documents: the second's
    annotations scored as the extractor's candidates are by :func:`score` (precision and
    recall per field, and actor + issue + direction together over the statements that name
    an issue), and Cohen's kappa on whether a sentence carries a statement at all.

    Cohen, J. (1960). "A Coefficient of Agreement for Nominal Scales". *Educational and
    Psychological Measurement* 20(1): 37-46. Kappa is (p_o - p_e) / (1 - p_e), with p_o the
    share of sentences on which the two agree and p_e the agreement expected from each
    annotator's own rate of annotating a sentence.
    """
    by_id = {d.id: d for d in second}
    if set(by_id) != {d.id for d in first}:
        raise ValueError("the two annotations cover different documents")
    correct = dict.fromkeys((*FIELDS, "combined"), 0)
    n_first = n_second = n_first_issue = n_second_issue = 0
    both = only_first = only_second = neither = 0
    for doc in first:
        other = by_id[doc.id]
        if other.text != doc.text:
            raise ValueError(f"{doc.id}: the two annotations have different text")
        gold = {g.sentence: g for g in doc.gold}
        pred = {g.sentence: g for g in other.gold}
        n_second, n_first, n_second_issue, n_first_issue = (
            a + b
            for a, b in zip(
                (n_second, n_first, n_second_issue, n_first_issue),
                _tally(pred, gold, correct),
                strict=True,
            )
        )
        for line in (x for x in doc.text.splitlines() if x.strip()):
            a, b = line in gold, line in pred
            both += a and b
            only_first += a and not b
            only_second += b and not a
            neither += not a and not b
    lines = both + only_first + only_second + neither
    p_o = (both + neither) / lines
    p_first, p_second = (both + only_first) / lines, (both + only_second) / lines
    p_e = p_first * p_second + (1 - p_first) * (1 - p_second)
    out: dict[str, Any] = {
        "n_first": n_first,
        "n_second": n_second,
        "n_first_issue": n_first_issue,
        "n_second_issue": n_second_issue,
        "correct": dict(correct),
        "lines": lines,
        "statement_kappa": round((p_o - p_e) / (1 - p_e), 3),
    }
    for f in FIELDS:
        out[f] = (
            round(correct[f] / max(n_second, 1), 3),
            round(correct[f] / max(n_first, 1), 3),
        )
    out["actor+issue+direction"] = (
        round(correct["combined"] / max(n_second_issue, 1), 3),
        round(correct["combined"] / max(n_first_issue, 1), 3),
    )
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["--misses"]:
        for group in sys.argv[2:] or ["dev,test,fresh", "real", "blind", "blind2", "blind3"]:
            print(group, miss_reasons(tuple(group.split(","))))
        raise SystemExit(0)
    if sys.argv[1:2] == ["--cv"]:  # leave-one-split-out cross-validation of the learned layer
        import runpy

        runpy.run_path(str(Path(__file__).with_name("evidence_learn.py")), run_name="__main__")
        raise SystemExit(0)
    rules = sys.argv[1:2] == ["--rules"]  # the rules alone (peaceops extract --rules-only)
    for sp in sys.argv[1 + rules :] or ["dev", "test", "fresh", "real"]:
        name, _, only = sp.partition(":")
        if only in ("written", "real"):
            print(score(name, part=only, learned=not rules))
        else:
            print(score(name, scenario=only or None, learned=not rules))
