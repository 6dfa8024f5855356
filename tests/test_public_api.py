"""The public API: ``__all__`` is sorted and lists exactly the public names the package exports."""

from __future__ import annotations

import types

import peaceops


def test_all_is_sorted_and_complete() -> None:
    assert peaceops.__all__ == sorted(peaceops.__all__)
    # every exported name resolves (some load lazily on first use) ...
    assert all(getattr(peaceops, name) is not None for name in peaceops.__all__)
    # ... and every public name the package holds is exported
    helpers = {"annotations", "TYPE_CHECKING", "Any"}  # __future__ and typing helpers
    public = {
        name
        for name, value in vars(peaceops).items()
        if not name.startswith("_") and (not isinstance(value, types.ModuleType) or callable(value))
    }
    assert public - helpers == set(peaceops.__all__) - {"__version__"}


def test_load_scenario_and_frames_mirror_the_cli(template: str) -> None:
    s = peaceops.parse_scenario(template, file="demo.yaml")
    frames = peaceops.scenario_frames(s)
    from peaceops.scenario.tables import SCENARIO_TABLES

    assert list(frames) == list(SCENARIO_TABLES)
    for name in ("issues", "missions", "capabilities", "events", "sources"):
        assert len(frames[name]) > 0, name
    assert frames["stances"].shape == (7, 7)
    assert frames["pledges"]["personnel"].tolist() == [1700, 0, 70]
