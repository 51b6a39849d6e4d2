"""What every consistency rule reads: the roadmap's sources and entities, indexed once.

Rules run even on files the schema refused, so every value they read may have the
wrong type; they skip what they cannot understand (the schema has already said why).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.collect import Entity
from generator.dates import parse_date
from generator.load import Source, pointer_join, pointer_of


@dataclass
class Context:
    root: Path
    sources: list[Source]
    entities: list[Entity]
    index: dict[tuple[str, str], list[Entity]] = field(default_factory=dict)  # (kind, id): those there are
    # The programme's data: its own in a whole roadmap's context; in one file's context, the
    # roadmap's programme for a rule registered as reading it, else nothing (see perfile.py).
    programme: dict[str, Any] = field(default_factory=dict)
    kinds: dict[str, list[Entity]] = field(default_factory=dict)
    walks: dict[int, list[tuple[Steps, str, str]]] = field(default_factory=dict)  # see texts()

    def __post_init__(self) -> None:
        for entity in self.entities:
            self.index.setdefault(entity.key, []).append(entity)
            self.kinds.setdefault(entity.kind, []).append(entity)
        if found := self.get("programme", "programme"):
            self.programme = found.data

    def texts(self, source: Source, keys: frozenset[str],
              wrong: Callable[[str], bool]) -> Iterator[tuple[str, str, str]]:
        """(pointer, key, text) for every text in the file under one of `keys` (given to
        `walked`) that is `wrong`, in document order; pointers are made only for those."""
        if id(source) not in self.walks:
            self.walks[id(source)] = _keyed_texts(source.data, frozenset(WALKED))
        for path, key, text in self.walks[id(source)]:
            if key in keys and wrong(text):
                yield pointer_of(path), key, text

    def get(self, kind: str, id_: str) -> Entity | None:
        found = self.index.get((kind, id_))
        return found[0] if found else None

    def of(self, kind: str) -> list[Entity]:
        """The entities of a kind, in file order (the context's own list: read it, never change it)."""
        return self.kinds.get(kind, [])

    @property
    def as_at(self) -> date | None:
        return parse_date(self.programme.get("as_at"))


def at(data: Any, path: str, pointer: str) -> list[tuple[str, Any]]:
    """Values at a path like `aligns_to/*/to` inside data, with their JSON pointers, in
    document order (taken a step of the path at a time: the order of the steps before)."""
    found = [(pointer, data)]
    for head in path.split("/"):
        if head == "*":
            found = [(pointer_join(parent, i), item) for parent, value in found
                     if isinstance(value, list) for i, item in enumerate(value)]
        else:
            found = [(pointer_join(parent, head), value[head]) for parent, value in found
                     if isinstance(value, dict) and head in value]
        if not found:
            break
    return found


def values_at(data: Any, path: str | tuple[str, ...]) -> list[Any]:
    """The values `at` gives, in the same order, without their pointers (which cost more
    than the walk): for rules that need a pointer only for the rare value they report.
    The path may be given already split."""
    parts = path.split("/") if isinstance(path, str) else path
    if len(parts) == 1:  # the most common path: one key
        return [data[parts[0]]] if isinstance(data, dict) and parts[0] in data else []
    found = [data]
    for head in parts:
        if head == "*":
            found = [item for value in found if isinstance(value, list) for item in value]
        else:
            found = [value[head] for value in found if isinstance(value, dict) and head in value]
        if not found:
            break
    return found


# The keys whose texts rules read wherever they stand (dates, titles, links): one walk of
# each file finds the texts of them all (see Context.texts).
WALKED: set[str] = set()


def walked(keys: set[str] | frozenset[str]) -> frozenset[str]:
    """Keys a rule reads through Context.texts: each file's walk looks for them too."""
    WALKED.update(keys)
    return frozenset(keys)


Steps = tuple[str | int, ...]  # the keys and indexes from the top of a file to a value


def _keyed_texts(data: Any, keys: frozenset[str]) -> list[tuple[Steps, str, str]]:
    """(path, key, text) for every text under one of `keys` anywhere in data, in document
    order. A big roadmap has a million values: the walk keeps its path as a list, copied
    only for what it finds, and makes no pointers."""
    found: list[tuple[Steps, str, str]] = []
    path: list[str | int] = []
    stack: list[Iterator[tuple[Any, Any]]] = [_children(data)]
    while stack:
        for key, value in stack[-1]:
            if isinstance(value, str):
                if key in keys:
                    found.append(((*path, key), key, value))
            elif isinstance(value, dict):
                path.append(key)
                stack.append(iter(value.items()))
                break
            elif isinstance(value, list):
                path.append(key)
                stack.append(enumerate(value))
                break
        else:
            stack.pop()
            if path:
                path.pop()
    return found


def _children(data: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(data, dict):
        return iter(data.items())
    return enumerate(data) if isinstance(data, list) else iter(())
