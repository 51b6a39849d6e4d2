"""History from git: a temporary repository with a sequence of commits to the mini roadmap."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator.check import check
from generator.history import read_history
from generator.load import load
from generator.pipeline import run
from generator.review import create
from tests.conftest import MINI, edit


def git(repo: Path, *args: str, when: str = "2025-01-10T12:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def first_priority(root: Path) -> tuple[str, Path, str]:
    roadmap = run(root).roadmap
    assert roadmap is not None
    priority = next(iter(roadmap.priorities.values()))
    return priority.id, root.parent / priority.source, priority.status


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose roadmap/ went through three commits."""
    shutil.copytree(MINI / "roadmap", tmp_path / "roadmap")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first", when="2025-01-10T12:00:00")
    _, path, status = first_priority(tmp_path / "roadmap")
    new = "at-risk" if status != "at-risk" else "on-track"
    edit(path, f"status: {status}", f"status: {new}")
    git(tmp_path, "commit", "-qam", "status", when="2025-06-01T12:00:00")
    edit(path, "due: 2025-03-31", "due: 2025-12-31")
    git(tmp_path, "commit", "-qam", "due", when="2025-07-01T12:00:00")
    return tmp_path


def test_history_records_each_change_with_its_date(repo: Path) -> None:
    history = read_history(repo / "roadmap")
    pid, _, _ = first_priority(repo / "roadmap")
    assert history.available
    status = [c for c in history.of("priority", pid) if c.field == "status"]
    assert len(status) == 1 and status[0].when == date(2025, 6, 1)
    assert status[0].new in ("at-risk", "on-track")
    dues = [c for c in history.changes if c.field == "due"]
    assert len(dues) == 1 and dues[0].new == "2025-12-31" and dues[0].when == date(2025, 7, 1)
    assert history.last_changed("priority", pid) == date(2025, 6, 1)


def test_pages_show_history_and_whats_changed(repo: Path) -> None:
    result = run(repo / "roadmap")
    pid, _, _ = first_priority(repo / "roadmap")
    page = result.pages[f"roadmap/priorities/{pid}.md"]
    assert "Last changed on 1 June 2025." in page
    assert "status changed from" in page
    changes = result.pages["roadmap/changes.md"]
    assert "due date changed from" in changes
    assert changes.index("due date changed") < changes.index("status changed")  # newest first
    assert "<entry>" in result.pages["roadmap/changes.xml"]


def test_no_git_or_shallow_clone_degrades_to_a_note(repo: Path,
                                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    plain = tmp_path_factory.mktemp("plain")
    shutil.copytree(repo / "roadmap", plain / "roadmap")
    result = run(plain / "roadmap")
    assert result.ok and "not a git checkout" in result.pages["roadmap/changes.md"]
    shallow = tmp_path_factory.mktemp("shallow") / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    result = run(shallow / "roadmap")
    assert result.ok and "shallow clone" in result.pages["roadmap/changes.md"]


def test_review_scaffold_passes_check_and_lists_changes(repo: Path) -> None:
    root = repo / "roadmap"
    roadmap = run(root).roadmap
    assert roadmap is not None
    path = create(roadmap, root, date(2026, 1, 15))
    text = path.read_text("utf-8")
    assert "status changed from" in text
    for question in roadmap.programme["learning_questions"]:
        assert f"question: {question['id']}" in text
    assert [f for f in check(load(root)) if f.severity == "error"] == []
    with pytest.raises(FileExistsError):
        create(roadmap, root, date(2026, 1, 15))


# ---------------------------------------------------------------- settings.history_since

def replace_roadmap(repo: Path, when: str) -> str:
    """A fork's first commit: roadmap/ replaced by a roadmap made with `roadmap init`."""
    from generator.starter import Start, init

    shutil.rmtree(repo / "roadmap")
    init(repo / "roadmap", Start("Fork roadmap", "Fork Partnership", date(2025, 8, 1)))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "our own roadmap", when=when)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True,
                          check=True).stdout.strip()


def set_since(root: Path, value: str) -> None:
    programme = root / "programme.yaml"
    text = programme.read_text("utf-8")
    start = text.index("  history_since:")
    end = text.index("\n", start)
    programme.write_text(text[:start] + f"  history_since: {value}" + text[end:], "utf-8")


def test_a_fork_without_the_setting_inherits_the_old_history(repo: Path) -> None:
    replace_roadmap(repo, "2025-08-01T12:00:00")
    set_since(repo / "roadmap", "2000-01-01")
    old = read_history(repo / "roadmap")
    assert any(c.field == "removed" for c in old.changes)  # the problem the setting solves


@pytest.mark.parametrize("by", ["date", "commit"])
def test_history_since_starts_where_the_fork_starts(repo: Path, by: str) -> None:
    sha = replace_roadmap(repo, "2025-08-01T12:00:00")
    root = repo / "roadmap"
    set_since(root, "2025-08-01" if by == "date" else f'"{sha[:10]}"')
    assert [f.text() for f in check(load(root)) if f.severity == "error"] == []
    git(repo, "commit", "-qam", "since")
    edit(root / "pillars" / "first-pillar.yaml", "status: not-started", "status: on-track")
    git(repo, "commit", "-qam", "started", when="2025-09-01T12:00:00")
    history = read_history(root)
    assert history.available
    assert not [c for c in history.changes if c.field == "removed"]
    assert {c.when for c in history.changes} <= {date(2025, 8, 1), date(2025, 9, 1)}
    assert {c.id for c in history.changes if c.field == "added"} == {"first-pillar", "first-priority"}
    assert [(c.id, c.new) for c in history.changes if c.field == "status"] == [("first-priority", "on-track")]
    result = run(root)
    assert result.ok and "since removed" not in result.pages["roadmap/changes.md"]
    assert "(since removed)" not in result.pages["roadmap/changes.xml"]


def test_history_since_in_the_middle_keeps_only_later_changes(repo: Path) -> None:
    root = repo / "roadmap"
    programme = root / "programme.yaml"
    edit(programme, "settings:\n", "settings:\n  history_since: 2025-06-01\n")
    history = read_history(root)
    assert [c.field for c in history.changes] == ["status", "due"]  # nothing "added" at the start
    edit(programme, "history_since: 2025-06-01", 'history_since: "abcdef0"')  # no such commit
    assert read_history(root).changes == []
