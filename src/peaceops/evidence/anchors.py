r"""Which issue a sentence is about, from each issue's anchor texts (word scores).

A scenario describes each issue in its own words: a name, a description, the texts of its
scale (``"0"``, ``"50"``, ``"100"``) and the cues of each end. These are the *reference
texts* of Wordscores (Laver, Benoit and Garry 2003): every word they hold gets a score from
the reference texts it occurs in, and a sentence is scored by the words it shares with them.
With :math:`F_{wi}` the relative frequency of word :math:`w` in the reference texts of issue
:math:`i`,

.. math::

    P(i \mid w) = \frac{F_{wi}}{\sum_j F_{wj}}, \qquad
    s_i(\text{sentence}) = \sum_{w \in \text{sentence}} P(i \mid w)

so a word that only one issue uses (``frigate``, ``interdiction``) counts fully for it and a
word that every issue uses (``force``, ``troops``) counts a share for each. The classifier
(:mod:`peaceops.evidence.classify`) adds :math:`s_i` to the cue weight of each issue whose
cues a sentence names, so that a generic topic word does not decide between competing
issues.

Notes
-----
Deviations from the paper: (1) the reference texts are the scenario's own descriptions of
its issues, not whole documents of known position; (2) the scores are over issues (which
dimension a sentence speaks to), the categorical analogue of the paper's :math:`P(r \mid w)`
over reference texts, and summed over the sentence's word types rather than averaged, so
that a sentence sharing no word with any issue scores zero; (3) the paper's position score
on a dimension (:math:`S_w = \sum_r P(r \mid w) A_r` with :math:`A_0 = 0`, :math:`A_{100} =
100` for the two ends) was tried for the direction and is not used: it lowered the
direction's accuracy on every split (docs/evidence.md, "Session 5"). Words are lower-cased,
a possessive and a final plural ``s`` dropped, ``-iz-`` spelled ``-is-``, and cut to six
letters (a truncation stem: ``authorised``, ``authorisation`` and ``authorise`` are one
word); English function words and reporting verbs are not scored. Cost: one
regular-expression scan and one dictionary look-up per word; building the model for a
scenario takes about a millisecond.

References
----------
.. [1] Laver, M., Benoit, K., and Garry, J. (2003). Extracting Policy Positions from
   Political Texts Using Words as Data. *American Political Science Review*, 97(2),
   311-331. https://doi.org/10.1017/S0003055403000698
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from peaceops.scenario.model import Scenario

__all__ = ["AnchorModel", "build_anchor_model"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_STEM_LENGTH = 6
# general English function words and reporting words: they say nothing about an issue
_STOP = frozenset(
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
        "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
        "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
        "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
        "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
        "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so",
        "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
        "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "you", "your", "said", "says", "say", "told", "according", "shall", "must", "may",
        "might", "well", "within", "without", "per", "via"]
)  # fmt: skip


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The stem of a lower-case word, or ``""`` for a function word (not scored)."""
    if word in _STOP or len(word) < 2:
        return ""
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w.replace("iz", "is")[:_STEM_LENGTH]


def _tokens(text: str) -> list[str]:
    """The scored word stems of ``text``, in order (function words dropped)."""
    return [t for t in map(_stem, _WORD.findall(text.lower())) if t]


@dataclass(frozen=True)
class AnchorModel:
    """Word scores of one scenario's issues (see the module docstring)."""

    issue_of_word: dict[str, dict[str, float]]
    """word stem -> {issue id: P(issue | word)}"""

    def issue_scores(self, text: str) -> dict[str, float]:
        """:math:`s_i` for every issue sharing a word with ``text`` (each word type once).

        >>> from peaceops.scenario import load_scenario
        >>> m = build_anchor_model(load_scenario("aspides-2024-02"))
        >>> s = m.issue_scores("Italy will send a frigate to escort merchant shipping.")
        >>> max(s, key=s.__getitem__)
        'escort_strength'
        """
        out: dict[str, float] = {}
        for w in set(_tokens(text)):
            for issue, p in self.issue_of_word.get(w, {}).items():
                out[issue] = out.get(issue, 0.0) + p
        return out


def build_anchor_model(scenario: Scenario) -> AnchorModel:
    """The word scores of ``scenario``'s issues, from their names, descriptions, scale texts
    and cues (Laver, Benoit and Garry 2003; see the module docstring).

    Deterministic: the same scenario gives the same model. Nothing is fitted on annotated
    text: the model is the scenario's own words.

    Examples
    --------
    ``interdiction`` is a word only the ``maritime`` issue of ``unifil-2006-08`` uses;
    ``troops`` is used by several issues, each taking a share in proportion to how often
    its texts use it:

    >>> from peaceops.scenario import load_scenario
    >>> m = build_anchor_model(load_scenario("unifil-2006-08"))
    >>> m.issue_of_word["interd"]
    {'maritime': 1.0}
    >>> shares = m.issue_of_word["troop"]
    >>> len(shares) > 1, round(sum(shares.values()), 6)
    (True, 1.0)
    """
    freq: dict[str, dict[str, float]] = {}
    for issue in scenario.issues:
        cues = [*issue.cues.low, *issue.cues.high] if issue.cues else []
        scale = [issue.scale.low, issue.scale.mid, issue.scale.high]
        texts = [issue.name, issue.description, *scale, *cues]
        counts = Counter(w for t in texts for w in _tokens(t))
        total = sum(counts.values())
        freq[issue.id] = {w: c / total for w, c in counts.items()} if total else {}
    issue_of_word: dict[str, dict[str, float]] = {}
    for w in sorted({w for f in freq.values() for w in f}):
        row = {i: f[w] for i, f in freq.items() if w in f}
        row_total = sum(row.values())
        issue_of_word[w] = {i: v / row_total for i, v in row.items()}
    return AnchorModel(issue_of_word)
