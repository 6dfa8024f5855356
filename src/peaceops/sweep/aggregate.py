r"""Exact, order-free aggregation of sweep outputs: integer tallies, probabilities, distributions.

A batch of replicates is reduced to a :class:`Tally` of integers only: for each yes/no output
the number of replicates where it holds; for each real output on the 0..100 scale the count,
the sum and the sum of squares of the values in fixed point (units of :math:`2^{-24}`), and a
histogram on 0.5-point bins. Integer addition is associative, so the tally of a whole sweep is
the same bits whatever the batch size, the number or kind of workers and the order in which
batches finish; the final statistics are computed once from the totals
(:meth:`Tally.summary`).

For a yes/no output with :math:`k` successes in :math:`n` replicates the probability is
:math:`\hat p = k/n` with Monte Carlo standard error :math:`\sqrt{\hat p(1 - \hat p)/n}` and
the Wilson (1927) 95% score interval. For a real output, the mean :math:`\bar x`, the standard
error :math:`s/\sqrt n` (:math:`s` the sample standard deviation) and quantiles interpolated
linearly inside the histogram bins (resolution 0.5 points).

References
----------
.. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
   inference. *Journal of the American Statistical Association* 22(158), 209-212.
   doi:10.1080/01621459.1927.10502953
.. [2] Robert, C. P. and Casella, G. (2004). *Monte Carlo Statistical Methods*, 2nd ed.,
   section 3.2 (Monte Carlo standard errors). Springer. doi:10.1007/978-1-4757-4145-2
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from peaceops.errors import OptionError

__all__ = ["FlagStats", "Tally", "ValueStats", "tally"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Real outputs live on the 0..100 issue scale.
LOW, HIGH = 0.0, 100.0
#: Fixed-point resolution of sums: values are rounded to multiples of 2**-24 (6e-8).
FRACTION_BITS = 24
_ONE = 1 << FRACTION_BITS
#: Histogram: 200 bins of 0.5 points on 0..100 (100 falls in the last bin).
N_BINS = 200
_SPLIT = 31
_LOW_MASK = (1 << _SPLIT) - 1
_Z95 = 1.959963984540054
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class FlagStats:
    """Probability that a yes/no output holds.

    Attributes
    ----------
    n, k
        Replicates and replicates where the output holds.
    p, se
        :math:`k/n` and its Monte Carlo standard error.
    ci_low, ci_high
        Wilson 95% interval.
    """

    n: int
    k: int
    p: float
    se: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class ValueStats:
    """Distribution of a real output on the 0..100 scale.

    Attributes
    ----------
    n
        Replicates with a value (NaN values are not counted).
    mean, se, sd
        Mean, its Monte Carlo standard error and the sample standard deviation.
    quantiles
        Values at :data:`QUANTILES` (5, 25, 50, 75 and 95%), interpolated in 0.5-point bins.
    """

    n: int
    mean: float
    se: float
    sd: float
    quantiles: tuple[float, ...]


@dataclass(frozen=True)
class Tally:
    r"""Integer sufficient statistics of a set of replicates; ``a + b`` pools two sets.

    Attributes
    ----------
    n
        Replicates.
    flags
        ``(f,)`` count of replicates where each yes/no output holds.
    count, s1, s2_hi, s2_lo
        ``(v,)`` per real output: non-NaN values, the sum of :math:`q = \mathrm{rint}(x
        2^{24})` and the sum of :math:`q^2` split as :math:`2^{31}\,\mathrm{hi} + \mathrm{lo}`
        (so every partial sum fits in 64 bits).
    hist
        ``(v, 200)`` histogram on 0.5-point bins.
    """

    n: int
    flags: IntArray
    count: IntArray
    s1: IntArray
    s2_hi: IntArray
    s2_lo: IntArray
    hist: IntArray

    @classmethod
    def zeros(cls, n_flags: int, n_values: int) -> Tally:
        """The tally of no replicate."""
        z = np.zeros(n_values, dtype=np.int64)
        return cls(
            0,
            np.zeros(n_flags, dtype=np.int64),
            z,
            z.copy(),
            z.copy(),
            z.copy(),
            np.zeros((n_values, N_BINS), dtype=np.int64),
        )

    def __add__(self, other: Tally) -> Tally:
        if self.flags.shape != other.flags.shape or self.hist.shape != other.hist.shape:
            raise OptionError("other", "cannot add tallies of different outputs")
        return Tally(
            self.n + other.n,
            self.flags + other.flags,
            self.count + other.count,
            self.s1 + other.s1,
            self.s2_hi + other.s2_hi,
            self.s2_lo + other.s2_lo,
            self.hist + other.hist,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tally):
            return NotImplemented
        return self.n == other.n and all(
            np.array_equal(getattr(self, f), getattr(other, f))
            for f in ("flags", "count", "s1", "s2_hi", "s2_lo", "hist")
        )

    __hash__ = None  # type: ignore[assignment]

    def flag_stats(self) -> list[FlagStats]:
        """Probability of each yes/no output, in output order."""
        return [_flag(self.n, int(k)) for k in self.flags]

    def value_stats(self) -> list[ValueStats]:
        """Distribution of each real output, in output order."""
        return [
            _value(
                int(self.count[j]),
                int(self.s1[j]),
                (int(self.s2_hi[j]) << _SPLIT) + int(self.s2_lo[j]),
                self.hist[j],
            )
            for j in range(self.count.shape[0])
        ]

    def at_least(self, j: int, x: float) -> FlagStats:
        """The share of replicates whose real output ``j`` is at least ``x`` (0..100), with its
        Wilson interval; exact on the histogram's 0.5-point bin edges."""
        lo = min(max(round(x * N_BINS / (HIGH - LOW)), 0), N_BINS - 1)
        return _flag(int(self.count[j]), int(self.hist[j, lo:].sum()))

    def to_bytes(self) -> bytes:
        """Compact serialisation (compressed ``.npz``)."""
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            n=np.array([self.n], dtype=np.int64),
            flags=self.flags,
            count=self.count,
            s1=self.s1,
            s2_hi=self.s2_hi,
            s2_lo=self.s2_lo,
            hist=self.hist,
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Tally:
        """Inverse of :meth:`to_bytes`."""
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            return cls(
                int(z["n"][0]),
                z["flags"].astype(np.int64),
                z["count"].astype(np.int64),
                z["s1"].astype(np.int64),
                z["s2_hi"].astype(np.int64),
                z["s2_lo"].astype(np.int64),
                z["hist"].astype(np.int64),
            )


def tally(flags: npt.ArrayLike, values: npt.ArrayLike) -> Tally:
    """The tally of a batch: ``flags`` ``(b, f)`` booleans, ``values`` ``(b, v)`` reals.

    Values must lie in 0..100 or be NaN (not counted).

    Raises
    ------
    OptionError (a ScenarioError, so also a ValueError)
        On shapes that disagree or a value outside 0..100.

    Examples
    --------
    Two replicates of one flag and one value: the flag is set once, both values count:

    >>> t = tally([[True], [False]], [[25.0], [75.0]])
    >>> t.n, t.flags.tolist(), t.count.tolist()
    (2, [1], [2])
    """
    fl = np.asarray(flags, dtype=bool)
    x = np.asarray(values, dtype=np.float64)
    if fl.ndim != 2 or x.ndim != 2 or fl.shape[0] != x.shape[0]:
        raise OptionError(
            "flags", f"flags (b, f) and values (b, v) must share b; got {fl.shape}, {x.shape}"
        )
    ok = ~np.isnan(x)
    if np.any(ok & ((x < LOW) | (x > HIGH))):
        bad = float(x[ok & ((x < LOW) | (x > HIGH))][0])
        raise OptionError("values", f"real outputs must lie in 0..100; got {bad!r}")
    q = np.where(ok, np.rint(np.where(ok, x, 0.0) * _ONE), 0.0).astype(np.int64)
    sq = q * q
    bins = np.minimum((np.where(ok, x, 0.0) * (N_BINS / (HIGH - LOW))).astype(np.int64), N_BINS - 1)
    v = x.shape[1]
    hist = np.zeros((v, N_BINS), dtype=np.int64)
    cols = np.broadcast_to(np.arange(v), x.shape)
    np.add.at(hist, (cols[ok], bins[ok]), 1)
    return Tally(
        int(fl.shape[0]),
        fl.sum(axis=0, dtype=np.int64),
        ok.sum(axis=0, dtype=np.int64),
        q.sum(axis=0, dtype=np.int64),
        (sq >> _SPLIT).sum(axis=0, dtype=np.int64),
        (sq & _LOW_MASK).sum(axis=0, dtype=np.int64),
        hist,
    )


def _flag(n: int, k: int) -> FlagStats:
    if n == 0:
        nan = math.nan
        return FlagStats(0, 0, nan, nan, nan, nan)
    p = k / n
    se = math.sqrt(p * (1.0 - p) / n)
    z2 = _Z95 * _Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return FlagStats(n, k, p, se, max(0.0, centre - half), min(1.0, centre + half))


def _value(n: int, s1: int, s2: int, hist: IntArray) -> ValueStats:
    if n == 0:
        nan = math.nan
        return ValueStats(0, nan, nan, nan, tuple(nan for _ in QUANTILES))
    mean = float(Fraction(s1, n * _ONE))
    if n > 1:
        var = Fraction(n * s2 - s1 * s1, n * (n - 1) * _ONE * _ONE)
        sd = math.sqrt(float(var))
        se = sd / math.sqrt(n)
    else:
        sd = se = math.nan
    return ValueStats(n, mean, se, sd, tuple(_quantile(hist, n, q) for q in QUANTILES))


def _quantile(hist: IntArray, n: int, q: float) -> float:
    """Quantile ``q`` by linear interpolation of the empirical distribution inside bins."""
    width = (HIGH - LOW) / N_BINS
    target = q * n
    cum = np.cumsum(hist)
    j = int(np.searchsorted(cum, target, side="left"))
    j = min(j, N_BINS - 1)
    before = int(cum[j - 1]) if j > 0 else 0
    inside = int(hist[j])
    frac = (target - before) / inside if inside else 0.0
    return LOW + width * (j + min(max(frac, 0.0), 1.0))


def _rows_float(value: float) -> float | None:
    """JSON-friendly float (NaN becomes ``None``)."""
    return None if math.isnan(value) else value


def stats_row(stats: FlagStats | ValueStats) -> dict[str, Any]:
    """Flat row of a statistic (used by the result classes' ``to_rows``)."""
    if isinstance(stats, FlagStats):
        return {
            "n": stats.n,
            "k": stats.k,
            "p": _rows_float(stats.p),
            "se": _rows_float(stats.se),
            "ci_low": _rows_float(stats.ci_low),
            "ci_high": _rows_float(stats.ci_high),
        }
    row: dict[str, Any] = {
        "n": stats.n,
        "mean": _rows_float(stats.mean),
        "se": _rows_float(stats.se),
        "sd": _rows_float(stats.sd),
    }
    for q, v in zip(QUANTILES, stats.quantiles, strict=True):
        row[f"q{round(q * 100):02d}"] = _rows_float(v)
    return row
