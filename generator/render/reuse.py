"""Remake only the pages whose inputs changed: the rest come from the last run's cache.

The cache's index holds, for each task, the inputs it read (render/inputs.py), the digest
of each page it made and how long it took; and, for every input any task read, its
fingerprint then. A run works out which inputs changed, runs only the tasks that read one
(the slowest first, on every CPU when they are slow), and reads the other pages back by
digest. The result is the same as making every page again (tests/test_incremental.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from generator import model as m
from generator.cache import Cache, digest
from generator.history import History
from generator.render import inputs, workers  # submodules: never the package's __init__

INDEX = "pages-index"
Rendered = workers.Rendered


def sharing(make_tasks: Callable[..., list[workers.Task]], *args: Any) -> list[workers.Task]:
    """Tasks from `make_tasks`, each also depending on what it read to make them (a summary
    computed once and handed to every page, say)."""
    with inputs.recording() as read:
        tasks = make_tasks(*args)
    return [replace(t, also=t.also | read) for t in tasks]


def make(tasks: list[workers.Task], roadmap: m.Roadmap, history: History,
         cache: Cache | None) -> Rendered:
    """Every task's pages: from the cache where its inputs are unchanged, else made now."""
    if not cache:
        return [page for pages in workers.run([t.make for t in tasks]) for page in pages]
    prints = inputs.Fingerprints(roadmap, repr((history.available, history.note, history.changes,
                                                history.first_published)))
    index = cache.get(INDEX)
    if not isinstance(index, dict) or index.get("shared") != prints.shared:
        index = {"tasks": {}, "prints": {}, "items": {}}  # none, or made with another history
    records: dict[str, Any] = index["tasks"]
    then: dict[str, str] = index["prints"]
    # Every item is made from the files and the date the roadmap is as at: while they stay
    # the same, only the roadmap's own fields (read from mkdocs.yml, say) need a look.
    state = digest(repr(sorted(roadmap.file_digests.items())), repr(roadmap.as_at))
    same = index.get("state") == state
    items = index["items"] if same else prints.item_prints()
    moved = {k for k in items.keys() | index["items"].keys() if items.get(k) != index["items"].get(k)}
    kinds = {k.partition(":")[0] for k in moved}
    changed = {name for name, made in then.items() if _may_have_changed(name, moved, kinds)
               and prints.of(name) != made}
    made: Rendered = []
    todo: list[workers.Task] = []
    for task in tasks:
        kept = _kept(records.get(task.name), changed, cache)
        if kept is None:
            todo.append(task)
        else:
            made += kept
    cache.kept, cache.made = len(tasks) - len(todo), len(todo)
    todo.sort(key=lambda t: -_cost(records.get(t.name)))  # the slowest first; new ones count as slow
    slow = sum(_cost(records.get(t.name)) for t in todo) > SLOW
    for task, (pages, read, took) in zip(todo, workers.run([partial(_recorded, t) for t in todo], slow),
                                         strict=True):
        out = []
        for path, text in pages:
            out.append([path, digest(text)])
            cache.put_text(_text_name(out[-1][1]), text)
        records[task.name] = {"in": inputs.grouped(set(read) | task.also), "out": out, "took": took}
        made += pages
    if todo or len(records) != len(tasks) or not same:
        names = {t.name for t in tasks}
        records = {name: record for name, record in records.items() if name in names}
        used = {name for record in records.values() for name in record["in"]}
        # An input that could not have changed keeps the fingerprint it had (see `changed`).
        cache.put(INDEX, {"shared": prints.shared, "state": state, "items": items, "tasks": records,
                          "prints": {name: then[name] if name in then and not _may_have_changed(
                              name, moved, kinds) else prints.of(name) for name in sorted(used)}})
    return made


def _may_have_changed(name: str, moved: set[str], kinds: set[str]) -> bool:
    """Whether an input can differ: one of a roadmap's own fields, a field of an item whose
    fingerprint as a whole changed, or a field of every item of a kind where one did."""
    if name.startswith("roadmap.") or name == inputs.WHOLE:
        return True
    if name.startswith("*"):
        return name[1:].partition(".")[0] in kinds
    return name.rpartition(".")[0] in moved


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


def _kept(record: Any, changed: set[str], cache: Cache) -> Rendered | None:
    """The task's pages as the cache holds them, if none of its inputs changed."""
    if not isinstance(record, dict) or not changed.isdisjoint(record["in"]):
        return None
    pages = []
    for path, text_digest in record["out"]:
        text = cache.get_text(_text_name(text_digest))
        if text is None or digest(text) != text_digest:  # cut short, say, by a full disk
            return None
        pages.append((path, text))
    return pages


def _text_name(text_digest: str) -> str:
    return f"page-{text_digest}"
