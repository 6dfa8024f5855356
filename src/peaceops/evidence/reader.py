"""Read an article (plain text, Markdown or HTML) into paragraphs and sentences.

Locators are 1-based: paragraph ``p`` and sentence ``s`` within it, as in ``p3 s2``. The
sentence splitter is rule-based (no model, nothing downloaded): it breaks after ``.``, ``!``
or ``?`` (optionally followed by a closing quote or bracket) and whitespace, before an
upper-case letter, a digit or an opening quote, unless the word before the stop is a known
abbreviation (``Mr.``, ``U.S.``, ``Jan.``) or a single initial. A spaCy blank English
pipeline with its sentencizer was the alternative; measured, this splitter is about eight
times faster and needs no dependency (docs/evidence.md, "Why not spaCy").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError

__all__ = ["Document", "Sentence", "parse_text", "read_document_file", "split_text"]

_MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Sentence:
    """One sentence and where it is: paragraph and sentence numbers (1-based)."""

    paragraph: int
    index: int
    text: str

    @property
    def locator(self) -> str:
        """``p<paragraph> s<sentence>``."""
        return f"p{self.paragraph} s{self.index}"


@dataclass(frozen=True)
class Document:
    """An article as sentences, with the title found in it (HTML ``<title>``/``<h1>``, a
    Markdown ``#`` heading) when there is one."""

    sentences: tuple[Sentence, ...]
    title: str | None = None

    @property
    def n_words(self) -> int:
        """Number of whitespace-separated words."""
        return sum(len(s.text.split()) for s in self.sentences)


_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sen", "rep", "gov", "amb", "st",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "vs", "etc", "inc", "ltd", "co", "u.s", "u.k", "u.n", "e.g", "i.e", "approx", "pres",
}  # fmt: skip
_BOUNDARY = re.compile(r"([.!?][\"'”’)\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")
#: dotted country and organisation abbreviations, which end a sentence when the next word can
#: only open one (`... worked with the U.N. We worked ...`; `the U.N. Security Council` goes on)
_DOTTED = {"u.s", "u.k", "u.n"}
_OPENERS = {
    "i", "we", "he", "she", "they", "it", "you", "the", "this", "that", "these", "those",
    "there", "but", "and", "so", "yet", "our", "my", "his", "her", "their", "its",
}  # fmt: skip
#: the whole word before a stop: the `st` of `1st.` is no abbreviation of `Saint`, and the `s` of
#: a possessive (`Washington's.`) is no initial
_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9'’])([A-Za-z.]+)$")


def split_text(text: str) -> tuple[tuple[str, ...], ...]:
    """Paragraphs (split at blank lines) of sentences; whitespace inside is collapsed."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        para = " ".join(block.split())
        if para:
            out.append(tuple(_sentences(para)))
    return tuple(out)


def _sentences(para: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(para):
        before = _WORD_BEFORE.search(para, 0, m.start() + 1)
        raw = before.group(1).rstrip(".") if before else ""
        word = raw.lower()
        # `DR.` before `Kristersson` ends a sentence; `Dr.`, and `MR.` before `SMITH:` (a
        # transcript label in capitals), do not
        nxt = para[m.end() : m.end() + 2]
        acronym = len(raw) > 1 and raw.isupper() and "." not in raw and not nxt.isupper()
        opener = word in _DOTTED and _next_word(para, m.end()) in _OPENERS
        # a dotted initialism before a number goes on: `8 U.S.C. 1189`, `the U.N. 1701 force`
        if re.fullmatch(r"[a-z](?:\.[a-z])+", word) and para[m.end() : m.end() + 1].isdigit():
            continue
        # a paragraph's list number is no sentence: `3. Russia has violated ...`
        if start == 0 and re.fullmatch(r"\d{1,3}\.", para[: m.end(1)]):
            continue
        if (
            m.group(1).startswith(".")
            and not acronym
            and not opener
            and (word in _ABBREV or len(word) == 1)
        ):
            continue
        parts.append(para[start : m.end(1)])
        start = m.end()
    parts.append(para[start:])
    return [p.strip() for p in parts if p.strip()]


def _next_word(para: str, at: int) -> str:
    """The lower-cased word that starts at ``at`` (after any opening quote or bracket)."""
    m = re.match(r"[\"“‘'(\[]?([A-Za-z]+)", para[at:])
    return m.group(1).lower() if m else ""


class _HtmlText(HTMLParser):
    _BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr", "section"}
    )
    _SKIP: ClassVar[frozenset[str]] = frozenset(
        {"script", "style", "nav", "footer", "header", "aside", "noscript"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip = 0
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")
        self._in_title = self._in_title or tag == "title"
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = self.title or " ".join(data.split()) or None
            return
        if self._in_h1 and self.title is None:
            self.title = " ".join(data.split()) or None
        if not self._skip:
            self.parts.append(data)


def _markdown_to_text(text: str) -> tuple[str, str | None]:
    title = None
    lines = []
    for line in text.splitlines():
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*)$", line)
        if heading:
            title = title or heading.group(1).strip()
            lines.extend(["", heading.group(1), ""])
            continue
        line = re.sub(r"^\s{0,3}(?:[>*+-]|\d+\.)\s+", "", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1", r"\2", line)
        lines.append(line)
    return "\n".join(lines), title


def parse_text(text: str, *, kind: str) -> Document:
    """A :class:`Document` from ``text`` of ``kind`` ``"html"``, ``"markdown"`` or ``"text"``."""
    title: str | None = None
    if kind == "html":
        parser = _HtmlText()
        parser.feed(text)
        parser.close()
        text, title = html.unescape("".join(parser.parts)), parser.title
    elif kind == "markdown":
        text, title = _markdown_to_text(text)
    sentences = tuple(
        Sentence(p, s, sent)
        for p, para in enumerate(split_text(text), start=1)
        for s, sent in enumerate(para, start=1)
    )
    return Document(sentences, title)


_NOT_ARTICLES = frozenset({".yaml", ".yml", ".json", ".csv", ".xlsx", ".parquet", ".db"})


def read_document_file(path: PathLike) -> Document:
    """Read an article file: ``.html``/``.htm`` as HTML, ``.md`` as Markdown, else plain text.

    Raises
    ------
    ScenarioError
        When the file is a data file (YAML, JSON, CSV, ...), missing, empty, binary (NUL
        bytes or not UTF-8), larger than 5 MB, or has no sentence in it.
    """
    p = Path(path)
    file = str(p)

    def fail(message: str) -> ScenarioError:
        return ScenarioError([Problem(file, None, "", message)])

    if p.suffix.lower() in _NOT_ARTICLES:
        raise fail(
            f"a {p.suffix} file is data, not an article: give a .txt, .md or .html file"
            " (a patch from `peaceops extract` is applied with `peaceops apply`)"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > _MAX_BYTES:
        raise fail(f"the file is {len(data)} bytes; articles larger than 5 MB are not read")
    if not data.strip():
        raise fail("the file is empty: nothing to extract")
    if b"\x00" in data[:8192]:
        raise fail("this is not a text file (binary content); give a .txt, .md or .html file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail("this is not a UTF-8 text file; give a .txt, .md or .html file") from None
    suffix = p.suffix.lower()
    looks_html = bool(re.match(r"\s*(<!doctype html|<html|<head|<body|<p[ >])", text, re.I))
    kind = (
        "html"
        if suffix in (".html", ".htm") or looks_html
        else ("markdown" if suffix in (".md", ".markdown") else "text")
    )
    doc = parse_text(text, kind=kind)
    if not doc.sentences:
        raise fail("the file has no text to extract")
    return doc
