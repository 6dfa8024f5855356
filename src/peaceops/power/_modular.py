"""Exact counting modulo a few primes, recombined by the Chinese remainder theorem.

Coalition counts reach :math:`2^n` (about :math:`10^{60}` for 200 players), far beyond 64-bit
integers, and floating point would lose them. The dynamic programmes therefore run once per
prime :math:`p` on ``int64`` arrays holding residues in ``[0, p)``; with enough primes that the
product exceeds a bound on the true (non-negative) value, Garner's mixed-radix form of the
Chinese remainder theorem recovers the exact integer (Knuth 1997, sec. 4.3.2).

Two families: *wide* primes below :math:`2^{62}` for passes that only add and subtract (a sum of
two residues stays below :math:`2^{63}`), *narrow* primes below :math:`2^{31}` for passes that
also multiply (a product of two residues stays below :math:`2^{62}`).

References
----------
.. [1] Knuth, D. E. (1997). *The Art of Computer Programming, Vol. 2: Seminumerical
   Algorithms*, 3rd ed., sec. 4.3.2. Addison-Wesley. ISBN 978-0-201-89684-8.
.. [2] Garner, H. L. (1959). The residue number system. *IRE Transactions on Electronic
   Computers*, EC-8(2), 140-147. https://doi.org/10.1109/TEC.1959.5219515
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

__all__ = ["crt", "primes_for_bound"]

_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def _is_prime(n: int) -> bool:
    """Deterministic Miller-Rabin for ``n < 3.3e24`` (the bases above)."""
    if n < 2:
        return False
    for b in _MR_BASES:
        if n % b == 0:
            return n == b
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for b in _MR_BASES:
        x = pow(b, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


@functools.cache
def _primes_below(limit: int, count: int) -> tuple[int, ...]:
    out: list[int] = []
    candidate = limit - 1
    while len(out) < count:
        if _is_prime(candidate):
            out.append(candidate)
        candidate -= 2 if candidate % 2 else 1
    return tuple(out)


def primes_for_bound(
    bound: int, *, narrow: bool = False, bits: int | None = None
) -> tuple[int, ...]:
    """The fewest primes (largest first) whose product exceeds ``bound``.

    Parameters
    ----------
    bound
        Every value to recover lies in ``[0, bound)``.
    narrow
        Primes below ``2**31`` (passes that multiply) instead of below ``2**62``.
    bits
        Primes below ``2**bits`` instead (overrides ``narrow``).
    """
    limit = 1 << (bits if bits is not None else 31 if narrow else 62)
    bits = limit.bit_length() - 2  # each prime exceeds 2**bits
    count = max(1, -(-max(bound, 2).bit_length() // bits))
    primes = _primes_below(limit, count + 1)
    product = 1
    for k, p in enumerate(primes):
        product *= p
        if product > bound:
            return primes[: k + 1]
    return primes  # pragma: no cover - count + 1 primes always suffice


def crt(residues: Sequence[Sequence[int]], primes: Sequence[int]) -> list[int]:
    """Recover non-negative integers below the product of ``primes`` from their residues.

    Parameters
    ----------
    residues
        ``residues[k][j]`` is value ``j`` modulo ``primes[k]``.
    primes
        Distinct primes.

    Returns
    -------
    list of int
        The values, in order.
    """
    values = [int(v) % primes[0] for v in residues[0]]
    modulus = primes[0]
    for k in range(1, len(primes)):
        p = primes[k]
        inv = pow(modulus % p, -1, p)
        row = residues[k]
        values = [x + modulus * (((int(row[j]) - x) * inv) % p) for j, x in enumerate(values)]
        modulus *= p
    return values
