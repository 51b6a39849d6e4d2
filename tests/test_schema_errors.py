"""Schema findings point at the value (or key, or mapping) that is wrong, in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.findings import Finding
from tests.conftest import edit, line_of, run_check


def only(findings: list[Finding], code: str) -> Finding:
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, findings
    return found[0]


def at(path: Path, needle: str) -> tuple[int, int]:
    """The line and column of needle in the file; a '|' in needle marks the column instead of its start."""
    before, _, after = needle.rpartition("|")
    line = line_of(path, before + after)
    return line, path.read_text("utf-8").splitlines()[line - 1].index(before + after) + len(before) + 1


def test_misspelt_key(mini: Path) -> None:
    path = mini / "organisations.yaml"
    edit(path, "short_name: Test ICB", "shortname: Test ICB")
    finding = only(run_check(mini), "S001")
    assert (finding.path, finding.line, finding.col) == ("roadmap/organisations.yaml", *at(path, "shortname"))
    assert "unknown key 'shortname'; did you mean 'short_name'?" in finding.message


def test_misspelt_key_in_a_flow_mapping(mini: Path) -> None:
    path = mini / "pillars" / "leadership.yaml"
    edit(path, "{to: \"ascws:train\"}", "{to: \"ascws:train\", rationle: Both train.}")
    finding = only(run_check(mini), "S001")
    assert (finding.line, finding.col) == at(path, "rationle")
    assert "did you mean 'rationale'?" in finding.message


def test_unknown_key_with_no_near_match_lists_the_allowed_keys(mini: Path) -> None:
    path = mini / "glossary.yaml"
    edit(path, "    term: ICS\n", "    term: ICS\n    zzzzzz: 1\n")
    finding = only(run_check(mini), "S001")
    assert finding.line == line_of(path, "zzzzzz")
    assert "allowed keys: definition, expansion, id" in finding.message


@pytest.mark.parametrize(
    ("code", "file", "old", "new", "needle", "words"),
    [
        # S002: a value of the wrong type
        ("S002", "programme.yaml", "review_cadence_months: 6", "review_cadence_months: six",
         "months: |six",
         "'review_cadence_months' should be a whole number, not text"),
        ("S002", "governance.yaml", "members: [test-trust, test-council]", "members: test-trust",
         "members: |test-trust",
         "'members' should be a list, not text"),
        ("S002", "pillars/leadership.yaml", "illustrative: true", "illustrative: 'yes'", "'yes'",
         "'illustrative' should be true or false, not text"),
        ("S002", "measures.yaml", "value: 6.7}", "value: six}", "six",
         "'value' should be a number, not text"),
        ("S002", "organisations.yaml", "name: Test NHS Trust", "name: {full: Test NHS Trust}", "{full",
         "'name' should be text, not a mapping of keys"),
        # S003: a value of the right type that the schema does not allow
        ("S003", "organisations.yaml", "kind: nhs-trust", "kind: hospital", "hospital",
         "'kind' is 'hospital'; use one of: integrated-care-board, partnership, nhs-trust"),
        ("S003", "pillars/workforce.yaml", "status: at-risk\n", "status: amber\n", "amber",
         "'status' is 'amber'; use one of: not-started, on-track, at-risk, off-track, paused, complete"),
        ("S003", "pillars/leadership.yaml", "types: [process]", "types: [process, outcome]",
         "[process, |outcome]",
         "'types' is 'outcome'; use one of: process, impact, value-for-money"),
        ("S003", "governance.yaml", "id: test-group", "id: Test_Group", "Test_Group",
         "'id' is 'Test_Group', which is not in the right form: A permanent identifier"),
        ("S003", "programme.yaml", "as_at: 2025-06-30", "as_at: 30/06/2025", "30/06/2025",
         "'as_at' is '30/06/2025', which is not in the right form: A calendar date written as YYYY-MM-DD"),
    ],
)
def test_wrong_type_or_value(mini: Path, code: str, file: str, old: str, new: str, needle: str,
                             words: str) -> None:
    path = mini / file
    edit(path, old, new)
    finding = only(run_check(mini), code)
    assert (finding.path, finding.line, finding.col) == (f"roadmap/{file}", *at(path, needle))
    assert words in finding.message


@pytest.mark.parametrize(
    ("file", "old", "new", "mapping", "words"),
    [
        # a block mapping in a list starts at its first key
        ("governance.yaml", "    purpose: Delivers the test priorities.\n", "", "id: test-group",
         "this governance body needs 'purpose'"),
        ("pillars/leadership.yaml", "    owner: test-trust\n", "", "id: leadership-training",
         "this priority needs 'owner' (The organisation that leads the priority.)"),
        # the file's own mapping starts at its first key, below the comments
        ("programme.yaml", "summary: A small roadmap used by the tests. Everything in it is illustrative.\n",
         "", "title: Mini test roadmap", "this programme needs 'summary'"),
        # a flow mapping starts at its brace
        ("measures.yaml", "baseline: {date: 2024-03-31, value: 6.5}", "baseline: {date: 2024-03-31}",
         "{date: 2024-03-31}", "needs 'value'"),
    ],
)
def test_missing_field_points_at_the_mapping(mini: Path, file: str, old: str, new: str, mapping: str,
                                             words: str) -> None:
    path = mini / file
    edit(path, old, new)
    finding = only(run_check(mini), "S004")
    assert (finding.path, finding.line, finding.col) == (f"roadmap/{file}", *at(path, mapping))
    assert words in finding.message


@pytest.mark.parametrize(
    ("file", "old", "new", "needle", "words"),
    [
        ("programme.yaml", "review_cadence_months: 6", "review_cadence_months: 99", "months: |99",
         "'review_cadence_months': is 99; it must be maximum 36"),
        ("governance.yaml", "members: [test-trust, test-council]", "members: [test-trust, test-trust]",
         "[test-trust, test-trust]", "'members': lists the same item twice"),
        ("glossary.yaml", "term: ICS", "term: ''", "''", "'term': must not be empty"),
        ("programme.yaml", "learning_questions:\n  - id: working\n    question: Is it working?\n"
         "  - id: assumptions\n    question: Do the assumptions still hold?\n", "learning_questions: []\n",
         "learning_questions: |[]", "'learning_questions': needs at least 1 item"),
    ],
)
def test_other_constraints(mini: Path, file: str, old: str, new: str, needle: str, words: str) -> None:
    path = mini / file
    edit(path, old, new)
    finding = only(run_check(mini), "S005")
    assert (finding.path, finding.line, finding.col) == (f"roadmap/{file}", *at(path, needle))
    assert words in finding.message


def test_a_file_that_is_not_a_mapping(mini: Path) -> None:
    (mini / "glossary.yaml").write_text("# yaml-language-server: $schema=../glossary.schema.json\n- a\n")
    finding = only(run_check(mini), "S002")
    assert (finding.path, finding.line) == ("roadmap/glossary.yaml", 2)
    assert finding.message == "the file should be a mapping of keys, not a list"
