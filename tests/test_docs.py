"""The docs cover every scenario field and every CLI command."""

from __future__ import annotations

import typing
from pathlib import Path

from pydantic import BaseModel

import peaceops.scenario.model as model

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _models(tp: object, seen: set[type[BaseModel]]) -> None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return
        seen.add(tp)
        for field in tp.model_fields.values():
            _models(field.annotation, seen)
        return
    for arg in typing.get_args(tp):
        _models(arg, seen)


def test_every_scenario_field_is_documented() -> None:
    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    seen: set[type[BaseModel]] = set()
    _models(model.Scenario, seen)
    missing = sorted(
        f"{m.__name__}.{name}"
        for m in seen
        for name, field in m.model_fields.items()
        if f"`{field.alias or name}`" not in text and f"`{name}`" not in text
    )
    assert missing == []


def test_every_kind_is_documented() -> None:
    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    seen: set[type[BaseModel]] = set()
    _models(model.Scenario, seen)
    kinds = set()
    for m in seen:
        kind = m.model_fields.get("kind")
        if kind is not None:
            kinds.update(a for a in typing.get_args(kind.annotation) if isinstance(a, str))
    assert kinds
    assert sorted(k for k in kinds if f"`{k}`" not in text) == []


def test_every_command_is_in_the_cli_docs() -> None:
    from peaceops.cli._docs import command_names

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    names = command_names()
    assert {"run", "validate", "runs list"} <= set(names)
    assert sorted(n for n in names if f"## peaceops {n}" not in text) == []


def test_cli_docs_are_fresh() -> None:
    from peaceops.cli._docs import render_cli_docs

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert text == render_cli_docs(), "regenerate: python -m peaceops.cli._docs > docs/cli.md"
