"""The roadmap's history, read from git in one pass: what changed, when, for each entity.

One `git log` lists the commits that touched the roadmap folder and the files each
changed; one `git cat-file --batch` process reads those files' contents. Each file is
parsed with the same safe loader as the check, and consecutive states are compared.
Outside a git checkout, or in a shallow clone, the history is marked unavailable with a
note that the pages show instead of failing.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from generator.collect import entities
from generator.load import kind_of, parse_source

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SINCE = re.compile(r"^(\d{4}-\d{2}-\d{2}|[0-9a-f]{7,40})$")
TRACKED = {"priority": ("status", "owner", "timeframe", "accountable", "title"),
           "action": ("status", "due", "owner", "title"),
           "pillar": ("title", "last_reviewed", "accountable")}


@dataclass(frozen=True)
class Change:
    when: date
    commit: str
    kind: str
    id: str
    field: str  # a tracked field, or "added" / "removed"
    old: Any = None
    new: Any = None


@dataclass
class History:
    available: bool
    note: str = ""
    changes: list[Change] = field(default_factory=list)

    @cached_property
    def _by_entity(self) -> dict[tuple[str, str], list[Change]]:
        # Pages ask for one entity's changes each; grouping once keeps that linear.
        grouped: dict[tuple[str, str], list[Change]] = {}
        for change in self.changes:
            grouped.setdefault((change.kind, change.id), []).append(change)
        return grouped

    def of(self, kind: str, id_: str) -> list[Change]:
        return self._by_entity.get((kind, id_), [])

    def last_changed(self, kind: str, id_: str) -> date | None:
        found = self.of(kind, id_)
        return found[-1].when if found else None


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _commits(top: Path, rel: str) -> list[tuple[str, date, list[str]]]:
    """(commit, date, files changed under rel) for every commit touching rel, oldest first."""
    out = _git(top, "log", "--reverse", "--format=@%H %cs", "--name-only", "--no-renames", "--", rel) or ""
    commits: list[tuple[str, date, list[str]]] = []
    for line in out.splitlines():
        if line.startswith("@"):
            sha, day = line[1:].split()
            commits.append((sha, date.fromisoformat(day), []))
        elif line.strip() and commits:
            commits[-1][2].append(line.strip())
    return commits


class _Blobs:
    """File contents at a commit, through one long-lived `git cat-file --batch`."""

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)

    def read(self, commit: str, path: str) -> bytes | None:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(f"{commit}:{path}\n".encode())
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            return None
        content = self.process.stdout.read(int(header[2]))
        self.process.stdout.read(1)  # the newline after each object
        return content

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


def _states(raw: bytes | None, path: str, root_rel: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The tracked fields of every entity in one version of one file."""
    kind = kind_of(path.removeprefix(root_rel + "/"))
    if raw is None or kind is None:
        return {}
    source, _ = parse_source(raw, path, kind)
    if source is None:
        return {}
    return {(e.kind, e.id): {f: e.data.get(f) for f in TRACKED[e.kind]}
            for e in entities([source]) if e.kind in TRACKED}


def compare(old: dict[tuple[str, str], dict[str, Any]], new: dict[tuple[str, str], dict[str, Any]],
            when: date, commit: str) -> list[Change]:
    changes = []
    for key in sorted(old.keys() | new.keys()):
        kind, id_ = key
        if key not in old:
            changes.append(Change(when, commit, kind, id_, "added", None, new[key].get("title")))
        elif key not in new:
            changes.append(Change(when, commit, kind, id_, "removed", old[key].get("title"), None))
        else:
            changes += [Change(when, commit, kind, id_, f, old[key][f], new[key][f])
                        for f in TRACKED[kind] if old[key][f] != new[key][f]]
    return changes


def read_history(root: Path) -> History:
    """Every change to the tracked fields of pillars, priorities and actions, oldest first."""
    root = root.resolve()
    top_text = _git(root, "rev-parse", "--show-toplevel")
    if top_text is None:
        return History(False, "This copy of the roadmap is not a git checkout, so its history is not shown.")
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return History(False, "This is a shallow clone, so the full history is not available here.")
    head = (_git(root, "rev-parse", "HEAD") or "").strip()
    return _read(root, Path(top_text.strip()), head, history_since(root))


def history_since(root: Path) -> str | None:
    """The programme's `settings.history_since` (a date or a commit id), if it is well formed."""
    try:
        source, _ = parse_source((root / "programme.yaml").read_bytes(), "programme.yaml", "programme")
    except OSError:
        return None
    settings = source.data.get("settings") if source and isinstance(source.data, dict) else None
    value = settings.get("history_since") if isinstance(settings, dict) else None
    return value if isinstance(value, str) and _SINCE.match(value) else None


def _kept(top: Path, commits: list[tuple[str, date, list[str]]],
          since: str | None) -> list[tuple[str, date, list[str]]]:
    """The commits from `since` on: those dated on or after it, or the commit it names and
    every later one. An unknown commit keeps nothing, so an old roadmap never shows."""
    if since is None:
        return commits
    if _DAY.match(since):
        try:
            day = date.fromisoformat(since)
        except ValueError:  # not a real date: the check says so (D001)
            return []
        return [c for c in commits if c[1] >= day]
    start = (_git(top, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}") or "").strip()
    if not start:
        return []
    later = set((_git(top, "rev-list", f"{start}..HEAD") or "").split()) | {start}
    return [c for c in commits if c[0] in later]


@cache  # keyed by HEAD: `mkdocs serve` rebuilds reuse it until a new commit
def _read(root: Path, top: Path, head: str, since: str | None = None) -> History:
    rel = root.relative_to(top).as_posix()
    files: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    history = History(True)
    blobs = _Blobs(top)
    commits = _kept(top, _commits(top, rel), since)
    try:
        if since and commits:
            # Where history starts, the files it starts with are compared with their state just
            # before; a file gone by then (an old roadmap's) is never seen, so never "removed".
            first = commits[0][0]
            for path in (_git(top, "ls-tree", "-r", "--name-only", first, "--", rel) or "").splitlines():
                files[path] = _states(blobs.read(f"{first}^", path), path, rel)
        for sha, when, changed in commits:
            before = {k: v for states in files.values() for k, v in states.items()}
            for path in changed:
                files[path] = _states(blobs.read(sha, path), path, rel)
            after = {k: v for states in files.values() for k, v in states.items()}
            history.changes += compare(before, after, when, sha[:7])
    finally:
        blobs.close()
    return history


def _show(value: Any, statuses: dict[str, str]) -> str:
    if isinstance(value, dict):
        return " to ".join(str(v) for v in value.values())
    return statuses.get(str(value), str(value)) if value is not None else "none"


def describe(change: Change, statuses: dict[str, str]) -> str:
    """One change in plain words, for the pages and the feed."""
    if change.field == "added":
        return "added"
    if change.field == "removed":
        return "removed"
    name = {"due": "due date", "last_reviewed": "last review date", "accountable": "accountable body"}
    label = name.get(change.field, change.field)
    return f"{label} changed from {_show(change.old, statuses)} to {_show(change.new, statuses)}"
