"""Rules on alignment: each priority has an accountable body and aligns to the primary
framework, and that framework is covered element by element."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Context, at, values_at
from generator.check.registry import rule
from generator.collect import Entity
from generator.findings import Finding
from generator.load import pointer_join


def primary_frameworks(ctx: Context) -> list[Entity]:
    return [f for f in ctx.of("framework") if f.data.get("primary") is True]


def _primary_id(ctx: Context) -> str | None:
    primaries = primary_frameworks(ctx)
    return primaries[0].id if primaries else None


@rule("A001", "no-accountable-body", "error",
      "a priority with no accountable body, and none on its pillar", scope="file")
def accountable(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        pillar = priority.parent.data if priority.parent else {}
        if "accountable" not in priority.data and "accountable" not in pillar:
            yield priority.source.finding(priority.pointer, "A001",
                                          f"priority '{priority.id}' has no accountable body; "
                                          "add 'accountable' to it or to its pillar")


@rule("A002", "no-primary-alignment", "error",
      "a priority that aligns to no element of the primary framework (the LTWP)")
def primary_alignment(ctx: Context) -> Iterator[Finding]:
    primary = _primary_id(ctx)
    if primary is None:
        return
    for priority in ctx.of("priority"):
        targets = values_at(priority.data, "aligns_to/*/to")
        if not any(isinstance(t, str) and t.startswith(primary + ":") for t in targets):
            yield priority.source.finding(pointer_join(priority.pointer, "aligns_to"), "A002",
                                          f"priority '{priority.id}' does not align to any "
                                          f"'{primary}:' element; add one to aligns_to")


@rule("A003", "element-uncovered", "error",
      "an element of the primary framework that no priority aligns to")
def coverage(ctx: Context) -> Iterator[Finding]:
    primary = _primary_id(ctx)
    covered = {v for p in ctx.of("priority") for v in values_at(p.data, "aligns_to/*/to")
               if isinstance(v, str)}
    for element in ctx.of("element"):
        if element.parent and element.parent.id == primary and element.id not in covered:
            yield element.source.finding(element.pointer, "A003",
                                         f"no priority aligns to '{element.id}'; the roadmap "
                                         "should cover every element of the primary framework")


@rule("A004", "primary-framework", "error", "not exactly one framework is marked primary: true")
def one_primary(ctx: Context) -> Iterator[Finding]:
    primaries = primary_frameworks(ctx)
    frameworks = ctx.of("framework")
    if not primaries and frameworks:
        yield frameworks[0].source.finding("", "A004", "no framework has primary: true; mark the "
                                           "framework every priority must align to")
    for extra in primaries[1:]:
        yield extra.source.finding(pointer_join("", "primary"), "A004",
                                   f"'{primaries[0].id}' is already the primary framework; "
                                   "only one may be")


@rule("A005", "corresponds-not-primary", "error",
      "corresponds_to names an element outside the primary framework")
def corresponds_primary(ctx: Context) -> Iterator[Finding]:
    primary = _primary_id(ctx)
    if primary is None:
        return
    for element in ctx.of("element"):
        for pointer, value in at(element.data, "corresponds_to/*", element.pointer):
            if isinstance(value, str) and not value.startswith(primary + ":"):
                yield element.source.finding(pointer, "A005",
                                             f"corresponds_to should name a '{primary}:' element, "
                                             f"not '{value}'")
