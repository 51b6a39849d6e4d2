"""Every finding code, each from a minimal broken copy of the mini roadmap, at the right file and line."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.check import RULES
from generator.findings import Finding
from generator.load import MAX_BYTES, load
from tests.conftest import REPO, SAMPLE, edit, line_of, run_check


@dataclass(frozen=True)
class Case:
    code: str
    file: str  # the file to edit, relative to the roadmap folder
    old: str
    new: str
    needle: str  # text on the line the finding must point at
    at: str = ""  # the file the finding is in, when not the edited one
    fixture: str = "mini"  # the fixture roadmap to break, under tests/fixtures/


LEADERSHIP = "pillars/leadership.yaml"
QUESTION = "  - {question: assumptions, answer: One assumption needs checking.}\n"

CASES = [
    Case("Y001", "organisations.yaml", "name: Test NHS Trust", "name: Test: NHS Trust", "Test: NHS Trust"),
    Case("Y002", "organisations.yaml", "    kind: nhs-trust\n", "    kind: nhs-trust\n    kind: other\n",
         "kind: other"),
    Case("Y003", "programme.yaml", "  - This fixture exists to test the generator.\n",
         "  - &why This fixture exists to test the generator.\n  - *why\n", "*why"),
    Case("Y004", "programme.yaml", "title: Mini test roadmap", "title: !!python/object/apply:os.system [ls]",
         "!!python"),
    Case("Y007", "organisations.yaml", "    short_name: Test ICB", "\tshort_name: Test ICB", "\tshort_name"),
    Case("Y008", "programme.yaml", "  - This fixture exists to test the generator.",
         "  - " + "[" * 50 + "deep" + "]" * 50, "[[["),
    Case("S001", "organisations.yaml", "short_name: Test ICB", "shortname: Test ICB", "shortname"),
    Case("S002", "programme.yaml", "review_cadence_months: 6", "review_cadence_months: six", "six"),
    Case("S003", "organisations.yaml", "kind: nhs-trust", "kind: hospital", "hospital"),
    Case("S004", "governance.yaml", "    purpose: Delivers the test priorities.\n", "", "id: test-group"),
    Case("S005", "programme.yaml", "review_cadence_months: 6", "review_cadence_months: 99", "months: 99"),
    Case("R001", LEADERSHIP, "owner: test-trust", "owner: test-trusts", "test-trusts"),
    Case("R002", "organisations.yaml", "  - id: test-council\n", "  - id: test-icb  # again\n", "# again"),
    Case("R003", "organisations.yaml", "    short_name: Test ICB\n",
         "    short_name: Test ICB\n    renamed_from: [test-trust]\n", "renamed_from"),
    Case("R004", "organisations.yaml", "id: test-council", "id: nul", "id: nul"),
    Case("R005", "programme.yaml", 'see: "page:learning-log"', 'see: "page:learning-logs"', "learning-logs",
         fixture="ideas"),
    Case("R005", "programme.yaml", 'see: "body:test-board"', 'see: "body:test-bored"', "test-bored",
         fixture="ideas"),
    Case("G001", "governance.yaml", "    cadence: quarterly\n",
         "    cadence: quarterly\n    reports_to: test-group\n", "reports_to: test-group"),
    Case("G002", "governance.yaml", "    reports_to: test-board\n", "", "id: test-group"),
    Case("A001", LEADERSHIP, "accountable: test-board\n", "", "id: leadership-behaviours"),
    Case("A002", LEADERSHIP, '      - {to: "ltwp:train", rationale: Training grows the workforce.}\n', "",
         '{to: "ascws:train"}'),
    Case("A003", "frameworks/ltwp.yaml", "  - id: reform\n",
         "  - id: extra\n    title: Extra\n  - id: reform\n", "id: extra"),
    Case("A004", "frameworks/ltwp.yaml", "primary: true\n", "", "id: ascws", at="frameworks/ascws.yaml"),
    Case("A005", "frameworks/ascws.yaml", 'corresponds_to: ["ltwp:retain"]',
         'corresponds_to: ["ascws:train"]', '["ascws:train"]'),
    Case("D001", "programme.yaml", "as_at: 2025-06-30", "as_at: 2025-02-30", "2025-02-30"),
    Case("D002", LEADERSHIP, "{start: 2025-01, end: 2025-12}", "{start: 2025-01, end: 2024-12}", "2024-12"),
    Case("D002", "programme.yaml", "end: 2023-09", "end: 2022-09", "end: 2022-09", fixture="ideas"),
    Case("D002", "measures.yaml", "target: {date: 2026-03-31", "target: {date: 2023-03-31", "2023-03-31"),
    Case("D003", "pillars/workforce.yaml", "due: 2025-07-31", "due: 2025-05-31", "2025-05-31"),
    Case("D004", LEADERSHIP, "last_reviewed: 2025-05-15", "last_reviewed: 2024-05-15", "2024-05-15"),
    Case("D005", LEADERSHIP, "due: 2025-12-15", "due: 2026-02-15", "2026-02-15"),
    Case("M001", "measures.yaml", "{date: 2025-03-31, value: 6.7}", "{date: 2024-01-31, value: 6.7}",
         "2024-01-31"),
    Case("O001", LEADERSHIP, "horizon_years: {short: 1, medium: 2, long: 6}",
         "horizon_years: {short: 1, medium: 2, long: 2}", "long: 2}", fixture="ideas"),
    Case("D002", "measures.yaml", "long_term_target: {date: 2031-08-31",
         "long_term_target: {date: 2026-08-31", "long_term_target: {date: 2026", fixture="ideas"),
    Case("Q001", "pillars/workforce.yaml", "amount: 2.5", "amount: -1", "amount: -1", fixture="ideas"),
    Case("C001", LEADERSHIP, "\nhandover: {organisation: test-trust,",
         "\nhand_over: {organisation: test-trust,", "status: complete"),
    Case("P003", "measures.yaml", "illustrative_fields: [baseline,", "illustrative_fields: [basline,",
         "basline", fixture="ideas"),
    Case("P001", "reviews/2025-05-15-review.yaml", QUESTION, "", "question: working"),
    Case("P002", "programme.yaml", "illustrative_allowed: true", "illustrative_allowed: false",
         "illustrative: true", at="organisations.yaml"),
    Case("P005", "organisations.yaml", "name: Test NHS Trust", "name: TBC", "name: TBC"),
    Case("P005", "governance.yaml", "purpose: Delivers the test priorities.",
         "purpose: \"[Publishing organisation to fill in: its purpose]\"", "to fill in"),
    Case("P005", "programme.yaml", "summary: A small roadmap", "summary: TODO - a small roadmap", "TODO -"),
    Case("P006", "reviews/2025-05-15-review.yaml", "answer: One assumption needs checking.",
         "answer: \"TODO: what the review found.\"", "TODO: what the review found."),
    Case("Y013", "organisations.yaml", "name: Test NHS Trust", "name: Test NHS Trust #2", "#2"),
    Case("L001", "frameworks/ltwp.yaml", "url: https://www.england.nhs.uk/long-read/nhs-long-term-workforce-plan-2/",
         "url: javascript:alert(1)", "javascript:"),
    Case("W001", "organisations.yaml", "short_name: Test ICB", "short_name: Test CSU", "Test CSU"),
    Case("Y010", "organisations.yaml", "name: Test NHS Trust", 'name: "Test \\e[2J NHS Trust"', "Test \\e"),
    Case("Y011", "measures.yaml", "{date: 2025-03-31, value: 6.7}", "{date: 2025-03-31, value: 1:07}",
         "1:07"),
    Case("D006", LEADERSHIP, "{start: 2025-01, end: 2025-12}", "{start: 2025-01, end: 2099-12}", "2099-12"),
    Case("T001", "organisations.yaml", "name: Test NHS Trust", 'name: "\\u200b "', "u200b"),
    # Holding the work to account (generator/check/accountability.py).
    Case("H001", LEADERSHIP, "    status: complete\n",  # escalated down the tree, from board to group
         "    status: complete\n    escalation: {to: test-group, date: 2025-05-01, why: X., asks: Y.}\n",
         "escalation: {to: test-group"),
    Case("H002", "pillars/workforce.yaml", "status: on-track\n    actions:",
         "status: off-track\n    actions:", "status: off-track"),
    Case("H003", "measures.yaml", "{date: 2025-03-31, value: 6.7}", "{date: 2025-03-31, value: 6.4}",
         "status: on-track", at=LEADERSHIP),
    Case("H004", LEADERSHIP, "due: 2025-08-15", "due: 2025-02-15", "2025-02-15"),
    Case("H005", LEADERSHIP, "due: 2025-03-31, status: complete}", "due: 2025-03-31, status: on-track}",
         "status: complete"),
    Case("H006", "programme.yaml", "as_at: 2025-06-30", "as_at: 2026-06-30",
         "{date: 2025-03-31, value: 61.0}", at="measures.yaml"),
    Case("H007", "programme.yaml", "as_at: 2025-06-30", "as_at: 2025-10-31", "due: 2025-09-30",
         at="reviews/2025-05-15-review.yaml"),
    Case("E001", "programme.yaml", "$schema=../../../../schema/programme.schema.json",
         "$schema=../../../../schema/pillar.schema.json", "yaml-language-server"),
]


def found(findings: list[Finding], code: str) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in findings if f.code == code]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_rule(mini: Path, case: Case) -> None:
    if case.fixture != "mini":
        shutil.rmtree(mini)
        shutil.copytree(REPO / "tests" / "fixtures" / case.fixture / "roadmap", mini)
    edit(mini / case.file, case.old, case.new)
    where = mini / (case.at or case.file)
    findings = run_check(mini)
    assert (f"roadmap/{case.at or case.file}", line_of(where, case.needle)) in found(findings, case.code)
    assert {f.severity for f in findings if f.code == case.code} == {RULES[case.code].severity}


# Findings about whole files: each set-up breaks the mini roadmap and says which file and line to expect.

def unknown_file(root: Path) -> tuple[str, int]:
    (root / "notes.yaml").write_text("title: not part of the layout\n", "utf-8")
    return "notes.yaml", 1


def outside_link(root: Path) -> tuple[str, int]:
    outside = root.parent / "elsewhere.yaml"
    shutil.copy(root / "pillars" / "leadership.yaml", outside)
    (root / "pillars" / "linked.yaml").symlink_to(outside)
    return "pillars/linked.yaml", 1


def missing_file(root: Path) -> tuple[str, int]:
    (root / "measures.yaml").unlink()
    return "measures.yaml", 1


def broken_link(root: Path) -> tuple[str, int]:
    (root / "pillars" / "gone.yaml").symlink_to("no-such-pillar.yaml")
    return "pillars/gone.yaml", 1


def not_utf8(root: Path) -> tuple[str, int]:
    path = root / "glossary.yaml"
    edit(path, "Integrated care system", "Integrated care syst\N{LATIN SMALL LETTER E WITH ACUTE}me")
    line = line_of(path, "syst\N{LATIN SMALL LETTER E WITH ACUTE}me")
    path.write_bytes(path.read_text("utf-8").encode("latin-1"))
    return "glossary.yaml", line


def too_large(root: Path) -> tuple[str, int]:
    path = root / "glossary.yaml"
    text = path.read_text("utf-8")
    path.write_text(text + "#" * (MAX_BYTES + 1 - len(text.encode())) + "\n", "utf-8")
    return "glossary.yaml", 1


def too_many_keys(root: Path) -> tuple[str, int]:
    path = root / "glossary.yaml"
    header = path.read_text("utf-8").split("\n", 1)[0]
    path.write_text(header + "\n" + "".join(f"k{n}: 1\n" for n in range(1001)), "utf-8")
    return "glossary.yaml", 2


def bad_file_name(root: Path) -> tuple[str, int]:
    (root / LEADERSHIP).rename(root / "pillars" / "lpt1.yaml")
    return "pillars/lpt1.yaml", 1


def empty_file(root: Path) -> tuple[str, int]:
    (root / "glossary.yaml").write_text("", "utf-8")
    return "glossary.yaml", 1


def no_schema_line(root: Path) -> tuple[str, int]:
    path = root / "glossary.yaml"
    path.write_text(path.read_text("utf-8").split("\n", 1)[1], "utf-8")
    return "glossary.yaml", 1


def follow_on(root: Path) -> tuple[str, int]:
    path = root / "measures.yaml"
    path.write_text(path.read_text("utf-8") + "oops: [\n", "utf-8")
    return "measures.yaml", 1


def decision_not_carried(root: Path) -> tuple[str, int]:
    """A second review that neither closes nor carries the first one's open decision."""
    first = root / "reviews" / "2025-05-15-review.yaml"
    text = first.read_text("utf-8").split("decisions:")[0].replace("2025-05-15-review", "2025-06-20-review")
    (root / "reviews" / "2025-06-20-review.yaml").write_text(
        text.replace("date: 2025-05-15", "date: 2025-06-20"), "utf-8")
    lines = first.read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "id: escalate-planning" in line)
    return "reviews/2025-05-15-review.yaml", next(
        i + 1 for i, line in enumerate(lines) if i > start and "status: open" in line)


SETUPS: dict[str, Callable[[Path], tuple[str, int]]] = {
    "H008": decision_not_carried,
    "F001": unknown_file, "F002": outside_link, "F003": missing_file, "F004": broken_link,
    "Y005": not_utf8, "Y006": too_large, "Y009": empty_file, "E001": no_schema_line,
    "F005": bad_file_name, "Y012": too_many_keys, "F006": follow_on,
}


@pytest.mark.parametrize("code", sorted(SETUPS))
def test_file_rule(mini: Path, code: str) -> None:
    file, line = SETUPS[code](mini)
    assert (f"roadmap/{file}", line) in found(run_check(mini), code)


def test_every_code_has_a_test() -> None:
    assert {case.code for case in CASES} | set(SETUPS) == set(RULES)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its permissions")
def test_unreadable_file(mini: Path) -> None:
    path = mini / "glossary.yaml"
    path.chmod(0)
    try:
        findings = run_check(mini)
    finally:
        path.chmod(0o644)
    assert ("roadmap/glossary.yaml", 1) in found(findings, "F004")


def test_second_primary_framework(mini: Path) -> None:
    edit(mini / "frameworks" / "ascws.yaml", "short_title: ASCWS\n", "short_title: ASCWS\nprimary: true\n")
    # Files are read in name order, so ascws is the first primary and ltwp the extra one.
    ltwp = mini / "frameworks" / "ltwp.yaml"
    expected = ("roadmap/frameworks/ltwp.yaml", line_of(ltwp, "primary: true"))
    assert found(run_check(mini), "A004") == [expected]


def test_governance_cycle_is_reported_once(mini: Path) -> None:
    governance = mini / "governance.yaml"
    edit(governance, "    cadence: quarterly\n", "    cadence: quarterly\n    reports_to: test-group\n")
    findings = [f for f in run_check(mini) if f.code == "G001"]
    assert len(findings) == 1
    assert "test-board → test-group → test-board" in findings[0].message


def test_renaming_from_an_unused_id_is_fine(mini: Path) -> None:
    path = mini / "organisations.yaml"
    edit(path, "  - id: test-council\n", "  - id: test-council\n    renamed_from: [old-council]\n")
    assert found(run_check(mini), "R003") == []


# The schema-comment rule with a schema/ folder beside the roadmap: the exact relative path is required.

def with_schema_folder(root: Path) -> None:
    shutil.copytree(REPO / "schema", root.parent / "schema")


def expected_first_line(root: Path, source_rel: str, kind: str) -> str:
    schema = root.parent / "schema" / f"{kind}.schema.json"
    relative = os.path.relpath(schema, (root.parent / source_rel).parent)
    return f"# yaml-language-server: $schema={relative}"


def test_schema_comment_with_a_schema_folder(mini: Path) -> None:
    with_schema_folder(mini)
    for source in load(mini).sources:  # point every file at ../schema the way an editor needs
        path = mini.parent / source.rel
        rest = path.read_text("utf-8").split("\n", 1)[1]
        path.write_text(expected_first_line(mini, source.rel, source.kind) + "\n" + rest, "utf-8")
    assert run_check(mini) == []
    pillar = mini / "pillars" / "leadership.yaml"
    assert line_of(pillar, "$schema=../../schema/pillar.schema.json") == 1
    # Right schema, wrong place: accepted without a schema folder, refused with one.
    edit(pillar, "$schema=../../schema/", "$schema=../schema/")
    findings = [f for f in run_check(mini) if f.code == "E001"]
    assert [(f.path, f.line, f.col) for f in findings] == [("roadmap/pillars/leadership.yaml", 1, 1)]
    assert "'# yaml-language-server: $schema=../../schema/pillar.schema.json'" in findings[0].message


def test_fixture_comments_are_wrong_beside_a_schema_folder(mini: Path) -> None:
    with_schema_folder(mini)
    findings = run_check(mini)
    assert {f.code for f in findings} == {"E001"}
    assert len(findings) == len(load(mini).sources)
    programme = next(f for f in findings if f.path == "roadmap/programme.yaml")
    assert "$schema=../schema/programme.schema.json'" in programme.message


# Whole roadmaps.

def test_mini_roadmap_is_clean(mini: Path) -> None:
    assert run_check(mini) == []


def test_shipped_roadmap_has_no_errors() -> None:
    assert [f for f in run_check(SAMPLE / "roadmap") if f.severity == "error"] == []


def test_every_problem_at_once_sorted(mini: Path) -> None:
    breaks = [
        ("programme.yaml", "review_cadence_months: 6", "review_cadence_months: six", "six", "S002"),
        ("organisations.yaml", "short_name: Test ICB", "shortname: Test ICB", "shortname", "S001"),
        # (a cross-file finding such as R001 waits while measures.yaml cannot be read: F006)
        ("governance.yaml", "cadence: monthly", "cadence: sometimes", "sometimes", "S003"),
        ("pillars/workforce.yaml", "reviewed: 2025-04-30", "reviewed: 2025-02-30", "2025-02-30", "D001"),
        ("measures.yaml", "unit: ratio", "unit: ratio: x", "ratio: x", "Y001"),
        ("pillars/leadership.yaml", "due: 2025-08-15", "due: 2025-02-15", "2025-02-15", "H004"),
    ]
    for file, old, new, _, _ in breaks:
        edit(mini / file, old, new)
    findings = run_check(mini)
    located = {(f.code, f.path, f.line) for f in findings}
    for file, _, _, needle, code in breaks:
        assert (code, f"roadmap/{file}", line_of(mini / file, needle)) in located
    assert findings == sorted(findings, key=lambda f: (f.path, f.line, f.col))


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        (LEADERSHIP, "status: complete}", "status: [complete]}"),  # D003 reads an action's status
        ("reviews/2025-05-15-review.yaml", "question: working,", "question: [working],"),  # P001
        (LEADERSHIP, '{to: "ltwp:retain", rationale', '{to: ["ltwp:retain"], rationale'),  # A003
        ("pillars/workforce.yaml", "timeframe: {start: 2025-01, end: 2026-03}", "timeframe: [2025-01]"),
        ("governance.yaml", "reports_to: test-board", "reports_to: {id: test-board}"),
        ("measures.yaml", "- {date: 2024-03-31, value: 6.5}", "- [2024-03-31, 6.5]"),
        ("programme.yaml", "settings:\n  due_soon_days: 60\n  illustrative_allowed: true", "settings: false"),
        ("programme.yaml", "review_cadence_months: 6", "review_cadence_months: true"),
        (LEADERSHIP, "id: leadership-behaviours", "id: [leadership-behaviours]"),
    ],
)
def test_rules_survive_values_of_the_wrong_type(mini: Path, file: str, old: str, new: str) -> None:
    edit(mini / file, old, new)
    findings = run_check(mini)
    assert any(f.code.startswith("S") and f.path == f"roadmap/{file}" for f in findings)


def test_ordinary_words_are_not_placeholders(mini: Path) -> None:
    edit(mini / "organisations.yaml", "name: Test NHS Trust", "name: Todo list trust [fill in later]")
    assert found(run_check(mini), "P005") == []


@pytest.mark.parametrize("written", ['"\\u0054ODO"', ">-\n      [a sentence to\n      fill in]"])
def test_placeholders_are_found_behind_escapes_and_line_folds(mini: Path, written: str) -> None:
    """The rule skips files whose text cannot hold a placeholder: an escape or a folded
    line, which hide one from the text but not from the values, must not be skipped."""
    edit(mini / "organisations.yaml", "name: Test NHS Trust", f"name: {written}")
    line = line_of(mini / "organisations.yaml", f"name: {written.splitlines()[0]}")
    assert [f.line for f in run_check(mini) if f.code == "P005"] == [line]


def test_placeholders_fail_the_strict_check(mini: Path) -> None:
    from generator.check import has_errors

    edit(mini / "organisations.yaml", "name: Test NHS Trust", "name: TBC")
    findings = run_check(mini)
    assert not has_errors(findings) and has_errors(findings, strict=True)


def test_the_build_refuses_a_review_whose_answers_are_placeholders(mini: Path) -> None:
    from generator.pipeline import run

    review = mini / "reviews" / "2025-05-15-review.yaml"
    edit(review, "answer: One assumption needs checking.", 'answer: "TODO: what the review found."')
    assert not has_errors_in(run_check(mini))  # the check warns while the review is written
    result = run(mini)
    assert not result.ok
    refused = [f for f in result.findings if f.code == "P006"]
    assert refused and refused[0].severity == "error"
    assert (refused[0].path, refused[0].line) == ("roadmap/reviews/2025-05-15-review.yaml",
                                                  line_of(review, "TODO: what the review found."))


def has_errors_in(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
