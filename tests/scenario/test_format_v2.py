"""Format 2: every new field valid and broken (exact message, line, exit code 2), the packaged
membership lists, the taxonomy and the migration from format 1."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peaceops.cli.app import app
from peaceops.errors import ScenarioError
from peaceops.planning import option_matrix
from peaceops.scenario import load_scenario, parse_scenario
from peaceops.scenario.memberships import list_names, members_on
from peaceops.scenario.migrate import migrate_v1
from peaceops.scenario.model import DOMAINS
from peaceops_testing import template_text

FILE = "demo.yaml"
ROOT = Path(__file__).resolve().parents[2]


def _hand_case() -> str:
    """The planner's hand-worked case in format 1 (tests/planning/planning_cases.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "planning_cases", ROOT / "tests/planning/planning_cases.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.HAND).replace("__EXTRA_PLEDGES__", "")


HAND = _hand_case()


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file=FILE)
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i + 1 for i, line in enumerate(text.splitlines()) if needle in line)


def mutate(old: str, new: str) -> str:
    text = template_text()
    assert old in text, old
    return text.replace(old, new, 1)


RED = "    rule: {kind: no_troops, from_group: ALLIANCE, where: host_territory}"
CHANGE = "      - {actor: ADV, issue: ground_size, salience: 0.6}"
APPROVAL = "{kind: approval, body: Parliament, probability: 0.7}"

#: (case, old text, new text, text on the reported line, expected "path: message")
BROKEN = [
    (
        "choice of an undeclared dimension",
        "    design: {kind: route, values: {UNSC: 100, COALITION: 0}}",
        "    design: {kind: choice, dimension: nowhere}",
        "dimension: nowhere",
        "issues[un_authorisation].design.dimension: unknown dimension 'nowhere': "
        "define it under dimensions",
    ),
    (
        "a mission without the value of a dimension that has no levels",
        "    choices: {mandate: 20}",
        "    choices: {}",
        "choices: {}",
        "missions[monitors].choices: no value for dimension(s) ['mandate'] (they have no levels)",
    ),
    (
        "a mission fixing a planned dimension",
        "    choices: {mandate: 20}",
        "    choices: {mandate: 20, support: 50}",
        "support: 50",
        "missions[monitors].choices.support: dimension 'support' has levels: "
        "the planner chooses it",
    ),
    (
        "an unknown location",
        "location: host_territory}",
        "location: ashore}",
        "location: ashore",
        "missions[monitors].requirements[1].location: 'ashore' is not one of 'host_territory', "
        "'at_sea', 'neighbouring' or 'out_of_area'",
    ),
    (
        "an unknown membership list",
        "    members: {groups: [P5], actors: [NTR]}",
        "    members: {groups: [P5], lists: [ASEAN], actors: [NTR]}",
        "lists: [ASEAN]",
        "venues[UNSC].members.lists[0]: unknown membership list 'ASEAN' "
        "(packaged: EU, NATO, UNSC_ELECTED, UNSC_P5)",
    ),
    (
        "an unknown abstention rule",
        "    rule: {kind: consent}",
        "    rule: {kind: consent}\n    abstention: sometimes",
        "abstention: sometimes",
        "venues[PARTIES].abstention: 'sometimes' is not one of 'blocks', 'constructive' or "
        "'not_a_veto'",
    ),
    (
        "silent members who would block every decision",
        "    rule: {kind: consent}\n    members: {actors: [HST, ADV]}",
        "    rule: {kind: unanimity}\n    members: {lists: [EU]}",
        "id: PARTIES",
        "venues[PARTIES].silent_vote: impossible: members without a stance (27) would block "
        "every decision; give them stances, set silent_vote: yes or abstention: constructive",
    ),
    (
        "a conditional red line naming an unknown venue",
        RED,
        RED + "\n    when: {kind: authorised_by, venue: NATO}",
        "venue: NATO",
        "red_lines[adv-no-alliance].when.venue: unknown venue 'NATO': define it under venues",
    ),
    (
        "a red line conditional on a chance",
        RED,
        RED + "\n    unless: {kind: approval, body: x, probability: 0.5}",
        "unless:",
        "red_lines[adv-no-alliance].unless: kind 'approval' is not one of 'issue_min', "
        "'issue_max', 'authorised_by', 'after_event'",
    ),
    (
        "an event change without its new value",
        CHANGE,
        "      - {threat: adv-harass}",
        "{threat: adv-harass}",
        "events[ceasefire].changes[0]: a change of threat gives its new probability",
    ),
    (
        "an event change of a pledge that does not exist",
        CHANGE,
        "      - {pledge: nobody, quantity: 2}",
        "{pledge: nobody",
        "events[ceasefire].changes[0].pledge: unknown pledge 'nobody': define it under pledges",
    ),
    (
        "a vote held before the scenario date with an uncertain outcome",
        APPROVAL,
        "{kind: approval, body: Parliament, probability: 0.7, date: 2024-12-01}",
        "date: 2024-12-01",
        "pledges[ntr-inf].conditions[1].probability: the vote of 2024-12-01 is on or before "
        "as_of 2025-01-01: its outcome is known, so the probability must be 0 or 1",
    ),
    (
        "a threat by an unknown actor",
        "    actor: ADV\n    description: The adversary has said",
        "    actor: XXX\n    description: The adversary has said",
        "actor: XXX",
        "threats[adv-harass].actor: unknown actor 'XXX': define it under actors",
    ),
    (
        "a threat probability outside 0..1",
        "    probability: 0.1\n    range: [0.05, 0.2]",
        "    probability: 1.5\n    range: [0.5, 0.9]",
        "probability: 1.5",
        "threats[adv-harass].probability: 1.5 is outside 0..1",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "needle", "expected"),
    [c[1:] for c in BROKEN],
    ids=[c[0] for c in BROKEN],
)
def test_broken_v2_fields_name_line_path_and_exit_2(
    old: str, new: str, needle: str, expected: str, tmp_path: Path
) -> None:
    text = mutate(old, new)
    message = f"{FILE}:{line_of(text, needle)}: {expected}"
    assert message in problems(text)
    path = tmp_path / FILE
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:{line_of(text, needle)}: {expected}" in " ".join(result.output.split())


def test_valid_v2_fields() -> None:
    """Every new field in use at once validates and reads back."""
    text = mutate(RED, RED + "\n    unless: {kind: authorised_by, venue: UNSC}\n    active: true")
    text = text.replace(CHANGE, CHANGE + "\n      - {threat: adv-harass, probability: 0.3}")
    text = text.replace(APPROVAL, APPROVAL[:-1] + ", date: 2025-02-01}")
    text = text.replace(
        "    rule: {kind: consent}",
        "    rule: {kind: consent}\n    abstention: constructive\n    abstainers: {actors: [ADV]}",
    )
    s = parse_scenario(text)
    assert s.format_version == 2
    assert [d.id for d in s.dimensions] == ["mandate", "support"]
    assert s.dimension("support").levels == (0.0, 100.0)
    assert s.dimension("support").provided_by == ("LDR",)
    assert s.mission("monitors").choices == {"mandate": 20.0}
    assert s.mission("monitors").requirements[1].location == "host_territory"
    red = s.red_lines[0]
    assert red.unless is not None
    assert red.unless.kind == "authorised_by"
    assert s.threats[0].probability == 0.1
    assert s.events[0].changes[1].threat == "adv-harass"
    assert s.venue("PARTIES").abstention == "constructive"
    approval = s.pledges[1].conditions[1]
    assert approval.kind == "approval"
    assert approval.date == dt.date(2025, 2, 1)


def test_a_list_without_members_on_the_date_is_an_error() -> None:
    """Security Council elected members are packaged for 2005-2007 and 2023-2026 only."""
    text = mutate("as_of: 2025-01-01", "as_of: 2012-06-01").replace(
        "    members: {groups: [P5], actors: [NTR]}",
        "    members: {groups: [P5], lists: [UNSC_ELECTED], actors: [NTR]}",
    )
    line = line_of(text, "lists: [UNSC_ELECTED]")
    assert (
        f"{FILE}:{line}: venues[UNSC].members.lists[0]: the packaged list 'UNSC_ELECTED' has "
        "no members on 2012-06-01" in problems(text)
    )


# --------------------------------------------------------------------------- reference lists
def test_security_council_elected_members_by_year() -> None:
    """Against the UN's lists of members (terms of two years from 1 January)."""
    assert members_on("UNSC_ELECTED", dt.date(2006, 8, 11)) == (
        "ARG", "COG", "DNK", "GHA", "GRC", "JPN", "PER", "QAT", "SVK", "TZA",
    )  # fmt: skip
    assert members_on("UNSC_ELECTED", dt.date(2024, 2, 21)) == (
        "CHE", "DZA", "ECU", "GUY", "JPN", "KOR", "MLT", "MOZ", "SLE", "SVN",
    )  # fmt: skip
    assert set(members_on("UNSC_ELECTED", dt.date(2025, 4, 5))) == set(
        load_scenario("ukraine-2025-04").group_members("UNSC_ELECTED")
    )
    assert members_on("UNSC_P5", dt.date(2006, 1, 1)) == ("CHN", "FRA", "GBR", "RUS", "USA")


def test_alliance_and_union_membership_by_accession_date() -> None:
    """Sweden joined NATO on 7 March 2024, Bulgaria and Romania the EU on 1 January 2007; the
    United Kingdom left the EU on 31 January 2020."""
    assert len(members_on("NATO", dt.date(2024, 3, 6))) == 31
    assert len(members_on("NATO", dt.date(2024, 3, 7))) == 32
    assert len(members_on("NATO", dt.date(2006, 8, 26))) == 26
    assert len(members_on("EU", dt.date(2006, 8, 26))) == 25
    assert len(members_on("EU", dt.date(2007, 1, 1))) == 27
    assert "GBR" in members_on("EU", dt.date(2020, 1, 31))
    assert "GBR" not in members_on("EU", dt.date(2020, 2, 1))
    ukraine = load_scenario("ukraine-2025-04")
    for name in ("NATO", "EU"):
        assert set(members_on(name, ukraine.as_of)) == set(ukraine.group_members(name))
    assert list_names() == ("EU", "NATO", "UNSC_ELECTED", "UNSC_P5")


# --------------------------------------------------------------------------- taxonomy
def test_every_domain_of_the_capability_taxonomy_validates() -> None:
    rows = list(
        csv.DictReader(
            (ROOT / "src/peaceops/data/capability_taxonomy.csv").read_text().splitlines()
        )
    )
    domains = {r["domain"] for r in rows}
    assert {"ISR", "C4", "observation", "strategic"} <= domains
    assert {d.lower() for d in domains} <= set(DOMAINS)
    for domain in sorted(domains):
        text = mutate("domain: land", f"domain: {domain}")
        assert parse_scenario(text).capabilities[0].domain.value == domain.lower()


# --------------------------------------------------------------------------- migration
def test_migration_is_pure_and_plans_exactly_as_format_1() -> None:
    """The hand case in format 1 and its migrated document give the same option matrix."""
    import yaml

    v1 = yaml.safe_load(HAND)
    before = yaml.safe_dump(v1)
    v2 = migrate_v1(v1)
    assert yaml.safe_dump(v1) == before  # the input is left unchanged
    assert v2["format_version"] == 2
    assert "backstop_levels" not in v2["planning"]
    assert [d["id"] for d in v2["dimensions"]] == ["zone", "mandate", "timing", "backstop"]
    assert v2["dimensions"][3]["levels"] == [0, 100]
    mission = v2["missions"][0]
    assert mission["choices"] == {"zone": 50, "mandate": 50, "timing": 50}
    locations = [r.get("location", "host_territory") for r in mission["requirements"]]
    assert locations == ["host_territory", "out_of_area"]
    assert v2["issues"][0]["design"]["locations"] == ["host_territory"]
    old = option_matrix(parse_scenario(HAND)).to_rows()
    new = option_matrix(parse_scenario(yaml.safe_dump(v2, sort_keys=False))).to_rows()
    assert old == new


def test_migrate_command_writes_once_and_atomically(tmp_path: Path) -> None:
    src = tmp_path / "hand.yaml"
    src.write_text(HAND, encoding="utf-8")
    out = tmp_path / "hand-v2.yaml"
    runner = CliRunner()
    first = runner.invoke(app, ["migrate", str(src), "--to", str(out)])
    assert first.exit_code == 0, first.output
    assert parse_scenario(out.read_text()).format_version == 2
    again = runner.invoke(app, ["migrate", str(src), "--to", str(out)])
    assert again.exit_code == 2
    assert "file exists; use --force to overwrite" in again.output
    assert runner.invoke(app, ["migrate", str(src), "--to", str(out), "--force"]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hand-v2.yaml", "hand.yaml"]
    to_stdout = runner.invoke(app, ["migrate", str(src)])
    assert to_stdout.exit_code == 0
    assert "format_version: 2" in to_stdout.output
    done = runner.invoke(app, ["migrate", str(out)])
    assert done.exit_code == 0
    assert "already in format 2" in done.output


def test_migrate_command_reports_a_broken_file_and_writes_nothing(tmp_path: Path) -> None:
    text = HAND.replace("    zone: 50", "    zone: far")
    src = tmp_path / "broken.yaml"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(app, ["migrate", str(src), "--to", str(out)])
    assert result.exit_code == 2
    assert f"{src}:{line_of(text, 'zone: far')}:" in result.output
    assert not out.exists()
