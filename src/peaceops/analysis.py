"""One end-to-end analysis of a scenario: every engine's results, ready for the briefing.

``analyse`` is pure: it takes a validated scenario and options, calls the engines and returns a
frozen :class:`Analysis`. Printing, the HTML report and the run store are the CLI's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peaceops import __version__
from peaceops.scenario import Scenario, scenario_hash
from peaceops.scenario.tables import (
    actor_rows,
    pledge_rows,
    red_line_rows,
    stance_rows,
    venue_rows,
)

__all__ = ["Analysis", "analyse"]


@dataclass(frozen=True)
class Analysis:
    """Everything one run computed for a scenario."""

    scenario: Scenario
    scenario_hash: str
    package_version: str
    seed: int
    options: dict[str, Any] = field(default_factory=dict)

    def to_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Result rows by section, as stored in the run store."""
        s = self.scenario
        return {
            "actors": actor_rows(s),
            "stances": stance_rows(s),
            "pledges": pledge_rows(s),
            "red_lines": red_line_rows(s),
            "venues": venue_rows(s),
        }


def analyse(scenario: Scenario, *, seed: int = 20250405) -> Analysis:
    """Run every engine on ``scenario``.

    Parameters
    ----------
    scenario
        A validated scenario (see :func:`peaceops.load_scenario`).
    seed
        Seed of every stochastic step; see ``docs/randomness.md``.
    """
    return Analysis(
        scenario=scenario,
        scenario_hash=scenario_hash(scenario),
        package_version=__version__,
        seed=seed,
        options={"seed": seed},
    )
