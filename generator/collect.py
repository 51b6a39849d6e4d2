"""Find every entity in the loaded sources, with the file and JSON pointer it came from.

Both the check (to locate findings) and the model (to build typed objects) walk the
roadmap through this one function, so they always agree on what an entity is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.load import Source, pointer_join

# Where each kind of file keeps its list of entities, and the kind of each entry.
_LISTS = {
    "organisations": ("organisations", "organisation"),
    "governance": ("bodies", "body"),
    "measures": ("measures", "measure"),
    "glossary": ("terms", "term"),
}


@dataclass(frozen=True)
class Entity:
    kind: str
    id: str
    data: dict[str, Any]
    source: Source
    pointer: str
    parent: Entity | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.id


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(data: dict[str, Any], name: str, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    value = data.get(name)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                yield pointer_join(pointer_join(pointer, name), i), item


def entities(sources: list[Source]) -> Iterator[Entity]:
    """Every entity with an id, in file order; tolerant of data the schema has refused."""
    for source in sources:
        data = _mapping(source.data)
        if source.kind == "programme":
            yield Entity("programme", "programme", data, source, "")
            for pointer, item in _items(data, "learning_questions", ""):
                yield Entity("question", item["id"], item, source, pointer)
            for pointer, item in _items(data, "phases", ""):
                yield Entity("phase", item["id"], item, source, pointer)
            for name, kind in (("places", "place"), ("engagement", "engagement"), ("insights", "insight")):
                for pointer, item in _items(data, name, ""):
                    yield Entity(kind, item["id"], item, source, pointer)
            vision = _mapping(data.get("vision"))
            for pointer, item in _items(vision, "experiences", "/vision"):
                yield Entity("experience", item["id"], item, source, pointer)
        elif source.kind in _LISTS:
            name, kind = _LISTS[source.kind]
            for pointer, item in _items(data, name, ""):
                yield Entity(kind, item["id"], item, source, pointer)
        elif isinstance(data.get("id"), str):
            yield from _nested(source, data)


def _nested(source: Source, data: dict[str, Any]) -> Iterator[Entity]:
    top = Entity(source.kind, data["id"], data, source, "")
    yield top
    if source.kind == "framework":
        for pointer, item in _items(data, "elements", ""):
            yield Entity("element", f"{data['id']}:{item['id']}", item, source, pointer, top)
    elif source.kind == "review":
        for pointer, item in _items(data, "decisions", ""):
            yield Entity("decision", item["id"], item, source, pointer, top)
    elif source.kind == "pillar":
        for pointer, item in _items(data, "priorities", ""):
            priority = Entity("priority", item["id"], item, source, pointer, top)
            yield priority
            for action_pointer, action in _items(item, "actions", pointer):
                yield Entity("action", action["id"], action, source, action_pointer, priority)
