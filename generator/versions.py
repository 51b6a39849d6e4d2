"""One version of the roadmap, read so that two can be compared (`roadmap diff`).

A version is a roadmap folder, or a git revision whose roadmap folder is extracted into a
temporary folder; either is loaded and checked exactly as `roadmap check` does, giving a
`Side`: its entities by kind and id, and its findings. `resolve_revision` is the one place
a git revision is resolved (the diff and the history's `history_since` both use it); this
module imports nothing from the history or the pages, so both can depend on it.

    folder or revision ─ roadmap_at ─▶ path ─ read_side ─▶ Side
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.check import check
from generator.collect import Entity, entities
from generator.findings import Finding
from generator.load import load

Key = tuple[str, str]

_UNREADABLE = {"F002", "F004"}  # with every Y (YAML) code: the file could not be read at all
WORKING_TREE = "the working tree"


class DiffError(Exception):
    """The diff cannot run: an unknown revision or folder, or git is unavailable."""


# ---------------------------------------------------------------- reading each side

@dataclass(frozen=True)
class Side:
    label: str
    findings: list[Finding]
    items: dict[Key, Entity]

    @property
    def errors(self) -> dict[tuple[str, str, str], Finding]:
        """Errors keyed by (path inside the roadmap, code, message): stable across line moves."""
        return {(f.path.split("/", 1)[-1], f.code, f.message): f
                for f in self.findings if f.severity == "error"}

    @property
    def unreadable(self) -> set[str]:
        """Files that could not be read at all, as shown in findings."""
        return {f.path for f in self.findings if f.code.startswith("Y") or f.code in _UNREADABLE}


def read_side(root: Path, label: str) -> Side:
    loaded = load(root)
    items: dict[Key, Entity] = {}
    for entity in entities(loaded.sources):
        items.setdefault(entity.key, entity)
    return Side(label, check(loaded), items)


@contextmanager
def roadmap_at(spec: str | None, root_name: str, folder: bool = False) -> Iterator[Path]:
    """The roadmap folder for a git revision, a folder (only when `folder` is asked for
    explicitly: a pull request can add a folder or link named `origin/main`), or (None) the
    working tree."""
    if spec is None:
        yield _folder(Path(root_name), root_name)
    elif folder:
        yield _folder(Path(spec), root_name)
    else:
        with tempfile.TemporaryDirectory(prefix="roadmap-diff-") as tmp:
            yield _checkout(spec, root_name, Path(tmp))


def _folder(folder: Path, root_name: str) -> Path:
    if not folder.is_dir():
        raise DiffError(f"the roadmap folder '{folder}' does not exist; run this in the repository "
                        "or name the folder with --root")
    inner = folder / root_name
    if not (folder / "programme.yaml").is_file() and inner.is_dir():
        return inner  # a repository checkout was given: use its roadmap folder
    return folder


def _git(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as err:
        raise DiffError(f"git could not be run ({err.strerror}); install git or compare two folders") \
            from err


def _checkout(rev: str, root_name: str, into: Path) -> Path:
    top = _toplevel(rev)
    rel = _relative(Path(root_name), top)
    sha = _commit(rev, top)
    if _git(["cat-file", "-e", f"{sha}:{rel}"], top).returncode != 0:
        raise DiffError(f"the revision '{rev}' has no folder '{rel}'; name the roadmap folder with --root")
    paths = [rel]
    schema = Path(rel).parent.joinpath("schema").as_posix()
    if _git(["cat-file", "-e", f"{sha}:{schema}"], top).returncode == 0:
        paths.append(schema)  # so the schema-comment rule sees the same layout as the working tree
    archive = _git(["archive", "--format=tar", sha, "--", *paths], top)
    if archive.returncode != 0:
        raise DiffError(f"git could not read '{rel}' at '{rev}': {archive.stderr.decode(errors='replace')}")
    _extract(archive.stdout, into)
    return into / rel


def _toplevel(rev: str) -> Path:
    found = _git(["rev-parse", "--show-toplevel"])
    if found.returncode != 0:
        raise DiffError(f"this is not a git repository, so '{rev}' cannot be a revision; to compare "
                        "folders, add --folder")
    return Path(found.stdout.decode().strip()).resolve()


def _relative(root: Path, top: Path) -> str:
    try:
        return root.resolve().relative_to(top).as_posix()
    except ValueError as err:
        raise DiffError(f"the roadmap folder '{root}' is not inside the repository at {top}") from err


def resolve_revision(rev: str, top: Path) -> str | None:
    """The commit id a revision names, or None. The one place a revision is resolved:
    --end-of-options keeps a revision that starts with "-" from being read as an option."""
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    return found.stdout.decode().strip() if found.returncode == 0 else None


def _commit(rev: str, top: Path) -> str:
    sha = resolve_revision(rev, top)
    if sha is None:
        raise DiffError(f"'{rev}' is not a git revision this repository knows (for example "
                        "origin/main, HEAD~1 or a commit id); to compare folders, add --folder")
    return sha


def _extract(archive: bytes, into: Path) -> None:
    """Regular files only (no links), and never outside `into`."""
    base = into.resolve()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            target = (base / member.name).resolve()
            content = tar.extractfile(member) if member.isfile() else None
            if content is None or not target.is_relative_to(base):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.read())
