"""Remake only the pages whose inputs changed: the rest come from the last run's cache.

Each task's record in the cache says which inputs it read (render/inputs.py), one
fingerprint of them all, and the digest of each page it made; the texts are kept by digest.
A task whose inputs have the same fingerprint now is not run: its pages are read back.
Everything else runs as before (render/workers.py), noting what it reads for next time.
"""

from __future__ import annotations

from collections.abc import Callable
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
    return [workers.Task(t.name, t.make, t.also | read) for t in tasks]


def make(tasks: list[workers.Task], roadmap: m.Roadmap, history: History,
         cache: Cache | None) -> Rendered:
    """Every task's pages: from the cache where its inputs are unchanged, else made now."""
    if cache is None:
        return [page for pages in workers.run([t.make for t in tasks]) for page in pages]
    index = cache.get(INDEX)
    index = index if isinstance(index, dict) else {}
    prints = inputs.Fingerprints(roadmap, roadmap.file_digests,
                                 repr((history.available, history.note, history.changes,
                                       history.first_published)))
    made: Rendered = []
    todo: list[workers.Task] = []
    for task in tasks:
        kept = _kept(index.get(task.name), prints, cache)
        if kept is None:
            todo.append(task)
        else:
            made += kept
    cache.kept, cache.made = len(tasks) - len(todo), len(todo)
    fresh = {}
    for task, (pages, read) in zip(todo, workers.run([partial(_recorded, t) for t in todo]), strict=True):
        keys = inputs.grouped(set(read) | task.also)
        out = []
        for path, text in pages:
            out.append([path, digest(text)])
            cache.put(_text_name(out[-1][1]), text)
        fresh[task.name] = {"in": keys, "fp": prints.combined(keys), "out": out}
        made += pages
    if fresh or len(index) != len(tasks):
        names = {t.name for t in tasks}
        cache.put(INDEX, {name: record for name, record in {**index, **fresh}.items() if name in names})
    return made


def _recorded(task: workers.Task) -> tuple[Rendered, list[str]]:
    with inputs.recording() as read:
        pages = task.make()
    return pages, sorted(read)


def _kept(record: Any, prints: inputs.Fingerprints, cache: Cache) -> Rendered | None:
    """The task's pages as the cache holds them, if its inputs are unchanged."""
    if not isinstance(record, dict) or record.get("fp") is None:
        return None
    if prints.combined(record["in"]) != record["fp"]:
        return None
    pages = []
    for path, text_digest in record["out"]:
        text = cache.get(_text_name(text_digest))
        if not isinstance(text, str):
            return None
        pages.append((path, text))
    return pages


def _text_name(text_digest: str) -> str:
    return f"page-{text_digest}"
