"""Remake only the pages whose inputs changed: the rest come from the last run's cache.

The cache's index holds, for each task, the inputs it read (render/inputs.py), the digest
of each page it made and how long it took; and, for every input any task read, its
fingerprint then. A run works out which inputs changed, runs only the tasks that read one
(the slowest first, on every CPU when they are slow), and reads the other pages back by
digest. The result is the same as making every page again (tests/test_incremental.py).
"""

from __future__ import annotations

import os
import time
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

from generator import model as m
from generator.cache import Cache, digest
from generator.history import History
from generator.render import inputs, workers  # submodules: never the package's __init__
from generator.texts import Text

INDEX = "pages-index"
Rendered = workers.Rendered
Made = list[tuple[str, Text]]  # pages by path: made now, or kept (read back when asked for)


def sharing(make_tasks: Callable[..., list[workers.Task]], *args: Any) -> list[workers.Task]:
    """Tasks from `make_tasks`, each also depending on what it read to make them (a summary
    computed once and handed to every page, say)."""
    with inputs.recording() as read:
        tasks = make_tasks(*args)
    return [replace(t, also=t.also | read) for t in tasks]


def make(tasks: list[workers.Task], roadmap: m.Roadmap, history: History,
         cache: Cache | None, quick: bool = False) -> Made:
    """Every task's pages: from the cache where its inputs are unchanged, else made now.
    `quick` (a preview's first build after an edit): a task that took long last time keeps
    the pages it made then, and nothing is recorded, so the next run makes it."""
    if not cache:
        return _made(tasks)
    prints = inputs.Fingerprints(roadmap, repr((history.available, history.note, history.changes,
                                                history.first_published)))
    last = _LAST.index if _LAST.folder == cache.folder else Index.read(cache, prints.shared)
    if last.shared != prints.shared:
        last = Index()  # none, or made with another history
    state = _state(roadmap)
    # The tasks made from the whole roadmap (the downloads) are made again after any edit:
    # they start at once in a process of their own, while this one works out the rest.
    whole = [t for t in tasks if t.whole]
    slow = sum(_cost(last.tasks.get(t.name)) for t in whole) > EARLY
    early = whole if slow and not quick and last.state != state else []
    with workers.started([partial(_recorded, t) for t in early]) as early_results:
        changes = _Changes.since(last, prints, roadmap, state)
        texts = _LAST.texts if _LAST.folder == cache.folder else {}
        now: dict[str, str] = {}  # this run's pages by digest, for the next run in this process
        started = {t.name for t in early}
        made, todo = _take_kept([t for t in tasks if t.name not in started], last, changes.inputs,
                                cache, texts, now)
        if quick:
            todo, later = _later(todo, last, cache, texts)
            if later:  # shown as they were: this run is not recorded, so the next makes them
                cache.kept, cache.made, cache.later = len(tasks) - len(todo), len(todo), len(later)
                return made + later + _made(todo)
        cache.kept, cache.made = len(tasks) - len(todo) - len(early), len(todo) + len(early)
        fresh = _run_recorded(todo, last, cache, now, made, early, early_results)
    index = last
    if todo or early or len(last.tasks) != len(tasks) or not changes.same:
        with inputs.paused():
            index = (last.updated(prints, changes, fresh, tasks)
                     or _remade(last, prints, changes, fresh, tasks))
        index.write(cache)
    _LAST.folder, _LAST.index, _LAST.texts = cache.folder, index, now
    return made


EARLY = 0.25  # seconds the whole-roadmap tasks took last time, beyond which they start early


def _state(roadmap: m.Roadmap) -> str:
    """What every item is made from: the files, and the date the roadmap is as at."""
    return digest(repr(sorted(roadmap.file_digests.items())), repr(roadmap.as_at))


def _remade(last: Index, prints: inputs.Fingerprints, changes: _Changes, fresh: dict[str, Any],
            tasks: list[workers.Task]) -> Index:
    """The index made anew from every task's record, with the inputs of them all."""
    # An input that could not have changed keeps the fingerprint it had (see `_Changes`).
    then = {name: last.prints[i] for i, name in enumerate(last.names) if i not in changes.may}
    records = {t.name: fresh.get(t.name) or last.named(t.name) for t in tasks}
    return Index.made(prints, changes, records, then)


def _made(tasks: list[workers.Task]) -> Made:
    return [(path, Text(text)) for pages in workers.run([t.make for t in tasks]) for path, text in pages]


@dataclass
class _Changes:
    """What changed since the last run: the fingerprint of every item; the places in the
    last index's names of the inputs that may have changed, and of those that did."""

    state: str  # the files and the date the items were made from
    same: bool  # whether those are as they were
    items: dict[str, str]
    data: dict[str, str]  # the fingerprint of each item's own data (inputs.data_prints)
    may: set[int]
    inputs: set[int]

    @classmethod
    def since(cls, last: Index, prints: inputs.Fingerprints, roadmap: m.Roadmap, state: str) -> _Changes:
        # Every item is made from the files and the date the roadmap is as at (`state`): while
        # they stay the same, only the roadmap's own fields (read from mkdocs.yml, say) need a look.
        same = last.state == state
        with inputs.paused():  # fingerprinting reads every item: no task is noting
            data = last.data if same else prints.data_prints(last.data)
            items = last.items if same else prints.item_prints(data)
            moved = {k for k in items.keys() | last.items.keys() if items.get(k) != last.items.get(k)}
            may = _may_have_changed(last.names, moved, {k.partition(":")[0] for k in moved})
            changed = {i for i in may if prints.of(last.names[i]) != last.prints[i]}
        return cls(state, same, items, data, may, changed)


def _take_kept(tasks: list[workers.Task], last: Index, changed: set[int], cache: Cache,
               texts: dict[str, str], now: dict[str, str]) -> tuple[Made, list[workers.Task]]:
    """The pages of the tasks none of whose inputs changed, and the tasks to run."""
    made: Made = []
    todo: list[workers.Task] = []
    for task in tasks:
        kept = _kept(task, last.tasks.get(task.name), changed, cache, texts, now)
        if kept is None:
            todo.append(task)
        else:
            made += kept
    return made, todo


def _run_recorded(todo: list[workers.Task], last: Index, cache: Cache, now: dict[str, str],
                  made: Made, early: list[workers.Task],
                  early_results: Callable[[], list[Any]]) -> dict[str, Any]:
    """Run the tasks, the slowest first, then wait for those started early; add their pages
    to `made` and keep each in the cache. Returns their records (inputs by name, pages,
    time taken) by task name."""
    todo = sorted(todo, key=lambda t: -_cost(last.tasks.get(t.name)))  # new ones count as slow
    slow = sum(_cost(last.tasks.get(t.name)) for t in todo) > SLOW
    results = workers.run([partial(_recorded, t) for t in todo], slow)
    fresh: dict[str, Any] = {}
    for task, (pages, read, took) in [*zip(todo, results, strict=True),
                                      *zip(early, early_results(), strict=True)]:
        out = []
        for path, text in pages:
            out.append([path, digest(text)])
            cache.put_text(_text_name(out[-1][1]), text, whole=False)  # _load checks its digest
            now[out[-1][1]] = text
            made.append((path, Text(text, out[-1][1])))
        fresh[task.name] = {"in": inputs.grouped(set(read) | task.also), "out": out, "took": took}
    return fresh


# Seconds a task took last time, beyond which a quick run keeps its old pages (the timeline
# and a partner's pages take longer at scale; an item's own page far less).
QUICK_TASK = float(os.environ.get("ROADMAP_PREVIEW_QUICK_SECONDS", "0.1"))


def _later(todo: list[workers.Task], last: Index, cache: Cache,
           texts: dict[str, str]) -> tuple[list[workers.Task], Made]:
    """The tasks quick to make, and the last pages of the others (those it made)."""
    now: list[workers.Task] = []
    later: Made = []
    for task in todo:
        record = last.tasks.get(task.name)
        old = _kept(task, record, set(), cache, texts, {}) if _cost(record) > QUICK_TASK else None
        if old is None:
            now.append(task)
        else:
            later += old
    return now, later


@dataclass
class Index:
    """What the last run made, as the cache keeps it: the fingerprint of every item; the name
    and fingerprint of every input a task read; and each task's inputs (by their place in
    that list: ten times shorter than by name), pages (path and digest) and time taken."""

    shared: str = ""
    state: str = ""
    items: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    prints: list[str | None] = field(default_factory=list)
    tasks: dict[str, Any] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)  # each item's data's fingerprint

    @classmethod
    def read(cls, cache: Cache, shared: str) -> Index:
        """The last run's, or an empty one (none, or made with another history)."""
        kept = cache.get(INDEX)
        if not isinstance(kept, dict) or kept.get("shared") != shared:
            return cls()
        try:
            index = cls(**kept)
            count = len(index.names)
            whole = (count == len(index.prints) and isinstance(index.data, dict)
                     and all(a < b for a, b in pairwise(index.names))  # sorted: see _may_have_changed
                     and all(not record["in"] or 0 <= min(record["in"]) <= max(record["in"]) < count
                             for record in index.tasks.values()))
        except (TypeError, KeyError):
            return cls()
        if not whole:
            return cls()
        return index

    @classmethod
    def made(cls, prints: inputs.Fingerprints, changes: _Changes, records: dict[str, Any],
             then: dict[str, str | None]) -> Index:
        """The index of this run: `records` name their inputs; `then` has the fingerprints
        already known."""
        names = sorted({name for record in records.values() for name in record["in"]})
        place = {name: i for i, name in enumerate(names)}
        return cls(prints.shared, changes.state, changes.items, names,
                   [then[name] if name in then else prints.of(name) for name in names],
                   {task: {**record, "in": [place[name] for name in record["in"]]}
                    for task, record in records.items()}, changes.data)

    def updated(self, prints: inputs.Fingerprints, changes: _Changes, fresh: dict[str, Any],
                tasks: list[workers.Task]) -> Index | None:
        """This index with the fresh records and this run's fingerprints, or None when the
        tasks are not the same ones or a fresh record names an input it lacks. After an edit
        the inputs usually are the ones read last time: then no place in the list of names
        moves, and only the remade tasks' inputs are turned into places (turning every
        task's into names and back took a fifth of a second at scale)."""
        if self.tasks.keys() != {t.name for t in tasks}:
            return None
        place = {name: i for i, name in enumerate(self.names)}
        try:
            records = {task: {**record, "in": [place[name] for name in record["in"]]}
                       for task, record in fresh.items()}
        except KeyError:  # an input no task read last time: it needs its place in the list
            return None
        now = [prints.of(name) if i in changes.may else then
               for i, (name, then) in enumerate(zip(self.names, self.prints, strict=True))]
        return Index(prints.shared, changes.state, changes.items, self.names, now,
                     {**self.tasks, **records}, changes.data)

    def named(self, task: str) -> dict[str, Any]:
        """A task's record with its inputs by name, as `made` takes it."""
        record = self.tasks[task]
        return {**record, "in": [self.names[i] for i in record["in"]]}

    def write(self, cache: Cache) -> None:
        cache.put(INDEX, vars(self))  # (asdict would copy every list in it first)


def _may_have_changed(names: list[str], moved: set[str], kinds: set[str]) -> set[int]:
    """The places in `names` (sorted) of the inputs that can differ: the roadmap's own fields,
    the fields of an item whose fingerprint as a whole changed, and a field of every item of
    a kind where one did. Each such group is one run of the sorted names ("Pillar:p1.title",
    "Pillar:p1.status", ...: ids hold no dot), found by bisection, not by a look at every name."""
    places: set[int] = set()
    for prefix in ["roadmap.", inputs.WHOLE, *(f"{k}." for k in moved), *(f"*{k}." for k in kinds)]:
        i = bisect_left(names, prefix)
        while i < len(names) and names[i].startswith(prefix):
            places.add(i)
            i += 1
    return places


SLOW = 1.0  # seconds of work, by the last run's measure, worth starting workers for


def _cost(record: Any) -> float:
    return record["took"] if isinstance(record, dict) else SLOW


def _recorded(task: workers.Task) -> tuple[Rendered, list[str], float]:
    start = time.perf_counter()
    if task.whole:
        with inputs.paused():
            pages, read = task.make(), [inputs.WHOLE]
    else:
        with inputs.recording() as noted:
            pages = task.make()
        read = sorted(noted)
    return pages, read, round(time.perf_counter() - start, 3)


def _kept(task: workers.Task, record: Any, changed: set[int], cache: Cache, texts: dict[str, str],
          now: dict[str, str]) -> Made | None:
    """The task's pages as the last run made them, if none of its inputs changed: the texts
    this process still holds, and the way to the others (read only when asked for)."""
    if not isinstance(record, dict) or not changed.isdisjoint(record["in"]):
        return None
    pages: Made = []
    for path, text_digest in record["out"]:
        text = texts.get(text_digest)
        if text is None:
            pages.append((path, Text(None, text_digest, partial(_load, task, path, text_digest, cache, now))))
        else:
            now[text_digest] = text
            pages.append((path, Text(text, text_digest)))
    return pages


def _load(task: workers.Task, path: str, text_digest: str, cache: Cache,
          now: dict[str, str]) -> tuple[str, str]:
    """A kept page's text, read back from the cache; or, where the cache lost it (cut short,
    say, by a full disk), its task made again, as it would come out the same."""
    text = cache.get_text(_text_name(text_digest))
    if text is None or digest(text) != text_digest:
        with inputs.paused():
            text = dict(task.make())[path]
        text_digest = digest(text)
        cache.put_text(_text_name(text_digest), text, whole=False)
    now[text_digest] = text
    return text, text_digest


def _text_name(text_digest: str) -> str:
    return f"page-{text_digest}"


@dataclass
class _Last:
    """This process's last run (`mkdocs serve` runs the pipeline once per edit): its index and
    pages, so the next run need not read them back from the cache."""

    folder: Path | None = None
    index: Index = field(default_factory=lambda: Index())
    texts: dict[str, str] = field(default_factory=dict)  # page digest -> text


_LAST = _Last()
