"""Rules on governance: the bodies form one tree, with no reports_to going round in a circle."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Context
from generator.check.registry import rule
from generator.collect import Entity
from generator.findings import Finding
from generator.load import pointer_join


def _parent(ctx: Context, body: Entity) -> Entity | None:
    target = body.data.get("reports_to")
    return ctx.get("body", target) if isinstance(target, str) else None


@rule("G001", "governance-cycle", "error", "bodies whose reports_to chain loops back on itself")
def governance_cycles(ctx: Context) -> Iterator[Finding]:
    # Each body is walked once: a walk stops at a body an earlier walk finished, so a chain
    # of n bodies costs n steps, not n² (or n³ with the loop test on a list).
    finished: set[str] = set()
    for body in ctx.of("body"):
        chain: dict[str, Entity] = {}  # this walk, in order
        current: Entity | None = body
        while current is not None and current.id not in finished and current.id not in chain:
            chain[current.id] = current
            current = _parent(ctx, current)
        finished.update(chain)
        if current is None or current.id not in chain:
            continue
        ids = list(chain)
        loop = ids[ids.index(current.id):]
        first = chain[loop[0]]
        yield first.source.finding(pointer_join(first.pointer, "reports_to"), "G001",
                                   f"reports_to goes round in a circle ({' → '.join([*loop, loop[0]])}); "
                                   "one body in the loop must report to a body outside it")


@rule("G002", "governance-roots", "error",
      "the bodies do not form one tree: more than one body has no reports_to")
def governance_roots(ctx: Context) -> Iterator[Finding]:
    roots = [b for b in ctx.of("body") if not isinstance(b.data.get("reports_to"), str)]
    for extra in roots[1:]:
        yield extra.source.finding(extra.pointer, "G002",
                                   f"'{extra.id}' reports to no one, and neither does "
                                   f"'{roots[0].id}'; give one of them a reports_to so the "
                                   "bodies form a single tree")
