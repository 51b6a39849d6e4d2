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


class Fingerprints:
    """The fingerprint of each input of one resolved roadmap, made when first asked for."""

    def __init__(self, roadmap: m.Roadmap, *shared: str) -> None:
        self.roadmap = roadmap
        self.shared = digest(*shared)  # what every page depends on (the history)
        self._by_key: dict[str, m.Node] | None = None
        self._known: dict[str, str | None] = {}

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
            return "method" if callable(value) else digest(repr(_plain(value)))
        if self._by_key is None:
            self._by_key = {key(item): item for item in items(self.roadmap)}
        item = self._by_key.get(name)
        return None if item is None else digest(repr(_own(item)))

    def combined(self, keys: list[str]) -> str | None:
        """One fingerprint for a page's inputs (None if one is gone)."""
        parts = [self.shared]
        for name in keys:
            made = self.of(name)
            if made is None:
                return None
            parts += (name, made)
        return digest(*parts)


def _own(item: m.Node) -> tuple[Any, ...]:
    """An item's own fields: the data it was read from by value (plain YAML values),
    everything derived from other items with those items named by key."""
    return tuple((f.name, repr(value) if f.name == "data" else _plain(value))
                 for f in dataclasses.fields(item) for value in (object.__getattribute__(item, f.name),))


def _plain(value: Any) -> Any:
    if isinstance(value, m.Node):
        return key(value)
    if isinstance(value, str | int | float | bool | date) or value is None:
        return value
    if isinstance(value, dict):
        return tuple((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(repr(_plain(v)) for v in value))
    if dataclasses.is_dataclass(value):
        return (type(value).__name__,
                *((f.name, _plain(getattr(value, f.name))) for f in dataclasses.fields(value)))
    return repr(value)
