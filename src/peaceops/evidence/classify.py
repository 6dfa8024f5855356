"""Candidate statements in an article: actor, kind, issue, direction, modality, conditions.

One rule pass per sentence (no model):

1. **Actor**: mentions from the :class:`~peaceops.evidence.gazetteer.Gazetteer`; mentions
   after a preposition (``in Ukraine``, ``to Moscow``) or inside a cue are objects, not
   speakers. The speaker is the mention next to a speech verb (``said``, ``told``,
   ``according to``), else the first remaining mention.
2. **Issue and direction**: each issue's ``cues`` (terms towards 0 and towards 100) and its
   scale texts; the issue with the most cue hits wins, the side with more hits gives the
   direction, and an odd number of negators outside the cue (``not``, ``never``, ``rejects``,
   ``unacceptable``, ``without`` just before it) flips it.
3. **Kind**: ``red_line`` (``unacceptable``, ``legitimate target``, ``red line``), ``pledge``
   (the speaker's own contribution: ``will send``, ``ready to deploy``, a number of troops),
   ``event`` (``ceasefire agreed``, ``summit``, ``signed``, ``election``) when no issue is
   hit, else ``stance``.
4. **Modality**: hedged (``considering``, ``could``, ``open to``, ``unlikely``), conditions
   (``only under``, ``after a ceasefire``, ``provided that``, ``if``), and speech: direct
   (a quotation), reported (a speech verb) or none.

The confidence is a transparent score: 0.45, plus 0.15 for a speech verb, 0.1 for a named
speaker (name, official), 0.1 for two cue hits or more; minus 0.15 when hedged; clipped to
0.05..0.95. It is a ranking aid, not a calibrated probability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from peaceops.evidence.gazetteer import Gazetteer, Mention, build_gazetteer, fold
from peaceops.evidence.reader import Document, Sentence
from peaceops.scenario.model import Scenario

__all__ = ["Candidate", "Classifier", "extract_candidates"]

Kind = Literal["stance", "pledge", "red_line", "event"]


@dataclass(frozen=True)
class Candidate:
    """One candidate statement found in a sentence."""

    locator: str
    quote: str
    actor: str
    actor_name: str
    in_scenario: bool
    kind: Kind
    issue: str | None
    direction: int | None  # 0 or 100
    polarity: Literal["positive", "negative"]
    hedged: bool
    conditions: tuple[str, ...]
    speech: Literal["direct", "reported", "none"]
    confidence: float
    quantity: int | None = None
    cues: tuple[str, ...] = field(default=())


def _words(terms: list[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alts + r")(?![\w-])", re.IGNORECASE)


_SPEECH = _words(
    "said says told stated announced warned insisted added declared noted stressed "
    "argued wrote tweeted posted explained replied affirmed reiterated emphasized "
    "emphasised underlined confirmed claimed according to".split()
    + ["according to", "in a statement", "in an interview", "told reporters"]
)
_NEGATORS = _words(
    "not n't no never neither nor cannot rejects rejected reject refuses refused refuse "
    "opposes opposed oppose against unacceptable ruled rules rule excluded excludes "
    "unlikely won't wouldn't doesn't don't didn't isn't aren't dismissed dismisses "
    "denied denies".split()
    + ["legitimate target", "legitimate targets", "lawful target", "out of the question"]
)
_NOT_NEGATING = _words(
    ["not rule out", "not ruling out", "not ruled out", "does not exclude", "not exclude",
     "did not rule out", "not only", "no later than", "no doubt", "not yet decided"]
)  # fmt: skip
_HEDGES = _words(
    ["considering", "consider", "considers", "could", "may", "might", "open to", "unlikely",
     "possibly", "possible", "not rule out", "not ruling out", "weighing", "examining",
     "exploring", "in principle", "reportedly", "would consider", "looking at", "mulling",
     "not excluded", "potentially", "perhaps", "discussing", "is studying", "are studying"]
)  # fmt: skip
_RED = _words(
    ["unacceptable", "legitimate target", "legitimate targets", "lawful target", "red line",
     "red lines", "will never accept", "never accept", "never agree", "under no circumstances",
     "categorically", "not acceptable", "cannot accept", "out of the question",
     "will not tolerate", "would be a threat", "direct threat", "declaration of war",
     "direct involvement", "will not allow"]
)  # fmt: skip
_PLEDGE = re.compile(
    r"(?<![\w-])(?:(?:will|would|shall|ready to|prepared to|willing to|plans? to|intends? to|"
    r"intend to|offered to|offers to|pledged to|committed to|commits to|going to|could|"
    r"may|might|is to|are to|consider(?:ing)?|not to)\s+(?:\w+\s+){0,2}?"
    r"(?:send|sending|deploy|deploying|contribute|contributing|commit|provide|dispatch|"
    r"station|take part|participate|lead|join|put)"
    r"|pledged|offered|contribution of|participation of its|participation of our|"
    r"(?:its|our|their) (?:own )?(?:troops|soldiers|forces|contingent|jets|ships|aircraft)"
    r"|\d[\d,]*\s+(?:troops|soldiers|personnel|service members|servicemen))(?![\w-])",
    re.IGNORECASE,
)
_EVENT = _words(
    ["ceasefire was agreed", "agreed a ceasefire", "agreed to a ceasefire", "ceasefire took effect",
     "ceasefire came into force", "ceasefire holds", "summit", "signed", "election", "elections",
     "adopted", "adopts", "vote", "voted", "decided", "will meet", "met", "held talks",
     "talks in", "meeting", "truce", "moratorium", "agreement was reached", "reached an agreement"]
)  # fmt: skip
_CONDITION = re.compile(
    r"(?<![\w-])(?:only (?:if|under|with|after|when|once|in|as part of)|provided(?: that)?|"
    r"on condition that|as long as|subject to|unless|if|once|after|in the event of|"
    r"under a|under the|with a|backed by|in case of)\s+[^,;.:!?\"”]{3,80}",
    re.IGNORECASE,
)
_PREPOSITIONS = re.compile(
    r"(?:\b(?:in|into|to|from|of|for|with|against|on|at|near|across|towards|toward|over|"
    r"between|and|or|by|about|than|inside|within|on behalf of)\s+)$",
    re.IGNORECASE,
)
_QUOTES = re.compile(r"[\"“”]")
_NUMBER = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d+)\s+(?:troops|soldiers|personnel|service members|servicemen)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _IssueCues:
    issue: str
    low: re.Pattern[str]
    high: re.Pattern[str]


class Classifier:
    """The rules of :mod:`peaceops.evidence.classify` compiled for one scenario."""

    def __init__(self, scenario: Scenario, gazetteer: Gazetteer | None = None) -> None:
        self.scenario = scenario
        self.gazetteer = gazetteer or build_gazetteer(scenario)
        self.issues: list[_IssueCues] = []
        for issue in scenario.issues:
            low = list(issue.cues.low) if issue.cues else []
            high = list(issue.cues.high) if issue.cues else []
            low.append(issue.scale.low)
            high.append(issue.scale.high)
            self.issues.append(_IssueCues(issue.id, _words(low), _words(high)))

    def classify(self, sentence: Sentence) -> Candidate | None:
        """The candidate statement in ``sentence``, or ``None``."""
        text = fold(sentence.text)
        mentions = self.gazetteer.find(text)
        if not mentions:
            return None
        issue, direction_hit, cue_spans, cue_terms = self._issue(text)
        speaker = self._speaker(text, mentions, cue_spans)
        if speaker is None:
            return None
        negations = self._negations(text, cue_spans)
        hedged = bool(_HEDGES.search(text))
        red = bool(_RED.search(text))
        kind: Kind
        if issue is not None and red:
            kind = "red_line"
        elif issue is not None and _PLEDGE.search(text):
            kind = "pledge"
        elif issue is None and _EVENT.search(text):
            kind = "event"
        elif issue is not None:
            kind = "stance"
        else:
            return None
        polarity: Literal["positive", "negative"] = "negative" if negations % 2 else "positive"
        direction = None
        if direction_hit is not None:
            direction = direction_hit if polarity == "positive" else 100 - direction_hit
        speech: Literal["direct", "reported", "none"] = (
            "direct"
            if _QUOTES.search(text)
            else ("reported" if _SPEECH.search(text) else "none")
        )
        conditions = tuple(
            m.group(0).strip() for m in _CONDITION.finditer(text) if not _is_time(m.group(0))
        )
        score = 0.45 + (0.15 if speech != "none" else 0.0)
        score += 0.1 if speaker.how in ("official", "name", "alias") else 0.0
        score += 0.1 if len(cue_terms) >= 2 else 0.0
        score -= 0.15 if hedged else 0.0
        qty = _NUMBER.search(text)
        return Candidate(
            locator=sentence.locator,
            quote=sentence.text,
            actor=speaker.code,
            actor_name=speaker.name,
            in_scenario=speaker.in_scenario,
            kind=kind,
            issue=issue,
            direction=direction,
            polarity=polarity,
            hedged=hedged,
            conditions=conditions,
            speech=speech,
            confidence=round(min(0.95, max(0.05, score)), 2),
            quantity=int(qty.group(1).replace(",", "")) if qty else None,
            cues=tuple(cue_terms),
        )

    def _issue(
        self, text: str
    ) -> tuple[str | None, int | None, list[tuple[int, int]], list[str]]:
        best: tuple[int, int, str, int, list[tuple[int, int]], list[str]] | None = None
        for ic in self.issues:
            lows = list(ic.low.finditer(text))
            highs = list(ic.high.finditer(text))
            n = len(lows) + len(highs)
            if not n:
                continue
            side = 0 if len(lows) > len(highs) else 100
            spans = [m.span() for m in lows + highs]
            terms = [m.group(0) for m in lows + highs]
            key = (n, -min(a for a, _ in spans))  # most hits, then the earliest
            if best is None or key > (best[0], best[1]):
                best = (n, key[1], ic.issue, side, spans, terms)
        if best is None:
            return None, None, [], []
        return best[2], best[3], best[4], best[5]

    @staticmethod
    def _speaker(
        text: str, mentions: list[Mention], cue_spans: list[tuple[int, int]]
    ) -> Mention | None:
        def inside_cue(m: Mention) -> bool:
            return any(a <= m.start < b or a < m.end <= b for a, b in cue_spans)

        subjects = [
            m
            for m in mentions
            if not inside_cue(m) and not _PREPOSITIONS.search(text[max(0, m.start - 20) : m.start])
        ]
        if not subjects:
            return None
        verb = _SPEECH.search(text)
        if verb is not None:
            before = [m for m in subjects if m.end <= verb.start()]
            after = [m for m in subjects if m.start >= verb.end()]
            tail = verb.group(0).lower() == "according to"
            if tail and after:
                return after[0]
            if before and not _QUOTES.search(text[before[-1].end : verb.start()]):
                return before[-1]
            if after and verb.start() > len(text) // 2:
                return after[0]
            if before:
                return before[0]
        return subjects[0]

    @staticmethod
    def _negations(text: str, cue_spans: list[tuple[int, int]]) -> int:
        masked = list(text)
        for m in _NOT_NEGATING.finditer(text):
            for i in range(*m.span()):
                masked[i] = " "
        for a, b in cue_spans:
            for i in range(a, b):
                masked[i] = " "
        clean = "".join(masked)
        n = len(_NEGATORS.findall(clean))
        for a, _ in cue_spans:
            if re.search(r"\bwithout\s+(?:\w+\s+){0,2}$", clean[max(0, a - 30) : a], re.I):
                n += 1
        return n


def _is_time(text: str) -> bool:
    return bool(re.match(r"(?i)after (?:the |a )?(?:meeting|talks|call|summit)\b", text))


def extract_candidates(scenario: Scenario, document: Document) -> tuple[Candidate, ...]:
    """Candidate statements of ``document`` read against ``scenario``.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> from peaceops.evidence.reader import parse_text
    >>> s = load_scenario("ukraine-2025-04")
    >>> doc = parse_text("Tusk said Poland does not intend to send soldiers.", kind="text")
    >>> c = extract_candidates(s, doc)[0]
    >>> c.actor, c.kind, c.issue, c.direction, c.polarity
    ('POL', 'pledge', 'ground_presence', 0, 'negative')
    """
    clf = Classifier(scenario)
    return tuple(c for s in document.sentences if (c := clf.classify(s)) is not None)
