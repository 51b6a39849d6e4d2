"""YAML mistakes in plain words, at the line that has the mistake, with the fix; and a file
that cannot be read does not set off findings in files that did not change."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import edit, line_of, run_check

LEADERSHIP = "pillars/leadership.yaml"


# (name, file, text to replace, replacement, text on the line the finding must be on, words in the message)
MISTAKES = [
    ("no space after a colon", LEADERSHIP, "    title: Shared", "    title:Shared", "title:Shared",
     ["no space after the colon", "'title: Shared"]),
    ("indented too far", LEADERSHIP, "    summary: Agree", "      summary: Agree", "summary: Agree",
     ["indented 6 spaces", "Indent it 4 spaces"]),
    ("indented too little", LEADERSHIP, "    summary: Agree", "   summary: Agree", "summary: Agree",
     ["indented 3 spaces", "Indent it 4 spaces"]),
    ("list item indented wrongly", LEADERSHIP, "  - id: leadership-training", "   - id: leadership-training",
     "- id: leadership-training", ["'- ' is indented 3 spaces", "Line it up"]),
    ("a tab", "organisations.yaml", "    short_name: Test ICB", "\tshort_name: Test ICB",
     "short_name: Test ICB", ["tab", "spaces"]),
    ("a dropped '- ' at the list's indentation", LEADERSHIP, "  - id: leadership-training",
     "  id: leadership-training", "id: leadership-training",
     ["has no '- '", "'  - id: leadership-training'"]),
    ("a dropped '- ' inside the item above", LEADERSHIP, "  - id: leadership-training",
     "    id: leadership-training", "id: leadership-training",
     ["appears twice in this item", "put '- ' in front"]),
    ("an unquoted ': ' in text", "organisations.yaml", "name: Test NHS Trust", "name: Test: NHS Trust",
     "Test: NHS Trust", ["contains ': '", "'name: \"Test: NHS Trust\"'"]),
    ("an unclosed quote", "organisations.yaml", "name: Test NHS Trust", "name: \"Test NHS Trust",
     "Test NHS Trust", ["never closed", "closing quote"]),
]


@pytest.mark.parametrize(("name", "file", "old", "new", "needle", "words"), MISTAKES,
                         ids=[m[0] for m in MISTAKES])
def test_each_mistake_in_plain_words_at_its_line(mini: Path, name: str, file: str, old: str, new: str,
                                                 needle: str, words: list[str]) -> None:
    path = mini / file
    edit(path, old, new)
    findings = [f for f in run_check(mini) if f.path == f"roadmap/{file}" and f.severity == "error"]
    assert len(findings) == 1, [f.text() for f in findings]
    finding = findings[0]
    assert finding.line == line_of(path, needle), finding.text()
    for word in words:
        assert word in finding.message, finding.text()
    assert "parsing" not in finding.message and "scanning" not in finding.message  # no parser jargon
    assert "keep one" not in finding.message  # the advice that would delete an item


def test_an_unquoted_hash_that_cuts_text_short_is_a_warning(mini: Path) -> None:
    path = mini / "organisations.yaml"
    edit(path, "name: Test NHS Trust", "name: Test NHS Trust #2")
    findings = [f for f in run_check(mini) if f.code == "Y013"]
    assert [(f.path, f.line, f.severity) for f in findings] == [
        ("roadmap/organisations.yaml", line_of(path, "Trust #2"), "warning")]
    assert "'name: \"Test NHS Trust #2\"'" in findings[0].message


def test_comments_written_on_purpose_are_not_flagged(mini: Path) -> None:
    edit(mini / "organisations.yaml", "kind: nhs-trust", "kind: nhs-trust  # the acute trust")
    edit(mini / "governance.yaml", "cadence: monthly", "cadence: monthly # meets monthly")
    assert [f for f in run_check(mini) if f.code == "Y013"] == []


@pytest.mark.parametrize("broken", ["measures.yaml", LEADERSHIP, "frameworks/ltwp.yaml"])
def test_a_file_that_cannot_be_read_sets_off_nothing_elsewhere(mini: Path, broken: str) -> None:
    path = mini / broken
    path.write_text(path.read_text("utf-8") + "oops: [\n", "utf-8")
    findings = run_check(mini)
    assert {f.path for f in findings} == {f"roadmap/{broken}"}, [f.text() for f in findings]
    notes = [f for f in findings if f.code == "F006"]
    assert len(notes) == 1 and "left out" in notes[0].message
    assert [f.code for f in findings if f.severity == "error"] == ["Y001"]


def test_other_files_findings_return_once_the_file_is_fixed(mini: Path) -> None:
    path = mini / "measures.yaml"
    text = path.read_text("utf-8")
    path.write_text(text + "oops: [\n", "utf-8")
    assert any(f.code == "F006" for f in run_check(mini))
    path.write_text(text.replace("  - id: test-ratio", "  - id: test-ratios"), "utf-8")
    assert any(f.code == "R001" and f.path.startswith("roadmap/pillars/") for f in run_check(mini))
