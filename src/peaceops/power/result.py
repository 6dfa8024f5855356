"""The frozen result of :func:`peaceops.power.power_indices` and its conversions."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from peaceops._frames import FrameMixin

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ALL_INDICES", "PowerResult"]

#: Every index :func:`~peaceops.power.power_indices` computes, in display order.
ALL_INDICES: tuple[str, ...] = (
    "shapley_shubik",
    "banzhaf",
    "normalized_banzhaf",
    "holler",
    "deegan_packel",
    "johnston",
)


@dataclass(frozen=True)
class PowerResult(FrameMixin):
    """Exact power indices of every player of a simple game.

    Index attributes hold one :class:`fractions.Fraction` per player (in :attr:`players`
    order), or ``None`` when that index was not requested.

    Attributes
    ----------
    players
        Player names.
    method
        Engine that computed the counts: ``"dp"``, ``"mitm"`` or ``"enumerate"``.
    n_winning
        Number of winning coalitions.
    n_minimal_winning
        Number of minimal winning coalitions (every proper subset loses).
    swings
        Per player, the losing coalitions it turns into winning ones by joining (raw Banzhaf).
    veto_players
        Players in every winning coalition.
    dummies
        Players who never swing a coalition (zero power under every index here).
    shapley_shubik, banzhaf, normalized_banzhaf, holler, deegan_packel, johnston
        The indices; ``banzhaf`` is the absolute (Penrose) index ``swings / 2^(n-1)``.
    """

    players: tuple[str, ...]
    method: str
    n_winning: int
    n_minimal_winning: int
    swings: tuple[int, ...]
    veto_players: tuple[str, ...]
    dummies: tuple[str, ...]
    shapley_shubik: tuple[Fraction, ...] | None = None
    banzhaf: tuple[Fraction, ...] | None = None
    normalized_banzhaf: tuple[Fraction, ...] | None = None
    holler: tuple[Fraction, ...] | None = None
    deegan_packel: tuple[Fraction, ...] | None = None
    johnston: tuple[Fraction, ...] | None = None

    @property
    def computed(self) -> tuple[str, ...]:
        """Names of the indices this result holds, in :data:`ALL_INDICES` order."""
        return tuple(name for name in ALL_INDICES if getattr(self, name) is not None)

    def index(self, name: str) -> tuple[Fraction, ...]:
        """The values of index ``name`` (one of :data:`ALL_INDICES`).

        Raises
        ------
        KeyError
            ``name`` is unknown or was not computed.
        """
        values = getattr(self, name, None) if name in ALL_INDICES else None
        if values is None:
            raise KeyError(f"index {name!r} not computed; have {list(self.computed)}")
        return tuple(values)

    def as_float(self, name: str) -> tuple[float, ...]:
        """Index ``name`` as floats, for display."""
        return tuple(float(v) for v in self.index(name))

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per player: name, swings, veto and dummy flags, then for each computed index
        its value as a float and, under ``<index>_exact``, the exact fraction as text."""
        vetoes, dummies = set(self.veto_players), set(self.dummies)
        rows: list[dict[str, Any]] = []
        for i, player in enumerate(self.players):
            row: dict[str, Any] = {
                "player": player,
                "swings": self.swings[i],
                "veto": player in vetoes,
                "dummy": player in dummies,
            }
            for name in self.computed:
                value = self.index(name)[i]
                row[name] = float(value)
                row[f"{name}_exact"] = str(value)
            rows.append(row)
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The rows of :meth:`to_rows` as a DataFrame indexed by player, with the exact values
        as :class:`fractions.Fraction` objects in the ``<index>_exact`` columns."""
        import pandas as pd

        frame = pd.DataFrame(self.to_rows()).set_index("player")
        for name in self.computed:
            frame[f"{name}_exact"] = pd.Series(
                list(self.index(name)), index=frame.index, dtype=object
            )
        return frame
