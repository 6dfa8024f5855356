"""Print World Bank population and GDP figures as YAML fragments for scenario actors.

The built-in scenarios hold their population and GDP numbers inline (the CSVs are not copied into
the repository); this script regenerates those numbers so they can be checked or refreshed.

It reads two World Development Indicators extracts in the long ``Country Name,Country Code,Year,
Value`` layout: SP.POP.TOTL (population) and NY.GDP.MKTP.CD (GDP, current US$). For each ISO 3166
alpha-3 code given, it prints the ``population`` and ``gdp_usd`` lines of a scenario actor, taking
the population of ``--pop-year`` (default 2024) and the GDP of the latest year the file has for
that code (or ``--gdp-year``). Codes missing from a file are reported on standard error.

Example::

    python scripts/worldbank_figures.py GBR FRA UKR
    python scripts/worldbank_figures.py --pop-source wb-pop-2024 --gdp-source wb-gdp-2023 GBR

Data: "The World Bank, World Development Indicators", licence CC BY 4.0.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

DATA_DIR = Path("/work/shared/data/worldbank")
POP_FILE = DATA_DIR / "population_2020_2024.csv"
GDP_FILE = DATA_DIR / "gdp_current_usd_2020_2024.csv"

Series = dict[str, dict[int, float]]
"""ISO3 code -> year -> value."""


def read_series(path: Path) -> Series:
    """Read a long-format WDI extract into ``{code: {year: value}}``; blank values are skipped."""
    out: Series = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value = (row.get("Value") or "").strip()
            if not value:
                continue
            code = row["Country Code"].strip()
            out.setdefault(code, {})[int(row["Year"])] = float(value)
    return out


def pick(series: Series, code: str, year: int | None) -> tuple[int, float] | None:
    """The value for ``code`` in ``year``, or in the latest year present when ``year`` is None."""
    by_year = series.get(code)
    if not by_year:
        return None
    if year is None:
        latest = max(by_year)
        return latest, by_year[latest]
    if year in by_year:
        return year, by_year[year]
    return None


def fragment(
    code: str,
    pop: tuple[int, float] | None,
    gdp: tuple[int, float] | None,
    pop_source: str,
    gdp_source: str,
    indent: int,
) -> list[str]:
    """The YAML lines for one actor (a comment naming the code, then the figures found)."""
    pad = " " * indent
    lines = [f"{pad}# {code}"]
    if pop is not None:
        year, value = pop
        lines.append(
            f"{pad}population: {{value: {round(value)}, year: {year}, sources: [{pop_source}]}}"
        )
    if gdp is not None:
        year, value = gdp
        # Four significant decimals; the dot and signed exponent make YAML 1.1 read a float.
        lines.append(f"{pad}gdp_usd: {{value: {value:.4e}, year: {year}, sources: [{gdp_source}]}}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, print the fragments, and return a process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("codes", nargs="+", help="ISO 3166 alpha-3 codes, e.g. GBR FRA UKR")
    parser.add_argument("--pop-file", type=Path, default=POP_FILE)
    parser.add_argument("--gdp-file", type=Path, default=GDP_FILE)
    parser.add_argument("--pop-year", type=int, default=2024)
    parser.add_argument("--gdp-year", type=int, default=None, help="default: latest available")
    parser.add_argument("--pop-source", default="wb-pop")
    parser.add_argument("--gdp-source", default="wb-gdp")
    parser.add_argument("--indent", type=int, default=4)
    args = parser.parse_args(argv)

    population = read_series(args.pop_file)
    gdp = read_series(args.gdp_file)
    missing = 0
    for raw in args.codes:
        code = raw.strip().upper()
        pop = pick(population, code, args.pop_year)
        money = pick(gdp, code, args.gdp_year)
        if pop is None or money is None:
            missing += 1
            what = " and ".join(
                name for name, got in (("population", pop), ("GDP", money)) if got is None
            )
            print(f"{code}: no {what} figure", file=sys.stderr)
        print("\n".join(fragment(code, pop, money, args.pop_source, args.gdp_source, args.indent)))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
