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
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from typing import Any

from generator import model as m
from generator.cache import digest

_items: dict[int, tuple[Any, set[str]]] | None = None  # id() -> (item, fields read) for the page
_fields: set[str] | None = None  # the roadmap's fields it read


def _item_read(self: Any, name: str) -> Any:
    items = _items
    if items is not None:
        seen = items.get(id(self))
        if seen is None:
            seen = items[id(self)] = (self, set())
        seen[1].add(name)
    return object.__getattribute__(self, name)


def _roadmap_read(self: Any, name: str) -> Any:
    fields = _fields
    if fields is not None:
        fields.add(name)
    return object.__getattribute__(self, name)


def _noted(on: bool) -> None:
    """The one place the model's classes are changed: to note reads, or back as plain."""
    if on:
        m.Node.__getattribute__ = _item_read  # type: ignore[method-assign]
        m.Roadmap.__getattribute__ = _roadmap_read  # type: ignore[method-assign]
    else:
        del m.Node.__getattribute__, m.Roadmap.__getattribute__


@contextmanager
def noting() -> Iterator[None]:
    """Reads of the model are noted (by `recording`) while this lasts; forked workers
    inherit it. Outside it the model's classes are as plain as ever."""
    _noted(True)
    try:
        yield
    finally:
        _noted(False)


@contextmanager
def paused() -> Iterator[None]:
    """Reads are not noted while this lasts (fingerprinting, a task made from the whole roadmap)."""
    was = "__getattribute__" in vars(m.Node)
    if was:
        _noted(False)
    try:
        yield
    finally:
        if was:
            _noted(True)


@contextmanager
def recording() -> Iterator[set[str]]:
    """The keys of everything read inside the block (filled in when it ends): one per field
    of an item ("Priority:p1.title") or, where that field of more than MANY items of a kind
    was read, of the whole kind ("*Priority.title"); and one per field of the roadmap
    ("roadmap.statuses")."""
    global _items, _fields
    keys: set[str] = set()
    outer = _items, _fields
    _items, _fields = {}, set()
    try:
        yield keys
    finally:
        items, fields = _items, _fields
        _items, _fields = outer
        keys.update(_keys(items))
        keys.update(f"roadmap.{name}" for name in _fields_of(m.Roadmap, fields))
        if outer[0] is not None:  # a recording inside another: the outer one read it too
            for ident, (item, names) in items.items():
                outer[0].setdefault(ident, (item, set()))[1].update(names)
            outer[1].update(fields)


def _keys(items: dict[int, tuple[m.Node, set[str]]]) -> Iterator[str]:
    """The keys of the fields read of `items`, grouped by kind as `grouped` groups them, so
    that a page that scans thousands of items makes a few keys, not a key for each."""
    read: dict[tuple[str, str], list[m.Node]] = {}
    for item, names in items.values():
        kind = type(item).__name__
        for name in _fields_of(type(item), names):
            read.setdefault((kind, name), []).append(item)
    for (kind, name), found in read.items():
        if len(found) > MANY:
            yield f"*{kind}.{name}"
        else:
            yield from (f"{kind}:{item.id}.{name}" for item in found)


def _fields_of(kind: type, names: set[str]) -> set[str]:
    """The fields read: vars() or a copy reads them all; other dunders are not data."""
    if "__dict__" in names:
        names = names | set(_names(kind))
    return {n for n in names if not n.startswith("__")}


def key(item: m.Node) -> str:
    return f"{type(item).__name__}:{item.id}"


def items(roadmap: m.Roadmap) -> Iterator[m.Node]:
    """Every item of the model that a page can read."""
    for value in vars(roadmap).values():
        found = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for item in found:
            if isinstance(item, m.Node):
                yield item


MANY = 32  # more items of one kind than this, and a page depends on that field of every one


def grouped(keys: set[str]) -> list[str]:
    """A page's inputs, written short: where it read one field of many items of a kind (a
    page that scans every decision's status for its own), the field of the whole kind
    ("*Decision.status") stands for them."""
    groups: dict[str, list[str]] = {}
    for name in keys:
        kind, _, rest = name.partition(":")
        group = f"{kind}.{rest.rpartition('.')[2]}" if rest else name.removeprefix("*")
        groups.setdefault(group, []).append(name)
    out = []
    for group, names in groups.items():  # a kind's field read whole stands for its items' too
        out += [f"*{group}"] if len(names) > MANY or f"*{group}" in names else names
    return sorted(out)


WHOLE = "*roadmap"  # the input of a task made from everything: any change remakes it


class Fingerprints:
    """The fingerprint of each input of one resolved roadmap, made when first asked for."""

    def __init__(self, roadmap: m.Roadmap, *shared: str) -> None:
        self.roadmap = roadmap
        self.shared = digest(*shared)  # what every page depends on (the history)
        self._by_key: dict[str, m.Node] | None = None
        self._known: dict[str, str | None] = {}
        self._kinds: dict[str, list[tuple[str, m.Node]]] | None = None

    def of(self, name: str) -> str | None:
        """The input's fingerprint, or None if the roadmap no longer has it."""
        if name not in self._known:
            self._known[name] = self._make(name)
        return self._known[name]

    def _make(self, name: str) -> str | None:
        if name == WHOLE:  # the items are made from the files (file_digests), the rest from more
            return digest(shown([(f, getattr(self.roadmap, f)) for f in _names(m.Roadmap)]))
        if name.startswith("roadmap."):
            return _field_print(self.roadmap, name.removeprefix("roadmap."))  # may be made now
        by_key = self._items()
        if name.startswith("*"):
            kind, _, field = name[1:].partition(".")
            return digest(shown([(k, _value(item, field)) for k, item in self._of_kind(kind)]))
        item_key, _, field = name.rpartition(".")
        item = by_key.get(item_key)
        return None if item is None else _field_print(item, field)

    def _items(self) -> dict[str, m.Node]:
        if self._by_key is None:
            self._by_key = {key(item): item for item in sorted(items(self.roadmap), key=key)}
        return self._by_key

    def _of_kind(self, kind: str) -> list[tuple[str, m.Node]]:
        if self._kinds is None:
            self._kinds = {}
            for k, item in self._items().items():
                self._kinds.setdefault(type(item).__name__, []).append((k, item))
        return self._kinds.get(kind, [])

    def data_prints(self, known: dict[str, str] | None = None) -> dict[str, str]:
        """The fingerprint of each item's own data (without the items written inside it),
        led by the digest of the file it is written in and a colon: while that file is as it
        was, the one `known` from the last run is taken, as the data is the file's. (The
        item's own fingerprint is made from the part after the colon: an edit elsewhere in
        its file leaves it as it was.)"""
        files, known = self.roadmap.file_digests, known or {}
        out = {}
        for k, item in self._items().items():
            made_from = files.get(item.source)
            kept = known.get(k)
            if made_from and isinstance(kept, str) and kept.startswith(f"{made_from}:"):
                out[k] = kept
            else:
                out[k] = f"{made_from}:{digest(shown(_own_data(item.data)))}"
        return out

    def item_prints(self, data: dict[str, str] | None = None) -> dict[str, str]:
        """A fingerprint of every item as a whole: all its fields, its data without the items
        written inside it (so an edit to a pillar's title leaves its priorities as they were;
        `data`: their `data_prints`). While an item's is the same, so is each of its fields'
        (its properties and methods read fields, noted on their own)."""
        data = self.data_prints() if data is None else data
        return {k: digest(data[k].partition(":")[2],
                          shown([getattr(item, f) for f in _names(type(item)) if f != "data"]))
                for k, item in self._items().items()}


_SCALARS = (str, int, float, bool, date, type(None))
# Made once per run: a value whose text holds it is never the same as in another run.
_UNSTABLE = f" (unstable {secrets.token_hex(8)})"


def shown(value: Any) -> str:
    """The value as text that is the same in every run while the value is. Items show as
    their kind and id (model.Node.__repr__), and the model's other classes by their fields.
    A set's order changes from run to run, so its members are sorted; an object shown by
    its address (`<X object at 0x…>`) could be another one next time, so it never matches."""
    text = repr(sorted(map(repr, value)) if isinstance(value, set | frozenset) else value)
    return text + _UNSTABLE if " object at 0x" in text else text


def _field_print(owner: Any, field: str) -> str | None:
    try:
        value = getattr(owner, field)
    except AttributeError:
        return None
    if type(value) in _SCALARS:  # most fields: short enough to be their own fingerprint
        text = repr(value)
        return text if len(text) <= 64 else digest(text)
    if isinstance(value, m.Node):
        return key(value)
    return digest(_value(owner, field, value))


def _value(owner: Any, field: str, value: Any = None) -> Any:
    """A field's value as `_field_print` sees it, for the fingerprint of a field of a kind."""
    value = getattr(owner, field, None) if value is None else value
    if type(value) in _SCALARS:
        return value
    if field == "data":
        return shown(_own_data(value))
    return "method" if callable(value) else shown(value)


def _own_data(data: Any) -> Any:
    """An item's data without the items written inside it (a pillar's priorities, a
    priority's actions): each of those is an item of its own, and the model links them."""
    if not isinstance(data, dict):
        return data
    return tuple((k, v) for k, v in data.items()
                 if not (isinstance(v, list) and v and all(isinstance(x, dict) and "id" in x for x in v)))


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))
