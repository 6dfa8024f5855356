"""Evidence: reading, statements of each kind, modality, gazetteer, patch, apply, diff."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from evidence_corpus import (
    MISS_KINDS,
    CorpusDoc,
    Gold,
    agreement,
    is_written,
    miss_reasons,
    read_corpus,
    read_file,
    score,
)
from typer.testing import CliRunner

from peaceops.cli.app import app
from peaceops.errors import ScenarioError
from peaceops.evidence import (
    build_gazetteer,
    diff_scenarios,
    extract_candidates,
    parse_text,
    read_document_file,
)
from peaceops.evidence.reader import split_text
from peaceops.scenario import load_scenario

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"


def one(scenario, text):  # type: ignore[no-untyped-def]
    found = extract_candidates(scenario, parse_text(text, kind="text"), learned=False)
    assert len(found) == 1, found
    return found[0]


def test_negated_pledge_moves_towards_zero(ukraine) -> None:  # type: ignore[no-untyped-def]
    c = one(
        ukraine, "Poland's prime minister said his government does not intend to send soldiers."
    )
    assert (c.actor, c.kind, c.issue, c.direction, c.polarity) == (
        "POL", "pledge", "ground_presence", 0, "negative",
    )  # fmt: skip
    assert c.speech == "reported"
    assert c.locator == "p1 s1"


def test_hedged_pledge_is_marked_and_less_confident(ukraine) -> None:  # type: ignore[no-untyped-def]
    firm = one(ukraine, "Turkey will send troops to Ukraine, the Turkish defence ministry said.")
    hedged = one(
        ukraine, "Turkey is considering the participation of its troops, the ministry said."
    )
    assert hedged.hedged
    assert not firm.hedged
    assert hedged.kind == firm.kind == "pledge"
    assert hedged.direction == 100
    assert hedged.confidence < firm.confidence


def test_red_line_from_a_metonym_and_a_role(ukraine) -> None:  # type: ignore[no-untyped-def]
    c = one(ukraine, "Moscow's UN envoy called such a mission a legitimate target.")
    assert (c.actor, c.kind, c.issue, c.direction) == ("RUS", "red_line", "ground_presence", 0)
    k = one(ukraine, "The Kremlin said NATO troops in Ukraine were unacceptable.")
    assert (k.actor, k.kind, k.issue, k.direction) == ("RUS", "red_line", "nato_share", 0)


def test_event_and_stance(ukraine) -> None:  # type: ignore[no-untyped-def]
    e = one(ukraine, "Rubio and Lavrov met in Riyadh for four hours.")
    assert e.kind == "event"
    assert e.issue is None
    s = one(ukraine, "Macron said the force would deter Russia from a new attack.")
    assert (s.actor, s.kind, s.issue, s.direction) == ("FRA", "stance", "mandate", 100)


def test_conditions_and_direct_speech(ukraine) -> None:  # type: ignore[no-untyped-def]
    c = one(ukraine, '"We will send 2,000 troops only after a ceasefire," Macron said.')
    assert c.speech == "direct"
    assert c.quantity == 2000
    assert any(x.startswith("only after a ceasefire") for x in c.conditions)


def test_dated_officials(ukraine) -> None:  # type: ignore[no-untyped-def]
    g = build_gazetteer(ukraine)
    assert [m.code for m in g.find("Tusk spoke.")] == ["POL"]
    # Sunak left office on 2024-07-05, before the scenario's date: not matched.
    assert g.find("Rishi Sunak spoke.") == []
    assert "rishi sunak" in g.out_of_office
    # Rutte: NATO's Secretary General by April 2025 (no longer Dutch prime minister).
    assert [m.code for m in g.find("Mark Rutte spoke.")] == ["NATO"]


def test_another_scenarios_actors_are_not_in_the_scenario(ukraine) -> None:  # type: ignore[no-untyped-def]
    text = "The Israeli prime minister said peacekeepers should move north."
    c = one(ukraine, text)
    assert c.actor == "ISR"
    assert not c.in_scenario


def test_first_person_sentences_are_the_authors(ukraine) -> None:  # type: ignore[no-untyped-def]
    doc = parse_text("We will not send troops to Ukraine.", kind="text")
    assert extract_candidates(ukraine, doc) == ()  # nobody named: no speaker
    for author in ("POL", "pol", "Poland", "Warsaw"):
        (c,) = extract_candidates(ukraine, doc, author=author)
        assert (c.actor, c.issue, c.direction, c.polarity) == (
            "POL", "ground_presence", 0, "negative",
        )  # fmt: skip
    # a reference-list actor that is not in the scenario can be the author
    (c,) = extract_candidates(ukraine, doc, author="NATO")
    assert (c.actor, c.in_scenario) == ("NATO", False)


def test_an_author_reports_others_speaking(ukraine) -> None:  # type: ignore[no-untyped-def]
    text = "I know that France has said it wants to send troops to Ukraine."
    (c,) = extract_candidates(ukraine, parse_text(text, kind="text"), author="USA")
    assert (c.actor, c.issue, c.direction) == ("FRA", "ground_presence", 100)


def test_unknown_author_is_an_error(ukraine) -> None:  # type: ignore[no-untyped-def]
    doc = parse_text("We will not send troops to Ukraine.", kind="text")
    with pytest.raises(ScenarioError, match="unknown author 'Atlantis'"):
        extract_candidates(ukraine, doc, author="Atlantis")


def test_cli_author_unknown_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    art = tmp_path / "speech.txt"
    art.write_text("We will not send troops to Ukraine.\n")
    out = tmp_path / "patch.yaml"
    r = runner.invoke(app, ["extract", str(art), "--author", "Atlantis", "--out", str(out)])
    assert r.exit_code == 2
    assert "--author" in r.output
    assert "unknown actor 'Atlantis'" in r.output
    assert "Traceback" not in r.output
    assert not out.exists()
    r = runner.invoke(app, ["extract", str(art), "--author", "Poland", "--out", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "actor: POL" in text
    assert "issue: ground_presence" in text


TRANSCRIPT = """THE PRESIDENT: We will not send troops to Ukraine.

Q Would you send troops to Ukraine?
Will you send peacekeepers to Ukraine now.

We will not deploy troops to Ukraine.

SECRETARY RUBIO: We want a US backstop for the force.

PRESIDENT MACRON: We are ready to send troops to Ukraine.

MR. NOBODY: We will send troops to Ukraine.
"""


def test_transcript_speaker_labels_and_questions(ukraine) -> None:  # type: ignore[no-untyped-def]
    doc = parse_text(TRANSCRIPT, kind="text")
    found = extract_candidates(ukraine, doc, author="USA")
    got = [(c.locator, c.actor, c.issue, c.direction) for c in found]
    assert got == [
        ("p1 s1", "USA", "ground_presence", 0),  # THE PRESIDENT is the author
        # p2: a reporter's question, both sentences: never a statement
        ("p3 s1", "USA", "ground_presence", 0),  # after the question, the President again
        ("p4 s1", "USA", "us_backstop", 100),  # Rubio: an official of the scenario
        ("p5 s1", "FRA", "ground_presence", 100),  # a named label of another actor
        ("p6 s1", "USA", "ground_presence", 100),  # an unknown name: the author's side
    ]
    assert found[0].quote == "THE PRESIDENT: We will not send troops to Ukraine."
    # without an author, THE PRESIDENT and MR. NOBODY are nobody; the named labels speak
    bare = extract_candidates(ukraine, doc)
    assert [(c.locator, c.actor) for c in bare] == [("p4 s1", "USA"), ("p5 s1", "FRA")]


def test_a_dateline_is_not_a_speaker_label(ukraine) -> None:  # type: ignore[no-untyped-def]
    text = "KYIV: We will not send troops to Ukraine.\n\nMOSCOW: NATO troops are a threat."
    # `KYIV:` would make Ukraine the speaker of both sentences if read as a label
    assert extract_candidates(ukraine, parse_text(text, kind="text")) == ()


def test_corpus_headers_carry_the_author() -> None:
    docs = [d for d in read_corpus() if d.split == "real"]
    assert docs
    assert all(d.author for d in docs)
    by_id = {d.id: d.author for d in docs}
    assert (by_id["r01"], by_id["r10"]) == ("LBN", "USA")


def test_every_builtin_scenario_declares_cues() -> None:
    for name in ("ukraine-2025-04", "unifil-2006-08", "aspides-2024-02"):
        for issue in load_scenario(name).issues:
            assert issue.cues is not None, (name, issue.id)
            assert issue.cues.high, (name, issue.id)
            assert "j-cues" in issue.sources or name == "ukraine-2025-04", (name, issue.id)


def test_unifil_officials_and_cues() -> None:
    unifil = load_scenario("unifil-2006-08")
    text = "Massimo D'Alema said Italy would contribute troops to UNIFIL."
    (c,) = extract_candidates(unifil, parse_text(text, kind="text"))
    assert (c.actor, c.kind, c.issue, c.direction) == ("ITA", "pledge", "force_size", 100)
    text = "Fouad Siniora said Lebanon would not accept foreign troops on the Syrian border."
    (c,) = extract_candidates(unifil, parse_text(text, kind="text"))
    assert (c.actor, c.issue, c.direction) == ("LBN", "border_deployment", 0)


def test_empty_and_binary_files_are_rejected(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "img.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    for f in (empty, binary):
        with pytest.raises(ScenarioError, match=r"empty|not a text file"):
            read_document_file(f)
        out = tmp_path / f"{f.stem}.yaml"
        r = runner.invoke(app, ["extract", str(f), "--out", str(out)])
        assert r.exit_code == 2
        assert not out.exists()


def test_a_scenario_or_patch_given_as_the_article_is_refused(tmp_path: Path) -> None:
    scenario = tmp_path / "mission.yaml"
    scenario.write_text("id: [demo\nname: {\n")
    out = tmp_path / "patch.yaml"
    r = runner.invoke(app, ["extract", str(scenario), "--out", str(out)])
    assert r.exit_code == 2
    assert "not an article" in r.output
    assert "Traceback" not in r.output
    assert not out.exists()


def test_html_and_markdown_are_read(tmp_path: Path) -> None:
    h = tmp_path / "a.html"
    h.write_text("<html><title>T</title><script>x()</script><p>Tusk said no. Then.</p></html>")
    doc = read_document_file(h)
    assert doc.title == "T"
    assert [s.locator for s in doc.sentences] == ["p1 s1", "p1 s2"]
    m = tmp_path / "a.md"
    m.write_text("# Head\n\nMr. Tusk **said** no. Then [it](http://x) ended.\n")
    doc = read_document_file(m)
    assert doc.title == "Head"
    assert doc.sentences[1].text == "Mr. Tusk said no."


ARTICLE = """Poland's prime minister said his government does not intend to send soldiers.
Turkey will send 3,000 troops to Ukraine after a ceasefire, the Turkish defence ministry said.

Moscow's UN envoy called such a mission a legitimate target.
Rubio and Lavrov met in Riyadh for four hours.
The Israeli prime minister said peacekeepers should move north.
"""


def test_extract_apply_validate_diff(tmp_path: Path, ukraine) -> None:  # type: ignore[no-untyped-def]
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE)
    patch = tmp_path / "p.yaml"
    r = runner.invoke(
        app, ["extract", str(art), "--out", str(patch), "--publisher", "Wire", "--rules-only"]
    )
    assert r.exit_code == 0, r.output
    text = patch.read_text()
    assert "not_in_scenario" in text
    assert "ISR" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    for op in ("set_stance", "add_pledge", "add_red_line", "add_event"):
        assert f"op: {op}" in text
    text = re.sub(r"accept: false", "accept: true", text)
    patch.write_text(text)
    new = tmp_path / "new.yaml"
    r = runner.invoke(app, ["apply", str(patch), "--to", str(new)])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["validate", str(new)]).exit_code == 0
    again = runner.invoke(app, ["apply", str(patch), "--to", str(new)])
    assert again.exit_code == 2  # never overwrites
    after = load_scenario(new)
    d = diff_scenarios(ukraine, after, blocks=["changes"])
    changed = {(r["what"], r["change"]) for r in d.blocks[0].rows}
    assert ("red_lines", "added") in changed
    assert ("events", "added") in changed
    assert ("stances", "40 -> 25") in changed  # Poland's ground presence moved towards 0
    only = tmp_path / "only.yaml"
    r = runner.invoke(app, ["apply", str(patch), "--to", str(only), "--only", "c1"])
    assert r.exit_code == 0
    assert "1 change applied" in " ".join(r.output.split())


def test_extract_uses_the_learned_layer_by_default(tmp_path: Path) -> None:
    """The same article without ``--rules-only``: the learned layer relabels the rules'
    candidates, so the patch differs from the rules' one and every proposed change carries
    the model's probability (at least the layer's threshold, at most 0.99) as confidence;
    Poland's refusal, Moscow's red line and the meeting as an event are still proposed.
    (Which of the other sentences it keeps depends on the shipped weights: in session 6 the
    weights trained on nine splits dropped the Israeli prime minister's remark about
    Lebanon, those trained on eleven keep it.)"""
    from peaceops.evidence.learned import learned_model

    art = tmp_path / "a.txt"
    art.write_text(ARTICLE)
    learned, rules = tmp_path / "p.yaml", tmp_path / "r.yaml"
    r = runner.invoke(app, ["extract", str(art), "--out", str(learned)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["extract", str(art), "--rules-only", "--out", str(rules)])
    assert r.exit_code == 0, r.output
    text = learned.read_text()
    assert text != rules.read_text()
    for op in ("add_pledge", "add_red_line", "add_event"):
        assert f"op: {op}" in text
    scenario = load_scenario("ukraine-2025-04")
    model = learned_model(scenario.id, [i.id for i in scenario.issues])
    assert model is not None
    changes = yaml.safe_load(text)["changes"]
    with_issue = [c for c in changes if c.get("issue")]
    assert len(with_issue) >= 2
    assert all(model.threshold <= c["confidence"] <= 0.99 for c in with_issue), with_issue


def test_bad_patch_is_named_with_line_and_path(tmp_path: Path) -> None:
    patch = tmp_path / "p.yaml"
    patch.write_text("evidence_patch: 1\nscenario: ukraine-2025-04\nsource: {}\nchanges:\n"
                     "  - {id: c1, accept: maybe, change: {op: set_stance}}\n")  # fmt: skip
    r = runner.invoke(
        app,
        ["apply", str(patch), "--scenario", "ukraine-2025-04", "--to", str(tmp_path / "n.yaml")],
    )
    assert r.exit_code == 2
    assert "changes[c1].accept" in r.output
    assert ":5:" in r.output


@pytest.mark.slow
def test_diff_shows_the_outlook_change(tmp_path: Path, ukraine) -> None:  # type: ignore[no-untyped-def]
    import json

    art = tmp_path / "a.txt"
    art.write_text("Hegseth said the United States would provide a US backstop.\n")
    patch = tmp_path / "p.yaml"
    assert runner.invoke(app, ["extract", str(art), "--out", str(patch)]).exit_code == 0
    new = tmp_path / "n.yaml"
    r = runner.invoke(app, ["apply", str(patch), "--to", str(new), "--only", "c1"])
    assert r.exit_code == 0, r.output
    # Oracle by hand: USA's us_backstop stance is 10 in the scenario; a stance statement moves
    # an existing stance 15 points towards the direction (docs/evidence.md), so 25. The issue
    # is decided by the USA alone (the outlook says "USA's call"), so every static model's
    # forecast is the decider's position: 10 before, 25 after.
    assert ukraine.stances["USA"]["us_backstop"].position == 10
    after = load_scenario(new)
    d = diff_scenarios(ukraine, after, blocks=["forecast", "outlook"])
    forecast, outlook = d.blocks
    assert {"issue": "us_backstop", "compromise": "10 -> 25", "median": "10 -> 25",
            "nash": "10 -> 25"} in forecast.rows  # fmt: skip
    call = [r for r in outlook.rows if r["kind"] == "statement" and "USA's call" in r["old"]]
    assert len(call) == 1
    assert call[0]["change"] == "changed"
    assert "forecast 10-" in call[0]["old"]
    assert "forecast 25-" in call[0]["new"]
    figures = {r["key"]: (r["old"], r["new"]) for r in outlook.rows if r["kind"] == "figure"}
    for model in ("compromise", "median", "nash"):
        assert figures[f"headline.us_backstop.{model}"] == ("10.00", "25.00")
    # nothing in the patch touches forces or venues: the design and its coverage stay put
    assert not [k for k in figures if k.startswith(("design.", "gap.", "venue_blocks."))]
    same = {r["key"] for r in outlook.rows if r["change"] == "same"}
    assert {"design", "gap", "blocks"} <= same
    # the CLI: the block at 80 columns, and the same rows as JSON
    env = {"COLUMNS": "80", "PEACEOPS_DB": ""}
    r = runner.invoke(app, ["diff", "ukraine-2025-04", str(new), "--only", "outlook"], env=env)
    assert r.exit_code == 0, r.output
    assert all(len(line) <= 80 for line in r.stdout.splitlines())
    assert "after:  us_backstop is USA's call: forecast 25-" in r.stdout
    assert "headline.us_backstop.nash: 10.00 -> 25.00" in r.stdout
    r = runner.invoke(
        app, ["diff", "ukraine-2025-04", str(new), "--only", "outlook", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {x["block"] for x in rows} == {"outlook"}
    assert {"block": "outlook", "kind": "figure", "key": "headline.us_backstop.nash",
            "change": "moved", "old": "10.00", "new": "25.00"} in rows  # fmt: skip
    statements = [x for x in rows if x["kind"] == "statement"]
    assert len(statements) <= 10
    assert all(x["old"] and x["new"] for x in statements)
    r = runner.invoke(app, ["diff", "ukraine-2025-04", str(new), "--only", "changes,forecast",
                            "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    header = r.stdout.splitlines()[0].split(",")
    assert header[:4] == ["block", "what", "id", "change"]
    assert {"issue", "compromise"} <= set(header)  # the forecast block's columns too


def test_outlook_figures_are_flattened_to_dotted_keys() -> None:
    from peaceops.evidence.diff import _flatten

    figures = {
        "design": {"route": "COALITION", "coverage": 0.40509},
        "change": [
            {"issue": "zone", "source": "smp", "p_change": 0.354, "n": None},
            {"issue": "zone", "source": "monte_carlo", "p_change": 0.34, "n": 200},
        ],
        "venue_blocks": {"UNSC": ["RUS"], "NATO": ["HUN", "SVK"], "EU": []},
    }
    assert _flatten(figures) == {  # written out by hand
        "design.route": "COALITION",
        "design.coverage": "0.41",
        "change.smp.zone.p_change": "0.35",
        "change.smp.zone.n": "-",
        "change.monte_carlo.zone.p_change": "0.34",
        "change.monte_carlo.zone.n": "200",
        "venue_blocks.UNSC": "RUS",
        "venue_blocks.NATO": "HUN,SVK",
        "venue_blocks.EU": "-",
    }


def test_prose_block_wraps_to_the_width() -> None:
    from peaceops.evidence import DiffBlock

    long = "Blocked: UNSC in all 9 designs by RUS (red lines rus-no-nato-troops) " * 3
    rows = (
        {"kind": "statement", "key": "blocks", "change": "changed", "old": long, "new": "x"},
        {"kind": "statement", "key": "gap", "change": "same", "old": "y", "new": "y"},
        {"kind": "statement", "key": "talks 2", "change": "added", "old": None, "new": "z"},
        {"kind": "figure", "key": "gap.land", "change": "moved", "old": "5000", "new": "4000"},
    )
    text = DiffBlock("outlook", "Outlook", rows, "", prose=True).render_text(40)
    lines = text.splitlines()
    assert max(len(x) for x in lines) <= 40
    assert lines[:2] == ["Outlook", "  blocks (changed)"]
    assert lines[2].startswith("    before: Blocked: UNSC")
    assert "    after:  x" in lines
    assert "  talks 2 (added)" in lines
    assert "    after:  z" in lines
    assert "  unchanged: gap" in lines
    assert lines[-2:] == ["  figures that moved:", "    gap.land: 5000 -> 4000"]


def test_diff_outlook_of_a_scenario_with_itself_is_unchanged(ukraine) -> None:  # type: ignore[no-untyped-def]
    from peaceops.evidence.diff import COMPARISONS

    block = COMPARISONS["outlook"](ukraine, ukraine)
    assert block.rows
    assert {r["change"] for r in block.rows} == {"same"}
    assert block.summary.startswith("0 of ")


def test_corpus_size_and_split() -> None:
    docs = read_corpus()
    assert len(docs) >= 40
    blinds = range(2, 18)
    splits = {"dev", "test", "fresh", "real", "blind", *(f"blind{i}" for i in blinds)}
    assert {d.split for d in docs} == splits
    assert len({d.id for d in docs}) == len(docs)


def test_documented_figures_are_what_the_code_gets() -> None:
    text = DOCS.read_text(encoding="utf-8")
    got = score("test", learned=False)
    for field in ("actor", "kind", "issue", "direction", "polarity", "actor+issue+direction"):
        p, r = got[field]
        assert f"| {field} | {p:.2f} | {r:.2f} |" in text, field


def test_documented_real_split_figures_are_what_the_code_gets() -> None:
    """The held-out real texts: precision and recall with their counts, as in the docs."""
    text = DOCS.read_text(encoding="utf-8")
    got = score("real", learned=False)
    assert got["n_gold"] == 70
    for row in _field_rows(got):  # from the counts (5 of 13 is 0.38, not 0.385 rounded up)
        assert row in text, row


def test_documented_fresh_split_figures_are_what_the_code_gets() -> None:
    """The fresh written batch: all scenarios, and the Ukraine documents alone."""
    text = DOCS.read_text(encoding="utf-8")
    every, ukraine = (
        score("fresh", learned=False),
        score("fresh", scenario="ukraine-2025-04", learned=False),
    )
    assert (every["n_gold"], ukraine["n_gold"]) == (85, 60)
    for field in ("actor", "kind", "issue", "direction", "polarity", "actor+issue+direction"):
        (p, r), (pu, ru) = every[field], ukraine[field]
        row = f"| {field} | {p:.2f} | {r:.2f} | {pu:.2f} | {ru:.2f} |"
        assert row in text, row


def _field_rows(got: dict[str, Any]) -> list[str]:
    """The docs' rows ``| field | precision | recall | k of predicted | k of annotated |``."""
    rows = []
    for field in ("actor", "kind", "issue", "direction", "polarity", "actor+issue+direction"):
        k = got["correct"]["combined" if "+" in field else field]
        n_pred = got["n_predicted_issue"] if "+" in field else got["n_predicted"]
        n_gold = got["n_gold_issue"] if "+" in field else got["n_gold"]
        p, r = k / max(n_pred, 1), k / max(n_gold, 1)
        rows.append(f"| {field} | {p:.2f} | {r:.2f} | {k} of {n_pred} | {k} of {n_gold} |")
    return rows


def test_documented_blind_split_figures_are_what_the_code_gets() -> None:
    """The blind split (seen since its one blind score): the current rules' figures with their
    counts, as in the docs."""
    text = DOCS.read_text(encoding="utf-8")
    got = score("blind", learned=False)
    assert (got["n_gold"], got["n_gold_issue"]) == (171, 74)
    for row in _field_rows(got):
        assert row in text, row


def test_documented_blind2_split_figures_are_what_the_code_gets() -> None:
    """The second blind split (scored once, then the validation split of session 5): the
    current rules' figures as the docs give them after its historical table, by field and
    by part."""
    text = DOCS.read_text(encoding="utf-8")
    text = text[text.index("**Current rules** (after session 5") :]
    got = score("blind2", learned=False)
    assert (got["n_gold"], got["n_gold_issue"]) == (156, 91)
    for row in _field_rows(got):
        assert row in text, row
    for part in ("written", "real", "ukraine-2025-04", "unifil-2006-08", "aspides-2024-02"):
        by_part = part in ("written", "real")
        got = (
            score("blind2", part=part, learned=False)
            if by_part
            else score("blind2", scenario=part, learned=False)
        )
        k, n_pred, n_gold = (
            got["correct"]["combined"],
            got["n_predicted_issue"],
            got["n_gold_issue"],
        )
        p, r = k / max(n_pred, 1), k / max(n_gold, 1)
        row = f"| {p:.2f} ({k} of {n_pred}) | {r:.2f} ({k} of {n_gold}) |"
        assert row in text, (part, row)


@pytest.mark.parametrize(
    ("split", "heading", "counts"),
    [
        ("blind3", "### Session 5: recall rules, judged on blind3", (169, 110)),
        ("blind4", "### Fourth blind split (split `blind4`)", (170, 134)),
        ("blind5", "### Fifth blind split (split `blind5`)", (126, 93)),
    ],
)
def test_documented_later_blind_split_figures_are_what_the_code_gets(
    split: str, heading: str, counts: tuple[int, int]
) -> None:
    """The third blind split (scored once, then the validation split of session 5's recall
    rules) and the fourth (scored once, then one reader fix): the current rules' figures as
    the docs give them in their sections, by field and by part."""
    text = DOCS.read_text(encoding="utf-8")
    text = text[text.index(heading) :]
    got = score(split, learned=False)
    assert (got["n_gold"], got["n_gold_issue"]) == counts
    for row in _field_rows(got):
        assert row in text, row
    for part in ("written", "real", "ukraine-2025-04", "unifil-2006-08", "aspides-2024-02"):
        by_part = part in ("written", "real")
        got = (
            score(split, part=part, learned=False)
            if by_part
            else score(split, scenario=part, learned=False)
        )
        k, n_pred = got["correct"]["combined"], got["n_predicted_issue"]
        n_gold = got["n_gold_issue"]
        row = f"{k / max(n_pred, 1):.2f} at {k / max(n_gold, 1):.2f} ({k} of {n_pred})"
        assert row in " ".join(text.split()), (part, row)


def test_every_annotated_sentence_is_a_sentence_of_the_reader() -> None:
    """Scoring matches a candidate to the annotation of the same sentence: an annotation on a
    line the reader splits differently could never be found."""
    for doc in read_corpus():
        sentences = {s.text for s in parse_text(doc.text, kind="text").sentences}
        missing = [g.sentence for g in doc.gold if g.sentence not in sentences]
        assert not missing, (doc.id, missing[:1])


def test_real_texts_name_their_origin_and_licence() -> None:
    import csv

    path = Path(__file__).resolve().parents[1] / "data" / "evidence" / "manifest.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["split"] == "real"]
    assert len(rows) == 18
    for r in rows:
        assert r["licence"].startswith("public domain"), r["id"]
        assert r["url"].startswith("https://"), r["id"]
        assert r["repository"].startswith("github.com/"), r["id"]
        assert r["publisher"] in ("The White House", "United Nations General Assembly")
        load_scenario(r["scenario"])  # a built-in scenario
    sources = (path.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert "17 U.S.C. 105" in sources
    assert "ST/AI/189/Add.9/Rev.2" in sources


def test_manifest_lists_every_document_with_source_date_and_licence() -> None:
    import csv

    path = Path(__file__).resolve().parents[1] / "data" / "evidence" / "manifest.csv"
    with path.open(encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    docs = read_corpus()
    assert set(rows) == {d.id for d in docs}
    for d in docs:
        row = rows[d.id]
        assert (row["split"], row["date"], row["source"]) == (d.split, d.date, d.label)
        assert row["licence"]
        assert int(row["n_statements"]) == len(d.gold)
    assert sum(len(d.gold) for d in docs) >= 300


def test_restated_offer_with_a_new_condition_changes_the_pledge(tmp_path: Path, ukraine) -> None:  # type: ignore[no-untyped-def]
    art = tmp_path / "c.txt"
    art.write_text("Tusk said Poland will send troops to Ukraine only under a UN mandate.\n")
    patch = tmp_path / "p.yaml"
    assert runner.invoke(app, ["extract", str(art), "--out", str(patch)]).exit_code == 0
    text = patch.read_text()
    assert "op: set_conditions" in text or "op: add_pledge" in text
    new = tmp_path / "n.yaml"
    r = runner.invoke(app, ["apply", str(patch), "--to", str(new), "--only", "c1"])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["validate", str(new)]).exit_code == 0
    after = load_scenario(new)
    pol = [p for p in after.pledges if p.actor == "POL"]
    assert any(c.kind == "authorised_by" for p in pol for c in p.conditions)


def test_an_upper_case_acronym_ends_a_sentence() -> None:
    """`DR.` (a broadcaster) ends a sentence; `Dr.` (a title) does not."""
    text = "She told the broadcaster DR. Kristersson said no. Dr. Smith agreed."
    assert split_text(text) == (
        ("She told the broadcaster DR.", "Kristersson said no.", "Dr. Smith agreed."),
    )


def test_an_ordinal_is_no_abbreviation() -> None:
    """`1st.` ends a sentence (its `st` is not `St.` for Saint); `St. Louis` and `U.N.` do not."""
    text = "They met on December 1st. There is action in the U.N. Security Council. St. Louis."
    assert split_text(text) == (
        (
            "They met on December 1st.",
            "There is action in the U.N. Security Council.",
            "St. Louis.",
        ),
    )


def test_a_dotted_abbreviation_ends_a_sentence_before_a_word_that_opens_one() -> None:
    """`U.N.` / `U.S.` before `We` or `The` end a sentence; before a noun they do not."""
    text = (
        "We worked with the U.N. We worked with partners. Troops left the U.S. The rest stayed. "
        "The U.S. Navy sailed. The U.N. Security Council met."
    )
    assert split_text(text) == (
        (
            "We worked with the U.N.",
            "We worked with partners.",
            "Troops left the U.S.",
            "The rest stayed.",
            "The U.S. Navy sailed.",
            "The U.N. Security Council met.",
        ),
    )


def test_a_possessive_before_a_stop_is_no_initial() -> None:
    """`Washington's.` ends a sentence: its `s` is not an initial like the `J.` of `J. Smith`."""
    text = "They would not follow Washington's. Greece said so. J. Smith agreed."
    assert split_text(text) == (
        ("They would not follow Washington's.", "Greece said so.", "J. Smith agreed."),
    )


def test_a_paragraph_list_number_is_no_sentence() -> None:
    """`3. Russia has ...` (a numbered G7 statement in `blind12`, a training split) is one
    sentence; a number ending a sentence inside the paragraph still ends it."""
    text = "3. Russia has violated the Charter. It sent 12. Then it stopped.\n\n12 ships came."
    assert split_text(text) == (
        ("3. Russia has violated the Charter.", "It sent 12.", "Then it stopped."),
        ("12 ships came.",),
    )


def test_a_dotted_initialism_before_a_number_ends_no_sentence() -> None:
    """`8 U.S.C. 1189` (a White House order in `blind9`, found after its score) is one
    citation; `the U.S. 5th Fleet` goes on; a stop after a plain number still ends one."""
    text = "It is under 8 U.S.C. 1189. The U.S. 5th Fleet sailed. It had 12 ships. 7 came back."
    assert split_text(text) == (
        (
            "It is under 8 U.S.C. 1189.",
            "The U.S. 5th Fleet sailed.",
            "It had 12 ships.",
            "7 came back.",
        ),
    )


def test_a_description_states_no_position(ukraine) -> None:  # type: ignore[no-untyped-def]
    """No speech verb, no modal or evaluative word, no first person: background, no issue."""
    doc = parse_text("Germany has provided the largest contingent in Kosovo.", kind="text")
    assert extract_candidates(ukraine, doc, learned=False) == ()
    doc = parse_text("Germany will provide the largest contingent of troops.", kind="text")
    assert [c.issue for c in extract_candidates(ukraine, doc, learned=False)] == ["ground_presence"]
    doc = parse_text("Germany has provided troops, the ministry said.", kind="text")
    assert [c.issue for c in extract_candidates(ukraine, doc, learned=False)] == ["ground_presence"]


def test_a_name_inside_a_quotation_is_not_the_speaker(ukraine) -> None:  # type: ignore[no-untyped-def]
    """`Russia` inside the quotation is spoken of; the speaker (unknown here) is outside it.
    A rule of the speaker finder, so read by the rules alone (the learned layer may drop
    either sentence as no statement)."""
    quoted = parse_text('Foreign troops must "deter Russia", Smith said.', kind="text")
    assert [c.actor for c in extract_candidates(ukraine, quoted, learned=False)] == []
    plain = parse_text("Foreign troops must deter Russia, Russia said.", kind="text")
    assert [c.actor for c in extract_candidates(ukraine, plain, learned=False)] == ["RUS"]


def test_a_threat_frame_rejects_what_it_names(ukraine) -> None:  # type: ignore[no-untyped-def]
    """`X would be treated as ...` / `would be targets`: a red line against X."""
    for text in (
        "Zakharova said any foreign contingent would be treated as a party to the conflict.",
        "Shoigu said NATO forces in Ukraine would be targets.",
    ):
        c = one(ukraine, text)
        assert (c.actor, c.kind, c.polarity) == ("RUS", "red_line", "negative"), text
        assert c.direction == 0, text


def test_documented_miss_reasons_are_what_the_code_gets() -> None:
    """The table of where annotated statements go (docs/evidence.md, session 5)."""
    text = DOCS.read_text(encoding="utf-8")
    for group in ("dev,test,fresh", "real", "blind", "blind2", "blind3", "blind4", "blind5"):
        got = miss_reasons(tuple(group.split(",")))
        row = f"| {group} | " + " | ".join(str(got[k]) for k in MISS_KINDS) + " |"
        assert row in text, row


def test_agreement_of_two_annotators_by_hand() -> None:
    """Five sentences; the first annotator marks 1, 2, 3 and the second 1, 2, 4. Counted by
    hand: 3 of 5 lines agree on statement or not (p_o = 0.6), each annotator marks 3 of 5
    (p_e = 0.6 * 0.6 + 0.4 * 0.4 = 0.52), kappa = 0.08 / 0.48 = 0.167; of the second's 3
    statements naming an issue one matches the first's actor, issue and direction, of the
    first's 2 one is matched."""
    text = "One.\nTwo.\nThree.\nFour.\nFive."

    def doc(*gold: Gold) -> CorpusDoc:
        return CorpusDoc("x1", "s", "2025-01-01", "label", "title", text, gold)

    first = doc(
        Gold("One.", "FRA", "stance", "a", 0, "positive"),
        Gold("Two.", "FRA", "stance", "b", 100, "positive"),
        Gold("Three.", "GBR", "event", None, None, "positive"),
    )
    second = doc(
        Gold("One.", "FRA", "stance", "a", 0, "positive"),
        Gold("Two.", "FRA", "stance", "b", 0, "negative"),
        Gold("Four.", "GBR", "stance", "a", 100, "positive"),
    )
    got = agreement([first], [second])
    assert got["statement_kappa"] == round(0.08 / 0.48, 3)
    assert got["actor+issue+direction"] == (round(1 / 3, 3), 0.5)
    assert got["direction"] == (round(1 / 3, 3), round(1 / 3, 3))
    assert got["actor"] == (round(2 / 3, 3), round(2 / 3, 3))
    with pytest.raises(ValueError, match="different text"):
        agreement([first], [CorpusDoc("x1", "s", "d", "l", "t", "Other.", ())])


def test_documented_agreement_of_the_second_annotator() -> None:
    """The second annotator's agreement with the first on ``blind3`` (docs/evidence.md)."""
    first = [d for d in read_corpus() if d.split == "blind3"]
    second = read_file(
        Path(__file__).resolve().parents[1] / "data" / "evidence" / "second_blind3.txt"
    )
    text = DOCS.read_text(encoding="utf-8")
    for part, docs in (
        ("all 29 documents", first),
        ("15 written news passages", [d for d in first if is_written(d)]),
        ("14 real texts", [d for d in first if not is_written(d)]),
    ):
        ids = {d.id for d in docs}
        got = agreement(docs, [d for d in second if d.id in ids])
        k = got["correct"]["combined"]
        p, r = k / got["n_second_issue"], k / got["n_first_issue"]
        row = (
            f"| {part} | {p:.2f} ({k} of {got['n_second_issue']}) | "
            f"{r:.2f} ({k} of {got['n_first_issue']}) | {got['statement_kappa']:.2f}"
        )
        assert row in text, row


def test_held_out_split_is_listed_and_apart_from_the_corpus() -> None:
    """The held-out split (``heldout/``, annotated blind, not yet scored) is not read by
    :func:`read_corpus`, its manifest lists each document with its statement count, and no
    id is shared with the corpus. Nothing here runs the extractor on it."""
    import csv

    folder = Path(__file__).resolve().parents[1] / "data" / "evidence" / "heldout"
    docs = [d for path in sorted(folder.glob("corpus_*.txt")) for d in read_file(path)]
    if not docs:
        pytest.skip("no held-out split at present")
    with (folder / "manifest.csv").open(encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert set(rows) == {d.id for d in docs}
    for d in docs:
        assert (rows[d.id]["split"], rows[d.id]["date"]) == (d.split, d.date)
        assert int(rows[d.id]["n_statements"]) == len(d.gold)
        assert rows[d.id]["licence"]
    assert not {d.id for d in docs} & {d.id for d in read_corpus()}
    assert not {d.split for d in docs} & {d.split for d in read_corpus()}
