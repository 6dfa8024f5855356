"""Negotiation forecasts: one module per published model, all on :class:`NegotiationInput`.

:data:`REGISTRY` (:mod:`peaceops.forecast.registry`) lists every model once, with its
entry points; :data:`MODELS` maps each model's name to ``fn(data, **options) ->
ForecastResult``:

============================  ===========================================================
``compromise``                weighted mean (van den Bos 1991; Achen 2006)
``median``                    weighted median voter (Black 1948)
``nash``                      power-weighted Nash bargaining solution (Achen 2006)
``expected_utility``          Bueno de Mesquita (1994), as in Scholz et al. (2011); dynamic
``exchange``                  vote trading (Stokman and Van Oosten 1994); dynamic
``smp``                       KTAB spatial model of politics (:mod:`peaceops.forecast.smp`)
============================  ===========================================================

Dynamic models take ``perturbations=`` (scheduled changes, :class:`Perturbation`);
static ones do not. The back-test on DEU data is :func:`run_backtest` (reader
:func:`peaceops.io.read_deu`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING

from peaceops._lazy import callable_module as _callable_module
from peaceops._lazy import lazy_attributes as _lazy_attributes
from peaceops.forecast._core import ForecastResult, NegotiationInput, Perturbation
from peaceops.forecast.compromise import compromise_batch, compromise_forecast
from peaceops.forecast.exchange import exchange_forecast
from peaceops.forecast.expected_utility import expected_utility_batch, expected_utility_forecast
from peaceops.forecast.median import median_forecast, weighted_median
from peaceops.forecast.nash import nash_forecast
from peaceops.forecast.registry import MODELS, REGISTRY, ForecastModel

if _TYPE_CHECKING:
    from peaceops.forecast.backtest import run_backtest

__all__ = [
    "MODELS",
    "REGISTRY",
    "ForecastModel",
    "ForecastResult",
    "NegotiationInput",
    "Perturbation",
    "compromise_batch",
    "compromise_forecast",
    "exchange_forecast",
    "expected_utility_batch",
    "expected_utility_forecast",
    "median_forecast",
    "nash_forecast",
    "run_backtest",
    "weighted_median",
]

# The back-test (scipy's linprog) loads on first use: a forecast from the command line does not
# pay for scipy. The DEU reader lives in peaceops.io.
__getattr__ = _lazy_attributes(__name__, {"run_backtest": "peaceops.forecast.backtest"})

# ``peaceops.forecast(scenario, ...)``: the top-level call of the Python API (peaceops.shortcuts).
_callable_module(__name__, "peaceops.shortcuts:forecast")
