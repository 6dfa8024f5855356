"""Forecast a KTAB CSV scenario with peaceops' spatial model of politics, as a whole process.

The peaceops side of the whole-process comparison with KTAB's ``smpc`` in
``bench_smp_process.py``, until the command line reads KTAB files itself::

    python benchmarks/smp_csv.py FILE.csv [--mode ktab|fast]

``ktab`` (the default, as for :func:`~peaceops.forecast.smp.smp_forecast`) runs the NumPy
engine, ``fast`` the compiled one; their results are identical.

KTAB's CSV: a title row (name, description, actors, dimensions), a header row, then one row
per actor: name, description, power (capability), then position (0..100) and salience
(0..100) per dimension. Prints the forecast's final outcome, one line per issue.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--mode", choices=("fast", "ktab"), default="ktab")
    args = parser.parse_args(argv)
    import numpy as np

    from peaceops.forecast._core import NegotiationInput
    from peaceops.forecast.smp import smp_forecast

    with args.file.open(newline="") as fh:
        rows = list(csv.reader(fh))
    n, m = int(rows[0][2]), int(rows[0][3])
    body = rows[2 : 2 + n]
    data = NegotiationInput(
        actors=tuple(r[0].strip() for r in body),
        issues=tuple(rows[1][3 + 2 * k].strip() for k in range(m)),
        positions=np.array([[float(r[3 + 2 * k]) for k in range(m)] for r in body]),
        salience=np.array([[float(r[4 + 2 * k]) / 100.0 for k in range(m)] for r in body]),
        clout=np.array([float(r[2]) for r in body]),
        status_quo=np.full(m, np.nan),
    )
    res = smp_forecast(data, mode=args.mode)
    final = res.trajectory[-1]
    for k, issue in enumerate(data.issues):
        print(f"{issue}: {float(final[k]):.4f} after {len(res.trajectory) - 1} turns")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
