"""What every consistency rule reads: the roadmap's sources and entities, indexed once.

Rules run even on files the schema refused, so every value they read may have the
wrong type; they skip what they cannot understand (the schema has already said why).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.collect import Entity
from generator.dates import parse_date
from generator.load import Source, pointer_join


@dataclass
class Context:
    root: Path
    sources: list[Source]
    entities: list[Entity]
    index: dict[tuple[str, str], list[Entity]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for entity in self.entities:
            self.index[entity.key].append(entity)

    def get(self, kind: str, id_: str) -> Entity | None:
        found = self.index.get((kind, id_))
        return found[0] if found else None

    def of(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]

    @property
    def programme(self) -> dict[str, Any]:
        found = self.get("programme", "programme")
        return found.data if found else {}

    @property
    def as_at(self) -> date | None:
        return parse_date(self.programme.get("as_at"))


def at(data: Any, path: str, pointer: str) -> Iterator[tuple[str, Any]]:
    """Values at a path like `aligns_to/*/to` inside data, with their JSON pointers."""
    head, _, rest = path.partition("/")
    if head == "*":
        children = enumerate(data) if isinstance(data, list) else iter(())
    elif isinstance(data, dict) and head in data:
        children = iter([(head, data[head])])
    else:
        children = iter(())
    for name, value in children:
        child = pointer_join(pointer, name)
        if rest:
            yield from at(value, rest, child)
        else:
            yield child, value
