"""Threats to the force: the chance that units are attacked, by where they serve and what they are.

A scenario's ``threats`` record an actor's stated intent to attack the force with a probability
that it does so in the period considered, limited to ``locations`` and capability ``domains``
(all when empty). Threats are taken as independent, so the probability that units at location
``l`` of domain ``d`` are attacked is

.. math:: r(l, d) = 1 - \\prod_{t \\ni (l, d)} (1 - p_t),

and the plan's risk is the same product over every threat that reaches at least one deployed
unit (the probability that the force is attacked somewhere). Threats enter a pledge's
acceptance through ``max_threat`` conditions (a contributor sends units only where the risk is
at most its limit), the plan's risk, and the sweep (which draws each threat's probability in
its ``range``).

This is the independent-hazards aggregation of probabilistic risk assessment [1]_; it does not
model correlated attacks.

References
----------
.. [1] Kaplan, S. and Garrick, B. J. (1981). On the quantitative definition of risk. *Risk
   Analysis* 1(1), 11-27. doi:10.1111/j.1539-6924.1981.tb01350.x
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from peaceops.scenario.model import Scenario, Threat

__all__ = ["force_risk", "threat_probability", "threats_reaching"]


def _reaches(threat: Threat, location: str, domain: str) -> bool:
    in_place = not threat.locations or location in {x.value for x in threat.locations}
    in_domain = not threat.domains or domain in {x.value for x in threat.domains}
    return in_place and in_domain


def _p(threat: Threat, overrides: Mapping[str, float] | None) -> float:
    if overrides is not None and threat.id in overrides:
        return float(overrides[threat.id])
    return threat.probability


def threat_probability(
    scenario: Scenario,
    location: str,
    domain: str,
    probabilities: Mapping[str, float] | None = None,
) -> float:
    """Probability that units of ``domain`` serving at ``location`` are attacked.

    ``probabilities`` overrides threats' probabilities by id (the sweep's draws).

    The template's adversary harasses units on host territory with probability 0.1:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> threat_probability(s, "host_territory", "land"), threat_probability(s, "at_sea", "land")
    (0.09999999999999998, 0.0)
    >>> round(threat_probability(s, "host_territory", "land", {"adv-harass": 0.2}), 6)
    0.2
    """
    q = 1.0
    for t in scenario.threats:
        if _reaches(t, location, domain):
            q *= 1.0 - _p(t, probabilities)
    return 1.0 - q


def threats_reaching(
    scenario: Scenario, placements: Iterable[tuple[str, str]]
) -> tuple[Threat, ...]:
    """Threats reaching at least one ``(location, domain)`` placement, in scenario order.

    Examples
    --------
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> [t.id for t in threats_reaching(s, [("host_territory", "land")])]
    ['adv-harass']
    >>> threats_reaching(s, [("at_sea", "maritime")])
    ()
    """
    places = set(placements)
    return tuple(t for t in scenario.threats if any(_reaches(t, l, d) for l, d in places))


def force_risk(
    scenario: Scenario,
    placements: Iterable[tuple[str, str]],
    probabilities: Mapping[str, float] | None = None,
) -> float:
    """Probability that the force (units at the ``(location, domain)`` placements) is attacked.

    Examples
    --------
    The adversary's harassment (probability 0.1) reaches land units on host territory:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> round(force_risk(s, [("host_territory", "land")]), 6)
    0.1
    >>> round(force_risk(s, [("host_territory", "land")], {"adv-harass": 0.25}), 6)
    0.25
    """
    q = 1.0
    for t in threats_reaching(scenario, placements):
        q *= 1.0 - _p(t, probabilities)
    return 1.0 - q
