"""Who is speaking: a gazetteer of actors as of the scenario's date.

Surface forms come from three places, the scenario overriding the packaged list:

- the scenario's actors: ``name``, ``aliases`` (``the Kremlin``) and ``officials`` (full name
  and surname, matched only when the scenario's ``as_of`` date lies within ``from``..``to``);
- the packaged reference list (``evidence/data/reference.csv``): each state's or
  organisation's name, other names and capital city (``Warsaw`` for Poland: metonymy);
- role phrases built from an adjective or a possessive and a role word: ``the Polish prime
  minister``, ``Poland's foreign ministry``, ``Moscow's UN envoy``.

Codes of the reference list are ISO 3166-1 alpha-3 codes (and acronyms for organisations);
a scenario whose actor ids are those codes is matched directly. A reference entry that is
not an actor of the scenario is still recognised, so that a statement by it is listed as
"not in the scenario" instead of being attributed to someone else.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from peaceops.evidence._trie import trie_pattern
from peaceops.scenario.model import Scenario

__all__ = ["Gazetteer", "Mention", "build_gazetteer", "fold"]

_ROLES = (
    r"(?:prime minister|premier|president|chancellor|government|cabinet|foreign minister"
    r"|foreign ministry|ministry of foreign affairs|defen[cs]e minister|defen[cs]e ministry"
    r"|ministry of defen[cs]e|minister|ministry|spokes(?:man|woman|person)|ambassador"
    r"|(?:UN |U\.N\. |permanent )?(?:envoy|representatives?|ambassador)|delegation"
    r"|diplomats?|officials?|leader(?:ship)?"
    r"|head of state|parliament|administration|authorities|foreign secretary|defen[cs]e secretary"
    r"|secretary of state|national security adviser|security council secretary)"
)


@dataclass(frozen=True)
class Mention:
    """An actor named in a sentence: character span, code, and how it was recognised."""

    start: int
    end: int
    code: str
    name: str
    how: str  # "name", "alias", "capital", "official", "role"
    in_scenario: bool


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    kind: str
    adjective: str
    capital: str
    aliases: tuple[str, ...]


def fold(text: str) -> str:
    """Accents removed (``Erdoğan`` -> ``Erdogan``), ``yy`` endings shortened
    (``Zelenskyy`` -> ``Zelensky``)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    if "yy" not in text:
        return text
    return re.sub(r"yy\b", "y", text.replace("ı", "i").replace("ł", "l").replace("Ł", "L"))


@cache
def _reference() -> tuple[tuple[_Entry, ...], tuple[tuple[str, str, str, str, str], ...]]:
    root = resources.files("peaceops.evidence") / "data"
    with (root / "reference.csv").open(encoding="utf-8") as fh:
        entries = tuple(
            _Entry(
                r["code"],
                r["name"],
                r["kind"],
                r["adjective"],
                r["capital"],
                tuple(a for a in r["aliases"].split(";") if a),
            )
            for r in csv.DictReader(fh)
        )
    with (root / "officials.csv").open(encoding="utf-8") as fh:
        officials = tuple(
            (r["code"], r["name"], r["role"], r["from"], r["to"]) for r in csv.DictReader(fh)
        )
    return entries, officials


@dataclass(frozen=True)
class Gazetteer:
    """Compiled surface forms of every actor; :meth:`find` lists the mentions in a text."""

    pattern: re.Pattern[str]
    forms: dict[str, tuple[str, str, str]]  # folded surface form -> (code, name, how)
    role_pattern: re.Pattern[str]
    adjectives: dict[str, str]  # folded adjective / possessive stem -> code
    in_scenario: frozenset[str]
    out_of_office: dict[str, tuple[str, str]]  # folded name -> (code, name)
    names: dict[str, str]  # code -> display name

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions in ``text``, left to right (longest form wins)."""
        folded = fold(text)
        spans: list[Mention] = []
        for m in self.role_pattern.finditer(folded):
            code = self.adjectives.get(m.group("who").lower())
            if code is not None:
                spans.append(self._mention(m.start(), m.end(), code, "role"))
        for m in self.pattern.finditer(folded):
            hit = self.forms.get(_key(m.group("form")))
            if hit is not None:
                spans.append(self._mention(m.start(), m.end(), hit[0], hit[2]))
        spans.sort(key=lambda x: (x.start, -(x.end - x.start)))
        out: list[Mention] = []
        for sp in spans:
            if out and sp.start < out[-1].end:
                continue
            out.append(sp)
        return out

    def resolve(self, name: str) -> Mention | None:
        """The actor that ``name`` denotes: a code (``POL``, ``NATO``), a name or an alias
        (``Poland``, ``the Kremlin``) or an official in office; ``None`` when unknown.

        >>> from peaceops.scenario import load_scenario
        >>> g = build_gazetteer(load_scenario("ukraine-2025-04"))
        >>> g.resolve("the Kremlin").code, g.resolve("nato").code, g.resolve("Atlantis")
        ('RUS', 'NATO', None)
        """
        text = " ".join(name.split())
        if text.upper() in self.names:
            code = text.upper()
            return self._mention(0, 0, code, "name")
        hit = self.forms.get(_key(text))
        if hit is None:
            return None
        return self._mention(0, 0, hit[0], hit[2])

    def _mention(self, start: int, end: int, code: str, how: str) -> Mention:
        return Mention(start, end, code, self.names.get(code, code), how, code in self.in_scenario)


def _key(form: str) -> str:
    return re.sub(r"^the\s+", "", fold(form).lower())


def _alternation(forms: set[str]) -> str:
    return trie_pattern(forms)


def _in_office(start: str | dt.date, end: str | dt.date | None, when: dt.date) -> bool:
    lo = dt.date.fromisoformat(start) if isinstance(start, str) else start
    if isinstance(end, str):
        end = dt.date.fromisoformat(end) if end else None
    return lo <= when and (end is None or when < end)


def build_gazetteer(scenario: Scenario) -> Gazetteer:
    """The gazetteer of ``scenario`` as of its ``as_of`` date (see the module notes)."""
    entries, ref_officials = _reference()
    when = scenario.as_of
    forms: dict[str, tuple[str, str, str]] = {}
    adjectives: dict[str, str] = {}
    out_of_office: dict[str, tuple[str, str]] = {}
    names = {a.id: a.name for a in scenario.actors}

    originals: set[str] = set()
    stems: set[str] = set()

    def add(form: str, code: str, how: str) -> None:
        key = _key(form)
        if len(key) >= 2 and (key not in forms or code in names):
            forms[key] = (code, names.get(code, form), how)
            originals.add(re.sub(r"^[Tt]he\s+", "", fold(form)))

    def add_stem(stem: str, code: str, *, override: bool) -> None:
        if stem:
            key = fold(stem).lower()
            if override or key not in adjectives:
                adjectives[key] = code
            stems.add(fold(stem))

    def add_official(
        code: str, person: str, start: str | dt.date, end: str | dt.date | None
    ) -> None:
        surname = person.split()[-1]
        if _in_office(start, end, when):
            add(person, code, "official")
            add(surname, code, "official")
        else:
            out_of_office[_key(person)] = (code, person)

    for e in entries:
        if e.code not in names:
            acronym = (e.code,) if e.kind == "organisation" else ()  # NATO, OSCE
            for form in (e.name, *e.aliases, e.capital, *acronym):
                if form and _key(form) not in forms:
                    forms[_key(form)] = (e.code, e.name, "name")
                    originals.add(re.sub(r"^[Tt]he\s+", "", fold(form)))
        for stem in (e.adjective, e.name, e.capital, *e.aliases):
            add_stem(re.sub(r"^[Tt]he\s+", "", stem), e.code, override=False)
    for code, person, _role, start, end in ref_officials:
        add_official(code, person, start, end)
    by_code = {e.code: e for e in entries}
    for a in scenario.actors:
        ref = by_code.get(a.id)
        add(a.name, a.id, "name")
        add(a.id, a.id, "name") if a.id.isupper() and len(a.id) > 2 else None
        if ref is not None:
            for form in ref.aliases:
                add(form, a.id, "alias")
            if ref.capital:
                add(ref.capital, a.id, "capital")
            add_stem(ref.adjective, a.id, override=True)
        for form in a.aliases:
            add(form, a.id, "alias")
            add_stem(re.sub(r"^[Tt]he\s+", "", form), a.id, override=True)
        add_stem(a.name, a.id, override=True)
    for a in scenario.actors:
        for o in a.officials:
            add_official(a.id, o.name, o.from_, o.to)
    # A surname of someone out of office must not resolve to a namesake still in office only
    # through the surname; full names of people out of office are dropped from the forms.
    for key, (code, _) in out_of_office.items():
        if key in forms and forms[key][0] == code:
            forms.pop(key)
    originals = {f for f in originals if _key(f) in forms}
    pattern = re.compile(
        r"(?<![\w-])(?P<form>(?:[Tt]he\s+)?(?:" + _alternation(originals) + r"))(?![\w-])"
    )
    role_pattern = re.compile(
        r"(?<![\w-])(?:[Tt]he\s+)?(?P<who>"
        + _alternation(stems)
        + r")(?:'s|’s)?\s+(?:[a-z]+\s+){0,2}?(?i:"
        + _ROLES
        + r")(?![\w-])"
    )
    return Gazetteer(
        pattern,
        forms,
        role_pattern,
        adjectives,
        frozenset(a.id for a in scenario.actors),
        out_of_office,
        {code: name for code, name, _ in forms.values()},
    )
