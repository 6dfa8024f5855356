"""A tiny hand-made file in the DEU layout, shared by the reader, back-test and CLI tests.

Five actors (Commission, Parliament, Germany, France, Luxembourg: 29, 29, 29, 29 and 4
Nice votes), two proposals, three issues; line 2 is a GDP line with blank ids.
"""

from __future__ import annotations

from pathlib import Path

HEADER = [
    "prnr", "isnr", "council", "proc", "counvte",
    "pcom", "pep", "pde", "pfr", "plu",
    "scom", "sep", "sde", "sfr", "slu",
    "rp", "out",
]  # fmt: skip
ROWS = [
    # GDP line, then: ids, council formation, procedure, rule, positions, saliences, rp, out
    ["", "", "", "", "", "4.1", "4.1", "4.1", "2.8", "0.08", *[""] * 7],
    ["P1", "P1i1", "Agri", "COD", "QMV", "100", "50", "0", "100", "",
     "80", "50", "100", "50", "", "0", "60"],
    ["P1", "P1i2", "Agri", "CNS", "Unan", "0", "", "50", "100", "100",
     "50", "", "40", "", "20", "", "40"],
    ["P2", "P2i1", "Envi", "COD", "QMV(10)", "20", "80", "20", "20", "80",
     "50", "50", "50", "50", "50", "100", "30"],
]  # fmt: skip


def write_tiny(
    directory: Path, rows: list[list[str]] | None = None, header: list[str] | None = None
) -> Path:
    path = directory / "tiny.tsv"
    lines = ["\t".join(header or HEADER), *("\t".join(r) for r in (ROWS if rows is None else rows))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
