"""The loader cannot be made to crash or blow up: every attack is one ScenarioError, quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from peaceops.errors import ScenarioError
from peaceops.scenario import load_scenario, parse_scenario
from peaceops.scenario._yaml import MAX_BYTES
from peaceops_testing import template_text


def refused(text: str, *, json_first: bool = False) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="x.yaml", json_first=json_first)
    return [str(p) for p in info.value.problems]


def alias_bomb(levels: int = 9) -> str:
    """The 'billion laughs': each level lists the previous one nine times (9**9 values)."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for k in range(1, levels + 1):
        lines.append(f"l{k}: &l{k} [" + ",".join([f"*l{k - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_in_under_two_seconds() -> None:
    start = time.perf_counter()
    (message,) = refused(alias_bomb())
    assert time.perf_counter() - start < 2
    assert "once aliases are expanded" in message


def test_file_of_200_mb_is_refused_unread_in_under_two_seconds(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no disk used
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match="larger than the limit"):
        load_scenario(big)
    assert time.perf_counter() - start < 2


def test_text_over_the_size_limit_is_refused() -> None:
    (message,) = refused("a: " + "x" * MAX_BYTES)
    assert "the limit is" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("&a [*a]", "x.yaml:1: the alias *a refers to itself"),
        ("a: &a {b: *a}", "x.yaml:1: the alias *a refers to itself"),
        ("[" * 600 + "]" * 600, "x.yaml:1: nested deeper than 64 levels"),
        ("a: \x01", "x.yaml:1: control character '\\x01' is not allowed in a document"),
        ("a: !!python/object/apply:os.system ['true']", "the tag '!!python/object/apply"),
        ("a: !!binary aGk=", "the tag '!!binary' is not allowed"),
        ("a: !!timestamp 2025-01-01", "the tag '!!timestamp' is not allowed"),
        ("a: !local x", "the tag '!local' is not allowed"),
        ("a: !!float nope", "x.yaml:1: a: 'nope' is not a valid number"),
        ("a: !!int nope", "x.yaml:1: a: 'nope' is not a valid whole number"),
        ("as_of: 2025-13-01", "x.yaml:1: as_of: '2025-13-01' is not a valid date"),
        ("a: {<<: {b: 1}}", "x.yaml:1: a: merge keys (<<) are not supported"),
        ("? [1]\n: 2", "x.yaml:1: a mapping key must be a plain value"),
    ],
)
def test_attack_is_one_clear_problem(text: str, expected: str) -> None:
    (message,) = refused(text)
    assert expected in message


def test_many_aliases_are_refused() -> None:
    text = "a: &a x\nb: [" + ",".join(["*a"] * 1001) + "]\n"
    (message,) = refused(text)
    assert "more than 1000 aliases" in message


def test_deep_json_is_refused_before_the_json_parser_recurses() -> None:
    (message,) = refused("[" * 100_000 + "]" * 100_000, json_first=True)
    assert "nested deeper than 64 levels" in message


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"id: demo\nname: caf\xe9\n")
    with pytest.raises(ScenarioError, match=r"latin.yaml:2: not UTF-8 text \(byte 0xe9\)"):
        load_scenario(path)


def test_directory_given_as_the_scenario_says_so(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a directory; give a scenario file"):
        load_scenario(tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  - id: HST\n", "  - id: [HST]\n", "actors[0].id"),
        (
            "    requirements:           #",
            "    requirements: 1\n    unused:  #",
            "requirements",
        ),
        ("    changes:\n", "    changes: 1\n    unused:\n", "changes"),
        ("step_days: 7", "step_days: 100000000", "a round lasts at most 366 days"),
        ("horizon_rounds: 12", "horizon_rounds: 100000", "at most 1000 rounds"),
        ("quantity: 2\n", "quantity: 100000000000\n", "too large for a count"),
        ("value: 0.2, range: [0.1, 0.3]", "value: 0.0", "needs clout above 0"),
        ("start: 2025-01-01", "start: 9999-12-01", "falls after the year 9999"),
        ("    status_quo: 0\n", "    status_quo: .nan\n", "expected a finite number"),
    ],
)
def test_wrong_shapes_and_ranges_are_input_errors(old: str, new: str, expected: str) -> None:
    text = template_text()
    assert old in text
    messages = refused(text.replace(old, new, 1))
    assert any(expected in m for m in messages), messages
