"""The generator writes only inside its own folder, and a build never damages what is there.

- whatever the ids, pages go only under docs/roadmap/ (hostile ids fail the check first,
  and the writer refuses any path that leads out of its folder);
- hand-written files under docs/ are byte-for-byte the same after a real build;
- a build that fails leaves the previous generated pages and site/ as they were;
- the writer never overwrites or deletes a file it did not make (the manifest says which);
- an interrupted write leaves the old file whole and no temporary file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import partial
from pathlib import Path

import pytest

from generator import write as writer
from generator.cache import digest
from generator.pipeline import generate
from generator.site import mkdocs_build
from generator.texts import Text, Texts
from generator.write import MANIFEST, WriteRefused, atomic_write, write
from tests.conftest import MINI, edit
from tests.test_xss import build, make_project


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under folder (links by their target), by relative path."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel.split("/")[0] in skip:
            continue
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# ---------------------------------------------------------------- hostile ids and paths

@pytest.mark.parametrize("hostile_id", ["..", "../../escape", "/tmp/escape", "a/../../b", "con/..", "."])
def test_an_id_that_is_a_path_fails_the_check_and_nothing_is_written(hostile_id: str, mini: Path) -> None:
    edit(mini / "pillars" / "leadership.yaml", "id: leadership\n", f"id: {json.dumps(hostile_id)}\n")
    before = snapshot(mini.parent)
    result = generate(mini, mini.parent / "docs")
    assert not result.ok
    assert any(f.code == "S003" for f in result.findings)
    assert snapshot(mini.parent) == before  # no docs/ folder, no page anywhere


HOSTILE_PATHS = ["../escape.md", "../../escape.md", "/tmp/escape.md", "a/../../escape.md", "..", ".",
                 "", "pillars/../../escape.md", "./../escape.md", "pillars/..", "a/b/../../../c.md"]


@pytest.mark.parametrize("rel", HOSTILE_PATHS)
def test_the_writer_refuses_paths_that_leave_its_folder(rel: str, tmp_path: Path) -> None:
    out = tmp_path / "docs" / "roadmap"
    with pytest.raises(WriteRefused):
        write({"index.md": "fine\n", rel: "escaped\n"}, out)
    assert not (tmp_path / "escape.md").exists() and not (tmp_path / "docs" / "escape.md").exists()
    assert not (out / "index.md").exists()  # refused before anything is written
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_writer_refuses_to_write_through_a_link_inside_its_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "docs" / "roadmap"
    out.mkdir(parents=True)
    (out / "pillars").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteRefused):
        write({"pillars/leadership.md": "x\n"}, out)
    assert list(outside.iterdir()) == []


def test_the_writer_refuses_a_folder_that_is_a_link(tmp_path: Path) -> None:
    """docs/roadmap/ is git-ignored, but a pull request could still commit a link there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "roadmap").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteRefused):
        write({"index.md": "x\n"}, tmp_path / "docs" / "roadmap")
    assert list(outside.iterdir()) == []


def test_a_generated_file_replaced_by_a_link_is_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "roadmap"
    write({"a.md": "one\n"}, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / "a.md").unlink()
    (out / "a.md").symlink_to(victim)
    with pytest.raises(WriteRefused):
        write({"a.md": "two\n"}, out)
    assert victim.read_text() == "precious\n"


@pytest.mark.parametrize("listed", [["../victim.txt"], ["/VICTIM"], ["sub/../../victim.txt"],
                                    "../victim.txt", {"../victim.txt": 1}, [1, None, ["x"]]])
def test_a_tampered_manifest_cannot_delete_files_outside(listed: object, tmp_path: Path) -> None:
    out = tmp_path / "roadmap"
    write({"a.md": "one\n"}, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / MANIFEST).write_text(json.dumps(listed).replace("/VICTIM", str(victim)))
    write({"b.md": "two\n"}, out)  # removes what the manifest lists and this run does not make
    assert victim.read_text() == "precious\n"


# ---------------------------------------------------------------- files the generator did not make

def test_the_writer_never_overwrites_a_file_it_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "roadmap"
    write({"pillars/leadership.md": "generated\n"}, out)
    stray = out / "pillars" / "notes.md"
    stray.write_text("a contributor's notes\n")
    with pytest.raises(WriteRefused, match="not made by the generator"):
        write({"pillars/leadership.md": "generated\n", "pillars/notes.md": "generated\n"}, out)
    assert stray.read_text() == "a contributor's notes\n"


def test_the_writer_never_deletes_a_file_it_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "roadmap"
    write({"a.md": "one\n", "b.md": "two\n"}, out)
    stray = out / "notes.md"
    stray.write_text("mine\n")
    report = write({"a.md": "one\n"}, out)
    assert report.removed == ["b.md"]
    assert stray.read_text() == "mine\n"
    assert json.loads((out / MANIFEST).read_text()) == ["a.md"]


# ---------------------------------------------------------------- interrupted writes

class Interrupted(Exception):
    pass


class HalfWriter:
    """A file handle that writes half of what it is given, then fails (a full disk, a kill)."""

    def __init__(self, handle: object) -> None:
        self.handle = handle

    def __enter__(self) -> HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # type: ignore[attr-defined]

    def write(self, text: str) -> int:
        self.handle.write(text[: len(text) // 2])  # type: ignore[attr-defined]
        self.handle.flush()  # type: ignore[attr-defined]
        raise Interrupted


def interrupt_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(writer.os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))


def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.md"
    target.write_text("the old page, complete\n")
    interrupt_writes(monkeypatch)
    with pytest.raises(Interrupted):
        atomic_write(target, "the new page, " * 1000)
    assert target.read_text() == "the old page, complete\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no .tmp- file left


def test_an_interrupted_generation_can_be_finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New pages are claimed in the manifest before they are written, so a run cut short
    between two pages does not leave files that the next run refuses as not its own."""
    out = tmp_path / "roadmap"
    write({"a.md": "one\n"}, out)
    real_atomic = writer.atomic_write
    written: list[str] = []

    def fail_on_third_page(path: Path, text: str, durable: bool = True) -> None:
        if path.suffix == ".md" and len(written) == 2:  # a.md rewritten, b.md new, then cut
            raise Interrupted
        real_atomic(path, text, durable)
        if path.suffix == ".md":
            written.append(path.name)

    monkeypatch.setattr(writer, "atomic_write", fail_on_third_page)
    with pytest.raises(Interrupted):
        write({"a.md": "one, changed\n", "b.md": "two\n", "c.md": "three\n"}, out)
    monkeypatch.undo()
    assert not list(out.glob(".tmp-*"))
    write({"a.md": "one, changed\n", "b.md": "two\n", "c.md": "three\n"}, out)
    assert {p.name: p.read_text() for p in out.glob("*.md")} == \
        {"a.md": "one, changed\n", "b.md": "two\n", "c.md": "three\n"}


# ---------------------------------------------------------------- real builds

@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", MINI / "roadmap")


def test_a_build_touches_only_its_own_folders(project: Path) -> None:
    before = snapshot(project)
    done = build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    after = snapshot(project, skip=("site",))
    generated = {rel for rel in after if rel.startswith("docs/roadmap/")}
    assert generated and {rel: h for rel, h in after.items() if rel not in generated} == before
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")]


def test_a_failed_check_leaves_the_pages_and_the_site_as_they_were(project: Path) -> None:
    assert build(project).returncode == 0
    before = snapshot(project)
    edit(project / "roadmap" / "pillars" / "leadership.yaml", "owner: test-icb\n", "owner: nobody\n")
    done = build(project)
    assert done.returncode == 1 and "R001" in done.stderr
    after = snapshot(project)
    del before["roadmap/pillars/leadership.yaml"], after["roadmap/pillars/leadership.yaml"]
    assert after == before


def test_a_failed_mkdocs_build_leaves_the_site_as_it_was(project: Path) -> None:
    assert build(project).returncode == 0
    site = snapshot(project / "site")
    (project / "docs" / "broken.md").write_text("---\nrender_macros: true\n---\n{{ no_such_macro() }}\n")
    done = build(project)
    assert done.returncode != 0
    assert snapshot(project / "site") == site
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")]


@pytest.mark.parametrize("kind", ["link", "project", "file"])
def test_the_site_folder_is_replaced_only_if_it_is_a_site(kind: str, tmp_path: Path) -> None:
    """The old site is deleted after a build: never through a link, never a folder that is
    not a site (`--site .` would otherwise delete the project)."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("precious\n")
    site = {"link": tmp_path / "site", "project": victim, "file": victim / "precious.txt"}[kind]
    if kind == "link":
        site.symlink_to(victim, target_is_directory=True)
    before = snapshot(tmp_path)
    assert mkdocs_build(tmp_path / "mkdocs.yml", site) == 2
    assert snapshot(tmp_path) == before



def test_a_file_the_last_write_marked_is_neither_read_nor_its_text_asked_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose digest is known, to a file the last write's marks say holds that digest
    and that has not changed since, needs neither its text nor a read of the file; a file
    changed in between, another text, or a page without a digest is compared as always."""
    out = tmp_path / "out"
    texts = {"a.md": "# A\n" * 50, "b.md": "# B\n" * 50}
    asked: list[str] = []

    def pages(changed: str = "") -> Texts:
        def load(rel: str) -> tuple[str, str]:
            asked.append(rel)
            return texts[rel] + changed, digest(texts[rel] + changed)
        return Texts({rel: Text(None, digest(text + changed), partial(load, rel))
                      for rel, text in texts.items()})

    marks = write(pages(), out).marks
    assert sorted(marks) == ["a.md", "b.md"] and sorted(asked) == ["a.md", "b.md"]
    reads: list[str] = []
    real = Path.read_bytes

    def counted(path: Path) -> bytes:
        reads.append(path.name)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    asked.clear()
    report = write(pages(), out, marks)
    assert report.unchanged == 2 and reads == [] and asked == [] and report.marks == marks
    (out / "a.md").write_text("# Changed by hand\n", "utf-8")  # another size, another time
    assert write(pages(), out, marks).written == ["a.md"] and asked == ["a.md"]
    assert (out / "a.md").read_text("utf-8") == texts["a.md"]
    assert write(pages("!"), out, marks).written == ["a.md", "b.md"]  # other digests
    assert write(texts, out, write(texts, out).marks).unchanged == 2  # no digests: compared
    assert sorted(reads) == ["a.md", "b.md"]
    assert write(texts, out).marks == {}
