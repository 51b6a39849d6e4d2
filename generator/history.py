"""The roadmap's history, read from git in one pass: what changed, when, for each entity.

One `git log -z --raw` lists the commits that touched the roadmap folder and the blob id
of each file they changed (NUL-separated, so any file name survives); one
`git cat-file --batch` process reads the blobs not seen before. Each is parsed with the
same safe loader as the check, and its tracked fields are cached on disk by blob id (and
kind) in the generator's cache folder, so a build parses only new versions, and at most
MAX_NEW_BYTES of them (a huge history is read over several builds, and says so).
Consecutive states of the files a commit changed are compared, so the work grows with
the changes, not with the commits times the files. The first commit that holds the roadmap is its
first publication, not a list of additions. Outside a git checkout, or in a shallow
clone, the history is marked unavailable with a note that the pages show instead.
"""

from __future__ import annotations

import json
import re
import subprocess
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from generator.collect import entities
from generator.load import kind_of, parse_source
from generator.versions import resolve_revision
from generator.write import atomic_write

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SINCE = re.compile(r"^(\d{4}-\d{2}-\d{2}|[0-9a-f]{7,40})$")
TRACKED = {"priority": ("status", "owner", "timeframe", "accountable", "title"),
           "action": ("status", "due", "owner", "title"),
           "pillar": ("title", "last_reviewed", "accountable")}
CACHE_FOLDER = ".roadmap-cache"  # at the top of the repository; git-ignored
CACHE_VERSION = "history-1"  # change it when TRACKED or the parsing changes
MAX_NEW_BYTES = 128 * 1024 * 1024  # versions parsed per build (about 15 s); the cache keeps the rest
FIRST_YEAR, LAST_YEAR = 1900, 2199  # commit dates outside this are not shown (git allows year 10000)

States = dict[tuple[str, str], dict[str, Any]]


@dataclass(frozen=True)
class Change:
    when: date
    commit: str
    kind: str
    id: str
    field: str  # a tracked field, or "added" / "removed" / "published" (in the first import)
    old: Any = None
    new: Any = None
    recorded_by: str = ""  # the title of the review that records it, when it comes from one


@dataclass
class History:
    available: bool
    note: str = ""
    changes: list[Change] = field(default_factory=list)
    first_published: date | None = None
    parsed: int = 0  # versions parsed by this build (the rest came from the cache)

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

    def with_reviews(self, reviews: list[Any]) -> History:
        """This history with the status changes each review records, dated on the review,
        unless git already shows the same change."""
        seen = {(c.id, c.old, c.new) for c in self.changes if c.field == "status"}
        recorded = [Change(r.date, f"review {r.id}", "priority", p.id, "status", c.get("from"), c.get("to"),
                           r.title)
                    for r in reviews if r.date for p, c in r.status_changes
                    if (p.id, c.get("from"), c.get("to")) not in seen]
        if not recorded:
            return self
        merged = sorted([*self.changes, *recorded], key=lambda c: c.when)  # stable: git order kept
        return History(self.available, self.note, merged, self.first_published, self.parsed)


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def _day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:  # year 10000 and beyond: git writes it, Python's date cannot hold it
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


Commit = tuple[str, date | None, list[tuple[str, str]]]


def _commits(top: Path, rel: str) -> list[Commit]:
    """(commit, date, [(path, blob id)] changed under rel) for every commit touching rel,
    oldest first. -z: paths come unquoted, whatever characters they hold."""
    out = _git(top, "log", "--reverse", "-z", "--format=@%H %cs", "--raw", "--no-renames",
               "--no-abbrev", "--", rel) or ""
    commits: list[Commit] = []
    blob: str | None = None
    for token in out.split("\0"):
        if blob is not None:  # the path after a --raw line
            if commits:
                commits[-1][2].append((token, blob))
            blob = None
            continue
        token = token.lstrip("\n")
        if token.startswith("@"):
            sha, _, day = token[1:].partition(" ")
            commits.append((sha, _day(day.strip()), []))
        elif token.startswith(":"):
            blob = token.split()[3]  # :old-mode new-mode old-blob new-blob status
    return commits


class _Blobs:
    """File contents by blob id, through one long-lived `git cat-file --batch`."""

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)

    def read(self, blob: str) -> bytes | None:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(f"{blob}\n".encode())
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


def parse_states(raw: bytes | None, path: str, kind: str | None) -> States | None:
    """The tracked fields of every entity in one version of one file; None when that version
    cannot be read or holds a refused value (the history keeps the previous version)."""
    if raw is None or kind is None:
        return {}
    source, problems = parse_source(raw, path, kind)
    if source is None or problems:
        return None
    return {(e.kind, e.id): {f: e.data.get(f) for f in TRACKED[e.kind]}
            for e in entities([source]) if e.kind in TRACKED}


class _Cache:
    """Each version's states on disk, by blob id and kind: JSON, so nothing is run on load."""

    def __init__(self, top: Path) -> None:
        self.folder = top / CACHE_FOLDER / CACHE_VERSION

    def _path(self, blob: str, kind: str | None) -> Path:
        return self.folder / blob[:2] / f"{blob[2:]}-{kind}.json"

    def get(self, blob: str, kind: str | None) -> States | bool | None:
        """The states, None for an unreadable version, or False when not cached."""
        try:
            rows = json.loads(self._path(blob, kind).read_text("utf-8"))
        except (OSError, ValueError):
            return False
        return None if rows is None else {(k, i): fields for k, i, fields in rows}

    def put(self, blob: str, kind: str | None, states: States | None) -> None:
        rows = None if states is None else [[k, i, fields] for (k, i), fields in states.items()]
        with suppress(OSError):  # a read-only checkout still builds; it parses again next time
            atomic_write(self._path(blob, kind), json.dumps(rows, ensure_ascii=False), durable=False)


def compare(old: States, new: States, when: date, commit: str) -> list[Change]:
    changes = []
    for key in sorted(old.keys() | new.keys()):
        kind, id_ = key
        if key not in old:
            changes.append(Change(when, commit, kind, id_, "added", None, new[key].get("title")))
        elif key not in new:
            changes.append(Change(when, commit, kind, id_, "removed", old[key].get("title"), None))
        else:
            changes += [Change(when, commit, kind, id_, f, old[key].get(f), new[key].get(f))
                        for f in TRACKED[kind] if old[key].get(f) != new[key].get(f)]
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


def _kept(top: Path, commits: list[Commit], since: str | None) -> list[Commit]:
    """The commits from `since` on: those dated on or after it, or the commit it names and
    every later one. An unknown commit keeps nothing, so an old roadmap never shows."""
    if since is None:
        return commits
    if _DAY.match(since):
        try:
            day = date.fromisoformat(since)
        except ValueError:  # not a real date: the check says so (D001)
            return []
        return [c for c in commits if c[1] is not None and c[1] >= day]
    start = resolve_revision(since, top)
    if start is None:
        return []
    later = set((_git(top, "rev-list", f"{start}..HEAD") or "").split()) | {start}
    return [c for c in commits if c[0] in later]


class _OverBudget(Exception):
    """More new versions than one build parses (MAX_NEW_BYTES)."""


def _tree(top: Path, rev: str, rel: str) -> dict[str, str]:
    """{path: blob id} of the files under rel at rev (none if rev does not exist)."""
    out = _git(top, "ls-tree", "-r", "-z", "--full-tree", rev, "--", rel) or ""
    tree: dict[str, str] = {}
    for entry in filter(None, out.split("\0")):
        meta, _, path = entry.partition("\t")
        tree[path] = meta.split()[2]
    return tree


@cache  # keyed by HEAD: `mkdocs serve` rebuilds reuse it until a new commit
def _read(root: Path, top: Path, head: str, since: str | None = None) -> History:
    rel = root.relative_to(top).as_posix()
    files: dict[str, States] = {}
    history = History(True)
    cached, budget = _Cache(top), MAX_NEW_BYTES
    blobs = _Blobs(top)
    commits = _kept(top, _commits(top, rel), since)

    def states_of(path: str, blob: str) -> States | None:
        nonlocal budget
        kind = kind_of(path.removeprefix(rel + "/")) if path.startswith(rel + "/") else None
        states = cached.get(blob, kind)
        if states is False:
            raw = None if set(blob) == {"0"} else blobs.read(blob)  # all zeros: deleted
            budget -= len(raw or b"")
            if budget < 0:
                raise _OverBudget
            states = parse_states(raw, path, kind)
            cached.put(blob, kind, states)
            history.parsed += 1
        return states

    try:
        if since and commits:
            # Where history starts, the files it starts with are compared with their state just
            # before; a file gone by then (an old roadmap's) is never seen, so never "removed".
            earlier = _tree(top, f"{commits[0][0]}^", rel)
            for path in _tree(top, commits[0][0], rel):
                if path in earlier and (states := states_of(path, earlier[path])):
                    files[path] = states
            history.first_published = commits[0][1]
        for sha, when, changed in commits:
            before: States = {}
            after: States = {}
            for path, blob in changed:
                states = states_of(path, blob)
                if states is None:
                    continue  # an unreadable version: keep the one before
                before.update(files.get(path, {}))
                after.update(states)
                files[path] = states
            if when is None:
                continue  # a commit dated outside the years a roadmap can mean: not shown
            if history.first_published is None and after:
                history.first_published = when
                history.changes += [Change(when, sha[:7], k, i, "published", None, s.get("title"))
                                    for (k, i), s in sorted(after.items())]
            else:
                history.changes += compare(before, after, when, sha[:7])
    except _OverBudget:
        return History(False, "The history is larger than one build reads; the "
                       "part read so far is kept, and the next build reads more.")
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
    if change.field == "published":
        return "first published"
    if change.field == "removed":
        return "removed"
    name = {"due": "due date", "last_reviewed": "last review date", "accountable": "accountable body"}
    label = name.get(change.field, change.field)
    said = f"{label} changed from {_show(change.old, statuses)} to {_show(change.new, statuses)}"
    return said + (f" (recorded by the {change.recorded_by})" if change.recorded_by else "")
