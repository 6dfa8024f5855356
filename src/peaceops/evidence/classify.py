"""Candidate statements in an article: actor, kind, issue, direction, modality, conditions.

One rule pass per sentence (no model):

1. **Actor**: mentions from the :class:`~peaceops.evidence.gazetteer.Gazetteer`; mentions
   after a preposition (``in Ukraine``, ``to Moscow``) or inside a cue are objects, not
   speakers. The speaker is the mention next to a speech verb (``said``, ``told``,
   ``according to``), else the first remaining mention.
2. **Issue and direction**: each issue's ``cues`` (terms towards 0 and towards 100) and its
   scale texts; the issue with the most cue hits wins (between competing issues, plus the
   sentence's word scores from each issue's anchor texts, :mod:`peaceops.evidence.anchors`),
   the side with more hits gives the direction, and an odd number of negators outside the
   cue (``not``, ``never``, ``rejects``, ``unacceptable``, ``without`` just before it) in
   the cue's clause flips it; when the chosen issue's cues name both ends, each cue is
   flipped only by a negator or a contrast (``rather than``) just before it. The clauses
   follow English structure: a negated rejection (``not rule out``, ``no objection``) says
   yes; a negation in another clause (after ``but``, ``, and``, ``and would``, inside a
   relative clause ``, who ...,`` or in a rejected alternative ``, not B`` just after the
   cue) does not reach the cue; a cue in the rejected member of ``A rather than B`` points
   the other way, and so does one beside a negated requirement (``welcome but not
   necessary``); ``away from`` and ``far from`` negate a cue as ``without`` does. A
   restricted number of troops (``only 200 soldiers``) is the low end of
   the contribution issue. A verb of contributing followed by the
   force (``participate in the mission``, ``take part in`` the operation's name) is a cue of
   the scenario's contribution issue (the issue read from the personnel deployed), weighing
   like a bare word.
3. **Kind**: ``red_line`` (``unacceptable``, ``legitimate target``, ``red line``), ``pledge``
   (the speaker's own contribution of forces: ``will send``, ``ready to deploy`` with a
   force noun such as ``troops`` or a verb of taking part, a number of troops),
   ``event`` (``truce agreed``, ``summit``, ``signed``, ``election``) when no issue is
   hit, else ``stance``.
4. **Modality**: hedged (``considering``, ``could``, ``open to``, ``unlikely``), conditions
   (``only under``, ``after a truce``, ``provided that``, ``if``), and speech: direct
   (a quotation), reported (a speech verb) or none.

The confidence is a transparent score: 0.45, plus 0.15 for a speech verb, 0.1 for a named
speaker (name, official), 0.1 for two cue hits or more; minus 0.15 when hedged, minus 0.1
when another issue's anchor texts share more of the sentence's words; clipped to
0.05..0.95 (docs/evidence.md lists every term). It is a ranking aid, not a calibrated
probability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal

from peaceops.errors import Problem, ScenarioError
from peaceops.evidence._trie import trie_pattern
from peaceops.evidence.anchors import build_anchor_model
from peaceops.evidence.gazetteer import Gazetteer, Mention, build_gazetteer, fold
from peaceops.evidence.reader import Document, Sentence
from peaceops.scenario.model import Scenario

__all__ = ["LEARNED", "Candidate", "Classifier", "extract_candidates", "sentence_candidates"]

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


def _alternatives(terms: list[str]) -> str:
    """A trie-factored alternation of ``terms`` (lower case, spaces collapsed)."""
    return trie_pattern({" ".join(t.lower().split()) for t in terms})


def _words(terms: list[str], *, ignore_case: bool = True) -> re.Pattern[str]:
    """Whole-word match of any of ``terms`` (a trie-factored pattern), case-insensitive
    unless ``ignore_case`` is false (then the terms match in lower case only)."""
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(r"(?<![\w-])(?:" + _alternatives(terms) + r")(?![\w-])", flags)


_SPEECH_TERMS = [
    "said", "says", "told", "stated", "announced", "warned", "insisted", "added", "declared",
    "noted", "stressed", "argued", "wrote", "tweeted", "posted", "explained", "replied",
    "affirmed", "reiterated", "emphasized", "emphasised", "underlined", "confirmed", "claimed",
    "according to", "in a statement", "in an interview", "told reporters",
]  # fmt: skip
_SPEECH = _words([*_SPEECH_TERMS, "according", "to"])
"""Reported speech for the description rule and the confidence: the bare ``to`` and
``according`` count too, as they always have (requiring a real speech verb there lost
correct candidates on the real texts; docs/evidence.md, session 5)."""
_SPEECH_VERB = _words(_SPEECH_TERMS)
"""The speech verb next to which the speaker stands (``Starmer said``): a bare ``to`` is
no speech verb (``Italy told Lebanon``, ``to send troops to Lebanon``)."""
# Syntactic negators count each; evaluative rejections (`rejects`, `premature`, `too slow and
# too weak`) count once however many there are.
_NEGATOR_TERMS = (
    ["not", "n't", "no", "never", "neither", "nor", "cannot", "won't", "wouldn't", "doesn't",
     "don't", "didn't", "isn't", "aren't", "nobody"]
)  # fmt: skip
_REJECTION_TERMS = (
    ["rejects", "rejected", "reject", "refuses", "refused", "refuse", "opposes", "opposed",
     "oppose", "against", "unacceptable", "ruled out", "rules out", "rule out", "excluded",
     "excludes",
     "unlikely", "dismissed", "dismisses", "denied", "denies", "legitimate target",
     "legitimate targets", "lawful target", "out of the question", "escalate", "escalation",
     "too early", "premature", "inappropriate", "least effective", "provocation", "provocative",
     "threat", "war with", "party to the war", "posture", "skeptical", "sceptical", "mistake",
     "veto", "block", "step toward war", "preparing for war", "too weak", "too slow",
     "lack credibility", "dangerous", "hostile", "hostile act", "ineffective",
     "counterproductive", "bluff", "reckless", "irresponsible", "illegitimate",
     "direct involvement", "declaration of war", "be treated as", "be regarded as",
     "be targets", "be a target", "be targeted"]
)  # fmt: skip
_NEGATION = re.compile(
    r"(?<![\w-])(?:(" + _alternatives(_NEGATOR_TERMS) + r")|(" + _alternatives(_REJECTION_TERMS)
    + r"))(?![\w-])",
    re.IGNORECASE,
)  # fmt: skip
_REJECTION = _words(_REJECTION_TERMS)
_NO_STATEMENT = _words(
    ["declined to say", "declined to comment", "would not comment", "will not comment",
     "refused to say", "would not say", "no comment", "no decision", "not decided",
     "undecided", "not yet decided", "has yet to decide", "have yet to decide"],
    ignore_case=False,
)  # fmt: skip
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
     "direct involvement", "will not allow", "veto", "block", "party to the war",
     "war with", "hostile act", "act of aggression", "be treated as", "be regarded as",
     "be targets", "be a target", "be targeted"]
)  # fmt: skip
# A sentence takes a position when someone speaks (a speech verb), wants, plans, judges or
# obliges (a modal, volitional or evaluative word), or speaks for itself (first person).
# Without any of these it describes: background (`Germany has provided the largest
# contingent`), a report of what happened (`troops are deploying`): no issue is read from it.
_STANCE_MARKER = _words(
    ["will", "would", "shall", "should", "must", "could", "can", "may", "might", "cannot",
     "won't", "wouldn't", "can't", "need", "needs", "needed", "ready", "willing", "prepared",
     "want", "wants", "wanted", "intend", "intends", "plan", "plans", "going to", "hope",
     "hopes", "expect", "expects", "expected", "support", "supports", "supported", "welcome",
     "welcomes", "welcomed", "oppose", "opposes", "call for", "calls for", "called for",
     "urge", "urges", "urged", "demand", "demands", "demanded", "insist", "insists", "favour",
     "favours", "favor", "favors", "propose", "proposes", "proposed", "offer", "offers",
     "offered", "pledge", "pledges", "pledged", "commit", "commits", "committed", "agree",
     "agrees", "agreed", "accept", "accepts", "refuse", "refuses", "reject", "rejects",
     "rejected", "consider", "considers", "considering", "open to", "believe", "believes",
     "think", "thinks", "fine", "great", "important", "essential", "crucial", "vital",
     "necessary", "only", "we", "our", "i", "my", "me", "ours"]
)  # fmt: skip

_PLEDGE = re.compile(
    r"(?<![\w-])(?:(?:will|would|shall|ready to|prepared to|willing to|plans? to|intends? to|"
    r"intend to|offered to|offers to|pledged to|committed to|commits to|going to|could|"
    r"may|might|is to|are to|consider(?:ing)?|not to|open to|ready to consider|no plans to|"
    r"is not|are not)\s+(?:\w+\s+){0,2}?"
    r"(?:send|sending|deploy|deploying|contribute|contributing|commit|committing|provide|"
    r"dispatch|station|take part|taking part|participate|participating|lead|join|joining|put)"
    r"|(?:is|are|was|were)\s+(?:now\s+|already\s+)?(?:sending|deploying|contributing|"
    r"participating|taking part|joining|dispatching|stationing|leading)"
    r"|(?:decided|continue|continues) to\s+(?:send|deploy|contribute|participate|take part|"
    r"join|provide|dispatch|station|lead)"
    r"|pledged|offered|contribution of|participation of its|participation of our|"
    r"(?:its|our|their) (?:own )?(?:troops|soldiers|forces|contingent|jets|ships|aircraft)"
    r"|\d[\d,]*\s+(?:troops|soldiers|personnel|service members|servicemen))(?![\w-])",
    re.IGNORECASE,
)


def _phrases(name: str) -> list[str]:
    """The non-comment lines of the packaged word list ``data/NAME``."""
    from importlib import resources

    text = (resources.files("peaceops.evidence") / "data" / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


_EVENT = _words(_phrases("event_phrases.txt"))
_FORCE = re.compile(
    r"(?<![\w-])(?:troops|soldiers?|forces|contingent|jets|ships|aircraft|personnel|boots|"
    r"units|battalions?|brigades?|peacekeepers|contribut\w*|take part|taking part|"
    r"participat\w*|join\w*)(?![\w-])",
    re.IGNORECASE,
)
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
_ANAPHOR = re.compile(
    r"^(?:He|She|They|The (?:prime minister|president|chancellor|minister|foreign minister|"
    r"defen[cs]e minister|defen[cs]e secretary|spokes(?:man|woman|person)|ambassador|envoy|"
    r"official|leader|ministry))\s+(?:\w+\s+){0,2}?(?:said|says|told|added|stated|warned|"
    r"insisted|stressed|noted|underscored|underlined|emphasi[sz]ed|affirmed|reaffirmed|"
    r"reiterated|expressed|argued|explained|confirmed)\b"
)
_CONTRAST = re.compile(r"(?<![\w-])(?:rather than|instead of|without)(?![\w-])", re.IGNORECASE)
_SCOPE_CHARS = 40
_CLAUSE = re.compile(r"\b(?:but|whereas|while)\b|;")
_NEGATOR_WORD = r"(?:not|n't|no|never|cannot|won't|wouldn't|doesn't|don't|didn't|isn't|aren't)"
_LITOTES = re.compile(
    r"(?<![\w-])" + _NEGATOR_WORD + r"\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:rul(?:e|es|ed|ing) (?:\w+ )?out|exclud\w*|object|objects|objected|objections?|"
    r"oppos\w*|reject\w*|withdraw\w*|den(?:y|ies|ied)|hesitat\w*|doubt\w*)(?![\w-])",
    re.IGNORECASE,
)
"""Double negation (litotes): a negator before a word that itself rejects (``would not
rule out``, ``no objection``, ``does not oppose``, ``will not withdraw``) says yes; the
pair negates nothing."""
_REJECTED_MEMBER = re.compile(
    r"(?<![\w-])(?:rather than|instead of)\s+[^,;:.!?\"“”()]*", re.IGNORECASE
)
"""The rejected member of a contrast (``A rather than B``, ``instead of B``): a cue in it
points the other way; it runs to the next punctuation."""
_NEGATED_REQUIREMENT = re.compile(
    r"(?<![\w-])" + _NEGATOR_WORD + r"\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:precondition|prerequisite|pre-condition|necessary|needed|required|requirement|"
    r"condition|indispensable|essential|a must)(?![\w-])",
    re.IGNORECASE,
)
"""A concession (``desirable but not a precondition``, ``welcome but not necessary``): the
thing is wanted but not required, so the speaker is against requiring it, even when the
negated requirement stands in a clause of its own after ``but``."""
_NEGATION_CLAUSE = re.compile(
    r"\b(?:but|whereas|while)\b|;|,\s+and\b|,\s+not\b|,\s+(?:who|which)\b"
    r"|\band\s+(?=(?:would|will|should|could|can|must|did|does|do|has|have|had|is|are|"
    r"was|were|may|might|shall)\b)"
)
"""Where a negation's clause ends: the clauses of ``_CLAUSE``, a new clause after ``, and``
or after ``and`` before an auxiliary (``did not take part and would not``), a rejected
alternative after ``, not`` (``under UN command, not under NATO``) and a relative clause
(``, who did not attend,``)."""
_FEW = re.compile(
    r"(?<![\w-])(?:only|just|merely|a mere|no more than|at most)\s+(?:about\s+|some\s+)?"
    r"\d[\d,]*\s+(?:\w+\s+)?(?:troops|soldiers|personnel|engineers|peacekeepers|ships|"
    r"frigates|vessels)(?![\w-])",
    re.IGNORECASE,
)
_WITHOUT = re.compile(r"\b(?:without|away from|far from)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
"""``without``, ``away from`` or ``far from`` up to three words before a cue: it is negated."""
_ALTERNATIVE_CHARS = 12
_RELATIVE = re.compile(r",\s+(?:who|which)\b[^,;]*,")
_VICTIM = re.compile(
    r"(?<![\w-])(?:killed|killing|kill|wounded|casualties|dead|died|kidnapp\w*|hostages?|"
    r"targeting|targeted|attacks? (?:on|against)|launched on|sacrifice)(?![\w-])"
)  # lower case: these words do not open a sentence that states a position
_TAIL_ANAPHOR = re.compile(
    r"[,”\"]\s*(?:he|she|they|the (?:prime minister|president|chancellor|minister|"
    r"foreign minister|defen[cs]e minister|defen[cs]e secretary|spokes(?:man|woman|person)|"
    r"ambassador|envoy|official|leader|ministry))\s+(?:\w+\s+)?(?:said|says|told|added|"
    r"stated|warned|insisted|stressed|noted)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d+)\s+(?:troops|soldiers|personnel|service members|servicemen)",
    re.IGNORECASE,
)


MIN_CONFIDENCE = 0.35
"""Candidates below this confidence are not proposed: on the five seen annotated splits
together it raises actor + issue + direction precision from 0.80 to 0.83 at recall 0.77 to
0.76 (blind: 0.53 to 0.62 at recall 0.43 to 0.39); higher thresholds cost more recall
(docs/evidence.md)."""
LEARNED = True
"""Whether :func:`extract_candidates` uses the learned layer by default (where weights are
shipped): chosen by leave-one-split-out cross-validation (docs/evidence.md)."""
_FIRST_PERSON = re.compile(r"(?<![\w-])(?:[Ww]e|[Oo]urs?|us|I|[Mm]y|me)(?![\w-])")  # not `US`
_COMPETING = 0.1
_LONG = 0.2
_LONG_WORDS = 20
_UNVOICED = 0.2
_ANCHOR_WEIGHT = 2.0
"""Between issues whose cues a sentence names, each issue's anchor score (the sum of
P(issue | word) over the sentence's words, :mod:`peaceops.evidence.anchors`) adds this much
to its cue weight: a word only that issue's texts use weighs as much as two cue phrases.
Chosen on the seen splits among 0.25, 0.5, 1, 2, 4 and 100 (docs/evidence.md)."""
_OFF_ANCHOR = 0.1
"""Confidence lost when the sentence's words score higher for another issue than for the
chosen one (anchor word scores): chosen on the seen splits among 0.05, 0.1, 0.15 and 0.2 as
the largest that loses no recall on any of them (docs/evidence.md)."""


class Classifier:
    """The rules of :mod:`peaceops.evidence.classify` compiled for one scenario."""

    def __init__(self, scenario: Scenario, gazetteer: Gazetteer | None = None) -> None:
        self.scenario = scenario
        self.gazetteer = gazetteer or build_gazetteer(scenario)
        # one pass over all cues: term (lower case) -> (issue, side); the first issue that
        # declares a term keeps it
        self.cues: dict[str, tuple[str, int]] = {}
        for issue in scenario.issues:
            low = [*(issue.cues.low if issue.cues else ()), *_scale_cue(issue.scale.low)]
            high = [*(issue.cues.high if issue.cues else ()), *_scale_cue(issue.scale.high)]
            for side, terms in ((0, low), (100, high)):
                for t in terms:
                    self.cues.setdefault(" ".join(t.lower().split()), (issue.id, side))
        self.cue_pattern = _words(list(self.cues))
        self.contribution_issue, self.contribution_pattern = _contribution(scenario)
        self.anchors = build_anchor_model(scenario)
        self._anchor_memo: tuple[str, dict[str, float]] = ("", {})

    def classify(
        self,
        sentence: Sentence,
        previous: Mention | None = None,
        *,
        default: Mention | None = None,
    ) -> Candidate | None:
        """The candidate statement in ``sentence``, or ``None``.

        ``previous`` is the speaker of the sentence before: a sentence that opens with a
        pronoun or a bare role (``He said``, ``The prime minister said``) is theirs.
        ``default`` is who speaks when the sentence reports nobody else speaking: the
        document's author, or the speaker of a transcript's current turn.
        """
        text = fold(sentence.text)
        mentions = self.gazetteer.find(text)
        if not mentions and previous is None and default is None:
            return None
        issue, direction_hit, cue_spans, cue_terms, chosen = self._issue(text)
        event = issue is None and bool(_EVENT.search(text))
        if issue is None and not event:
            return None
        if "?" in text or _NO_STATEMENT.search(text):
            return None  # a question, or a refusal to say, states nothing
        if issue is not None and _weight_of(cue_terms) < 1 and not _firm(text):
            issue = direction_hit = None  # one bare word (`soldiers`) is no statement alone
            cue_spans, cue_terms = [], []
            event = bool(_EVENT.search(text))
            if not event:
                return None
        if (
            issue is not None
            and not _SPEECH.search(text)
            and not _STANCE_MARKER.search(text)
            and not _RED.search(text)
            and not _REJECTION.search(text)
        ):
            issue = direction_hit = None  # a description, not a position
            cue_spans, cue_terms = [], []
            event = bool(_EVENT.search(text))
            if not event:
                return None
        speaker = self._who(text, mentions, cue_spans, previous, default)
        if speaker is None and mentions and event:
            speaker = mentions[0]  # "The leaders met in Tallinn": the place stands in
        if speaker is None:
            return None
        negations = self._negations(text, cue_spans, chosen)
        hedged = bool(_HEDGES.search(text))
        kind: Kind
        if issue is not None:
            kind = _kind_of(text)
        elif event:
            kind = "event"
        else:
            return None
        polarity: Literal["positive", "negative"] = "negative" if negations % 2 else "positive"
        direction = None
        if direction_hit is not None:
            direction = direction_hit if polarity == "positive" else 100 - direction_hit
            scoped = self._scoped_direction(text, cue_spans, chosen)
            direction = direction if scoped is None else scoped
            if issue == self.contribution_issue and _FEW.search(text):
                direction = 0  # `only 200 soldiers`: the low end of the force's size
        speech: Literal["direct", "reported", "none"] = (
            "direct" if _QUOTES.search(text) else ("reported" if _SPEECH.search(text) else "none")
        )
        conditions = tuple(
            m.group(0).strip() for m in _CONDITION.finditer(text) if not _is_time(m.group(0))
        )
        # how sure the speaker, the issue and the scope are
        issues = {self._cue(t)[0] for t in cue_terms}
        score = 0.45 + (0.15 if speech != "none" else 0.0)
        score += 0.1 if speaker.how in ("official", "name", "alias") else 0.0
        score += 0.1 if len(cue_terms) >= 2 and len(issues) == 1 else 0.0  # cues agree
        score -= _COMPETING * max(0, len(issues) - 1)  # other issues named: the choice is unsure
        score -= _LONG if len(text.split()) > _LONG_WORDS else 0.0  # scope unsure
        if speaker is default and not _FIRST_PERSON.search(text):
            score -= _UNVOICED  # the document's voice, neither named nor `we`: speaker unsure
        score -= 0.15 if hedged else 0.0
        if issue is not None and not self._about(issue, text):
            score -= _OFF_ANCHOR  # the words are about another issue: the choice is unsure
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

    def _who(
        self,
        text: str,
        mentions: list[Mention],
        cue_spans: list[tuple[int, int]],
        previous: Mention | None,
        default: Mention | None,
    ) -> Mention | None:
        """The speaker of ``text`` (folded): a named subject, ``previous`` for an opening
        or closing anaphor, else ``default`` unless another actor is reported speaking."""
        speaker = self._speaker(text, mentions, cue_spans)
        opening = _ANAPHOR.match(text)
        if previous is not None and opening and (speaker is None or speaker.start > opening.end()):
            speaker = previous
        elif previous is not None and speaker is None and _TAIL_ANAPHOR.search(text):
            speaker = previous  # "..., he told reporters"
        elif default is not None and not _reports_another(text, speaker, default):
            speaker = default
        return speaker

    def bare(
        self,
        sentence: Sentence,
        previous: Mention | None = None,
        *,
        default: Mention | None = None,
    ) -> Candidate | None:
        """A sentence the rules propose nothing for, as a candidate with its speaker and
        no issue (confidence 0), for the learned layer (:mod:`peaceops.evidence.learned`)
        to label; ``None`` when nobody speaks in it."""
        text = fold(sentence.text)
        mentions = self.gazetteer.find(text)
        if not mentions and previous is None and default is None:
            return None
        speaker = self._who(text, mentions, [], previous, default)
        if speaker is None:
            return None
        speech: Literal["direct", "reported", "none"] = (
            "direct" if _QUOTES.search(text) else ("reported" if _SPEECH.search(text) else "none")
        )
        negated = any(m.group(1) for m in _NEGATION.finditer(_masked(text, [])))
        return Candidate(
            locator=sentence.locator,
            quote=sentence.text,
            actor=speaker.code,
            actor_name=speaker.name,
            in_scenario=speaker.in_scenario,
            kind="stance",
            issue=None,
            direction=None,
            polarity="negative" if negated else "positive",
            hedged=bool(_HEDGES.search(text)),
            conditions=(),
            speech=speech,
            confidence=0.0,
        )

    def _cue(self, term: str) -> tuple[str, int]:
        """The issue and side of a matched cue term; a contribution to the force (not a
        cue of the scenario) is the contribution issue's ``100`` side."""
        found = self.cues.get(" ".join(term.lower().split()))
        if found is None and self.contribution_issue is not None:
            return self.contribution_issue, 100
        assert found is not None
        return found

    def _anchor_scores(self, text: str) -> dict[str, float]:
        """The anchor word scores of ``text`` (the last sentence's are kept: the issue
        choice and the confidence ask for the same sentence)."""
        if self._anchor_memo[0] != text:
            self._anchor_memo = (text, self.anchors.issue_scores(text))
        return self._anchor_memo[1]

    def _about(self, issue: str, text: str) -> bool:
        """Whether no other issue's anchor texts share more of the sentence's words than
        ``issue``'s do (:mod:`peaceops.evidence.anchors`)."""
        scores = self._anchor_scores(text)
        mine = scores.get(issue, 0.0)
        return all(v <= mine for v in scores.values())

    def speaker_of(self, sentence: Sentence) -> Mention | None:
        """The named speaker of a sentence that reports someone speaking (``Starmer said
        ...``), else ``None``: it carries to a following ``He said`` or ``The prime minister
        said`` when the sentence itself proposes nothing."""
        text = fold(sentence.text)
        if not _REPORTING_ANY.search(text):
            return None
        mentions = self.gazetteer.find(text)
        return self._speaker(text, mentions, []) if mentions else None

    def _issue(
        self, text: str
    ) -> tuple[str | None, int | None, list[tuple[int, int]], list[str], list[tuple[int, int]]]:
        found_all = list(self.cue_pattern.finditer(text))
        if self.contribution_pattern is not None:  # an actor contributing to the force
            found_all = _with_contributions(found_all, self.contribution_pattern, text)
        if not found_all:
            return None, None, [], [], []
        hits: dict[str, list[tuple[int, re.Match[str]]]] = {}
        # forces that are killed, held or attacked are victims, not a position: no bare word
        # counts in such a sentence, nor any cue just after the victim word
        victims = [m.end() for m in _VICTIM.finditer(text)]
        for m in found_all:
            if victims and (
                " " not in m.group(0).strip() or any(0 <= m.start() - v < 60 for v in victims)
            ):
                continue
            issue, side = self._cue(m.group(0))
            hits.setdefault(issue, []).append((side, m))
        if not hits:
            return None, None, [], [], []
        spans = [m.span() for found in hits.values() for _, m in found]
        terms = [m.group(0) for found in hits.values() for _, m in found]

        # a cue inside a condition (`send troops only after a truce`) is not the point of the
        # sentence: it weighs half
        mixed = len(hits) > 1 or len({side for found in hits.values() for side, _ in found}) > 1
        conditions = [m.span() for m in _CONDITION.finditer(text)] if mixed else []

        def weight(found: list[re.Match[str]]) -> float:
            if not conditions:
                return _weight(found)
            return sum(
                _weight([m]) * (0.5 if any(a <= m.start() < b for a, b in conditions) else 1.0)
                for m in found
            )

        # between competing issues, the words of the whole sentence that each issue's anchor
        # texts use (a generic `troops` counts a share for every issue that uses it) add to
        # the cue weight: the issue the sentence is about, not the one a topic word names
        anchor = self._anchor_scores(text) if len(hits) > 1 else {}

        def key(issue: str) -> tuple[float, int]:  # most weight, then the latest hit
            found = hits[issue]
            w = weight([m for _, m in found]) + _ANCHOR_WEIGHT * anchor.get(issue, 0.0)
            return (w, max(m.start() for _, m in found))

        issue = max(hits, key=key)
        w_low = weight([m for side, m in hits[issue] if side == 0])
        w_high = weight([m for side, m in hits[issue] if side == 100])
        chosen = [m.span() for _, m in hits[issue]]
        return issue, (0 if w_low > w_high else 100), spans, terms, chosen

    @staticmethod
    def _speaker(
        text: str, mentions: list[Mention], cue_spans: list[tuple[int, int]]
    ) -> Mention | None:
        def inside_cue(m: Mention) -> bool:
            return any(a <= m.start < b or a < m.end <= b for a, b in cue_spans)

        def quoted(m: Mention) -> bool:  # inside a quotation: spoken of, not speaking
            return len(_QUOTES.findall(text, 0, m.start)) % 2 == 1

        subjects = [
            m
            for m in mentions
            if not inside_cue(m)
            and not quoted(m)
            and (
                not _PREPOSITIONS.search(text[max(0, m.start - 20) : m.start])
                or re.search(r"(?i)according to\s+$", text[max(0, m.start - 20) : m.start])
            )
        ]
        if not subjects:
            return None
        verb = _SPEECH_VERB.search(text)
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

    def _scoped_direction(
        self, text: str, cue_spans: list[tuple[int, int]], chosen: list[tuple[int, int]]
    ) -> int | None:
        """The direction when the chosen issue's cues name both ends (``a protection
        mission, not a combat mission``): each cue is flipped by a negator, a rejection or
        a contrast (``rather than``, ``instead of``) in the few words before it, in its
        clause and after the cue before it, and the end with more weight wins; ``None``
        when the cues name one end only or the ends weigh the same (then the sentence's
        negations flip the direction as a whole)."""
        sides = [(a, b, *self._cue(text[a:b])[1:]) for a, b in sorted(chosen)]
        if len({side for _, _, side in sides}) < 2:
            return None
        clean = _masked(text, cue_spans)
        cuts = [0, *(m.start() for m in _CLAUSE.finditer(clean))]
        weight = {0: 0.0, 100: 0.0}
        end = 0
        for a, b, side in sides:
            start = max(end, a - _SCOPE_CHARS, max(c for c in cuts if c <= a))
            before = clean[start:a]
            found = [bool(m.group(1)) for m in _NEGATION.finditer(before)]
            flips = sum(found) + any(not f for f in found) + len(_CONTRAST.findall(before))
            one = 0.5 if " " not in text[a:b].strip() or self._derived(text[a:b]) else 1.0
            weight[100 - side if flips % 2 else side] += one
            end = b
        if weight[0] == weight[100]:
            return None
        return 0 if weight[0] > weight[100] else 100

    def _derived(self, term: str) -> bool:
        """Whether a matched term is read from the sentence's form, not a cue."""
        return " ".join(term.lower().split()) not in self.cues

    @staticmethod
    def _negations(
        text: str, cue_spans: list[tuple[int, int]], chosen: list[tuple[int, int]]
    ) -> int:
        """Negators in the clauses that hold the chosen issue's cues: a clause after `but`,
        `;`, `, and`, `, not` or a relative clause (`, who did not attend,`) negates only
        itself (`unarmed observers but not armed peacekeepers`); a negated rejection (`not
        rule out`, `no objection`) negates nothing; a cue in the rejected member of a
        contrast (`rather than`, `instead of`) and a negated requirement anywhere
        (`desirable but not a precondition`) count once more."""
        clean = _masked(text, cue_spans)
        found = [(m.start(), bool(m.group(1))) for m in _NEGATION.finditer(clean)]
        cuts = [0, len(clean)]
        for m in _NEGATION_CLAUSE.finditer(clean):
            # `, not` rejects an alternative to the phrase just before it (`under UN
            # command, not NATO`): a clause of its own only after a cue's last word
            if (
                m.group(0)[0] != ","
                or not m.group(0).endswith("not")
                or any(0 <= m.start() - b <= _ALTERNATIVE_CHARS for _, b in chosen)
            ):
                cuts.append(m.start())
        for m in _RELATIVE.finditer(clean):
            cuts += [m.start(), m.end()]
        cuts = sorted(set(cuts))
        keep = [(a, b) for a, b in pairwise(cuts) if any(a <= c < b for c, _ in chosen)]
        if found and chosen and len(cuts) > 2:
            found = [f for f in found if any(a <= f[0] < b for a, b in keep)]
        n = sum(1 for _, syntactic in found if syntactic)
        n += any(not syntactic for _, syntactic in found)
        for a, _ in chosen:
            if _WITHOUT.search(clean, max(0, a - 30), a):
                n += 1
        rejected = [m.span() for m in _REJECTED_MEMBER.finditer(text)]
        inside = [any(a <= c < b for a, b in rejected) for c, _ in chosen]
        if chosen and sum(inside) * 2 > len(inside):
            n += 1
        if chosen and any(
            not any(a <= m.start() < b for a, b in keep)
            for m in _NEGATED_REQUIREMENT.finditer(text)
        ):
            n += 1
        return n


def _kind_of(text: str) -> Kind:
    """The kind of a statement that names an issue: a red line, a pledge of the speaker's
    own forces, else a stance."""
    if _RED.search(text):
        return "red_line"
    if _FORCE.search(text) and _PLEDGE.search(text):
        return "pledge"
    return "stance"


def _masked(text: str, cue_spans: list[tuple[int, int]]) -> str:
    """``text`` with the cues and the negated rejections (litotes: `not rule out`, `no
    objection`) blanked, so that no negator is counted in them."""
    spans = [m.span() for m in _NOT_NEGATING.finditer(text)]
    spans += [m.span() for m in _LITOTES.finditer(text)]
    for a, b in spans + cue_spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


_CONTRIBUTING = (
    r"contribut\w*|participat\w*|send|sends|sending|sent|deploy\w*|dispatch\w*|join|joins|"
    r"joined|joining|take part|takes part|taking part|took part|reinforc\w*"
)
_OPERATION_NAME = re.compile(r"(?:(?<=[Oo]peration )[A-Z][a-z]{3,}|\b[A-Z]{4,}\b)")


def _contribution(scenario: Scenario) -> tuple[str | None, re.Pattern[str] | None]:
    """The scenario's contribution issue (its first issue read from the personnel a design
    deploys) and the pattern of a contribution to its force: a verb of contributing
    (``contribute``, ``participate``, ``send``, ``join``) followed, within eight words and
    no punctuation, by ``force``, ``operation``, ``mission`` or a name of the operation
    (an upper-case word or the word after ``Operation`` in the scenario's or a mission
    concept's name: ``UNIFIL``, ``Aspides``)."""
    issue = next(
        (i.id for i in scenario.issues if i.design is not None and i.design.kind == "personnel"),
        None,
    )
    if issue is None:
        return None, None
    names = sorted(
        {
            n.lower()
            for text in (scenario.name, *(m.name for m in scenario.missions))
            for n in _OPERATION_NAME.findall(text)
        }
    )
    target = "|".join(["force", "operation", "mission", *map(re.escape, names)])
    pattern = re.compile(
        r"(?<![\w-])(?P<contribution>(?:" + _CONTRIBUTING + r")(?:[^\w.,;:!?()\"“”]+[\w'’-]+)"
        r"{0,8}?[^\w.,;:!?()\"“”]+(?:" + target + r"))(?![\w-])",
        re.IGNORECASE,
    )
    return issue, pattern


def _with_contributions(
    found: list[re.Match[str]], pattern: re.Pattern[str], text: str
) -> list[re.Match[str]]:
    """The cue matches ``found`` and the contributions to the force in ``text`` that
    overlap none of them, in order."""
    extra = [
        m
        for m in pattern.finditer(text)
        if not any(m.start() < c.end() and c.start() < m.end() for c in found)
    ]
    return sorted([*found, *extra], key=lambda m: m.start()) if extra else found


def _weight_of(terms: list[str]) -> float:
    return sum(1.0 if " " in t.strip() else 0.5 for t in terms)


def _firm(text: str) -> bool:
    """A pledge, a red line or reported speech: enough to read a bare-word cue."""
    return bool(
        _PLEDGE.search(text)
        or _RED.search(text)
        or _QUOTES.search(text)
        or _REPORTING_ANY.search(text)
    )


def _scale_cue(text: str) -> list[str]:
    """A scale text as a cue: without its parenthesis, and only when it has two words or
    more (``none``, ``all``, ``half`` say nothing in running text)."""
    text = " ".join(re.sub(r"\([^)]*\)", " ", text).split())
    return [text] if len(text.split()) >= 2 else []


def _weight(hits: list[re.Match[str]]) -> float:
    """Cue hits, a one-word cue (``troops``) counting half a phrase (``send troops``), and
    so does a contribution to the force (read from the sentence's form, not a cue)."""
    return sum(
        1.0 if " " in m.group(0).strip() and "contribution" not in m.re.groupindex else 0.5
        for m in hits
    )


def _is_time(text: str) -> bool:
    return bool(re.match(r"(?i)after (?:the |a )?(?:meeting|talks|call|summit)\b", text))


def extract_candidates(
    scenario: Scenario,
    document: Document,
    *,
    classifier: Classifier | None = None,
    author: str | None = None,
    min_confidence: float | None = None,
    learned: bool = LEARNED,
    semantic: bool = False,
) -> tuple[Candidate, ...]:
    """Candidate statements of ``document`` read against ``scenario``.

    Candidates whose confidence is below ``min_confidence`` are dropped (default: the
    operating point, :data:`MIN_CONFIDENCE` for the rules, the learned model's threshold
    for the learned layer); ``min_confidence=0`` keeps every one.

    With ``learned`` (default :data:`LEARNED`) and weights shipped for the scenario
    (:mod:`peaceops.evidence.learned`), the learned layer relabels the rules' candidates
    and the sentences with a speaker the rules propose nothing for; a scenario without
    weights gets the rules' candidates. With ``semantic`` too, the layer's semantic weights
    are used where they are shipped (they need the ``semantic`` extra,
    :mod:`peaceops.evidence.encoder`); elsewhere the plain weights.

    Pass a :class:`Classifier` built once for ``scenario`` to read many documents (building
    it compiles the gazetteer: about 50 ms). ``author`` (an actor code, name or alias of the
    scenario or the reference list) is who speaks in the document's own voice: a sentence
    that reports nobody else speaking (``we will not hesitate``, ``my Government hopes``)
    is the author's. Transcripts are read by their speaker labels (``THE PRESIDENT:``,
    ``SECRETARY RUBIO:``): the sentences after a label are that speaker's until the next
    label; a bare ``THE PRESIDENT`` or ``THE VICE PRESIDENT`` is the author, a named one is
    looked up in the gazetteer, and a reporter's question (``Q``, to the end of its
    paragraph) is never a statement.

    Raises
    ------
    ScenarioError
        When ``author`` is not an actor of the scenario or of the reference list.
    peaceops.evidence.encoder.SemanticUnavailable
        With ``semantic`` and semantic weights for the scenario, when the extra is missing.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> from peaceops.evidence.reader import parse_text
    >>> s = load_scenario("ukraine-2025-04")
    >>> doc = parse_text("Tusk said Poland does not intend to send soldiers.", kind="text")
    >>> c = extract_candidates(s, doc)[0]
    >>> c.actor, c.kind, c.issue, c.direction, c.polarity
    ('POL', 'pledge', 'ground_presence', 0, 'negative')
    >>> doc = parse_text("We will not send troops to Ukraine.", kind="text")
    >>> [c.actor for c in extract_candidates(s, doc, author="Poland")]
    ['POL']
    """
    clf = classifier if classifier is not None else Classifier(scenario)
    model = None
    if learned:
        from peaceops.evidence.learned import learned_model

        issues = [i.id for i in scenario.issues]
        model = (learned_model(scenario.id, issues, semantic=True) if semantic else None) or (
            learned_model(scenario.id, issues)
        )
    found = sentence_candidates(
        scenario, document, classifier=clf, author=author, bare=model is not None
    )
    if model is not None:
        from peaceops.evidence.learned import relabel

        return relabel(clf, model, list(found), min_confidence=min_confidence)
    threshold = MIN_CONFIDENCE if min_confidence is None else min_confidence
    return tuple(c for c, _ in found if c.confidence >= threshold)


def sentence_candidates(
    scenario: Scenario,
    document: Document,
    *,
    classifier: Classifier | None = None,
    author: str | None = None,
    bare: bool = False,
) -> tuple[tuple[Candidate, bool], ...]:
    """Every candidate of the rules in ``document`` whatever its confidence, each with
    ``False``; with ``bare``, also each sentence with a speaker that the rules propose
    nothing for (:meth:`Classifier.bare`), with ``True``: the input of the learned layer
    (:mod:`peaceops.evidence.learned`). Arguments as :func:`extract_candidates`'s.

    Raises
    ------
    ScenarioError
        When ``author`` is not an actor of the scenario or of the reference list.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> from peaceops.evidence.reader import parse_text
    >>> s = load_scenario("ukraine-2025-04")
    >>> doc = parse_text("Tusk spoke in Warsaw. He said Poland will not send troops.", kind="text")
    >>> [(c.actor, c.issue, b) for c, b in sentence_candidates(s, doc, bare=True)]
    [('POL', None, True), ('POL', 'ground_presence', False)]
    """
    clf = classifier if classifier is not None else Classifier(scenario)
    writer: Mention | None = None
    if author is not None:
        writer = clf.gazetteer.resolve(author)
        if writer is None:
            raise ScenarioError([Problem("author", None, "", _unknown_author(scenario, author))])
    out: list[tuple[Candidate, bool]] = []
    previous: Mention | None = None
    unread: list[Sentence] = []  # sentences since the last candidate, speakers not read yet
    turn: Mention | None = writer  # who speaks now: the author, or a transcript's label
    last: Mention | None = writer  # the last speaker who was not asking a question
    question_in: int | None = None  # paragraph of the reporter's question being read
    for sentence in document.sentences:
        label = _LABEL.match(sentence.text)
        if label is not None and not label.group("q") and not _is_speaker_label(label, clf):
            label = None  # a dateline (`KYIV:`) or a heading, not a speaker
        if question_in is not None and (label or sentence.paragraph != question_in):
            question_in, turn = None, last
        if label is not None:
            previous, unread = None, []
            if label.group("q"):
                question_in = sentence.paragraph
                continue
            turn = last = _label_speaker(clf.gazetteer, label.group("who"), writer)
        elif question_in is not None:
            continue
        spoken = sentence if label is None else replace(sentence, text=sentence.text[label.end() :])
        folded = fold(spoken.text)
        needs = bool(_ANAPHOR.match(folded) or _TAIL_ANAPHOR.search(folded))
        if needs and unread:  # the speaker of the latest sentence that named one
            previous = next(filter(None, map(clf.speaker_of, reversed(unread))), previous)
            unread = []
        c = clf.classify(spoken, previous if needs else None, default=turn)
        if c is not None:
            if label is not None:
                c = replace(c, quote=sentence.text)
            out.append((c, False))
            previous, unread = Mention(0, 0, c.actor, c.actor_name, "anaphor", c.in_scenario), []
        else:
            if bare:
                b = clf.bare(spoken, previous if needs else None, default=turn)
                if b is not None:
                    out.append((b if label is None else replace(b, quote=sentence.text), True))
            unread.append(spoken)
    return tuple(out)


_LABEL = re.compile(
    r"^(?:(?P<q>Q)(?::\s*|\s+)(?=\S)"
    r"|(?P<who>(?:[A-Z][A-Z.'’-]*\s+){0,4}[A-Z][A-Z.'’-]*[A-Z.]):\s+)"
)
_BARE_HOST_ROLE = re.compile(r"^(?:THE\s+)?(?:VICE\s+)?PRESIDENT$")


_TITLE_WORDS = re.compile(
    r"\b(?:THE|MR|MRS|MS|DR|PRESIDENT|SECRETARY|MINISTER|PRIME|CHANCELLOR|AMBASSADOR|"
    r"SPOKES\w*|SENATOR|GENERAL|ADMIRAL|ADVISER|ADVISOR|ENVOY|CHAIR\w*|DIRECTOR|GOVERNOR|"
    r"REPRESENTATIVE|DELEGATE|KING|QUEEN|PRINCE|SHEIKH|SPEAKER|MODERATOR|MODERATOR)\b"
)


def _is_speaker_label(label: re.Match[str], clf: Classifier) -> bool:
    """A transcript's speaker label has a title (`THE PRESIDENT`, `MR. LEAVITT`, `SECRETARY
    RUBIO`) or is a person's name the gazetteer knows; a place (`KYIV:`) is a dateline."""
    who = label.group("who")
    if _TITLE_WORDS.search(who):
        return True
    found = clf.gazetteer.find(fold(who.title()))
    return bool(found) and found[-1].how == "official"


def _label_speaker(gazetteer: Gazetteer, label: str, author: Mention | None) -> Mention | None:
    """The actor of a transcript's speaker label; an unknown name (``MR. KIRBY``) in a
    document with an author is the author's side (the host's podium), else ``None``."""
    label = " ".join(label.split())
    if _BARE_HOST_ROLE.match(label):
        return author
    found = gazetteer.find(fold(label.title()))
    return found[-1] if found else author


def _unknown_author(scenario: Scenario, author: str) -> str:
    codes = ", ".join(a.id for a in scenario.actors)
    return (
        f"unknown author {author!r}: give an actor code, name or alias of the scenario"
        f" ({codes}) or of the reference list (ISO 3166 alpha-3 codes, UN, NATO, EU...)"
    )


_REPORTING_ANY = re.compile(
    r"\b(?:said|says|told|stated|announced|warned|insisted|added|declared|noted|stressed|"
    r"argued|wrote|explained|replied|affirmed|reaffirmed|reiterated|emphasi[sz]ed|"
    r"underlined|underscored|confirmed|claimed|according to)\b",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"^\W*(?:[\w’'-]+\W+){0,4}?(?:said|says|say|told|stated|states|announced|warned|"
    r"insisted|added|declared|noted|stressed|argued|wrote|explained|replied|affirmed|"
    r"reaffirmed|reiterated|emphasi[sz]ed|underlined|underscored|confirmed|claimed|"
    r"expressed|called|urged|demanded|proposed|volunteered|wants?|believes?|"
    r"thinks?|hopes?|agreed|welcomed|rejected|condemned)\b",
    re.IGNORECASE,
)


def _reports_another(text: str, speaker: Mention | None, default: Mention) -> bool:
    """Whether ``text`` reports ``speaker``, someone other than ``default``, speaking:
    ``the UK has said``, ``the Ukrainian delegation affirmed``, ``according to Moscow``."""
    if speaker is None:
        return False
    if speaker.code == default.code:
        return True
    if re.search(r"according to\s+$", text[max(0, speaker.start - 20) : speaker.start], re.I):
        return True
    return bool(_REPORTING.match(text[speaker.end : speaker.end + 60]))
