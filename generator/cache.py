"""The generator's cache: what one run parsed and rendered, so the next remakes only what changed.

It lives in `.roadmap-cache/` beside the roadmap folder (git-ignored, safe to delete: a run
without it does everything again). Everything in it is JSON, or a page's text as it is (which
is quicker to read back than the same text in JSON), so nothing is run on load, and
every name in it is keyed with a secret kept in the user's own cache folder: an entry someone
committed or copied in never matches, so a cache cannot put in the site what the YAML does
not say. The folder's name is also keyed by the generator's code, templates and schemas, so a
change to any of them starts a fresh cache (the old one is removed).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from generator.write import atomic_write

FOLDER = ".roadmap-cache"  # beside the roadmap folder; the history keeps its versions here too
PREFIX = "generate-"
_PACKAGE = Path(__file__).resolve().parent
_CODE = (_PACKAGE, _PACKAGE.parent / "schema")  # what the output is made by
DISABLE_ENV = "ROADMAP_NO_CACHE"  # set: every run starts from nothing (the benchmark's cold runs)


def digest(*parts: str | bytes) -> str:
    """A short content hash of the parts, each kept apart from the next."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@cache
def code_version() -> str:
    """The generator's code, templates and schemas, as one hash."""
    h = hashlib.blake2b(digest_size=16)
    for folder in _CODE:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(folder.parent).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


@cache
def _secret() -> bytes | None:
    """This user's key for cache names, made once (None when there is nowhere to keep it)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "living-roadmap" / "cache-key"
    with suppress(OSError):
        return bytes.fromhex(path.read_text("ascii").strip())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    except FileExistsError:  # another run made it first: use theirs
        pass
    except OSError:
        return None
    try:
        return bytes.fromhex(path.read_text("ascii").strip())
    except (OSError, ValueError):
        return None


def keyed(name: str) -> str | None:
    key = _secret()
    return hmac.new(key, name.encode(), hashlib.blake2b).hexdigest()[:40] if key else None


class Cache:
    """One roadmap's cache for the current code: JSON values by name. Never raises: an entry
    that cannot be read is a miss, and one that cannot be written is made again next time."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.kept = self.made = 0  # tasks of pages taken from the cache, and made again
        self.later = 0  # pages a quick run showed as they were, to be made by the next run

    def __bool__(self) -> bool:
        """Whether there is a cache at all (ROADMAP_NO_CACHE, or no place for the key: none)."""
        return self.folder is not None

    @property
    def reused(self) -> tuple[int, int] | None:
        return (self.kept, self.made) if self.folder else None

    @classmethod
    def for_root(cls, root: Path) -> Cache:
        version = keyed(code_version())
        if os.environ.get(DISABLE_ENV) or version is None:
            return cls(None)
        top = root.resolve().parent / FOLDER
        folder = top / f"{PREFIX}{version}"
        if not folder.is_dir():
            _drop_old(top)
        return cls(folder)

    def _path(self, name: str, suffix: str = ".json") -> Path | None:
        key = keyed(name) if self.folder else None
        return self.folder / key[:2] / f"{key[2:]}{suffix}" if self.folder and key else None

    def get(self, name: str) -> Any:
        text = self.get_text(name, ".json")
        try:
            return None if text is None else json.loads(text)
        except ValueError:
            return None

    def put(self, name: str, value: Any) -> None:
        with suppress(ValueError, TypeError):
            self.put_text(name, json.dumps(value, ensure_ascii=False, separators=(",", ":")), ".json")

    def get_text(self, name: str, suffix: str = ".txt") -> str | None:
        path = self._path(name, suffix)
        if path is None:
            return None
        try:
            return path.read_bytes().decode("utf-8")  # as written: no newline is translated
        except (OSError, ValueError):
            return None

    def put_text(self, name: str, text: str, suffix: str = ".txt", whole: bool = True) -> None:
        """`whole`: written beside and renamed, so a reader never sees half of it. An entry
        named by its text's own digest needs no such care: its reader checks the digest."""
        path = self._path(name, suffix)
        if path is None:
            return
        with suppress(OSError, ValueError):
            if whole:
                atomic_write(path, text, durable=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o666)
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)  # (never through a link put in its place)


def _drop_old(top: Path) -> None:
    """Earlier code's caches: never read again, so they go (the history's stay)."""
    with suppress(OSError):
        for old in top.glob(f"{PREFIX}*"):
            shutil.rmtree(old, ignore_errors=True)
