"""`roadmap new`: scaffold an item that passes the check at once, never overwriting anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.collect import entities
from generator.load import load
from generator.scaffold import slugify
from tests.conftest import REPO, edit, line_of, run_check

# kind, extra arguments, title, expected id, file it lands in (relative to the roadmap folder)
CASES = [
    ("organisation", [], "Test Hospice", "test-hospice", "organisations.yaml"),
    ("body", [], "Data group", "data-group", "governance.yaml"),
    ("measure", [], "Staff turnover rate", "staff-turnover-rate", "measures.yaml"),
    ("pillar", [], "Inclusion & Belonging", "inclusion-belonging", "pillars/inclusion-belonging.yaml"),
    ("priority", ["--pillar", "workforce"], "Retain nurses", "retain-nurses", "pillars/workforce.yaml"),
    ("action", ["--priority", "leadership-training"], "Evaluate the cohorts", "evaluate-the-cohorts",
     "pillars/leadership.yaml"),
    ("place", [], "East Riding", "east-riding", "programme.yaml"),
    ("insight", [], "Managers are stretched", "managers-are-stretched", "programme.yaml"),
]
IDS = [case[0] for case in CASES]


def new(root: Path, kind: str, *args: str) -> int:
    return main(["new", kind, *args, "--root", str(root)])


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def errors(root: Path) -> list[str]:
    return [f.text() for f in run_check(root) if f.severity == "error"]


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def added_lines(before: str, after: str) -> list[str]:
    """The lines of `after` that are not in `before`; fails unless every old line is kept, in order."""
    added = after.splitlines()
    position = 0
    for line in before.splitlines():
        position = added.index(line, position)
        del added[position]
    return added


@pytest.mark.parametrize(("kind", "args", "title", "new_id", "home"), CASES, ids=IDS)
def test_new_item_passes_the_check(mini: Path, capsys: pytest.CaptureFixture[str], kind: str,
                                   args: list[str], title: str, new_id: str, home: str) -> None:
    assert new(mini, kind, *args, "--title", title) == 0
    assert errors(mini) == []
    found = {e.key: e for e in entities(load(mini).sources)}
    assert (kind, new_id) in found
    assert found[kind, new_id].source.rel == f"roadmap/{home}"
    line = line_of(mini / home, f"id: {new_id}")
    assert f"Created {'governance body' if kind == 'body' else kind} '{new_id}' in roadmap/{home} " \
        f"at line {line}." in capsys.readouterr().out
    assert "TODO" in (mini / home).read_text("utf-8")


@pytest.mark.parametrize(("kind", "args", "title", "new_id", "home"), CASES, ids=IDS)
def test_second_run_never_overwrites(mini: Path, capsys: pytest.CaptureFixture[str], kind: str,
                                     args: list[str], title: str, new_id: str, home: str) -> None:
    assert new(mini, kind, *args, "--title", title) == 0
    before = snapshot(mini)
    assert new(mini, kind, *args, "--title", "Something else", "--id", new_id) == 1
    assert snapshot(mini) == before
    message = capsys.readouterr().err
    line = line_of(mini / home, f"id: {new_id}")
    assert f"roadmap/{home}:{line}:" in message and f"'{new_id}'" in message
    assert "nothing was changed" in message


@pytest.mark.parametrize(("kind", "args", "title", "new_id", "home"), CASES, ids=IDS)
def test_comments_survive(mini: Path, kind: str, args: list[str], title: str, new_id: str,
                          home: str) -> None:
    target = mini / ("pillars/workforce.yaml" if kind == "pillar" else home)
    edit(target, "\n  - id: ", "\n  # a comment between items\n  - id: ")
    edit(target, "true\n", "true  # a comment after a value\n")
    target.write_text(target.read_text("utf-8") + "# a comment at the end of the file\n", "utf-8")
    before = target.read_text("utf-8")
    assert new(mini, kind, *args, "--title", title) == 0
    after = target.read_text("utf-8")
    assert comments(before) == [c for c in comments(after) if "TODO" not in c]
    added = added_lines(before, after)  # fails unless every old line is kept, in order
    assert (added == []) == (kind == "pillar")
    assert errors(mini) == []


def test_only_lines_are_added(mini: Path) -> None:
    before = (mini / "pillars/leadership.yaml").read_text("utf-8")
    assert new(mini, "action", "--priority", "leadership-behaviours", "--title", "Share the behaviours") == 0
    after = (mini / "pillars/leadership.yaml").read_text("utf-8")
    assert added_lines(before, after) == [
                     "      - id: share-the-behaviours", "        title: Share the behaviours",
                     "        owner: test-icb  # TODO: the organisation that delivers it",
                     "        due: 2025-03-31  # TODO: the date it is due (YYYY-MM-DD)",
                     "        status: not-started  # TODO: not-started, on-track, at-risk, off-track, "
                     "paused or complete"]


def test_new_pillar_file(mini: Path) -> None:
    assert new(mini, "pillar", "--title", "Digital skills") == 0
    lines = (mini / "pillars" / "digital-skills.yaml").read_text("utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/pillar.schema.json"
    assert "  - id: digital-skills-first-priority" in lines  # one placeholder priority
    assert "last_reviewed: 2025-06-30" in lines  # the roadmap's as_at, never the clock
    assert any(line.startswith("delivers: [safe-care]  # TODO: the vision experiences") for line in lines)


def test_in_a_roadmap_made_by_init(tmp_path: Path) -> None:
    """With schema/ beside the roadmap, the schema comment must be exactly right (rule E001)."""
    shutil.copytree(REPO / "schema", tmp_path / "schema")
    root = tmp_path / "roadmap"
    assert main(["init", str(root), "--date", "2026-12-01"]) == 0
    assert errors(root) == []
    for kind, *args in (("pillar",), ("body",), ("measure",), ("organisation",),
                        ("priority", "--pillar", "first-pillar"),
                        ("action", "--priority", "first-priority")):
        assert new(root, kind, *args, "--title", f"New {kind}") == 0, kind
    assert errors(root) == []


def test_a_pillar_file_that_exists_is_refused(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(mini / "pillars/workforce.yaml", mini / "pillars/spare.yaml")
    before = snapshot(mini)
    assert new(mini, "pillar", "--title", "Spare") == 1
    assert snapshot(mini) == before
    assert "roadmap/pillars/spare.yaml:1:1: the file already exists" in capsys.readouterr().err


def test_an_old_id_cannot_be_reused(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "organisations.yaml", "  - id: test-council\n",
         "  - id: test-council\n    renamed_from: [old-council]\n")
    before = snapshot(mini)
    assert new(mini, "organisation", "--id", "old-council", "--title", "Old council") == 1
    assert snapshot(mini) == before
    assert "'old-council' is an old id of the organisation 'test-council'" in capsys.readouterr().err


def test_action_in_a_priority_without_actions(mini: Path) -> None:
    edit(mini / "pillars/workforce.yaml", "    actions:\n      - {id: offer-published, title: Publish the "
         "flexible working offer, owner: test-trust, due: 2025-10-31, status: on-track}\n", "")
    assert new(mini, "action", "--priority", "flexible-working", "--title", "Publish the offer") == 0
    assert errors(mini) == []
    text = (mini / "pillars/workforce.yaml").read_text("utf-8")
    assert "    status: on-track\n    actions:\n      - id: publish-the-offer\n" in text


@pytest.mark.parametrize(("args", "message"), [
    (["priority", "--title", "X"], "say which pillar it belongs to with --pillar ID"),
    (["priority", "--pillar", "nope", "--title", "X"], "there is no pillar 'nope'"),
    (["action", "--priority", "nope", "--title", "X"], "there is no priority 'nope'"),
    (["organisation", "--title", "X", "--id", "Not_an_id"], "'Not_an_id' cannot be an id"),
    (["organisation", "--title", "!!!"], "cannot make an id from the title '!!!'"),
])
def test_bad_requests_exit_2(mini: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                             message: str) -> None:
    before = snapshot(mini)
    assert new(mini, *args) == 2
    assert message in capsys.readouterr().err
    assert snapshot(mini) == before


def test_no_temporary_files_are_left(mini: Path) -> None:
    assert new(mini, "measure", "--title", "Sickness absence") == 0
    assert not [p for p in mini.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


@pytest.mark.parametrize(("title", "slug"), [
    ("Inclusion & Belonging", "inclusion-belonging"),
    ("  Ça va? Très bien!  ", "ca-va-tres-bien"),
    ("Board EDI objectives 2025/26", "board-edi-objectives-2025-26"),
    ("x" * 70, "x" * 64),
    ("!!!", ""),
])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
