"""A regular expression for a set of literal terms, factored as a prefix trie.

Python's ``re`` tries the alternatives of ``a|b|c`` one after another at every position; a
pattern factored by common prefixes (``sen(?:d|t)``) rejects a position after one or two
characters. With several hundred names this makes matching an order of magnitude faster.
Longer terms are preferred where one term is a prefix of another, as with a longest-first
alternation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["trie_pattern"]


def trie_pattern(terms: Iterable[str]) -> str:
    """Pattern text matching any of ``terms`` (literally), longest alternative first."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for term in terms:
        if not term:
            continue
        node = root
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(root) or "(?!)"


def _emit(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    ends = "" in node
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        body = "(?:" + body + ")?"
    return body
