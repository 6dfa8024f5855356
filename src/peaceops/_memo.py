"""Results memoised on a frozen object's identity, for as long as that object lives.

A scenario is frozen once validated, so anything computed from it alone (a venue's compiled
game, a verdict, an option matrix) can be computed once and reused by every step of an analysis
that asks again. The memo is keyed on the object's identity, not its value: hashing or comparing
a whole scenario would cost more than most results, and two equal scenarios built separately
simply compute their results once each. An entry is dropped when its object is collected
(:func:`weakref.finalize`), so a long-lived process (the web server) does not accumulate the
results of every scenario it has seen, and an identity can never be reused while its entry
exists.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["memo_on"]

T = TypeVar("T")

_MEMOS: dict[int, dict[Hashable, Any]] = {}


def memo_on(owner: object, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, computed once per live ``owner`` and ``key``.

    ``owner`` must be immutable in every respect ``compute`` reads (a frozen scenario) and
    support weak references; ``key`` names the result among the owner's memoised results (the
    caller's function and its other arguments).

    Examples
    --------
    >>> class Frozen: ...
    >>> s, calls = Frozen(), []
    >>> memo_on(s, "x", lambda: calls.append(1) or len(calls))
    1
    >>> memo_on(s, "x", lambda: calls.append(1) or len(calls)), len(calls)
    (1, 1)
    """
    ident = id(owner)
    table = _MEMOS.get(ident)
    if table is None:
        table = _MEMOS[ident] = {}
        weakref.finalize(owner, _MEMOS.pop, ident, None)
    try:
        return table[key]  # type: ignore[no-any-return]
    except KeyError:
        value = table[key] = compute()
        return value
