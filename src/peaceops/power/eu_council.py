r"""The Council of the European Union under the Lisbon rule (qualified majority).

TEU art. 16(4) and TFEU art. 238(3): a proposal from the Commission passes when it has the
votes of at least 55% of the members of the Council, comprising at least fifteen of them, who
represent member states with at least 65% of the Union's population; a blocking minority must
include at least four members, so a proposal with at most three members against passes
whatever the population figures:

.. math::

    S \text{ wins} \iff \bigl(|S| \ge 15 \wedge \mathrm{pop}(S) \ge 0.65\, \mathrm{pop}(N)\bigr)
    \vee |N \setminus S| \le 3.

The rule is not a weighted game (Kurz and Napel 2016 show it needs at least 7 weight vectors
as an intersection of weighted games), so single-weight tools cannot represent it; here it is
one :class:`~peaceops.power.games.SimpleGame` with a member-count criterion, a population
criterion and the blocking clause, and :func:`~peaceops.power.power_indices` computes it
exactly by the split engine (about :math:`2^{14}` half-coalitions instead of :math:`2^{27}`
coalitions).

Population data
---------------
:data:`EU27_POPULATION_2024` holds each member state's total population for 2024 from the
World Bank, World Development Indicators, series SP.POP.TOTL (licence CC BY 4.0; attribution:
"The World Bank, World Development Indicators"), written here as constants. The Council itself
uses Eurostat figures fixed by Council decision each year (the annex to its Rules of
Procedure), so the population quota and the indices computed from these figures differ
slightly from the official ones. Pass other figures to :func:`eu_council_game` to use them.

References
----------
.. [1] Treaty on European Union, art. 16(4), and Treaty on the Functioning of the European
   Union, art. 238(3), consolidated versions. *Official Journal of the European Union*,
   C 202, 7 June 2016. https://eur-lex.europa.eu/eli/treaty/teu_2016/oj
.. [2] Kurz, S., and Napel, S. (2016). Dimension of the Lisbon voting rules in the EU Council:
   a challenge and new world record. *Optimization Letters*, 10(6), 1245-1256.
   https://doi.org/10.1007/s11590-015-0917-0
.. [3] The World Bank (2025). World Development Indicators: Population, total (SP.POP.TOTL).
   https://data.worldbank.org/indicator/SP.POP.TOTL (CC BY 4.0).

Examples
--------
>>> game = eu_council_game()
>>> game.n_players, game.criteria[0].quota, game.max_against
(27, 15, 3)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

from peaceops.errors import Problem, ScenarioError
from peaceops.power.games import Number, SimpleGame, _exact, multi_quota_game

__all__ = ["EU27_MEMBERS", "EU27_POPULATION_2024", "eu_council_game", "lisbon_game"]

#: The 27 member states (ISO 3166-1 alpha-3 code, English name) in the EU's protocol order.
EU27_MEMBERS: tuple[tuple[str, str], ...] = (
    ("BEL", "Belgium"),
    ("BGR", "Bulgaria"),
    ("CZE", "Czechia"),
    ("DNK", "Denmark"),
    ("DEU", "Germany"),
    ("EST", "Estonia"),
    ("IRL", "Ireland"),
    ("GRC", "Greece"),
    ("ESP", "Spain"),
    ("FRA", "France"),
    ("HRV", "Croatia"),
    ("ITA", "Italy"),
    ("CYP", "Cyprus"),
    ("LVA", "Latvia"),
    ("LTU", "Lithuania"),
    ("LUX", "Luxembourg"),
    ("HUN", "Hungary"),
    ("MLT", "Malta"),
    ("NLD", "Netherlands"),
    ("AUT", "Austria"),
    ("POL", "Poland"),
    ("PRT", "Portugal"),
    ("ROU", "Romania"),
    ("SVN", "Slovenia"),
    ("SVK", "Slovakia"),
    ("FIN", "Finland"),
    ("SWE", "Sweden"),
)

#: Population on 2024 by member state: World Bank WDI SP.POP.TOTL (CC BY 4.0; "The World Bank,
#: World Development Indicators"). Not the Council's Eurostat figures; see the module docstring.
EU27_POPULATION_2024: Mapping[str, int] = MappingProxyType(
    {
        "BEL": 11858610,
        "BGR": 6441421,
        "CZE": 10905028,
        "DNK": 5976992,
        "DEU": 83516593,
        "EST": 1372341,
        "IRL": 5395790,
        "GRC": 10405134,
        "ESP": 48848840,
        "FRA": 68551653,
        "HRV": 3866200,
        "ITA": 58952704,
        "CYP": 1358282,
        "LVA": 1866124,
        "LTU": 2888278,
        "LUX": 677012,
        "HUN": 9562065,
        "MLT": 568847,
        "NLD": 17993485,
        "AUT": 9177982,
        "POL": 36559233,
        "PRT": 10694681,
        "ROU": 19051804,
        "SVN": 2127400,
        "SVK": 5422069,
        "FIN": 5619911,
        "SWE": 10569709,
    }
)


def lisbon_game(
    populations: Mapping[str, Number],
    *,
    member_share: Number = Fraction(55, 100),
    population_share: Number = Fraction(65, 100),
    min_members: int = 0,
    min_blocking: int = 4,
) -> SimpleGame:
    r"""A Lisbon-type double majority over the members of ``populations`` (in its order).

    ``S`` wins iff (:math:`|S| \ge \max(\lceil \text{member\_share} \cdot n \rceil,
    \text{min\_members})` and :math:`\mathrm{pop}(S) \ge \text{population\_share} \cdot
    \mathrm{pop}(N)`) or fewer than ``min_blocking`` members are outside ``S``. Shares are taken
    exactly (pass ``Fraction`` or ``Decimal``, not binary floats).

    Parameters
    ----------
    populations
        Member -> population (non-negative, exact numbers).
    member_share, population_share
        The two quotas as shares in ``(0, 1]``.
    min_members
        Floor on the member count (the treaty's "at least fifteen").
    min_blocking
        Smallest blocking minority.

    Returns
    -------
    SimpleGame

    Raises
    ------
    ScenarioError
        A share outside ``(0, 1]``, a member quota above the number of members, or bad
        populations (see :func:`~peaceops.power.games.multi_quota_game`).

    Examples
    --------
    Four members of 40, 30, 20 and 10 (millions), blocking minority 2: 55% of 4 members is
    2.2, so 3 members holding 65% of the population win. A and B hold 70% but are too few;
    A, C and D hold 70% and win; B, C and D hold only 60% but leave one member outside,
    fewer than the blocking minority, so they win too.

    >>> g = lisbon_game({"A": 40, "B": 30, "C": 20, "D": 10}, min_blocking=2)
    >>> from peaceops.power import is_winning
    >>> is_winning(g, ["A", "B"]), is_winning(g, ["A", "C", "D"]), is_winning(g, ["B", "C", "D"])
    (False, True, True)
    """
    members = tuple(populations)
    n = len(members)
    problems: list[Problem] = []
    shares: list[Fraction] = []
    for name, value in (("member_share", member_share), ("population_share", population_share)):
        got = _exact(value, name)
        if isinstance(got, Problem):
            problems.append(got)
        elif not 0 < got <= 1:
            problems.append(Problem("<input>", None, name, f"must be in (0, 1], got {value!r}"))
        else:
            shares.append(got)
    pops: list[Fraction] = []
    for code in members:
        got = _exact(populations[code], f"populations[{code}]")
        if isinstance(got, Problem):
            problems.append(got)
        else:
            pops.append(got)
    if problems:
        raise ScenarioError(problems)
    count_quota = max(math.ceil(shares[0] * n), min_members)
    if count_quota > n:
        raise ScenarioError(
            [Problem("<input>", None, "min_members", f"{count_quota} exceeds the {n} members")]
        )
    return multi_quota_game(
        members,
        [([1] * n, count_quota), (pops, shares[1] * sum(pops, Fraction(0)))],
        min_blocking=min_blocking,
    )


def eu_council_game(*, populations: Mapping[str, Number] | None = None) -> SimpleGame:
    """The EU-27 Council's qualified majority (Lisbon rule) over ISO 3166 alpha-3 codes.

    Parameters
    ----------
    populations
        Population by member code; default :data:`EU27_POPULATION_2024` (World Bank 2024).

    Returns
    -------
    SimpleGame
        Players in :data:`EU27_MEMBERS` order; criteria: 15 of 27 members, 65% of the
        population; ``max_against == 3``.

    Examples
    --------
    15 members holding at least 65% of the population, or fewer than four against:

    >>> g = eu_council_game()
    >>> g.n_players, [str(c.quota) for c in g.criteria], g.max_against
    (27, ['15', '292648323'], 3)
    >>> from peaceops.power import is_winning
    >>> is_winning(g, ["DEU", "FRA", "ITA", "ESP"])
    False
    """
    figures = EU27_POPULATION_2024 if populations is None else populations
    ordered = {code: figures[code] for code, _ in EU27_MEMBERS if code in figures}
    missing = [code for code, _ in EU27_MEMBERS if code not in figures]
    if missing:
        raise ScenarioError(
            [Problem("<input>", None, "populations", f"no figure for {', '.join(missing)}")]
        )
    return lisbon_game(ordered, min_members=15)
