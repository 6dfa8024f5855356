"""Plain-text tables that fit a given width without cutting a cell.

Every table the terminal shows goes through :func:`layout_table`. The rules, in order:

1. Numbers are never cut or wrapped: a numeric column is as wide as its widest cell.
2. Text columns wrap at word boundaries (a word longer than its column is folded, never
   replaced by an ellipsis).
3. When the columns cannot fit even at their narrowest, the longest text columns (and, last,
   trailing numeric ones) leave the grid and are printed under their row as ``name: value``
   lines, indented and wrapped to the width.

So no line is longer than ``width`` (for any ``width >= 20``) and no cell loses a character;
the same rows with ``--format csv`` or ``json`` give every value unformatted.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["layout_table", "wrap_text"]

_GAP = "  "
_NUMERIC = re.compile(r"^[-+]?[\d,]*\.?\d+(?:[eE][-+]?\d+)?%?$")
#: A text column is not squeezed below this many characters (or its header, if longer).
_MIN_TEXT = 10
#: ... nor below its longest word, up to this many characters (ids such as ``position:USA:x``).
_MAX_WORD = 26
_DETAIL_INDENT = "    "


@dataclass(frozen=True)
class _Column:
    name: str
    cells: list[str]
    numeric: bool

    @property
    def natural(self) -> int:
        return max([len(self.name), *(_longest_line(c) for c in self.cells)])

    @property
    def minimum(self) -> int:
        if self.numeric:
            return self.natural
        longest_word = max((len(w) for c in self.cells for w in c.split()), default=0)
        return max(len(self.name), min(longest_word, _MAX_WORD), min(self.natural, _MIN_TEXT))


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _is_numeric(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(_NUMERIC.match(c.strip()) for c in filled)


def wrap_text(text: str, width: int, *, indent: str = "") -> list[str]:
    """Wrap ``text`` to ``width`` columns, folding (never cutting) words longer than a line."""
    width = max(width, len(indent) + 1)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(
            paragraph,
            width=width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=True,
            break_on_hyphens=False,
        )
        lines.extend(wrapped or [indent.rstrip()])
    return lines


def _fit(columns: list[_Column], width: int) -> tuple[list[_Column], list[_Column], list[int]]:
    """Choose the grid columns, the columns folded under rows, and the grid widths."""
    grid = list(columns)
    folded: list[_Column] = []

    def total(widths: Sequence[int]) -> int:
        return sum(widths) + len(_GAP) * (len(widths) - 1)

    while True:
        widths = [c.natural for c in grid]
        if total(widths) <= width:
            return grid, folded, widths
        minimum = [c.minimum for c in grid]
        if total(minimum) <= width:
            break
        # Move a column under the rows: the widest text column other than the first, else the
        # last numeric column; the first column always stays as the row's label.
        movable = [c for c in grid[1:] if not c.numeric] or grid[1:]
        if not movable:
            return grid, folded, [min(c.natural, width) for c in grid]
        if movable[0].numeric:
            victim = movable[-1]
        else:
            victim = max(movable, key=lambda c: c.natural)
        grid.remove(victim)
        folded.append(victim)
    # Shrink text columns, the widest first, until the grid fits.
    widths = [c.natural for c in grid]
    while total(widths) > width:
        candidates = [
            i for i, c in enumerate(grid) if not c.numeric and widths[i] > grid[i].minimum
        ]
        i = max(candidates, key=lambda k: widths[k])
        widths[i] -= 1
    return grid, folded, widths


def layout_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    details: Sequence[str] = (),
) -> list[str]:
    """Lines of a table of text cells that fit in ``width`` columns.

    ``details`` names columns to print under each row (``name: value``) instead of in the grid,
    for long text such as reasons and conditions; other columns move there only when the grid
    cannot fit.

    Examples
    --------
    >>> for line in layout_table(["actor", "units"], [["GBR", "3"], ["FRA", "12"]], width=20):
    ...     print(line)
    actor  units
    -----  -----
    GBR        3
    FRA       12
    """
    width = max(width, 20)
    columns = [
        _Column(name, [row[i] for row in rows], _is_numeric([row[i] for row in rows]))
        for i, name in enumerate(header)
    ]
    forced = [c for c in columns if c.name in details]
    grid, folded, widths = _fit([c for c in columns if c.name not in details], width)
    folded = folded + forced
    lines = [_join([_pad(c.name, w, c.numeric) for c, w in zip(grid, widths, strict=True)])]
    lines.append(_join(["-" * w for w in widths]))
    for r in range(len(rows)):
        wrapped = [
            [c.cells[r]] if c.numeric else wrap_text(c.cells[r], w) or [""]
            for c, w in zip(grid, widths, strict=True)
        ]
        height = max(len(cell) for cell in wrapped)
        for k in range(height):
            parts = [
                _pad(cell[k] if k < len(cell) else "", w, c.numeric)
                for cell, c, w in zip(wrapped, grid, widths, strict=True)
            ]
            lines.append(_join(parts))
        for c in folded:
            value = c.cells[r]
            if value.strip():
                lines.extend(wrap_text(f"{c.name}: {value}", width, indent=_DETAIL_INDENT))
    return lines


def _pad(text: str, width: int, right: bool) -> str:
    return text.rjust(width) if right else text.ljust(width)


def _join(parts: Sequence[str]) -> str:
    return _GAP.join(parts).rstrip()
