"""KTAB's SMP input files: CSV and XML layouts, round trips, options and errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from peaceops.errors import ScenarioError
from peaceops.io import (
    forecast_model_file,
    read_ktab_csv,
    read_ktab_xml,
    read_model_file,
    write_ktab_csv,
    write_ktab_xml,
)

CSV_TEXT = """\
Demo,"A small example",3,2,
Actor,Description,Power,Speed,Sal1,Size,Sal2,
North,"North bloc",40,80,60,10,50,
South,"South bloc",35,20,90,70,20,
Mediator,,10,50,30,40,80,
"""

XML_TEXT = """\
<?xml version="1.0" encoding="UTF-8"?>
<Scenario>
  <name>Demo</name>
  <desc>A small example</desc>
  <prngSeed>0</prngSeed>
  <Dimensions><dName>Speed</dName><dName>Size</dName></Dimensions>
  <Actors>
    <Actor><name>North</name><description>North bloc</description><capability>40</capability>
      <Position><dCoord>80</dCoord><dCoord>10</dCoord></Position>
      <Salience><dSal>60</dSal><dSal>50</dSal></Salience></Actor>
    <Actor><name>South</name><description>South bloc</description><capability>35</capability>
      <Position><dCoord>20</dCoord><dCoord>70</dCoord></Position>
      <Salience><dSal>90</dSal><dSal>20</dSal></Salience></Actor>
    <Actor><name>Mediator</name><description></description><capability>10</capability>
      <Position><dCoord>50</dCoord><dCoord>40</dCoord></Position>
      <Salience><dSal>30</dSal><dSal>80</dSal></Salience></Actor>
  </Actors>
</Scenario>
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_gives_names_capabilities_positions_and_salience_on_0_1(tmp_path: Path) -> None:
    model = read_ktab_csv(_write(tmp_path, "demo.csv", CSV_TEXT))
    d = model.data
    assert (model.name, model.description, model.format) == ("Demo", "A small example", "ktab-csv")
    assert d.actors == ("North", "South", "Mediator")
    assert d.issues == ("Speed", "Size")
    np.testing.assert_array_equal(d.positions, [[80, 10], [20, 70], [50, 40]])
    np.testing.assert_allclose(d.salience, [[0.6, 0.5], [0.9, 0.2], [0.3, 0.8]])
    np.testing.assert_array_equal(d.clout, [40, 35, 10])
    assert model.actor_descriptions == ("North bloc", "South bloc", "")
    assert np.isnan(d.status_quo).all()


def test_csv_and_xml_of_the_same_model_give_the_same_data_and_forecast(tmp_path: Path) -> None:
    csv_model = read_model_file(_write(tmp_path, "demo.csv", CSV_TEXT))
    xml_model = read_model_file(_write(tmp_path, "demo.xml", XML_TEXT))
    assert xml_model.format == "ktab-xml"
    for field in ("positions", "salience", "clout"):
        np.testing.assert_array_equal(
            getattr(csv_model.data, field), getattr(xml_model.data, field)
        )
    assert csv_model.data.actors == xml_model.data.actors
    a = forecast_model_file(csv_model, rounds=6)
    b = forecast_model_file(xml_model, rounds=6)
    for name, res in a.results.items():
        np.testing.assert_array_equal(res.trajectory, b.results[name].trajectory, err_msg=name)


def test_shared_example_as_csv_and_as_xml_gives_the_same_smp_forecast(
    shared_data: Path, tmp_path: Path
) -> None:
    csv_model = read_ktab_csv(shared_data / "ktab" / "dummyData_3Dim.csv")
    write_ktab_xml(tmp_path / "dummy.xml", csv_model)
    xml_model = read_ktab_xml(tmp_path / "dummy.xml")
    a = forecast_model_file(csv_model, models=["smp", "compromise"], rounds=12)
    b = forecast_model_file(xml_model, models=["smp", "compromise"], rounds=12)
    for name in ("smp", "compromise"):
        np.testing.assert_allclose(
            a.results[name].trajectory, b.results[name].trajectory, rtol=0, atol=1e-12
        )


@pytest.mark.parametrize(("writer", "reader"), [(write_ktab_csv, read_ktab_csv),
                                               (write_ktab_xml, read_ktab_xml)])  # fmt: skip
def test_write_then_read_gives_the_model_back(tmp_path: Path, writer, reader) -> None:  # type: ignore[no-untyped-def]
    model = read_ktab_csv(_write(tmp_path, "demo.csv", CSV_TEXT))
    out = tmp_path / "out.txt"
    writer(out, model)
    back = reader(out)
    assert (back.name, back.description, back.actor_descriptions) == (
        model.name,
        model.description,
        model.actor_descriptions,
    )
    assert back.data.actors == model.data.actors
    assert back.data.issues == model.data.issues
    for field in ("positions", "salience", "clout"):
        np.testing.assert_allclose(
            getattr(back.data, field), getattr(model.data, field), rtol=1e-15
        )


def test_xml_model_parameters_become_smp_keywords_and_survive_a_round_trip(tmp_path: Path) -> None:
    text = XML_TEXT.replace(
        "<prngSeed>0</prngSeed>",
        "<prngSeed>0</prngSeed><ModelParameters><VictoryProbModel>Square</VictoryProbModel>"
        "<PCEModel>Conditional</PCEModel><StateTransitions>Deterministic</StateTransitions>"
        "<VotingRule>PropCbc</VotingRule><BigRAdjust>Half</BigRAdjust><BigRRange>Mid</BigRRange>"
        "<ThirdPartyCommit>NoCommit</ThirdPartyCommit><InterVecBrgn>S2P2</InterVecBrgn>"
        "<BargnModel>PWCompInterp</BargnModel></ModelParameters>",
    )
    model = read_ktab_xml(_write(tmp_path, "p.xml", text))
    expected = {
        "victory_model": "square",
        "vote_rule": "prop_cubic",
        "big_r_adjust": "half",
        "third_party": "none",
        "bargain_model": "pw_comp",
    }
    assert model.smp_options == expected
    write_ktab_xml(tmp_path / "again.xml", model)
    assert read_ktab_xml(tmp_path / "again.xml").smp_options == expected


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        read_model_file(path)
    return [str(p) for p in info.value.problems]


def test_csv_errors_name_the_file_and_line(tmp_path: Path) -> None:
    bad = CSV_TEXT.replace('South bloc",35,20', 'South bloc",35,abc').replace(",80,60,", ",180,60,")
    path = _write(tmp_path, "bad.csv", bad)
    found = _problems(path)
    assert f"{path}:3: North.position[1]: must be within 0..100; got '180'" in found
    assert f"{path}:4: South.position[1]: not a number: 'abc'" in found


def test_csv_with_fewer_actor_lines_than_announced_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "short.csv", CSV_TEXT.replace(",3,2,", ",4,2,", 1))
    assert any("announces 4 actors; the file has 3" in p for p in _problems(path))


def test_csv_duplicate_actor_names_its_first_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "dup.csv", CSV_TEXT.replace("Mediator,", "North,"))
    assert f"{path}:5: North: duplicate actor (first on line 3)" in _problems(path)


def test_malformed_xml_gives_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.xml", XML_TEXT.replace("</Actors>", "</Actor>"))
    found = _problems(path)
    assert len(found) == 1
    assert found[0] == f"{path}:17: not well-formed XML: mismatched tag"


def test_xml_stochastic_transitions_and_missing_capability_are_rejected(tmp_path: Path) -> None:
    text = XML_TEXT.replace(
        "<prngSeed>0</prngSeed>",
        "<prngSeed>0</prngSeed>\n<ModelParameters><StateTransitions>Stochastic"
        "</StateTransitions></ModelParameters>",
    ).replace("<capability>35</capability>", "")
    path = _write(tmp_path, "bad.xml", text)
    found = _problems(path)
    assert any(p.startswith(f"{path}:6: StateTransitions: got 'Stochastic'") for p in found)
    assert any(p.startswith(f"{path}:12: Actor: missing capability") for p in found)


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    text = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<Scenario/>\n'
    assert "entity declarations are not allowed" in _problems(_write(tmp_path, "e.xml", text))[0]


def test_unknown_suffix_asks_for_a_format(tmp_path: Path) -> None:
    assert "cannot tell the format" in _problems(_write(tmp_path, "x.dat", CSV_TEXT))[0]
