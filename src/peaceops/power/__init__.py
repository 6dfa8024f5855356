"""Voting power: simple games and their exact power indices.

Build a decision rule as a :class:`SimpleGame` (weighted, multi-criteria with a blocking
clause, count quota, veto, unanimity, consent) and compute every player's Shapley-Shubik,
Banzhaf (absolute and normalized), Holler, Deegan-Packel and Johnston indices exactly with
:func:`power_indices`. :mod:`peaceops.power.eu_council` holds the EU Council's Lisbon rule.
See ``docs/power.md`` for the definitions, the algorithms and their references.
"""

from __future__ import annotations

from peaceops.power.eu_council import (
    EU27_MEMBERS,
    EU27_POPULATION_2024,
    eu_council_game,
    lisbon_game,
)
from peaceops.power.games import (
    Criterion,
    Number,
    SimpleGame,
    consent_game,
    count_quota_game,
    is_winning,
    multi_quota_game,
    unanimity_game,
    weighted_game,
)
from peaceops.power.indices import METHODS, power_indices
from peaceops.power.result import ALL_INDICES, PowerResult

__all__ = [  # noqa: RUF022 - plain sorted(), as the project's export tests expect
    "ALL_INDICES",
    "Criterion",
    "EU27_MEMBERS",
    "EU27_POPULATION_2024",
    "METHODS",
    "Number",
    "PowerResult",
    "SimpleGame",
    "consent_game",
    "count_quota_game",
    "eu_council_game",
    "is_winning",
    "lisbon_game",
    "multi_quota_game",
    "power_indices",
    "unanimity_game",
    "weighted_game",
]
