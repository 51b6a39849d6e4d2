"""The open-data downloads with the generator's cache: after any edit they are byte for byte
what a run without the cache makes, and the calendar writes again only the events whose
values changed (generator/memo.py); a memo that is not this user's, or was changed, is not
used. Work is counted (events written), never timed."""

from __future__ import annotations

import json
import multiprocessing
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar
from icalendar.parser import Contentline

from generator import cache as cache_module
from generator import export, memo
from generator.addresses import CALENDAR_FILE, download
from generator.cache import DISABLE_ENV, Cache
from generator.load import load_as_at
from generator.model import resolve
from generator.pipeline import generate
from tests.conftest import SAMPLE, edit
from tests.test_incremental import copy_first_priority, first_pillar, remove_block, tree

SITE = "https://roadmap.example.org/"  # so that every event has its URL line too


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the key for cache names
    monkeypatch.setenv("SITE_URL", SITE)
    monkeypatch.setenv("ROADMAP_WORKERS", "1")  # events are counted in this process
    monkeypatch.delenv(DISABLE_ENV, raising=False)
    cache_module._secret.cache_clear()
    shutil.copytree(SAMPLE / "roadmap", tmp_path / "roadmap")
    yield tmp_path
    cache_module._secret.cache_clear()


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The UIDs of the events the calendar writes (rather than takes from its memo)."""
    uids: list[str] = []
    make = export._event

    def counted(uid: str, *values: object) -> str:
        uids.append(uid)
        return make(uid, *values)

    monkeypatch.setattr(export, "_event", counted)
    return uids


def downloads_then_clean(project: Path, monkeypatch: pytest.MonkeyPatch,
                         written: list[str] | None = None) -> dict[str, bytes]:
    """Generate with the cache, then without it elsewhere; the downloads must be the same.
    `written` is left with the events the first run wrote."""
    result = generate(project / "roadmap", project / "docs")
    assert result.ok, [f.text() for f in result.findings if f.severity == "error"]
    counted = len(written) if written is not None else 0
    with monkeypatch.context() as clean:
        clean.setenv(DISABLE_ENV, "1")
        shutil.rmtree(project / "clean", ignore_errors=True)
        assert generate(project / "roadmap", project / "clean").ok
    files = tree(project / "docs" / download(""))
    assert files and files == tree(project / "clean" / download(""))
    if written is not None:
        del written[counted:]
    return files


def event_count(files: dict[str, bytes]) -> int:
    return files[CALENDAR_FILE].count(b"BEGIN:VEVENT\r\n")


def first_action(root: Path) -> dict[str, str]:
    """The first action with a due date in the first pillar's file."""
    priorities = yaml.safe_load(first_pillar(root).read_text("utf-8"))["priorities"]
    return next(a for p in priorities for a in p.get("actions", []) if a.get("due"))


def test_after_each_edit_the_downloads_are_a_clean_runs_and_only_changed_events_are_written(
        project: Path, monkeypatch: pytest.MonkeyPatch, written: list[str]) -> None:
    root = project / "roadmap"
    pillar = first_pillar(root)
    files = downloads_then_clean(project, monkeypatch, written)
    total = event_count(files)
    assert total > 20 and len(written) == total  # the first run writes every event
    assert files[CALENDAR_FILE].count(f"URL:{SITE}".encode()) == total

    memo_file = memo_path(root)
    before = memo_file.stat().st_mtime_ns
    written.clear()
    edit(root / "measures.yaml", "    definition: >-\n", "    definition: >-\n      Edited.\n", 1)
    files = downloads_then_clean(project, monkeypatch, written)  # the downloads are made again,
    assert b"Edited." in files["roadmap.json"]  # but no event changed: none is written, and
    assert written == [] and memo_file.stat().st_mtime_ns == before  # the memo is as it was

    action = first_action(root)
    written.clear()
    edit(pillar, f"title: {action['title']}", "title: Agree a plan, with partners; then \u00e9valuer it")
    files = downloads_then_clean(project, monkeypatch, written)
    assert written == [f"action-{action['id']}@living-roadmap"]  # its event alone, though every
    assert "\u00e9valuer".encode() in files["roadmap.json"]  # download has the title

    written.clear()
    edit(pillar, f"due: {action['due']}", "due: 2031-02-28")
    downloads_then_clean(project, monkeypatch, written)
    assert written == [f"action-{action['id']}@living-roadmap"]

    written.clear()
    remove_block(pillar, f"      - id: {action['id']}")
    files = downloads_then_clean(project, monkeypatch, written)
    assert written == [] and event_count(files) == total - 1
    assert f"action-{action['id']}@".encode() not in files[CALENDAR_FILE]

    written.clear()
    copy_first_priority(pillar, "-copy")
    files = downloads_then_clean(project, monkeypatch, written)
    assert written and all("-copy" in uid for uid in written)  # the new priority's events only
    assert event_count(files) == total - 1 + len(written)


def test_a_calendar_whose_lines_all_come_from_the_memo_does_not_import_icalendar(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project / "roadmap"
    downloads_then_clean(project, monkeypatch)
    edit(root / "measures.yaml", "    definition: >-\n", "    definition: >-\n      Edited.\n", 1)

    def unused() -> None:
        raise AssertionError("icalendar was imported, though no line of the calendar changed")

    with monkeypatch.context() as kept:
        kept.setattr(export, "_ical", unused)
        assert generate(root, project / "docs").ok
    made = tree(project / "docs" / download(""))
    assert made == downloads_then_clean(project, monkeypatch)  # a clean run's


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no forked workers")
def test_a_memo_written_by_a_worker_process_is_kept(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                    written: list[str]) -> None:
    """The first run makes every task (the downloads among them) in forked workers: the
    memo they write reaches the cache on disk, so the next run writes one event."""
    monkeypatch.setenv("ROADMAP_WORKERS", "2")
    downloads_then_clean(project, monkeypatch, written)
    assert written == []  # every event was written in a worker, none in this process
    monkeypatch.setenv("ROADMAP_WORKERS", "1")
    action = first_action(project / "roadmap")
    edit(first_pillar(project / "roadmap"), f"title: {action['title']}", "title: A new title")
    written.clear()
    downloads_then_clean(project, monkeypatch, written)
    assert written == [f"action-{action['id']}@living-roadmap"]


def memo_path(root: Path) -> Path:
    path = Cache.for_root(root)._path(memo.entry(export.CALENDAR_MEMO))
    assert path is not None
    return path


def retitle(project: Path) -> None:
    """An edit that makes the calendar again (one event's title)."""
    action = first_action(project / "roadmap")
    edit(first_pillar(project / "roadmap"), f"title: {action['title']}", f"title: {action['title']} again")


@pytest.mark.parametrize("tamper", ["one text", "one key", "not a memo"])
def test_a_memo_changed_by_hand_is_not_used(project: Path, monkeypatch: pytest.MonkeyPatch,
                                            written: list[str], tamper: str) -> None:
    total = event_count(downloads_then_clean(project, monkeypatch, written))
    path = memo_path(project / "roadmap")
    kept = json.loads(path.read_text("utf-8"))
    events = [key for key, text in kept["texts"].items() if text.startswith("BEGIN:VEVENT")]
    key, text = events[0], kept["texts"][events[0]]
    if tamper == "one text":
        kept["texts"][key] = text.replace("SUMMARY:", "SUMMARY:Cancelled: ")
    elif tamper == "one key":  # a text under another event's digest
        other = events[1]
        kept["texts"][key], kept["texts"][other] = kept["texts"][other], text
    else:
        kept = ["BEGIN:VEVENT"]
    path.write_text(json.dumps(kept), "utf-8")
    retitle(project)
    written.clear()
    files = downloads_then_clean(project, monkeypatch, written)  # as a clean run makes them
    assert len(written) == total and b"Cancelled" not in files[CALENDAR_FILE]


def test_a_memo_sealed_with_another_users_key_is_not_used(project: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          written: list[str]) -> None:
    total = event_count(downloads_then_clean(project, monkeypatch, written))
    theirs = memo_path(project / "roadmap").read_bytes()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    cache_module._secret.cache_clear()
    downloads_then_clean(project, monkeypatch, written)
    mine = memo_path(project / "roadmap")
    assert mine.read_bytes() != theirs
    mine.write_bytes(theirs)  # their memo, under the name this user's would have
    retitle(project)
    written.clear()
    downloads_then_clean(project, monkeypatch, written)
    assert len(written) == total


def test_a_memo_from_another_roadmap_gives_only_the_events_with_the_same_values(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: list[str]) -> None:
    """Events are kept by what they are made from, so another roadmap's memo (this user's)
    gives the same text for the same values, and nothing for the rest."""
    other = tmp_path / "other"
    shutil.copytree(SAMPLE / "roadmap", other / "roadmap")
    action = first_action(other / "roadmap")
    edit(first_pillar(other / "roadmap"), f"title: {action['title']}", "title: Only in the other roadmap")
    assert downloads_then_clean(other, monkeypatch)
    memo_path(project / "roadmap").parent.mkdir(parents=True)
    shutil.copyfile(memo_path(other / "roadmap"), memo_path(project / "roadmap"))
    written.clear()
    files = downloads_then_clean(project, monkeypatch, written)
    assert written == [f"action-{action['id']}@living-roadmap"]
    assert b"Only in the other roadmap" not in files[CALENDAR_FILE]


def test_the_calendar_is_what_icalendar_writes_for_it() -> None:
    """Each event is written line by line (generator/export.py): icalendar reads the feed back
    and writes exactly the same bytes, long, non-ASCII and escaped lines and URLs included."""
    roadmap = resolve(load_as_at(SAMPLE / "roadmap"))
    roadmap.site_url = SITE
    action = next(a for a in roadmap.actions.values() if a.due)
    action.title = "Pilot a \u2018r\u00e9sum\u00e9-blind\u2019 shortlist; report back, data \\ notes, " * 3
    text = export.to_ics(roadmap)
    assert "r\u00e9sum\u00e9" in text and f"URL:{SITE}" in text
    assert Calendar.from_ical(text).to_ical(sorted=False).decode("utf-8") == text
    assert Calendar.from_ical(text).to_ical().decode("utf-8") == text


def test_lines_are_folded_as_icalendar_folds_them() -> None:
    """The slicing fold gives icalendar's own folding for every line: short and long, ASCII or
    not, with a backslash or caret just before a fold or anywhere else."""
    rng = random.Random(18)
    alphabet = "abc ,;:\\^\u00e9\u2019\U0001f600"
    lines = ["x" * n for n in range(60, 230)] + ["SUMMARY:" + "\\" * n for n in range(60, 160)]
    lines += ["DESCRIPTION:" + "".join(rng.choice(alphabet[:7] if n % 2 else alphabet)
                                       for _ in range(rng.randrange(40, 400))) for n in range(3000)]
    lines += ["a" * 73 + c + "b" * 80 for c in "\\^a\u00e9"]
    for line in lines:
        assert export._folded(Contentline(line)) == Contentline(line).to_ical().decode("utf-8"), line
