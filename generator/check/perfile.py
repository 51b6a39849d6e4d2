"""The rules that read one file at a time, run per file and kept per file, so that after an
edit the check runs them on the edited file only.

A rule registered with scope "file" (or "file+programme": the file and the programme's
data) is run on a context of one file. Its findings over the whole roadmap are each file's
findings in file order: exactly what it gives on the whole roadmap, since every such rule
walks its files and entities in order (tests/test_check_cache.py holds each to that). Each
file's are bounded as the whole rule is (one file cannot give more than the roadmap), and
the check takes the first MAX_PER_RULE of them all, as it does of any rule.

With a cache, what each file gave is kept under one name for the roadmap: its schema
findings, its rules' findings (by the file's bytes), its programme rules' findings (and the
programme's data they read), and every position asked for in it, so that a finding in a file
that did not change is located without reading the file's positions (generator/load.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple
from itertools import chain, islice
from typing import Any

from generator.cache import Cache, digest
from generator.check.context import Context
from generator.check.registry import SCOPES
from generator.check.schema import validate
from generator.collect import Entity
from generator.findings import Finding
from generator.load import Source

Rule = Callable[..., Iterable[Finding]]
Found = list[list[Finding]]  # one list per rule, in the registry's order


class ByFile:
    """The per-file rules' findings for one check: kept ones where the file is as it was,
    the rest made now."""

    def __init__(self, context: Context, cache: Cache | None, rules: list[Rule], bound: int) -> None:
        self.context, self.cache, self.bound = context, cache, bound
        self.alone = [r for r in rules if SCOPES.get(r) == "file"]
        self.with_programme = [r for r in rules if SCOPES.get(r) == "file+programme"]
        self.programme = digest(json.dumps(context.programme, sort_keys=True, ensure_ascii=False,
                                           default=repr))
        self.name = digest("check-by-file", str(context.root),
                           str((context.root.parent / "schema").is_dir()),
                           repr([f"{r.__module__}.{r.__qualname__}" for r in self.alone]),
                           repr([f"{r.__module__}.{r.__qualname__}" for r in self.with_programme]))
        stored = cache.get(self.name) if cache else None
        self.stored: dict[str, Any] = stored if isinstance(stored, dict) else {}
        self.changed = False
        entities: dict[int, list[Entity]] = {id(s): [] for s in context.sources}
        for entity in context.entities:
            entities[id(entity.source)].append(entity)
        self.files = [self._file(source, entities[id(source)]) for source in context.sources]

    def __contains__(self, rule: Rule) -> bool:
        return rule in self.alone or rule in self.with_programme

    def schema(self) -> list[Finding]:
        return [f for file in self.files for f in file.schema]

    def found(self, rule: Rule) -> Iterator[Finding]:
        """The rule's findings on every file, in file order."""
        if rule in self.alone:
            n = self.alone.index(rule)
            return chain.from_iterable(file.alone[n] for file in self.files)
        n = self.with_programme.index(rule)
        return chain.from_iterable(file.with_programme[n] for file in self.files)

    def keep(self) -> None:
        """Put what each file gave, and the positions found in it, in the cache (once every
        rule has located its findings). Files no longer in the roadmap are left out."""
        keys = [file.key for file in self.files if file.key]
        if self.cache and (self.changed or any(file.located_more for file in self.files)
                           or set(keys) != self.stored.keys()):
            self.cache.put(self.name, {file.key: file.stored() for file in self.files if file.key})

    def _file(self, source: Source, entities: list[Entity]) -> File:
        # The programme's own rules read its data, which --as-at changes without changing its bytes.
        key = source.digest and (digest(source.digest, self.programme) if source.kind == "programme"
                                 else source.digest)
        file = File.from_stored(key, source, self.stored.get(key) if key else None,
                                len(self.alone), len(self.with_programme))
        if file.alone is None:
            self.changed = file.made = True
            file.schema = validate(source)
            file.alone = run_rules(self.alone, self._context(source, entities, {}), self.bound)
        if file.programme != self.programme:
            self.changed = file.made = True
            file.programme = self.programme
            file.with_programme = run_rules(
                self.with_programme, self._context(source, entities, self.context.programme), self.bound)
        return file

    def _context(self, source: Source, entities: list[Entity], programme: dict[str, Any]) -> Context:
        return Context(self.context.root, [source], entities, programme=programme)


def run_rules(rules: list[Rule], context: Context, bound: int) -> Found:
    """Each rule's findings on one file's context, at most `bound` of them."""
    return [list(islice(rule(context), bound)) for rule in rules]


class File:
    """What the per-file rules gave for one file."""

    def __init__(self, key: str, source: Source) -> None:
        self.key, self.source = key, source
        self.schema: list[Finding] = []
        self.alone: Found | None = None  # None: to be made
        self.with_programme: Found = []
        self.programme = ""  # the programme's data that with_programme was made from
        self.seen = 0  # positions known when it was read
        self.kept: list[Any] | None = None  # as it was read from the cache
        self.made = False  # some of it made now

    @classmethod
    def from_stored(cls, key: str, source: Source, stored: Any, alone: int, with_programme: int) -> File:
        file = cls(key, source)
        try:
            schema, found, programme, found_with, located = stored
            file.schema = [Finding(*f) for f in schema]
            file.alone = [[Finding(*f) for f in rule] for rule in found]
            file.with_programme = [[Finding(*f) for f in rule] for rule in found_with]
            file.programme = str(programme)
            positions = {str(asked): (int(line), int(col)) for asked, (line, col) in located.items()}
            if len(file.alone) != alone or len(file.with_programme) != with_programme:
                raise ValueError("made by other rules")
        except (TypeError, ValueError, AttributeError):  # none kept, or not as written
            return cls(key, source)
        source.located.update(positions)
        file.seen, file.kept = len(source.located), stored
        return file

    @property
    def located_more(self) -> bool:
        return len(self.source.located) > self.seen

    def stored(self) -> list[Any]:
        if self.kept is not None and not self.made:  # as it was, but for new positions
            return [*self.kept[:4], self.source.located]
        return [[astuple(f) for f in self.schema],
                [[astuple(f) for f in rule] for rule in self.alone or []],
                self.programme,
                [[astuple(f) for f in rule] for rule in self.with_programme],
                self.source.located]

