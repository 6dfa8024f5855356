"""DEU files: write what was read and read it back (reader tests: tests/forecast/test_deu.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from peaceops.io import deu_model_file, read_deu, write_deu


def test_the_dev_split_survives_a_round_trip(shared_data: Path, tmp_path: Path) -> None:
    data = read_deu(shared_data / "deu" / "deu3_dev.tsv")
    write_deu(tmp_path / "again.tsv", data)
    back = read_deu(tmp_path / "again.tsv")
    assert back.actors == data.actors
    assert len(back.issues) == len(data.issues) == 198
    for a, b in zip(back.issues, data.issues, strict=True):
        assert (a.proposal, a.issue, a.rule, a.procedure) == (
            b.proposal,
            b.issue,
            b.rule,
            b.procedure,
        )
        np.testing.assert_array_equal(a.positions, b.positions)
        np.testing.assert_allclose(a.salience, b.salience, rtol=1e-15)
        np.testing.assert_array_equal(a.imputed, b.imputed)
        np.testing.assert_array_equal(
            [a.reference_point, a.outcome], [b.reference_point, b.outcome]
        )


def test_one_proposal_is_one_negotiation_with_its_reference_point(shared_data: Path) -> None:
    model = deu_model_file(read_deu(shared_data / "deu" / "deu3_dev.tsv"), "d00060")
    assert model.format == "deu"
    assert model.data.issues == ("d00060i1", "d00060i2")
    # the file's first data lines: the 'buses' issues have rp blank and 0
    np.testing.assert_array_equal(model.data.status_quo, [np.nan, 0.0])
    assert model.data.clout[model.data.actors.index("de")] == 29.0
