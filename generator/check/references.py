"""Rules on references and ids: every reference names something that exists, and every id
is unique, not reused after a rename, and can be a file name on every system."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from generator.check.context import Context, at, values_at
from generator.check.registry import rule
from generator.collect import Entity
from generator.findings import Finding
from generator.kinds import ITEM_KINDS, KIND_HOMES, KIND_WORDS
from generator.load import RESERVED_NAMES, pointer_join
from generator.sitepages import SEE_KINDS, SITE_PAGES

REFERENCES: dict[str, list[tuple[str, str]]] = {
    "programme": [("organisation", "organisation"), ("board_pack/body", "body")],
    "pillar": [("lead/organisation", "organisation"), ("accountable", "body"),
               ("delivers/*", "experience"), ("handover/organisation", "organisation")],
    "priority": [("owner", "organisation"), ("contributors/*", "organisation"),
                 ("accountable", "body"), ("aligns_to/*/to", "element"),
                 ("measures/*", "measure"), ("commitments/*/organisation", "organisation"),
                 ("evaluation/body", "body"), ("escalation/to", "body"), ("places/*", "place"),
                 ("commitments/*/places/*", "place"), ("responds_to/*", "insight"),
                 ("handover/organisation", "organisation")],
    "engagement": [("phase", "phase")],
    "insight": [("heard_in/*", "engagement")],
    "action": [("owner", "organisation"), ("escalation/to", "body"), ("places/*", "place"),
               ("handover/organisation", "organisation")],
    "body": [("chair/organisation", "organisation"), ("members/*", "organisation"),
             ("reports_to", "body")],
    "element": [("corresponds_to/*", "element")],
    "review": [("body", "body"), ("answers/*/question", "question"),
               ("status_changes/*/priority", "priority"), ("carried_forward/*", "decision")],
    "decision": [("owner", "organisation"), ("asked_of", "body"), ("follows_up", "decision"),
                 ("concerns/*", "item")],
}


# Each kind's references: path, path split, target kind, and the kinds that target can be.
_PATHS = {kind: [(path, tuple(path.split("/")), target, ITEM_KINDS if target == "item" else (target,))
                 for path, target in paths] for kind, paths in REFERENCES.items()}


def unknown(ctx: Context, entity: Entity) -> Iterator[tuple[str, str, str]]:
    """(pointer, target kind, target id) for every reference an entity makes to nothing.
    A large roadmap makes a hundred thousand references, almost all known: a path's values
    are looked up without pointers, which are made only for a path with an unknown one."""
    index, data = ctx.index, entity.data
    for path, parts, target, kinds in _PATHS.get(entity.kind, ()):
        if len(parts) == 1:  # most paths: one key
            value = data.get(parts[0])
            if not isinstance(value, str) or (target, value) in index:
                continue
        if all(not isinstance(value, str) or _exists(index, kinds, value)
               for value in values_at(data, parts)):
            continue
        for pointer, value in at(data, path, entity.pointer):
            if isinstance(value, str) and not _exists(index, kinds, value):
                yield pointer, target, value


def _exists(index: dict[tuple[str, str], list[Entity]], kinds: tuple[str, ...], id_: str) -> bool:
    return any((kind, id_) in index for kind in kinds)


MAX_SUGGESTIONS = 20  # "did you mean" compares with every id: done for the first few only


@rule("R001", "unknown-reference", "error",
      "a reference to an organisation, body, measure, element, question, priority or other item that "
      "does not exist")
def unknown_references(ctx: Context) -> Iterator[Finding]:
    known: dict[str, list[str]] = {}  # ids of each kind, listed once
    suggested = 0
    for entity in ctx.entities:
        for pointer, kind, value in unknown(ctx, entity):
            kinds = ITEM_KINDS if kind == "item" else (kind,)
            if kind not in known:
                known[kind] = sorted({e.id for k in kinds for e in ctx.of(k)})
            suggested += 1
            close = difflib.get_close_matches(value, known[kind], n=1, cutoff=0.6) \
                if suggested <= MAX_SUGGESTIONS else []
            hint = f"did you mean '{close[0]}'?" if close else \
                f"add it to {KIND_HOMES.get(kind, 'the roadmap')} or correct the id"
            yield entity.source.finding(pointer, "R001",
                                        f"unknown {KIND_WORDS[kind]} '{value}'; {hint}")


@rule("R005", "unknown-see", "error",
      "a `see:` that names a page the site does not have, or an item that does not exist")
def unknown_see(ctx: Context) -> Iterator[Finding]:
    for entity in ctx.of("phase"):
        for pointer, value in at(entity.data, "outputs/*/see", entity.pointer):
            if not isinstance(value, str) or ":" not in value:
                continue
            kind, _, id_ = value.partition(":")
            if kind == "page" and id_ not in SITE_PAGES:
                known = sorted(SITE_PAGES)
                close = difflib.get_close_matches(id_, known, n=1, cutoff=0.6)
                hint = f"did you mean 'page:{close[0]}'?" if close else f"use one of: {', '.join(known)}"
                yield entity.source.finding(pointer, "R005", f"the site has no page '{id_}'; {hint}")
            elif kind in SEE_KINDS and ctx.get(kind, id_) is None:
                yield entity.source.finding(pointer, "R005",
                                            f"unknown {KIND_WORDS.get(kind, kind)} '{id_}'; "
                                            "correct the id after the colon")


@rule("R002", "duplicate-id", "error", "two items of the same kind share an id")
def duplicate_ids(ctx: Context) -> Iterator[Finding]:
    for (kind, id_), found in ctx.index.items():
        first = found[0]
        for other in found[1:]:
            line, _ = first.source.where(pointer_join(first.pointer, "id"))
            yield other.source.finding(
                pointer_join(other.pointer, "id"), "R002",
                f"the {KIND_WORDS.get(kind, kind)} id '{id_}' is already used at "
                f"{first.source.rel}:{line}; ids must be unique, so choose another")


@rule("R003", "renamed-id-reused", "error",
      "an id listed in an item's renamed_from is used again by another item")
def renamed_reused(ctx: Context) -> Iterator[Finding]:
    for entity in ctx.entities:
        for pointer, old in at(entity.data, "renamed_from/*", entity.pointer):
            if isinstance(old, str) and ctx.get(entity.kind, old) is not None:
                yield entity.source.finding(
                    pointer, "R003", f"'{old}' was renamed to '{entity.id}', so its old address "
                    "redirects here; the id cannot be used again by another item")


# RESERVED_NAMES: names Windows reserves for devices, whatever the case or extension: a page
# written as con.md or a site folder named nul/ cannot be created or cloned there.

@rule("R004", "reserved-id", "error",
      "an id that Windows reserves for a device (con, prn, aux, nul, com1, lpt1, …)", scope="file")
def reserved_ids(ctx: Context) -> Iterator[Finding]:
    for entity in ctx.entities:
        own = entity.id.rsplit(":", 1)[-1]  # an element's id is framework:element
        if entity.kind != "programme" and own in RESERVED_NAMES:
            yield entity.source.finding(pointer_join(entity.pointer, "id"), "R004",
                                        f"'{own}' is a device name on Windows, so its page could "
                                        "not be saved there; choose another id")
