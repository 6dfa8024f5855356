"""The forecast models in one static registry, with the two call shapes they share.

Every model has a single-run entry point ``forecast(data, **options) -> ForecastResult``.
Dynamic models also run *over rounds* with scheduled changes,
``over_rounds(data, *, rounds, perturbations) -> ForecastResult``; models with a batch engine
run ``batch(positions, salience, clout, *, rounds, status_quo, perturbations) -> (b, rounds + 1,
m)``. The timeline (:func:`peaceops.forecast.timeline.forecast_scenario`) and the sweep
dispatch through :data:`REGISTRY` alone: adding a model is one entry here (see
``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from peaceops.forecast._core import ForecastResult, NegotiationInput, Perturbation
from peaceops.forecast.compromise import compromise_batch, compromise_forecast
from peaceops.forecast.exchange import exchange_forecast
from peaceops.forecast.expected_utility import expected_utility_batch, expected_utility_forecast
from peaceops.forecast.median import median_forecast
from peaceops.forecast.nash import nash_forecast
from peaceops.forecast.smp import smp_forecast, smp_rounds, smp_rounds_batch

__all__ = ["MODELS", "REGISTRY", "BatchModel", "ForecastModel", "RoundsModel"]

FloatArray = npt.NDArray[np.float64]


class RoundsModel(Protocol):
    """A dynamic model run for ``rounds`` rounds with scheduled changes."""

    def __call__(
        self, data: NegotiationInput, /, *, rounds: int, perturbations: Sequence[Perturbation] = ...
    ) -> ForecastResult: ...


class BatchModel(Protocol):
    """A model run on ``b`` members at once: ``(b, rounds + 1, m)`` trajectories."""

    def __call__(
        self,
        positions: FloatArray,
        salience: FloatArray,
        clout: FloatArray,
        /,
        *,
        rounds: int,
        status_quo: FloatArray,
        perturbations: Sequence[Perturbation] = ...,
    ) -> FloatArray: ...


@dataclass(frozen=True)
class ForecastModel:
    """One registered model: its name, its source and its entry points."""

    name: str
    summary: str
    forecast: Callable[..., ForecastResult]
    over_rounds: RoundsModel | None = None  # None: a static model (one outcome per input)
    batch: BatchModel | None = None  # None: no batch engine (the sweep does not run it)

    @property
    def dynamic(self) -> bool:
        """Whether the model moves round by round (takes ``rounds`` and ``perturbations``)."""
        return self.over_rounds is not None


def _entries(*models: ForecastModel) -> Mapping[str, ForecastModel]:
    return MappingProxyType({m.name: m for m in models})


#: Model name -> :class:`ForecastModel`, in the order models are listed everywhere.
REGISTRY: Mapping[str, ForecastModel] = _entries(
    ForecastModel(
        "compromise",
        "weighted mean (van den Bos 1991; Achen 2006)",
        compromise_forecast,
        batch=compromise_batch,
    ),
    ForecastModel("median", "weighted median voter (Black 1948)", median_forecast),
    ForecastModel("nash", "power-weighted Nash bargaining solution (Achen 2006)", nash_forecast),
    ForecastModel(
        "expected_utility",
        "Bueno de Mesquita (1994), as in Scholz et al. (2011)",
        expected_utility_forecast,
        over_rounds=expected_utility_forecast,
        batch=expected_utility_batch,
    ),
    ForecastModel(
        "exchange",
        "vote trading (Stokman and Van Oosten 1994)",
        exchange_forecast,
        over_rounds=exchange_forecast,
    ),
    ForecastModel(
        "smp",
        "KTAB spatial model of politics (Wise et al. 2015)",
        smp_forecast,
        over_rounds=smp_rounds,
        batch=smp_rounds_batch,
    ),
)

#: Model name -> single-run entry point ``fn(data, **options) -> ForecastResult``.
MODELS: dict[str, Callable[..., Any]] = {name: m.forecast for name, m in REGISTRY.items()}
