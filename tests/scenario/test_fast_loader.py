"""The libyaml path of the loader reads every document exactly as PyYAML's pure-Python path does.

The pure path is the oracle: an independent scanner and parser (PyYAML's Python code) against
libyaml's C. Both must give the same data, the same line for every field path and the same
problems, on the built-in scenarios, on hand-picked corners of YAML, on the loader's attacks
and on fuzzed documents.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import field_mutation, raw_bytes, text_mutation
from peaceops.scenario import _yaml, builtin_scenarios
from peaceops.scenario.load import read_text_bounded, resolve_scenario_path
from peaceops_testing import template_text

pytestmark = pytest.mark.skipif(not _yaml.HAVE_LIBYAML, reason="PyYAML built without libyaml")


def _outcome(text: str, *, fast: bool, json_first: bool = False) -> tuple[str, object, list[str]]:
    saved = _yaml._FAST
    _yaml._FAST = fast
    try:
        doc = _yaml.read_document(text, file="x.yaml", json_first=json_first)
    finally:
        _yaml._FAST = saved
    return repr(doc.data), sorted(doc.lines.items(), key=repr), [str(p) for p in doc.problems]


def _agree(text: str, *, json_first: bool = False) -> None:
    fast = _outcome(text, fast=True, json_first=json_first)
    pure = _outcome(text, fast=False, json_first=json_first)
    assert fast == pure


def test_the_locked_pyyaml_has_libyaml() -> None:
    assert _yaml._FAST


@pytest.mark.parametrize("name", builtin_scenarios())
def test_builtin_scenarios_read_the_same(name: str) -> None:
    _agree(read_text_bounded(resolve_scenario_path(name)))


def test_the_fast_path_composes_without_the_pure_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = _yaml._BoundedLoader.__init__

    def spy(self: _yaml._BoundedLoader, text: str) -> None:
        calls.append(text)
        real(self, text)

    monkeypatch.setattr(_yaml._BoundedLoader, "__init__", spy)
    doc = _yaml.read_document(template_text(), file="x.yaml")
    assert doc.problems == []
    assert calls == []
    broken = _yaml.read_document("a: [1, 2\n", file="x.yaml")  # read again by the pure path
    assert len(calls) == 1
    assert broken.problems[0].message.startswith("invalid YAML:")
    tabbed = _yaml.read_document("a:\tb\n", file="x.yaml")
    assert len(calls) == 2
    assert tabbed.problems[0].line == 1


CORNERS = [
    "a: 1\r\nb: [x\r\n",
    "a: 1\rb: 2\rc: [",
    "a: 1\x85b: [",
    "a: 1\u2028b: {",
    "\ufeffa: 1",
    "a:\tb",
    "a:\n\t- 1",
    "a: b: c",
    "%YAML 1.2\n---\na: 1",
    "%YAML 2.0\n---\na: 1",
    "%TAG !e! tag:yaml.org,2002:\n---\na: !e!str 1",
    "%FOO bar\n---\na: 1",
    "- - a\n  - b\n-",
    "? " + "k" * 1100 + "\n: 1",
    "k" * 1100 + ": 1",
    "a: 'x\n  y'\nb: \"\\u00e9\\x41\\q\"",
    "a: |\n  x\n b",
    "a: >-\n  x\n\n  y\n",
    "a: &x 1\nb: *y",
    "a: &x 1\nb: &x 2\nc: *x",
    "a: [&b 1, *b]",
    "--- a\n--- b",
    "a: 1\n...\nb: 2",
    "",
    "   ",
    "# only a comment",
    "{a: 1, a: 2}",
    "a: 0o17\nb: 0x1F\nc: 1_000\nd: .inf\ne: ~\nf: yes\ng: 2025-01-01\nh: 12:30\n",
    "a: !!str\nb: ! 1",
    "a:\n- 1\n- 2\nb:\n  - 3",
    "? a\n? b\n: c",
    "@a",
    "`a",
    "a: *",
    "&",
    "[a, b]: 1",
    "!!map {a: 1}",
    "a: \u00a0b",
    "a: 1 #c\n#d\nb: 2",
    "[" * 70 + "]" * 70,
    "a: &a [1, 2]\nb: [*a, *a, *a]\n",
]


@pytest.mark.parametrize("text", CORNERS)
def test_corners_of_yaml_read_the_same(text: str) -> None:
    _agree(text)


_FAST_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _fuzzed(seed: int) -> Iterator[str]:
    yield field_mutation(random.Random(seed))
    yield text_mutation(random.Random(seed))
    yield raw_bytes(random.Random(seed))


@_FAST_SETTINGS
@given(st.integers(0, 2**32 - 1))
def test_fuzzed_documents_read_the_same(seed: int) -> None:
    for text in _fuzzed(seed):
        _agree(text, json_first=text.startswith("{"))
