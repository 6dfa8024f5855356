"""The public API: ``__all__`` is sorted and lists exactly the public names the package exports."""

from __future__ import annotations

import types

import peaceops


def test_all_is_sorted_and_complete() -> None:
    assert peaceops.__all__ == sorted(peaceops.__all__)
    public = {
        name
        for name, value in vars(peaceops).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"  # from __future__ import annotations
    }
    assert public | {"__version__"} == set(peaceops.__all__)


def test_load_scenario_and_frames_mirror_the_cli(template: str) -> None:
    s = peaceops.parse_scenario(template, file="demo.yaml")
    frames = peaceops.scenario_frames(s)
    assert list(frames) == ["actors", "stances", "pledges", "red_lines", "venues"]
    assert frames["stances"].shape == (7, 7)
    assert frames["pledges"]["personnel"].tolist() == [1700, 0, 70]
