r"""Bueno de Mesquita's expected-utility model, as reconstructed by Scholz et al. (2011).

One issue at a time. Each round, every actor weighs challenging every other actor: it
estimates the probability of winning from the votes of all actors, its utilities of
success, failure and the status quo (shaped by a risk exponent), and the other side's
expected utility as it perceives it. The signs and sizes of the two expected utilities
make an offer (confrontation, compromise or capitulation); each actor takes one offer and
all move at once. The forecast each round is the weighted median of the positions.

The engine is a numba kernel over ``(run, issue)`` pairs: :func:`expected_utility_forecast`
runs one negotiation through it as a batch of one, :func:`expected_utility_batch` runs
thousands of parameter draws in parallel, so both give bit-identical results.

Modules: :mod:`.forecast` (one negotiation), :mod:`.batch` (parameter draws in parallel),
``_checks`` (options and input checks) and ``_kernel`` (the compiled round).

References
----------
.. [1] Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
   B. Bueno de Mesquita and F. N. Stokman (eds.), *European Community Decision Making: Models,
   Applications, and Comparisons*, pp. 71-104. Yale University Press.
.. [2] Scholz, J. B., Calbert, G. J. and Smith, G. A. (2011). Unravelling Bueno De Mesquita's
   group decision model. *Journal of Theoretical Politics* 23(4), 510-531.
   doi:10.1177/0951629811418142
"""

from __future__ import annotations

from peaceops.forecast.expected_utility.batch import expected_utility_batch
from peaceops.forecast.expected_utility.forecast import expected_utility_forecast

__all__ = ["expected_utility_batch", "expected_utility_forecast"]
