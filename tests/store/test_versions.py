"""Scenario versions: kept with text, diff and note, never overwritten; stale saves conflict."""

from __future__ import annotations

import threading

import pytest

from peaceops.scenario import parse_scenario
from peaceops.store import (
    VersionConflictError,
    get_version,
    latest_version,
    list_versions,
    open_store,
    save_version,
)
from peaceops_testing import template_text


def test_versions_keep_text_diff_and_note_and_never_overwrite(store_url: str) -> None:
    first = template_text()
    second = first.replace("name: Demo", "name: Demo edited")
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            v1 = save_version(
                conn,
                name="demo",
                base=0,
                text=first,
                scenario=parse_scenario(first),
                note="uploaded",
                origin="upload",
            )
            v2 = save_version(
                conn,
                name="demo",
                base=1,
                text=second,
                scenario=parse_scenario(second),
                note="renamed",
                origin="edit",
            )
        with engine.connect() as conn:
            listed = list_versions(conn, "demo")
            stored_1 = get_version(conn, "demo", 1)
            stored_2 = get_version(conn, "demo", 2)
            latest = latest_version(conn, "demo")
    finally:
        engine.dispose()
    assert (v1.version, v2.version, latest) == (1, 2, 2)
    assert [v.version for v in listed] == [2, 1]
    assert stored_1.text == first
    assert stored_2.text == second
    assert "-name: Demo\n" in stored_2.diff
    assert "+name: Demo edited\n" in stored_2.diff
    assert (stored_2.note, stored_2.base_version, stored_1.base_version) == ("renamed", 1, None)


def test_saving_against_a_stale_base_conflicts_and_writes_nothing(store_url: str) -> None:
    text = template_text()
    s = parse_scenario(text)
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            save_version(conn, name="demo", base=0, text=text, scenario=s, note="a", origin="edit")
        with (
            pytest.raises(
                VersionConflictError, match="saved as version 1 since you opened version 0"
            ),
            engine.begin() as conn,
        ):
            save_version(conn, name="demo", base=0, text=text, scenario=s, note="b", origin="edit")
        with engine.connect() as conn:
            assert [v.note for v in list_versions(conn, "demo")] == ["a"]
    finally:
        engine.dispose()


def test_two_concurrent_saves_of_one_base_store_exactly_one(store_url: str) -> None:
    text = template_text()
    s = parse_scenario(text)
    engine = open_store(store_url)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(note: str) -> None:
        barrier.wait()
        try:
            with engine.begin() as conn:
                save_version(
                    conn, name="demo", base=0, text=text, scenario=s, note=note, origin="edit"
                )
            outcomes.append("saved")
        except VersionConflictError:
            outcomes.append("conflict")

    try:
        threads = [threading.Thread(target=save, args=(n,)) for n in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with engine.connect() as conn:
            stored = list_versions(conn, "demo")
    finally:
        engine.dispose()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert len(stored) == 1
