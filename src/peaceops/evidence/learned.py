r"""A learned layer over the rules: which issue and which end of its scale, or no statement.

The rules of :mod:`peaceops.evidence.classify` propose candidates; the learned layer reads
each of them, and each sentence with a speaker the rules propose nothing for
(:meth:`~peaceops.evidence.classify.Classifier.bare`), and chooses among the alternatives
"no statement" and every issue of the scenario times its two ends (0 and 100) with a
conditional maximum entropy model (:mod:`peaceops.evidence.maxent`) stacked on the rules'
outputs. The probability of the chosen issue and end is the candidate's confidence; below
the model's threshold (the operating point chosen by cross-validation, docs/evidence.md)
the candidate is not proposed.

Features of an alternative (issue ``k``, end ``d``), all binary unless a value is given:

- the rules' own output: ``k`` is the rules' issue, and ``d`` their direction (with the
  rules' confidence as a value, their kind, and whether the sentence was negated or hedged);
- ``k``'s cue weight on end ``d`` and on the other end, before and after a negator in the
  few words before each cue flips its end; ``k``'s anchor word score
  (:mod:`peaceops.evidence.anchors`) and whether it is the highest;
- each folded word of the sentence paired with whether ``d`` is the end the rules (or
  ``k``'s cues) point to or the other one (a word that flips the direction);
- issue-specific: each word paired with the scenario's issue ``k`` and with ``(k, d)``;
- optionally (off in the shipped weights: no gain in cross-validation, docs/evidence.md),
  adjacent word pairs and each longer word's first letters, taken as words;
- with the ``semantic`` extra (``extract --semantic``, a second set of weights): the
  sentence's nearest annotated training sentences of the same scenario, by the cosine of
  their sentence embeddings (:mod:`peaceops.evidence.encoder`): for each alternative, the
  summed similarity of the ``NEIGHBOURS`` nearest that carry it (over ``NEIGHBOURS``), the
  largest such similarity, and whether it is the alternative the neighbours carry most.

"No statement" has the words, the rules' confidence, kind and speech, a question mark and
whether the sentence came from the rules at all. All but the issue-specific features are
issue-relative: the same weight serves every issue, so they carry over to a scenario's new
issues; the issue-specific ones exist only for the scenarios of the training corpus.

The weights ship as package data (``data/learned/<scenario id>.json``) for the built-in
scenarios, trained by ``scripts/train_evidence.py`` on the annotated corpus; a scenario
without a weights file (or whose issues differ from the file's) gets the rules' candidates
unchanged.

Notes
-----
This is stacked generalization in the sense of Wolpert (1992): the level-0 generalizer is
the rule classifier and the level-1 generalizer the maximum entropy model of Berger et al.
(1996), which sees the level-0 outputs beside the sentence's words. Deviations: Wolpert
trains level 1 on level-0 guesses made without the example in question (cross-validated);
the rules were written by hand, revised on the same corpus, and cannot be refitted per
fold, so level 1 learns from level-0 outputs that are better on this corpus than on new
text and may trust them too much (docs/evidence.md says what that does to the
cross-validated figures). Level 1 also sees the raw sentence (Wolpert's sees only the
level-0 guesses), and its inputs include sentences the rules reject. The optional word
prefixes stand in for a stemmer (Porter 1980) by plain truncation, cruder than suffix
stripping (``deploy~`` joins deployed and deployment, but also deployable). The semantic
features are a k-nearest-neighbour vote (Cover and Hart 1967) fed to the maximum entropy
model as features rather than used as the decision; as in stacking, a training sentence's
neighbours are taken from the other splits of the corpus only, so that its vote is as good
as a new text's would be. The embeddings are Sentence-BERT's (Reimers and Gurevych 2019)
mean-pooled MiniLM, not fine-tuned on this task.

References
----------
1. Berger, A. L., Della Pietra, S. A. and Della Pietra, V. J. (1996). "A maximum entropy
   approach to natural language processing". *Computational Linguistics* 22(1): 39-71.
   https://aclanthology.org/J96-1002/
2. Wolpert, D. H. (1992). "Stacked generalization". *Neural Networks* 5(2): 241-259.
   doi:10.1016/S0893-6080(05)80023-1
3. Porter, M. F. (1980). "An algorithm for suffix stripping". *Program* 14(3): 130-137.
   doi:10.1108/eb046814
4. Cover, T. M. and Hart, P. E. (1967). "Nearest neighbor pattern classification". *IEEE
   Transactions on Information Theory* 13(1): 21-27. doi:10.1109/TIT.1967.1053964
5. Reimers, N. and Gurevych, I. (2019). "Sentence-BERT: sentence embeddings using Siamese
   BERT-networks". *Proceedings of EMNLP-IJCNLP 2019*: 3982-3992. doi:10.18653/v1/D19-1410
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from peaceops.evidence.classify import Candidate, Classifier, _kind_of
from peaceops.evidence.gazetteer import fold

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "LearnedModel",
    "Neighbours",
    "alternative_features",
    "learned_model",
    "neighbour_votes",
    "relabel",
]

NONE = "-"
"""The alternative "no statement"."""
Feature = tuple[str, float]
Alternative = tuple[str, int | None]  # (issue, end) or (NONE, None)

_TOKEN = re.compile(r"[a-z][a-z'’-]*|\d+")
_NEGATOR = re.compile(
    r"(?<![\w-])(?:not|n't|no|never|without|cannot|won't|wouldn't|rather than|instead of|"
    r"against|rejects?|rejected|refuses?|refused|opposes?|opposed|rules? out|ruled out)"
    r"(?![\w-])"
)
_NEGATOR_CHARS = 30
NEIGHBOURS = 10
"""How many nearest annotated sentences vote (the semantic features)."""
Votes = dict[Alternative, tuple[float, float]]
"""Per alternative: the neighbours' summed similarity over their number, and the largest."""


@dataclass(frozen=True)
class Neighbours:
    """The annotated training sentences of one scenario: their unit sentence embeddings
    (one row each) and the alternative each carries."""

    vectors: Any  # numpy array, (n, dimension), float32
    labels: tuple[Alternative, ...]


@dataclass(frozen=True)
class LearnedModel:
    """Weights of the learned layer for one scenario (and, for the semantic weights, the
    annotated sentences whose labels vote)."""

    scenario: str
    issues: tuple[str, ...]
    weights: dict[str, float]
    threshold: float
    bigrams: bool = False
    prefix: int = 0
    neighbours: Neighbours | None = None


def learned_model(
    scenario_id: str, issues: Iterable[str], *, semantic: bool = False
) -> LearnedModel | None:
    """The shipped weights of scenario ``scenario_id`` (the semantic ones with
    ``semantic``), or ``None`` when there are none or they were trained for other issues
    than ``issues``.

    Examples
    --------
    >>> learned_model("no-such-scenario", ["x"]) is None
    True
    >>> m = learned_model("aspides-2024-02", ["escort_strength", "mandate", "command",
    ...     "us_support", "un_endorsement"], semantic=True)
    >>> m is None or (len(m.neighbours.labels), m.neighbours.vectors.shape[1])[1] == 384
    True
    """
    model = _load(scenario_id, semantic)
    if model is None or tuple(issues) != model.issues:
        return None
    return model


@lru_cache(maxsize=8)
def _load(scenario_id: str, semantic: bool = False) -> LearnedModel | None:
    from importlib import resources

    if not re.fullmatch(r"[\w.-]+", scenario_id):
        return None
    folder = resources.files("peaceops.evidence") / "data" / "learned"
    path = folder / (f"{scenario_id}.semantic.json" if semantic else f"{scenario_id}.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    neighbours = None
    if semantic:
        import io

        import numpy as np

        with np.load(io.BytesIO((folder / f"{scenario_id}.semantic.npz").read_bytes())) as z:
            vectors = z["vectors"].astype(np.float32)
            labels = tuple(
                (str(k), None if int(d) < 0 else int(d))
                for k, d in zip(z["issues"].tolist(), z["ends"].tolist(), strict=True)
            )
        neighbours = Neighbours(vectors, labels)
    return LearnedModel(
        scenario=data["scenario"],
        issues=tuple(data["issues"]),
        weights={str(k): float(v) for k, v in data["weights"].items()},
        threshold=float(data["threshold"]),
        bigrams=bool(data.get("bigrams", False)),
        prefix=int(data.get("prefix", 0)),
        neighbours=neighbours,
    )


def neighbour_votes(
    similarities: Sequence[float], labels: Sequence[Alternative], k: int = NEIGHBOURS
) -> Votes:
    """The votes of the ``k`` most similar labelled sentences (ties to the earlier row):
    per alternative, the summed similarity of those that carry it over ``k``, and the
    largest.

    Examples
    --------
    >>> labels = [("-", None), ("zone", 0), ("zone", 0), ("zone", 100)]
    >>> votes = neighbour_votes([0.1, 0.9, 0.7, 0.8], labels, k=3)
    >>> {a: (round(v, 3), b) for a, (v, b) in votes.items()}
    {('zone', 0): (0.533, 0.9), ('zone', 100): (0.267, 0.8)}
    """
    order = sorted(range(len(similarities)), key=lambda i: (-similarities[i], i))[:k]
    out: Votes = {}
    for i in order:
        s = float(similarities[i])
        vote, best = out.get(labels[i], (0.0, -1.0))
        out[labels[i]] = (vote + s / k, max(best, s))
    return out


def _vote_features(votes: Votes, alt: Alternative) -> list[Feature]:
    """The semantic features of alternative ``alt`` (for "no statement" too)."""
    if alt not in votes:
        return []
    vote, best = votes[alt]
    f: list[Feature] = [("K:vote", vote), ("K:best", best)]
    if alt[0] != NONE and max(votes, key=lambda a: (votes[a][0], a[0], a[1] or 0)) == alt:
        f.append(("K:top", 1.0))
    return f


def alternative_features(
    clf: Classifier,
    candidate: Candidate,
    *,
    bare: bool,
    bigrams: bool = False,
    prefix: int = 0,
    votes: Votes | None = None,
) -> list[tuple[Alternative, list[Feature]]]:
    """The alternatives of a candidate and the features of each (the first is "no
    statement", then every issue of ``clf``'s scenario times the ends 0 and 100).

    ``bare`` says the candidate is a sentence the rules proposed nothing for; ``bigrams``
    adds each pair of adjacent words as a word, ``prefix`` (when above 0) the first
    ``prefix`` letters of each longer word (``deploy~`` for deployed, deployment);
    ``votes`` (:func:`neighbour_votes`) adds the semantic features.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> from peaceops.evidence.classify import Classifier, extract_candidates
    >>> from peaceops.evidence.reader import parse_text
    >>> clf = Classifier(load_scenario("ukraine-2025-04"))
    >>> doc = parse_text("Tusk said Poland does not intend to send soldiers.", kind="text")
    >>> (c,) = extract_candidates(clf.scenario, doc, classifier=clf, learned=False)
    >>> alts = alternative_features(clf, c, bare=False)
    >>> len(alts), alts[0][0], alts[1][0]
    (15, ('-', None), ('ground_presence', 0))
    >>> ("R:dir", 1.0) in alts[1][1], ("R:dir", 1.0) in alts[2][1]
    (True, False)
    >>> alts = alternative_features(clf, c, bare=False, prefix=5)
    >>> ("I:ukraine-2025-04:ground_presence:soldi~", 1.0) in alts[1][1]
    True
    """
    words, context = _context(clf, candidate, bare=bare, bigrams=bigrams, prefix=prefix)
    scen = clf.scenario.id
    out: list[tuple[Alternative, list[Feature]]] = []
    for alt, feats, ref in context:
        knn = _vote_features(votes, alt) if votes is not None else []
        if alt[0] == NONE:
            out.append((alt, feats + [(f"N:w:{w}", 1.0) for w in words] + knn))
            continue
        k, d = alt
        f = list(feats) + knn
        if ref is not None:
            rel = "same" if d == ref else "flip"
            f += [(f"F:{w}:{rel}", 1.0) for w in words]
        f += [(f"I:{scen}:{k}:{w}", 1.0) for w in words]
        f += [(f"S:{scen}:{k}:{d}:{w}", 1.0) for w in words]
        out.append((alt, f))
    return out


def _context(
    clf: Classifier, candidate: Candidate, *, bare: bool, bigrams: bool, prefix: int = 0
) -> tuple[list[str], list[tuple[Alternative, list[Feature], int | None]]]:
    """The sentence's words, and each alternative's features other than the word features
    with the end the rules (or the issue's cues) point to (``None``: none)."""
    text, words, raw, eff, anchor, top = _facts(clf, candidate, bigrams=bigrams, prefix=prefix)
    scen = clf.scenario.id
    none: list[Feature] = [("N:bias", 1.0), ("N:conf", candidate.confidence)]
    none += [(f"N:kind:{candidate.kind}", 1.0), (f"N:speech:{candidate.speech}", 1.0)]
    none += [("N:bare", 1.0)] if bare else []
    none += [("N:hedged", 1.0)] if candidate.hedged else []
    none += [("N:q", 1.0)] if "?" in text else []
    none += [("N:nocue", 1.0)] if not raw else []
    none += [("N:long", min(len(text.split()), 60) / 20.0)]
    out: list[tuple[Alternative, list[Feature], int | None]] = [((NONE, None), none, None)]
    zero = {0: 0.0, 100: 0.0}
    for issue in clf.scenario.issues:
        k = issue.id
        mine_raw, mine_eff = raw.get(k, zero), eff.get(k, zero)
        ref: int | None = None
        if candidate.issue == k:
            ref = candidate.direction
        elif mine_eff[0] != mine_eff[100]:
            ref = 0 if mine_eff[0] > mine_eff[100] else 100
        for d in (0, 100):
            f: list[Feature] = [(f"S:{scen}:{k}:{d}", 1.0)]
            if candidate.issue == k:
                f += [("R:issue", 1.0), (f"R:issue:{candidate.kind}", 1.0)]
                if candidate.direction == d:
                    f += [("R:dir", 1.0), ("R:dirconf", candidate.confidence)]
                    f += [("R:dir:neg", 1.0)] if candidate.polarity == "negative" else []
                    f += [("R:dir:hedged", 1.0)] if candidate.hedged else []
            if mine_raw[0] or mine_raw[100]:
                f += [("C:any", 1.0), ("C:raw", mine_raw[d]), ("C:rawother", mine_raw[100 - d])]
                f += [("C:eff", mine_eff[d]), ("C:effother", mine_eff[100 - d])]
            a = anchor.get(k, 0.0)
            if a > 0:
                f += [("A:score", a)] + ([("A:top", 1.0)] if a >= top else [])
            if ref is not None:
                f += [(f"F:{'same' if d == ref else 'flip'}", 1.0)]
            out.append(((k, d), f, ref))
    return words, out


Facts = tuple[
    str,
    list[str],
    dict[str, dict[int, float]],
    dict[str, dict[int, float]],
    dict[str, float],
    float,
]


def _facts(clf: Classifier, candidate: Candidate, *, bigrams: bool, prefix: int = 0) -> Facts:
    """What the features are made of: the folded sentence, its words, each issue's cue
    weights per end (as matched and after negators), its anchor scores and their maximum."""
    text = fold(candidate.quote)
    low = text.lower()
    toks = _TOKEN.findall(low)
    words = sorted(set(toks))
    if bigrams:
        words += sorted({f"{a}_{b}" for a, b in pairwise(toks)})
    if prefix > 0:
        words += sorted({w[:prefix] + "~" for w in toks if len(w) > prefix})
    raw, eff = _cue_weights(clf, text, low)
    anchor = clf._anchor_scores(text)
    return text, words, raw, eff, anchor, max(anchor.values(), default=0.0)


def _cue_weights(
    clf: Classifier, text: str, low: str
) -> tuple[dict[str, dict[int, float]], dict[str, dict[int, float]]]:
    """Each issue's cue weight per end (a phrase 1, a single word 0.5), as matched and with
    the end flipped by an odd number of negators in the few words before the cue."""
    raw: dict[str, dict[int, float]] = {}
    eff: dict[str, dict[int, float]] = {}
    found = [(m.start(), m.group(0)) for m in clf.cue_pattern.finditer(text)]
    if clf.contribution_pattern is not None:
        found += [(m.start(), m.group(0)) for m in clf.contribution_pattern.finditer(text)]
    for start, term in found:
        issue, side = clf._cue(term)
        w = 1.0 if " " in term.strip() else 0.5
        negs = len(_NEGATOR.findall(low, max(0, start - _NEGATOR_CHARS), start))
        raw.setdefault(issue, {0: 0.0, 100: 0.0})[side] += w
        eff.setdefault(issue, {0: 0.0, 100: 0.0})[100 - side if negs % 2 else side] += w
    return raw, eff


def relabel(
    clf: Classifier,
    model: LearnedModel,
    found: list[tuple[Candidate, bool]],
    *,
    min_confidence: float | None = None,
) -> tuple[Candidate, ...]:
    """The candidates the learned layer proposes among ``found`` (each with whether it is
    a bare sentence, :meth:`~peaceops.evidence.classify.Classifier.bare`).

    A candidate's issue and direction are the most probable alternative other than "no
    statement", its confidence that alternative's probability (rounded to 0.01, at most
    0.99); it is proposed when that is at least ``min_confidence`` (default: the model's
    threshold). A
    rules' event (no issue) the model gives no issue keeps its rule confidence and is
    proposed as the rules would propose it. A bare sentence or an event given an issue takes
    the kind the rules give a sentence with an issue (red line, pledge, else stance). A
    model with :class:`Neighbours` (the semantic weights) embeds each sentence once
    (:func:`peaceops.evidence.encoder.encode`) and adds its neighbours' votes.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> from peaceops.evidence.classify import Classifier, extract_candidates
    >>> from peaceops.evidence.reader import parse_text
    >>> clf = Classifier(load_scenario("ukraine-2025-04"))
    >>> doc = parse_text("Tusk said Poland does not intend to send soldiers.", kind="text")
    >>> (c,) = extract_candidates(clf.scenario, doc, classifier=clf, learned=False)
    >>> model = LearnedModel("ukraine-2025-04", (), {"R:dir": 3.0}, 0.5)
    >>> (r,) = relabel(clf, model, [(c, False)])
    >>> r.issue, r.direction, r.confidence  # e**3 / (e**3 + 14 alternatives at 0)
    ('ground_presence', 0, 0.59)
    """
    from peaceops.evidence.classify import MIN_CONFIDENCE

    threshold = model.threshold if min_confidence is None else min_confidence
    votes = semantic_votes(model, [c.quote for c, _ in found])
    out: list[Candidate] = []
    for cand, bare in found:
        alt, p = best_alternative(clf, model, cand, bare=bare, votes=votes.get(cand.quote))
        if alt[0] == NONE or p < threshold:
            if cand.issue is None and not bare and cand.confidence >= MIN_CONFIDENCE:
                out.append(cand)
            continue
        kind = cand.kind if cand.issue is not None else _kind_of(fold(cand.quote))
        out.append(
            replace(
                cand, issue=alt[0], direction=alt[1], kind=kind, confidence=min(0.99, round(p, 2))
            )
        )
    return tuple(out)


def semantic_votes(model: LearnedModel, quotes: Sequence[str]) -> dict[str, Votes]:
    """The neighbours' votes (:func:`neighbour_votes`) for each distinct sentence of
    ``quotes``; empty when ``model`` has no :class:`Neighbours`.

    Raises
    ------
    peaceops.evidence.encoder.SemanticUnavailable
        When the model has neighbours and the ``semantic`` extra is not installed.
    """
    index = model.neighbours
    if index is None or not quotes:
        return {}
    from peaceops.evidence.encoder import encode

    distinct = sorted(set(quotes))
    sims = encode(distinct) @ index.vectors.T
    return {
        q: neighbour_votes(row.tolist(), index.labels)
        for q, row in zip(distinct, sims, strict=True)
    }


def best_alternative(
    clf: Classifier,
    model: LearnedModel,
    cand: Candidate,
    *,
    bare: bool,
    votes: Votes | None = None,
) -> tuple[Alternative, float]:
    """The most probable alternative other than "no statement" and its probability: the
    weights of :func:`alternative_features` summed from per-word tables (one pass over the
    sentence's words, not one per alternative), with the semantic features of ``votes``."""
    import math

    facts = _facts(clf, cand, bigrams=model.bigrams, prefix=model.prefix)
    words = facts[1]
    table, flips = _tables(model, clf)
    alts, scores, refs = _direct_scores(clf, model, cand, bare, facts)
    rows = [r for r in map(table.get, words) if r is not None]
    if rows:
        scores = [a + sum(col) for a, col in zip(scores, zip(*rows, strict=True), strict=True)]
    same = flip = 0.0
    for pair in filter(None, map(flips.get, words)):
        same += pair[0]
        flip += pair[1]
    for i in range(1, len(scores)):
        if refs[i] is not None:
            scores[i] += same if alts[i][1] == refs[i] else flip
    if votes:
        get = model.weights.get
        for i, alt in enumerate(alts):
            scores[i] += sum(get(n, 0.0) * v for n, v in _vote_features(votes, alt))
    top = max(scores)
    expd = [math.exp(s - top) for s in scores]
    i = max(range(1, len(scores)), key=lambda j: scores[j])
    return alts[i], expd[i] / sum(expd)


def _direct_scores(
    clf: Classifier, model: LearnedModel, cand: Candidate, bare: bool, facts: Facts
) -> tuple[list[Alternative], list[float], list[int | None]]:
    """The weights of :func:`_context`'s features of each alternative, summed without
    building them (the same rules, written as sums; a test compares the two)."""
    text, _, raw, eff, anchor, top = facts
    get = model.weights.get
    conf = cand.confidence
    s0 = get("N:bias", 0.0) + get("N:conf", 0.0) * conf
    s0 += get(f"N:kind:{cand.kind}", 0.0) + get(f"N:speech:{cand.speech}", 0.0)
    s0 += get("N:bare", 0.0) if bare else 0.0
    s0 += get("N:hedged", 0.0) if cand.hedged else 0.0
    s0 += get("N:q", 0.0) if "?" in text else 0.0
    s0 += get("N:nocue", 0.0) if not raw else 0.0
    s0 += get("N:long", 0.0) * (min(len(text.split()), 60) / 20.0)
    alts: list[Alternative] = [(NONE, None)]
    scores: list[float] = [s0]
    refs: list[int | None] = [None]
    scen = clf.scenario.id
    zero = {0: 0.0, 100: 0.0}
    r_issue = get("R:issue", 0.0) + get(f"R:issue:{cand.kind}", 0.0)
    r_dir = get("R:dir", 0.0) + get("R:dirconf", 0.0) * conf
    r_dir += get("R:dir:neg", 0.0) if cand.polarity == "negative" else 0.0
    r_dir += get("R:dir:hedged", 0.0) if cand.hedged else 0.0
    c_any, c_raw, c_rawother = get("C:any", 0.0), get("C:raw", 0.0), get("C:rawother", 0.0)
    c_eff, c_effother = get("C:eff", 0.0), get("C:effother", 0.0)
    a_score, a_top = get("A:score", 0.0), get("A:top", 0.0)
    f_same, f_flip = get("F:same", 0.0), get("F:flip", 0.0)
    for issue in clf.scenario.issues:
        k = issue.id
        mine_raw, mine_eff = raw.get(k, zero), eff.get(k, zero)
        ref: int | None = None
        if cand.issue == k:
            ref = cand.direction
        elif mine_eff[0] != mine_eff[100]:
            ref = 0 if mine_eff[0] > mine_eff[100] else 100
        a = anchor.get(k, 0.0)
        for d in (0, 100):
            s = get(f"S:{scen}:{k}:{d}", 0.0)
            if cand.issue == k:
                s += r_issue + (r_dir if cand.direction == d else 0.0)
            if mine_raw[0] or mine_raw[100]:
                s += c_any + c_raw * mine_raw[d] + c_rawother * mine_raw[100 - d]
                s += c_eff * mine_eff[d] + c_effother * mine_eff[100 - d]
            if a > 0:
                s += a_score * a + (a_top if a >= top else 0.0)
            if ref is not None:
                s += f_same if d == ref else f_flip
            alts.append((k, d))
            scores.append(s)
            refs.append(ref)
    return alts, scores, refs


def _tables(
    model: LearnedModel, clf: Classifier
) -> tuple[dict[str, list[float]], dict[str, tuple[float, float]]]:
    """Per word: its weight on each alternative (``N:w``, ``I`` and ``S`` features), and its
    weights when an alternative keeps or flips the reference end (``F`` features); built
    once per model and scenario (plain lists: no array library to import at run time)."""
    key = "_tables:" + clf.scenario.id + ":" + ",".join(i.id for i in clf.scenario.issues)
    cache = model.__dict__
    if key not in cache:
        scen = clf.scenario.id
        alts = [(i.id, d) for i in clf.scenario.issues for d in (0, 100)]
        column = {a: j + 1 for j, a in enumerate(alts)}
        issue_cols: dict[str, list[int]] = {}
        for (k, _), j in column.items():
            issue_cols.setdefault(k, []).append(j)
        table: dict[str, list[float]] = {}
        flips: dict[str, tuple[float, float]] = {}

        def add(word: str, j: int, v: float) -> None:
            table.setdefault(word, [0.0] * (len(alts) + 1))[j] += v

        for name, v in model.weights.items():
            parts = name.split(":")
            if parts[0] == "N" and parts[1] == "w":
                add(":".join(parts[2:]), 0, v)
            elif parts[0] == "F" and len(parts) >= 3:
                word, rel = ":".join(parts[1:-1]), parts[-1]
                same, flip = flips.get(word, (0.0, 0.0))
                flips[word] = (same + v, flip) if rel == "same" else (same, flip + v)
            elif parts[0] == "I" and len(parts) >= 4 and parts[1] == scen:
                for j in issue_cols.get(parts[2], []):
                    add(":".join(parts[3:]), j, v)
            elif parts[0] == "S" and len(parts) >= 5 and parts[1] == scen:
                end = int(parts[3]) if parts[3].isdigit() else -1
                if (parts[2], end) in column:
                    add(":".join(parts[4:]), column[parts[2], end], v)
        cache[key] = (table, flips)
    tables: tuple[dict[str, list[float]], dict[str, tuple[float, float]]] = cache[key]
    return tables
