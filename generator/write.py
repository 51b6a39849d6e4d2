"""Write generated pages into the folder the generator owns, and nothing else.

A manifest lists every file the generator wrote. A file is rewritten only when its
content changed (so `mkdocs serve` rebuilds only what moved), removed only if the
manifest says we made it, and never written over if we did not make it.

Whether a file holds its text already is known without reading either when the last write
left a mark (the text's digest, and the file's inode, size and modification time) and the
file is as it was then: after an edit, the thousands of pages it left alone are neither read
back from the cache (generator/texts.py) nor compared.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.texts import Texts

MANIFEST = ".generated.json"


class WriteRefused(Exception):
    """The output folder holds a file the generator did not make, where it would write."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    marks: dict[str, list[Any]] = field(default_factory=dict)  # by path: digest, inode, size, mtime


def atomic_write(path: Path, text: str, durable: bool = True) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file.
    The file keeps its permissions, or gets the usual ones for a new file (mkstemp's are 0600).
    `durable` also flushes it to disk first, which YAML a person wrote deserves; generated
    pages skip that (it was a tenth of a large build), as the next build remakes them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _inside(path: Path, folder: Path) -> bool:
    return folder in path.resolve().parents


class _Within:
    """Whether paths lead inside a folder once links are followed: each folder on the way
    is resolved once (thousands of pages share a few folders), a link itself always. Paths
    are plain strings here: a Path for each of thousands of pages was a tenth of a second."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.resolved: dict[str, bool] = {}

    def __call__(self, path: str, found: os.stat_result | None) -> bool:
        """`found`: the path's own lstat, or None where nothing is."""
        if found is not None and stat.S_ISLNK(found.st_mode):
            return _inside(Path(path), self.folder)
        parent = os.path.dirname(path)
        inside = self.resolved.get(parent)
        if inside is None:
            resolved = Path(parent).resolve()
            inside = self.resolved[parent] = resolved == self.folder or self.folder in resolved.parents
        return inside


def _mark(text_digest: str, found: os.stat_result) -> list[Any]:
    """What a file held and how it stood: a file replaced or edited since has another inode
    or modification time."""
    return [text_digest, found.st_ino, found.st_size, found.st_mtime_ns]


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # nothing there
        return None


def _same(path: Path, found: os.stat_result, text: str) -> bool:
    """Whether the regular file at `path` (`found`: its lstat) holds exactly `text`: a size
    that differs says so without reading it."""
    data = text.encode("utf-8")
    return found.st_size == len(data) and path.read_bytes() == data


def read_manifest(out: Path) -> set[str]:
    try:
        listed = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    return {rel for rel in listed if isinstance(rel, str)} if isinstance(listed, list) else set()


def write(pages: Mapping[str, str], out: Path, marks: Any = None) -> WriteReport:
    """Write `pages` ({path relative to out: text}) into `out`, which the generator owns.
    `marks`: the last write's report's, which tell the files that hold their text already
    (of pages whose digest is known: generator/texts.py)."""
    if out.is_symlink():  # a link committed in place of the folder would lead the writes away
        raise WriteRefused(f"{out} is a link; the generated folder must be a real folder")
    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
    made = read_manifest(out)
    targets = {rel: os.path.join(out, rel) for rel in pages}
    found = {rel: _lstat(target) for rel, target in targets.items()}  # one look at each
    within = _Within(out)
    for rel, target in targets.items():
        if rel.startswith("/") or ".." in rel.split("/") or not within(target, found[rel]):
            raise WriteRefused(f"refusing to write outside {out}: {rel}")
        if found[rel] is not None and rel not in made:
            raise WriteRefused(f"{target} exists and was not made by the generator; "
                               "move it out of the generated folder")
    if set(pages) - made:  # claim new files first, so an interrupted run can finish next time
        atomic_write(out / MANIFEST, json.dumps(sorted(made | set(pages)), indent=1) + "\n")
    report = WriteReport()
    marks = marks if isinstance(marks, dict) else {}
    known = pages.digest if isinstance(pages, Texts) else lambda rel: None
    for rel in pages:
        target, there, text_digest = targets[rel], found[rel], known(rel)
        regular = there is not None and stat.S_ISREG(there.st_mode)
        if regular and text_digest is not None and marks.get(rel) == _mark(text_digest, there):
            report.unchanged += 1  # neither the text nor the file need be read
        elif regular and _same(Path(target), there, pages[rel]):
            report.unchanged += 1
        else:
            atomic_write(Path(target), pages[rel], durable=False)
            report.written.append(rel)
            there = os.lstat(target)
        text_digest = known(rel)  # (a text read back just now may have made its digest known)
        if text_digest is not None and there is not None:
            report.marks[rel] = _mark(text_digest, there)
    for rel in sorted(made - set(pages)):
        stale = out / rel
        if _inside(stale, out) and stale.is_file():
            stale.unlink()
            report.removed.append(rel)
    listed = json.dumps(sorted(pages), indent=1) + "\n"
    if made != set(pages) or not (out / MANIFEST).is_file():  # unchanged, it is not touched:
        atomic_write(out / MANIFEST, listed)  # mkdocs serve would see a change and build again
    return report
