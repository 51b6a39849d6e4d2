"""What each page is made from, so a later run can tell whether it would come out the same.

While a page renders, every read of an item of the model (any attribute of a `Node`, from a
template, a filter or the model's own methods) and of the roadmap's own fields is noted.
Each input is then known by a key ("Priority:p1", "roadmap.statuses") and a fingerprint of
what it holds: an item's own fields, with the items it points to named by key (their
contents are inputs only if the page reads them too), and the roadmap fields by value. A
page whose every input has the same fingerprint as when it was made would be made the same,
because rendering is a pure function of what it reads (and of the code, which versions the
cache: generator/cache.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from typing import Any

from generator import model as m
from generator.cache import digest

_items: dict[int, Any] | None = None  # the items read by the page being made, by id()
_fields: set[str] | None = None  # the roadmap's fields it read


def _item_read(self: Any, name: str) -> Any:
    items = _items
    if items is not None:
        items[id(self)] = self
    return object.__getattribute__(self, name)


def _roadmap_read(self: Any, name: str) -> Any:
    fields = _fields
    if fields is not None:
        if name == "__dict__":  # vars(roadmap), a copy: every field is read
            fields.update(_names(m.Roadmap))
        elif not name.startswith("__"):
            fields.add(name)
    return object.__getattribute__(self, name)


@contextmanager
def noting() -> Iterator[None]:
    """Reads of the model are noted (by `recording`) while this lasts; forked workers
    inherit it. Outside it the model's classes are as plain as ever."""
    m.Node.__getattribute__ = _item_read  # type: ignore[method-assign]
    m.Roadmap.__getattribute__ = _roadmap_read  # type: ignore[method-assign]
    try:
        yield
    finally:
        del m.Node.__getattribute__
        del m.Roadmap.__getattribute__


@contextmanager
def recording() -> Iterator[set[str]]:
    """The keys of everything read inside the block (filled in when it ends)."""
    global _items, _fields
    keys: set[str] = set()
    outer = _items, _fields
    _items, _fields = {}, set()
    try:
        yield keys
    finally:
        items, fields = _items, _fields
        _items, _fields = outer
        keys.update(key(item) for item in items.values())
        keys.update(f"roadmap.{name}" for name in fields)
        if outer[0] is not None:  # a recording inside another: the outer one read it too
            outer[0].update(items)
            outer[1].update(fields)


def key(item: m.Node) -> str:
    return f"{type(item).__name__}:{item.id}"


def items(roadmap: m.Roadmap) -> Iterator[m.Node]:
    """Every item of the model that a page can read."""
    for value in vars(roadmap).values():
        found = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for item in found:
            if isinstance(item, m.Node):
                yield item


MANY = 32  # more items of one kind than this, and a page depends on every item of the kind


def grouped(keys: set[str]) -> list[str]:
    """A page's inputs, written short: where it read many items of one kind (a page that
    scans every decision for its own), the kind as a whole ("*Decision") stands for them."""
    kinds: dict[str, list[str]] = {}
    for name in keys:
        kinds.setdefault(name.partition(":")[0] if ":" in name else name, []).append(name)
    out = []
    for kind, names in kinds.items():
        out += [f"*{kind}"] if len(names) > MANY else names
    return sorted(out)


class Fingerprints:
    """The fingerprint of each input of one resolved roadmap, made when first asked for.
    An item's data is known by the digest of the file it was read from (`files`), so only
    what the model derived from other items is walked."""

    def __init__(self, roadmap: m.Roadmap, files: dict[str, str], *shared: str) -> None:
        self.roadmap, self.files = roadmap, files
        self.shared = digest(*shared)  # what every page depends on (the history)
        self._by_key: dict[str, m.Node] | None = None
        self._known: dict[str, str | None] = {}
        self._memo: dict[int, Any] = {}  # see _plain

    def of(self, name: str) -> str | None:
        """The input's fingerprint, or None if the roadmap no longer has it."""
        if name not in self._known:
            self._known[name] = self._make(name)
        return self._known[name]

    def _make(self, name: str) -> str | None:
        if name.startswith("roadmap."):
            field = name.removeprefix("roadmap.")
            if not hasattr(self.roadmap, field):
                return None
            value = getattr(self.roadmap, field)
            # A method's result is made from reads noted on their own; only its name is an input.
            return "method" if callable(value) else digest(repr(_plain(value, {})))  # may be made now
        by_key = self._items()
        if name.startswith("*"):
            kind = name[1:] + ":"
            return digest("\0".join(f"{k}={self.of(k)}" for k in by_key if k.startswith(kind)))
        item = by_key.get(name)
        return None if item is None else digest(self.files.get(item.source, ""), repr(_own(item, self._memo)))

    def _items(self) -> dict[str, m.Node]:
        if self._by_key is None:
            self._by_key = {key(item): item for item in sorted(items(self.roadmap), key=key)}
        return self._by_key

    def combined(self, keys: list[str]) -> str | None:
        """One fingerprint for a page's inputs (None if one is gone)."""
        parts = [self.shared]
        for name in keys:
            made = self.of(name)
            if made is None:
                return None
            parts.append(f"{name}={made}")
        return digest("\0".join(parts))


def _own(item: m.Node, memo: dict[int, Any]) -> tuple[Any, ...]:
    """What the model made of an item besides its data, with the items it points to named by key."""
    return tuple((name, _plain(object.__getattribute__(item, name), memo)) for name in _names(type(item))
                 if name != "data")


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def _plain(value: Any, memo: dict[int, Any]) -> Any:
    """The value with items named by key. `memo` (by id, for one model that outlives it) holds
    values already made: a commitment hangs from its organisation, its priority and its places."""
    if isinstance(value, str | int | float | bool | date) or value is None:
        return value
    if isinstance(value, m.Node):
        return key(value)
    if isinstance(value, list | tuple):
        return tuple(_plain(v, memo) for v in value)
    if isinstance(value, dict):
        return tuple((k, _plain(v, memo)) for k, v in value.items())
    if isinstance(value, set | frozenset):
        return tuple(sorted(repr(_plain(v, memo)) for v in value))
    if dataclasses.is_dataclass(value):
        made = memo.get(id(value))
        if made is None:
            made = memo[id(value)] = (type(value).__name__,
                                      *((n, _plain(getattr(value, n), memo)) for n in _names(type(value))))
        return made
    return repr(value)
