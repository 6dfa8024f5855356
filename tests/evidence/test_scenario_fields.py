"""The scenario fields the evidence reader uses: actors.aliases/officials, issues.cues."""

from __future__ import annotations

import pytest

from peaceops.errors import ScenarioError
from peaceops.scenario import load_scenario, parse_scenario, resolve_scenario_path


def _ukraine_text() -> str:
    return resolve_scenario_path("ukraine-2025-04").read_text(encoding="utf-8")


def test_builtin_scenario_has_officials_aliases_and_cues() -> None:
    s = load_scenario("ukraine-2025-04")
    tusk = next(o for o in s.actor("POL").officials if o.name == "Donald Tusk")
    assert tusk.role == "prime minister"
    assert tusk.to is None
    assert "the Kremlin" in s.actor("RUS").aliases
    assert all(i.cues is not None and i.cues.low and i.cues.high for i in s.issues)


def test_bad_official_dates_and_unknown_fields_are_named_with_line_and_path() -> None:
    text = _ukraine_text().replace(
        "    officials:\n      - {name: Donald Tusk, role: prime minister, from: 2023-12-13}\n",
        "    officials:\n      - {name: Donald Tusk, role: prime minister, from: 2023-12-13, "
        "to: 2020-01-01}\n      - {name: X, role: y, form: 2023-12-13}\n"
        "      - {name: Z, role: y, from: 13/12/2023}\n",
    )
    text = text.replace(
        '    cues:\n      "0": ["outside Ukraine"',
        '    cues:\n      hi: [x]\n      "0": ["outside Ukraine"',
    )
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="u.yaml")
    found = [str(p) for p in info.value.problems]
    assert any("actors[POL].officials[0]: 'to' 2020-01-01 is before 'from'" in p for p in found)
    assert any("actors[POL].officials[1].form: unknown field" in p for p in found)
    assert any("actors[POL].officials[2].from: expected a date" in p for p in found)
    assert any("issues[zone].cues.hi: unknown field" in p for p in found)
    assert all(p.startswith("u.yaml:") for p in found)
