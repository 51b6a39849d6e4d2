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
