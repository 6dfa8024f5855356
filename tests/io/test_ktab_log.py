"""KTAB ``smpc`` logs: reading whatever the actor names, round trips, the turn-by-turn check."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from peaceops.errors import ScenarioError
from peaceops.io import compare_with_log, read_ktab_csv, read_ktab_log, write_ktab_log


@pytest.fixture
def ktab(shared_data: Path) -> Path:
    folder = shared_data / "ktab"
    if not (folder / "ref-dummyData_3Dim.txt").is_file():
        pytest.skip("../shared/data/ktab is not present")
    return folder


def test_shared_log_holds_eleven_states_and_the_probability_history(ktab: Path) -> None:
    log = read_ktab_log(ktab / "ref-dummyData_3Dim.txt")
    assert log.actors == tuple(f"SActor-0{i}" for i in range(7))
    assert log.dimensions == ("Pstn1", "Pstn2", "Pstn3")
    assert log.n_states == 11
    assert len(log.positions) == 11
    assert len(log.risk) == 11
    assert log.prob.shape == (7, 11)
    # the log's own lines: initial pos[0, 0] = 75.790, first "prob" value 0.0047
    assert log.positions[0][0, 0] == 75.79
    assert log.prob[0, 0] == 0.0047
    assert log.smp_options() == {}  # KTAB's defaults throughout


def test_ktab_mode_reproduces_the_shared_log_to_1e_14(ktab: Path) -> None:
    model = read_ktab_csv(ktab / "dummyData_3Dim.csv")
    result = compare_with_log(model, read_ktab_log(ktab / "ref-dummyData_3Dim.txt"))
    assert (result.turns_log, result.turns_model) == (10, 10)
    assert len(result.deviation) == 11
    assert result.max_deviation < 2e-14  # docs/smp.md: 7e-15 at turn 0, 1.4e-14 after


def test_short_actor_names_are_read_and_matched(ktab: Path, tmp_path: Path) -> None:
    """A log whose actors are called US, EU, ... (not SActor-N) is read, and its actors are
    matched to the model file's by name even in another order."""
    log = read_ktab_log(ktab / "ref-dummyData_3Dim.txt")
    names = ("US", "EU", "CN", "RU", "IN", "BR", "ZA")
    renamed = replace(log, actors=names)
    write_ktab_log(tmp_path / "short.txt", renamed)
    back = read_ktab_log(tmp_path / "short.txt")
    assert back.actors == names
    assert back.prob.shape == (7, 11)
    model = read_ktab_csv(ktab / "dummyData_3Dim.csv")
    order = [6, 5, 4, 3, 2, 1, 0]
    d = model.data
    shuffled = replace(
        model,
        data=replace(
            d,
            actors=tuple(names[i] for i in order),
            positions=d.positions[order],
            salience=d.salience[order],
            clout=d.clout[order],
        ),
    )
    assert compare_with_log(shuffled, back).max_deviation < 2e-14


def test_write_then_read_gives_every_field_back(ktab: Path, tmp_path: Path) -> None:
    log = read_ktab_log(ktab / "ref-dummyData_3Dim.txt")
    write_ktab_log(tmp_path / "log.txt", log)
    back = read_ktab_log(tmp_path / "log.txt")
    assert (back.actors, back.dimensions, back.parameters) == (
        log.actors,
        log.dimensions,
        log.parameters,
    )
    for a, b in zip(back.positions, log.positions, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(np.array(back.risk), np.array(log.risk))
    assert back.targets == log.targets
    assert back.no_target == log.no_target
    assert back.ratios == log.ratios
    assert back.n_states == log.n_states
    np.testing.assert_array_equal(back.prob, log.prob)


def test_a_log_without_actors_or_with_a_bad_number_is_rejected_with_its_line(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("Software version:  smpc 0.1\n")
    with pytest.raises(ScenarioError, match="no 'Number of actors: N' line"):
        read_ktab_log(empty)
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "Number of actors: 1\nActor: 0 name: A\npos[0, 0] =  10.0\npostn 0 , 0 : \n 1.0 x\n"
    )
    with pytest.raises(ScenarioError) as info:
        read_ktab_log(bad)
    assert str(info.value.problems[0]) == f"{bad}:5: expected numbers; got '1.0 x'"


def test_a_log_of_another_size_is_refused(ktab: Path, tmp_path: Path) -> None:
    log = read_ktab_log(ktab / "ref-dummyData_3Dim.txt")
    model = read_ktab_csv(ktab / "dummyData_3Dim.csv")
    small = replace(model, data=replace(model.data, actors=model.data.actors[:3],
                                        positions=model.data.positions[:3],
                                        salience=model.data.salience[:3],
                                        clout=model.data.clout[:3]))  # fmt: skip
    with pytest.raises(ScenarioError, match="the log has 7 actors and 3 dimensions"):
        compare_with_log(small, log)
